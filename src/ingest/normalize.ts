import type { Item } from "../model/item";
import type { HtmlSource } from "../model/source";
import { countryFromName, regionOf, topicFromName, topicWithParents } from "../sources/taxonomy";
import type { ItemWrite, StoredItemState, Term } from "../store/items";
import { canonicalUrl, itemIdFor, sha256Hex } from "./canonical";
import { parseSourceDate } from "./dates";
import type { RawArticle, RawTeaser } from "./html/types";

/** Terms a listing gives every story on it (a country listing names its country). */
export interface ListingTerms {
  countries: string[];
  regions: string[];
  topics: string[];
}

export interface StoryInput {
  source: HtmlSource;
  teaser: RawTeaser;
  listingTerms: ListingTerms;
  /** The article page, when it was fetched. */
  article: RawArticle | null;
  /** The article body, already sanitized. */
  contentHtml: string | null;
  previous: StoredItemState | null;
  /** ISO time of this run. */
  now: string;
}

/**
 * D1 refuses a string or row over 2,000,000 bytes. A body past this many characters (up to 3
 * bytes each in UTF-8 for the scripts we see) is not stored; the item keeps its summary.
 */
export const MAX_CONTENT_CHARS = 600_000;

export interface NormalizedStory extends ItemWrite {
  /** False when the stored item is already exactly this (nothing to write). */
  changed: boolean;
}

export async function teaserHash(teaser: RawTeaser): Promise<string> {
  return sha256Hex(JSON.stringify([teaser.title, teaser.summary, teaser.author, teaser.dateText, teaser.imageUrl]));
}

/** Turns what a listing and an article page said about one story into the one Item model. */
export async function normalizeStory(input: StoryInput): Promise<NormalizedStory> {
  const { source, teaser, article, previous, now } = input;
  const id = await itemIdFor(teaser.url);
  const mapped = mapTerms(source, input.listingTerms, article);
  const countries = union(previous?.countries, mapped.countries);
  const topics = union(previous?.topics, mapped.topics);
  const regions = union(previous?.regions, mapped.regions, countries.map(regionOf).filter((r): r is string => r !== null));

  const publishedAt =
    parseSourceDate(article?.publishedText, source.timeZone) ?? parseSourceDate(teaser.dateText, source.timeZone) ?? now;
  const authors = article && article.authors.length > 0 ? article.authors : teaser.author ? [teaser.author] : [];

  const content: Omit<Item, "updatedAt" | "firstSeenAt"> = {
    id,
    url: article?.canonicalUrl && sameStory(article.canonicalUrl, teaser.url) ? article.canonicalUrl : teaser.url,
    title: article?.title || teaser.title,
    summary: teaser.summary || article?.summary || null,
    contentHtml: input.contentHtml !== null && input.contentHtml.length <= MAX_CONTENT_CHARS ? input.contentHtml : null,
    authors: dedupe(authors),
    publishedAt,
    image: article?.image ?? (teaser.imageUrl ? { url: teaser.imageUrl, caption: null } : null),
    language: primaryLanguage(article?.language) ?? source.language,
    sourceId: source.id,
    countries,
    regions,
    topics,
    tags: dedupe([...(article?.tags ?? []), ...mapped.unmapped]),
  };
  const contentHash = await contentHashOf(content);
  const changed = previous?.contentHash !== contentHash;

  const modified = parseSourceDate(article?.modifiedText, source.timeZone);
  let updatedAt: string;
  if (!previous) updatedAt = modified && modified > publishedAt ? modified : publishedAt;
  else if (!changed) updatedAt = previous.updatedAt;
  else updatedAt = modified && modified > previous.updatedAt ? modified : now;

  const item: Item = { ...content, updatedAt, firstSeenAt: previous?.firstSeenAt ?? now };
  return { item, terms: termsOf(item), contentHash, teaserHash: await teaserHash(teaser), changed };
}

/** Hash of everything a reader sees of an item (not its dates of change), in a fixed field order. */
export async function contentHashOf(item: Omit<Item, "updatedAt" | "firstSeenAt">): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      item.id, item.url, item.title, item.summary, item.contentHtml, item.authors, item.publishedAt, item.image,
      item.language, item.sourceId, item.countries, item.regions, item.topics, item.tags,
    ]),
  );
}

/**
 * A stored item seen again on another listing with an unchanged teaser: the union of its terms
 * with the listing's, or null when the listing adds nothing (so nothing is written).
 */
export function withListingTerms(item: Item, listing: ListingTerms): Item | null {
  const countries = union(item.countries, listing.countries);
  const regions = union(item.regions, listing.regions, countries.map(regionOf).filter((r): r is string => r !== null));
  const topics = union(item.topics, listing.topics);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (same(countries, [...item.countries].sort()) && same(regions, [...item.regions].sort()) && same(topics, [...item.topics].sort())) {
    return null;
  }
  return { ...item, countries, regions, topics };
}

/** Feed memberships of an item: its source, countries, regions, and topics with their parents. */
export function termsOf(item: Item): Term[] {
  return [
    { kind: "source", slug: item.sourceId, origin: "source" },
    ...item.countries.map((slug) => ({ kind: "country" as const, slug, origin: "source" as const })),
    ...item.regions.map((slug) => ({ kind: "region" as const, slug, origin: "source" as const })),
    ...dedupe(item.topics.flatMap(topicWithParents)).map((slug) => ({ kind: "topic" as const, slug, origin: "source" as const })),
  ];
}

/** The source's own names for countries and topics, mapped through its term map, then the taxonomy. */
function mapTerms(source: HtmlSource, listing: ListingTerms, article: RawArticle | null) {
  const countries = [...listing.countries];
  const topics = [...listing.topics];
  const unmapped: string[] = [];
  const countryMap = lowerKeys(source.termMap.countries);
  const topicMap = lowerKeys(source.termMap.topics);
  for (const name of article?.countries ?? []) {
    const slug = countryMap.get(name.toLowerCase()) ?? countryFromName(name);
    if (slug) countries.push(slug);
    else unmapped.push(name);
  }
  for (const name of article?.topics ?? []) {
    const slug = topicMap.get(name.toLowerCase()) ?? topicFromName(name);
    if (slug) topics.push(slug);
    else unmapped.push(name);
  }
  return { countries: dedupe(countries), topics: dedupe(topics), regions: dedupe(listing.regions), unmapped };
}

function lowerKeys(record: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

// A canonical link that points at another story (a misconfigured CMS) must not rename the item.
function sameStory(a: string, b: string): boolean {
  try {
    return canonicalUrl(a) === canonicalUrl(b);
  } catch {
    return false;
  }
}

function primaryLanguage(lang: string | null | undefined): string | null {
  const m = lang ? /^([a-z]{2,3})(?:[-_]|$)/i.exec(lang.trim()) : null;
  return m ? m[1]!.toLowerCase() : null;
}

function union(...lists: (string[] | undefined)[]): string[] {
  return dedupe(lists.flatMap((l) => l ?? [])).sort();
}

function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}
