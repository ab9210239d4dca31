/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), compact JSON.
 *
 * Objects are built with their keys in a fixed order and absent values left out (the spec's
 * fields are "string if present", not nullable), so the same document always gives the same bytes.
 * - `id` is the same stable identifier RSS and Atom use (see itemIdentifier).
 * - Every item needs content_html or content_text: without HTML content, content_text is the
 *   summary (or "" when there is none).
 * - `tags` are the names people read (countries, regions, topics, then the source's tags, without
 *   repeats); the slugs, the origin source and the image caption are under the `_caravan`
 *   extension object (extension keys start with "_").
 * - The feed has no top-level `authors`: Caravan is not the author, and FeedDocument names none.
 */
import type { Item } from "../model/item";
import { itemCategories, itemIdentifier, sourceCredit } from "./common";
import { rfc3339 } from "./dates";
import type { FeedDocument } from "./document";
import type { OutputFormat } from "./format";

export const JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1";

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language?: string;
  next_url?: string;
  hubs?: { type: "WebSub"; url: string }[];
  items: JsonFeedItem[];
}

interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  summary?: string;
  content_html?: string;
  content_text?: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors?: { name: string }[];
  language: string;
  tags?: string[];
  _caravan: {
    source: { id: string; name: string; homepage?: string };
    countries: string[];
    regions: string[];
    topics: string[];
    image_caption?: string;
  };
}

export const jsonFeedFormat: OutputFormat = {
  extension: "json",
  mediaType: "application/feed+json",
  label: "JSON Feed",
  xml: false,
  render: renderJsonFeed,
};

export function renderJsonFeed(doc: FeedDocument): string {
  // Absent values are `undefined`, which JSON.stringify leaves out: every object of a kind is
  // built from one literal with one key order, so they share a shape (conditional spreads made
  // each item a differently shaped object and cost about a fifth of the render).
  const feed: JsonFeed = {
    version: JSON_FEED_VERSION,
    title: doc.title,
    home_page_url: doc.homePageUrl,
    feed_url: doc.selfUrl,
    description: doc.description,
    language: doc.language ?? undefined,
    next_url: doc.nextUrl ?? undefined,
    hubs: doc.hubUrl === null ? undefined : [{ type: "WebSub", url: doc.hubUrl }],
    items: doc.items.map((item) => jsonItem(doc, item)),
  };
  return JSON.stringify(feed);
}

function jsonItem(doc: FeedDocument, item: Item): JsonFeedItem {
  const source = sourceCredit(doc, item);
  const tags = [...new Set(itemCategories(item).map((category) => category.label))];
  return {
    id: itemIdentifier(item),
    url: item.url,
    title: item.title,
    summary: item.summary ?? undefined,
    content_html: item.contentHtml ?? undefined,
    content_text: item.contentHtml === null ? (item.summary ?? "") : undefined,
    image: item.image?.url,
    date_published: rfc3339(item.publishedAt),
    date_modified: rfc3339(item.updatedAt),
    authors: item.authors.length === 0 ? undefined : item.authors.map((name) => ({ name })),
    language: item.language,
    tags: tags.length === 0 ? undefined : tags,
    _caravan: {
      source: { id: source.id, name: source.name, homepage: source.homepage ?? undefined },
      countries: item.countries,
      regions: item.regions,
      topics: item.topics,
      image_caption: item.image?.caption ?? undefined,
    },
  };
}
