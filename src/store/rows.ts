import type { Item } from "../model/item";

/** An `items` row as D1 returns it. */
export interface ItemRow {
  id: string;
  url: string;
  title: string;
  summary: string | null;
  content_html: string | null;
  authors: string;
  published_at: number;
  updated_at: number;
  first_seen_at: number;
  image_url: string | null;
  image_caption: string | null;
  language: string;
  source_id: string;
  countries: string;
  regions: string;
  topics: string;
  tags: string;
  content_hash: string;
  teaser_hash: string | null;
}

export const ITEM_COLUMNS =
  "id, url, title, summary, content_html, authors, published_at, updated_at, first_seen_at, image_url, image_caption, language, source_id, countries, regions, topics, tags, content_hash, teaser_hash";

export function itemFromRow(row: ItemRow): Item {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    summary: row.summary,
    contentHtml: row.content_html,
    authors: JSON.parse(row.authors) as string[],
    publishedAt: new Date(row.published_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    firstSeenAt: new Date(row.first_seen_at).toISOString(),
    image: row.image_url ? { url: row.image_url, caption: row.image_caption } : null,
    language: row.language,
    sourceId: row.source_id,
    countries: JSON.parse(row.countries) as string[],
    regions: JSON.parse(row.regions) as string[],
    topics: JSON.parse(row.topics) as string[],
    tags: JSON.parse(row.tags) as string[],
  };
}
