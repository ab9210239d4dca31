import type { Item, TermOrigin } from "../model/item";
import type { FeedSource, HtmlSource } from "../model/source";
import { countryFromName, regionOf, topicFromName, topicWithParents } from "../sources/taxonomy";
import type { ItemWrite, StoredItemState, Term } from "../store/items";
import { canonicalUrl, itemIdFor, sha256Hex } from "./canonical";
import { parseSourceDate } from "./dates";
import type { FeedEntry } from "./feed";
import { mapFeedTerms } from "./feed/terms";
import type { RawArticle, RawTeaser } from "./html/types";
import { htmlToText } from "./sanitize";
import { tagStory } from "./tagger";

/** Terms a listing or a feed gives every story on it (a country listing names its country). */
export interface ListingTerms {
  countries: string[];
  regions: string[];
  topics: string[];
}

/**
 * What one source said about one story, whatever its kind: the shape every input (a listing
 * teaser plus its article page, a feed entry) is adapted into before it becomes an Item.
 * Terms are already mapped onto the taxonomy; dates are still the source's text.
 */
export interface StoryParts {
  url: string;
  title: string;
  summary: string | null;
  /** Sanitized body HTML. */
  contentHtml: string | null;
  authors: string[];
  /** Date texts in the order to try. */
  publishedTexts: (string | null | undefined)[];
  modifiedText: string | null;
  image: { url: string; caption: string | null } | null;
  language: string | null;
  countries: string[];
  regions: string[];
  topics: string[];
  /** The source's own names that map onto nothing in the taxonomy. */
  tags: string[];
}

/**
 * D1 refuses a string or row over 2,000,000 bytes. A body past this many characters (up to 3
 * bytes each in UTF-8 for the scripts we see) is not stored; the item keeps its summary.
 */
export const MAX_CONTENT_CHARS = 600_000;

export interface NormalizedStory extends ItemWrite {
  /** False when the stored item is already exactly this (nothing to write). */
  changed: boolean;
  /** Plain text of the body (for the search index). */
  bodyText: string;
}

interface SourceBasics {
  id: string;
  language: string;
  timeZone: string;
}

export async function teaserHash(teaser: RawTeaser): Promise<string> {
  return sha256Hex(JSON.stringify([teaser.title, teaser.summary, teaser.author, teaser.dateText, teaser.imageUrl]));
}

/** A feed entry's fingerprint: equal means the entry did not change since it was stored. */
export async function entryHash(entry: FeedEntry): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      entry.title,
      entry.summaryHtml,
      entry.contentHtml,
      entry.authors,
      entry.publishedText,
      entry.updatedText,
      entry.categories,
      entry.image,
    ]),
  );
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

/** An HTML source's story: a listing teaser, and its article page when it was fetched. */
export async function normalizeStory(input: StoryInput): Promise<NormalizedStory> {
  const { source, teaser, article } = input;
  const mapped = mapHtmlTerms(source, input.listingTerms, article);
  const parts: StoryParts = {
    url: article?.canonicalUrl && sameStory(article.canonicalUrl, teaser.url) ? article.canonicalUrl : teaser.url,
    title: article?.title || teaser.title,
    summary: teaser.summary || article?.summary || null,
    contentHtml: input.contentHtml,
    authors: article && article.authors.length > 0 ? article.authors : teaser.author ? [teaser.author] : [],
    publishedTexts: [article?.publishedText, teaser.dateText],
    modifiedText: article?.modifiedText ?? null,
    image: article?.image ?? (teaser.imageUrl ? { url: teaser.imageUrl, caption: null } : null),
    language: article?.language ?? null,
    ...mapped,
    tags: [...(article?.tags ?? []), ...mapped.unmapped],
  };
  const story = await buildItem(source, teaser.url, parts, input.previous, input.now);
  return { ...story, teaserHash: await teaserHash(teaser) };
}

export interface FeedEntryInput {
  source: FeedSource;
  entry: FeedEntry;
  /** Terms of the feed the entry came from (an RFE/RL country zone feed). */
  feedTerms: ListingTerms;
  /** The entry's body (content, else summary), already sanitized. */
  contentHtml: string | null;
  /** Plain-text summary. */
  summary: string | null;
  /** The story's page, when the source enriches entries. */
  article: RawArticle | null;
  previous: StoredItemState | null;
  now: string;
}

/** A feed source's story: one feed entry, and its page when the source enriches entries. */
export async function normalizeFeedEntry(input: FeedEntryInput): Promise<NormalizedStory> {
  const { source, entry, article } = input;
  const mapped = mapFeedTerms(source, entry, input.feedTerms);
  const parts: StoryParts = {
    url: entry.url,
    title: entry.title || article?.title || entry.url,
    summary: input.summary || article?.summary || null,
    contentHtml: input.contentHtml,
    authors: entry.authors.length > 0 ? entry.authors : (article?.authors ?? []),
    publishedTexts: [entry.publishedText, entry.updatedText, article?.publishedText],
    modifiedText: entry.updatedText ?? article?.modifiedText ?? null,
    image: entry.image ?? article?.image ?? null,
    language: entry.language ?? article?.language ?? null,
    countries: mapped.countries,
    regions: mapped.regions,
    topics: mapped.topics,
    tags: mapped.unmapped,
  };
  const story = await buildItem(source, entry.url, parts, input.previous, input.now);
  return { ...story, teaserHash: await entryHash(entry) };
}

/** The one place a story becomes an Item: ids, dates, tagging, change detection. */
async function buildItem(
  source: SourceBasics,
  storyUrl: string,
  parts: StoryParts,
  previous: StoredItemState | null,
  now: string,
): Promise<Omit<NormalizedStory, "teaserHash">> {
  const id = await itemIdFor(storyUrl);
  const contentHtml =
    parts.contentHtml !== null && parts.contentHtml.length <= MAX_CONTENT_CHARS ? parts.contentHtml : null;
  const bodyText = contentHtml ? await htmlToText(contentHtml) : "";

  // The tagger fills a kind of term only where the source said nothing of that kind:
  // precision before recall, and the source knows its stories better than word counts do.
  const tagged = tagStory({ title: parts.title, summary: parts.summary, bodyText });
  const inferred = {
    countries: parts.countries.length === 0 ? tagged.countries : [],
    topics: parts.topics.length === 0 ? tagged.topics : [],
  };
  const countries = union(previous?.countries, parts.countries, inferred.countries);
  const topics = union(previous?.topics, parts.topics, inferred.topics);
  const regions = union(
    previous?.regions,
    parts.regions,
    countries.map(regionOf).filter((r): r is string => r !== null),
  );

  let publishedAt: string | null = null;
  for (const text of parts.publishedTexts) publishedAt ??= parseSourceDate(text, source.timeZone);
  publishedAt ??= now;

  const content: Omit<Item, "updatedAt" | "firstSeenAt"> = {
    id,
    url: parts.url,
    title: plainText(parts.title) || parts.url,
    summary: parts.summary === null ? null : plainText(parts.summary) || null,
    contentHtml,
    authors: dedupe(parts.authors.map(plainText).filter((a) => a !== "")),
    publishedAt,
    image: parts.image,
    language: primaryLanguage(parts.language) ?? source.language,
    sourceId: source.id,
    countries,
    regions,
    topics,
    tags: dedupe(parts.tags),
  };
  const contentHash = await contentHashOf(content);
  const changed = previous?.contentHash !== contentHash;

  const modified = parseSourceDate(parts.modifiedText, source.timeZone);
  let updatedAt: string;
  if (!previous) updatedAt = modified && modified > publishedAt ? modified : publishedAt;
  else if (!changed) updatedAt = previous.updatedAt;
  else updatedAt = modified && modified > previous.updatedAt ? modified : now;

  const item: Item = { ...content, updatedAt, firstSeenAt: previous?.firstSeenAt ?? now };
  return { item, terms: termsOf(item, inferred), contentHash, changed, bodyText };
}

/** Hash of everything a reader sees of an item (not its dates of change), in a fixed field order. */
export async function contentHashOf(item: Omit<Item, "updatedAt" | "firstSeenAt">): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      item.id,
      item.url,
      item.title,
      item.summary,
      item.contentHtml,
      item.authors,
      item.publishedAt,
      item.image,
      item.language,
      item.sourceId,
      item.countries,
      item.regions,
      item.topics,
      item.tags,
    ]),
  );
}

/**
 * A stored item seen again on another listing with an unchanged teaser: the union of its terms
 * with the listing's, or null when the listing adds nothing (so nothing is written).
 */
export function withListingTerms(item: Item, listing: ListingTerms): Item | null {
  const countries = union(item.countries, listing.countries);
  const regions = union(
    item.regions,
    listing.regions,
    countries.map(regionOf).filter((r): r is string => r !== null),
  );
  const topics = union(item.topics, listing.topics);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (
    same(countries, [...item.countries].sort()) &&
    same(regions, [...item.regions].sort()) &&
    same(topics, [...item.topics].sort())
  ) {
    return null;
  }
  return { ...item, countries, regions, topics };
}

/**
 * Feed memberships of an item: its source, countries, regions, and topics with their parents.
 * A term is marked "tagger" when only the tagger gave it: a country it inferred, a region known
 * only through such countries, a topic it inferred and that topic's parent.
 */
export function termsOf(
  item: Item,
  inferred: { countries: string[]; topics: string[] } = { countries: [], topics: [] },
): Term[] {
  const inferredCountries = new Set(inferred.countries);
  const sourceCountries = item.countries.filter((c) => !inferredCountries.has(c));
  const sourceRegions = new Set(sourceCountries.map(regionOf));
  const inferredTopics = new Set(inferred.topics);
  const sourceTopics = new Set(item.topics.filter((t) => !inferredTopics.has(t)).flatMap(topicWithParents));
  const origin = (fromSource: boolean): TermOrigin => (fromSource ? "source" : "tagger");
  return [
    { kind: "source", slug: item.sourceId, origin: "source" },
    ...item.countries.map((slug) => ({ kind: "country" as const, slug, origin: origin(!inferredCountries.has(slug)) })),
    ...item.regions.map((slug) => ({
      kind: "region" as const,
      slug,
      // A region the listing named, or one of a country the source named, is the source's.
      origin: origin(
        sourceRegions.has(slug) || !item.countries.some((c) => inferredCountries.has(c) && regionOf(c) === slug),
      ),
    })),
    ...dedupe(item.topics.flatMap(topicWithParents)).map((slug) => ({
      kind: "topic" as const,
      slug,
      origin: origin(sourceTopics.has(slug)),
    })),
  ];
}

/** An HTML source's names for countries and topics, mapped through its term map, then the taxonomy. */
function mapHtmlTerms(source: HtmlSource, listing: ListingTerms, article: RawArticle | null) {
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

/**
 * Titles, summaries and names are plain text, but a page can put markup-looking text in them
 * ("<img src=x onerror=…>" as entity-encoded text, which decodes to a tag). Feeds escape it, yet
 * some readers render an RSS <title> as HTML; so anything shaped like a tag goes, here, once.
 */
export function plainText(text: string): string {
  return text
    .replace(/<\/?[a-z!?][^>]*>?/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
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
