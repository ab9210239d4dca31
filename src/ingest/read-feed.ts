import { ArticleSelectors, type FeedSource } from "../model/source";
import type { ResolvedListing } from "../sources";
import type { ItemWrite } from "../store/items";
import type { ListingOutcome, ListingRow } from "../store/listings";
import type { SourceRunStats } from "../store/runs";
import { FEED_ACCEPT, type FeedEntry, FeedParseError, parseFeedDocument } from "./feed";
import { mapFeedTerms } from "./feed/terms";
import { Deferred, FetchError } from "./fetcher";
import { extractArticle } from "./html/article";
import type { RawArticle } from "./html/types";
import { entryHash, type ListingTerms, normalizeFeedEntry } from "./normalize";
import {
  commitWrites,
  countItem,
  DriftError,
  errorMessage,
  fetchArticlePage,
  fetchListing,
  type Incomplete,
  mergeSeenStory,
  type RunContext,
  recordError,
  withStoredState,
} from "./run-context";
import { htmlToText, sanitizeHtml } from "./sanitize";

// Plain-text summaries longer than this are cut at a word: a feed's description is sometimes
// the whole article.
const MAX_SUMMARY_CHARS = 600;

/**
 * Fetches one feed of a feed source and stores its new or changed entries; null when deferred.
 * An unchanged entry costs a hash, no write; a feed that is not a feed is a recorded failure.
 */
export async function readFeedListing(
  ctx: RunContext,
  source: FeedSource,
  listing: ResolvedListing,
  row: ListingRow,
  stats: SourceRunStats,
): Promise<ListingOutcome | null> {
  const nextFetchAt = ctx.now + source.pollMinutes * 60_000;
  const fetched = await fetchListing(ctx, listing.url, row, stats, FEED_ACCEPT);
  if (fetched.kind === "not-modified") return { kind: "not-modified", nextFetchAt };
  const { page: result, bodyBytes } = fetched;

  let entries: FeedEntry[];
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
  stats.itemsSeen += entries.length;

  const feedTerms: ListingTerms = {
    countries: listing.def.countries,
    regions: listing.def.regions,
    topics: listing.def.topics,
  };
  const incomplete = await ingestEntries(ctx, source, listing, entries, feedTerms, stats);
  if (incomplete === "deferred") return null;
  return {
    kind: "fetched",
    nextFetchAt,
    itemCount: entries.length,
    status: result.status,
    validators: incomplete ? null : { etag: result.etag, lastModified: result.lastModified },
    shape: {
      bodyBytes,
      rowsMatched: entries.length,
      drift:
        entries.length === 0
          ? { code: "zero_items", message: `${listing.id} parsed zero items (a valid feed with no entries)` }
          : null,
    },
  };
}

async function ingestEntries(
  ctx: RunContext,
  source: FeedSource,
  listing: ResolvedListing,
  entries: FeedEntry[],
  feedTerms: ListingTerms,
  stats: SourceRunStats,
): Promise<Incomplete> {
  const writes: ItemWrite[] = [];
  let incomplete: Incomplete = null;

  for (const { story: entry, previous } of await withStoredState(ctx, entries)) {
    const hash = await entryHash(entry);
    if (previous && (previous.teaserHash === hash || previous.sourceId !== source.id)) {
      // Unchanged, or a story another source stored first (one story, one item): terms only.
      const mapped = mapFeedTerms(source, entry, feedTerms);
      const merged = await mergeSeenStory(ctx, previous, source.id, mapped);
      if (merged) writes.push(merged);
      continue;
    }
    let article: RawArticle | null = null;
    if (source.enrich && !previous) {
      try {
        const page = await fetchArticlePage(ctx, entry.url, stats);
        article = await extractArticle(page.body, page.url, source.articleSelectors ?? ArticleSelectors.parse({}));
      } catch (err) {
        if (err instanceof Deferred) {
          incomplete = "deferred";
          break;
        }
        // The entry itself is a story: it is stored from the feed and the page is not retried.
        recordError(ctx, source.id, listing.id, entry.url, `article: ${errorMessage(err)}`);
      }
    }
    const bodyHtml = article?.bodyHtml ?? entry.contentHtml ?? entry.summaryHtml;
    const contentHtml = bodyHtml ? await sanitizeHtml(bodyHtml, article ? entry.url : entry.baseUrl) : null;
    const summary = entry.summaryHtml ? clip(await htmlToText(entry.summaryHtml)) : null;
    const story = await normalizeFeedEntry({
      source,
      entry,
      feedTerms,
      contentHtml,
      summary,
      article,
      previous,
      now: ctx.nowIso,
    });
    if (story.changed) {
      writes.push(story);
      countItem(ctx, stats, !previous);
    }
  }
  await commitWrites(ctx, writes, []);
  return incomplete;
}

function clip(text: string): string | null {
  if (!text) return null;
  if (text.length <= MAX_SUMMARY_CHARS) return text;
  const cut = text.lastIndexOf(" ", MAX_SUMMARY_CHARS);
  return `${text.slice(0, cut > 0 ? cut : MAX_SUMMARY_CHARS)}…`;
}
