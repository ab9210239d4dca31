/**
 * The `feed` kind: a source's RSS 2.0, RSS 1.0, Atom or JSON Feed document(s) (src/ingest/feed/),
 * each entry a story; its page read only when the source asks for it (a summary-only feed).
 */
import { sha256Hex } from "../../lib/hash";
import { ArticleSelectors, type FeedSource } from "../../model/source";
import { DriftError } from "../drift";
import { FEED_ACCEPT, FeedParseError, parseFeedDocument, type RawEntry } from "../feed";
import { FetchError } from "../fetch/http";
import type { ListingTerms } from "../story";
import { mapFeedTerms } from "./feed-terms";
import { baseUrlOverride, type SourceKind, termsOfListing } from "./kind";

/** The feeds of one source and the terms their entries carry, with a stable key each. */
export interface ResolvedFeed {
  /** Stable key: "<source id>:<path and query>", e.g. "oc-media:/feed/". */
  id: string;
  url: string;
  terms: ListingTerms;
}

/**
 * The URLs a feed source is polled at. The Worker var `baseUrlVar` names replaces the origin,
 * and any path prefix it has goes before each feed's own path. The key does not depend on the
 * origin, so a feed's row in D1 (validators, schedule, failures) survives re-pointing.
 */
export function resolveFeeds(source: FeedSource, env: object): ResolvedFeed[] {
  const base = baseUrlOverride(source, env);
  const feeds = [{ url: source.feedUrl, countries: [], regions: [], topics: [] }, ...source.extraFeeds];
  return feeds.map((feed) => {
    const u = new URL(feed.url);
    const pathAndQuery = `${u.pathname}${u.search}`;
    return {
      id: `${source.id}:${pathAndQuery}`,
      url: base === null ? u.href : `${base}${pathAndQuery}`,
      terms: { countries: feed.countries, regions: feed.regions, topics: feed.topics },
    };
  });
}

let defaultSelectors: ArticleSelectors | null = null;

export const feedKind: SourceKind<FeedSource, RawEntry> = {
  name: "feed",

  resolve(source, env) {
    const listings = resolveFeeds(source, env).map((feed) => ({
      id: feed.id,
      url: feed.url,
      def: { path: new URL(feed.url).pathname, pages: 1, ...feed.terms },
      page: 0,
    }));
    return { baseUrl: null, listings };
  },

  accept: FEED_ACCEPT,

  async parse(source, listing, result, bodyBytes) {
    let entries: RawEntry[];
    try {
      entries = parseFeedDocument(result.body, result.url, { minBodyBytes: source.minBodyBytes }).entries;
    } catch (err) {
      if (!(err instanceof FeedParseError)) throw err;
      if (err.kind === "empty" || err.kind === "too-small") {
        const drift = { code: "near_empty_body" as const, message: `feed: ${err.message}` };
        throw new DriftError(drift, result.url, result.status, { bodyBytes, rowsMatched: null, drift });
      }
      throw new FetchError(`feed: ${err.message}`, result.url, result.status, null, "not_a_feed");
    }
    return {
      stories: entries,
      rowsMatched: entries.length,
      drift:
        entries.length === 0
          ? { code: "zero_items", message: `${listing.id} parsed zero items (a valid feed with no entries)` }
          : null,
    };
  },

  hash(entry) {
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
  },

  listingTerms(source, listing, entry) {
    return mapFeedTerms(source, entry, termsOfListing(listing));
  },

  enrichment(source, previous) {
    // Only a new entry's page is read; a page that cannot be read is not tried again, since the
    // entry itself is a story.
    if (!source.enrich || previous) return null;
    defaultSelectors ??= ArticleSelectors.parse({});
    return { selectors: source.articleSelectors ?? defaultSelectors, retryOnFailure: false };
  },

  draft(source, listing, entry, page) {
    const article = page?.raw ?? null;
    const mapped = mapFeedTerms(source, entry, termsOfListing(listing));
    const bodyHtml = article?.bodyHtml ?? entry.contentHtml ?? entry.summaryHtml;
    return {
      listedUrl: entry.url,
      url: entry.url,
      title: entry.title || article?.title || entry.url,
      summary: { text: null, html: entry.summaryHtml, fallback: article?.summary ?? null },
      body: bodyHtml ? { html: bodyHtml, baseUrl: article ? entry.url : entry.baseUrl } : null,
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
  },
};
