import type { HtmlSource } from "../model/source";
import type { ResolvedListing } from "../sources";
import type { ItemWrite } from "../store/items";
import type { Drift, ListingOutcome, ListingRow } from "../store/listings";
import type { SourceRunStats } from "../store/runs";
import { Deferred, FetchError } from "./fetcher";
import { extractArticle } from "./html/article";
import { parseListing } from "./html/listing";
import type { RawArticle, RawTeaser } from "./html/types";
import { type ListingTerms, normalizeStory, teaserHash } from "./normalize";
import {
  commitWrites,
  countItem,
  DriftError,
  errorMessage,
  fetchArticlePage,
  fetchListing,
  type Incomplete,
  mergeSeenStory,
  nearEmpty,
  type RunContext,
  recordError,
  withStoredState,
} from "./run-context";
import { sanitizeHtml } from "./sanitize";

/** Fetches and parses an HTML listing, then its new or changed stories; null when deferred. */
export async function readHtmlListing(
  ctx: RunContext,
  source: HtmlSource,
  listing: ResolvedListing,
  row: ListingRow,
  stats: SourceRunStats,
): Promise<ListingOutcome | null> {
  const nextFetchAt = ctx.now + source.pollMinutes * 60_000;
  const fetched = await fetchListing(ctx, listing.url, row, stats);
  if (fetched.kind === "not-modified") return { kind: "not-modified", nextFetchAt };
  const { page: result, bodyBytes } = fetched;
  const near = nearEmpty(result.body);
  if (near) throw new DriftError(near, result.url, result.status, { bodyBytes, rowsMatched: null, drift: near });

  const page = await parseListing(result.body, result.url, source.listingSelectors);
  const sourceFile = `the definition of ${source.id}, GET /admin/sources/${source.id}/definition`;
  if (!page.containerFound) {
    const drift: Drift = {
      code: "selector_miss",
      message: `listing container "${source.listingSelectors.container}" not found on ${listing.url}: the page layout may have changed (listingSelectors in ${sourceFile})`,
    };
    throw new DriftError(drift, result.url, result.status, { bodyBytes, rowsMatched: 0, drift });
  }
  if (page.rowsMatched > 0 && page.teasers.length === 0) {
    const drift: Drift = {
      code: "selector_miss",
      message: `${page.rowsMatched} rows matched "${source.listingSelectors.item}" but none had a title and link ("${source.listingSelectors.title}"): the teaser markup may have changed (listingSelectors in ${sourceFile})`,
    };
    throw new DriftError(drift, result.url, result.status, { bodyBytes, rowsMatched: page.rowsMatched, drift });
  }
  const drift: Drift | null =
    page.teasers.length === 0
      ? { code: "zero_items", message: `${listing.id} parsed zero items (the container was found but held no rows)` }
      : null;
  stats.itemsSeen += page.teasers.length;

  const terms: ListingTerms = {
    countries: listing.def.countries,
    regions: listing.def.regions,
    topics: listing.def.topics,
  };
  const incomplete = await ingestTeasers(ctx, source, listing, page.teasers, terms, stats);
  if (incomplete === "deferred") return null; // keeps its schedule and validators: first in line next run
  return {
    kind: "fetched",
    nextFetchAt,
    itemCount: page.teasers.length,
    status: result.status,
    validators: incomplete ? null : { etag: result.etag, lastModified: result.lastModified },
    shape: { bodyBytes, rowsMatched: page.rowsMatched, drift },
  };
}

/** Fetches the articles of new or changed teasers and writes what changed. */
async function ingestTeasers(
  ctx: RunContext,
  source: HtmlSource,
  listing: ResolvedListing,
  teasers: RawTeaser[],
  listingTerms: ListingTerms,
  stats: SourceRunStats,
): Promise<Incomplete> {
  const writes: ItemWrite[] = [];
  const teaserOnly: { id: string; teaserHash: string }[] = [];
  let incomplete: Incomplete = null;

  for (const { story: teaser, id, previous } of await withStoredState(ctx, teasers)) {
    const hash = await teaserHash(teaser);
    // Seen before and unchanged, or owned by another source that linked it first: only terms grow.
    if (previous && (previous.teaserHash === hash || previous.sourceId !== source.id)) {
      const merged = await mergeSeenStory(ctx, previous, source.id, listingTerms);
      if (merged) writes.push(merged);
      continue;
    }
    let article: RawArticle | null = null;
    let contentHtml: string | null = null;
    // A page robots.txt forbids is never asked for again: the story is kept from its teaser.
    let skipArticle = false;
    if (source.enrich) {
      try {
        const page = await fetchArticlePage(ctx, teaser.url, stats);
        article = await extractArticle(page.body, page.url, source.articleSelectors);
        contentHtml = article.bodyHtml ? await sanitizeHtml(article.bodyHtml, page.url) : null;
      } catch (err) {
        if (err instanceof Deferred) {
          incomplete = "deferred";
          break;
        }
        recordError(ctx, source.id, listing.id, teaser.url, `article: ${errorMessage(err)}`);
        if (err instanceof FetchError && err.code === "robots") skipArticle = true;
        else incomplete = "article-failed";
        // A stored item keeps what it has; a new one is stored from its teaser and retried later.
        if (previous) continue;
      }
    }
    const story = await normalizeStory({
      source,
      teaser,
      listingTerms,
      article,
      contentHtml,
      previous,
      now: ctx.nowIso,
    });
    // No teaser hash for a teaser-only fallback, so the next read of the listing retries the article.
    const storedTeaserHash = source.enrich && !article && !skipArticle ? null : story.teaserHash;
    if (story.changed) {
      writes.push({ ...story, teaserHash: storedTeaserHash });
      countItem(ctx, stats, !previous);
    } else if (storedTeaserHash && storedTeaserHash !== previous?.teaserHash) {
      teaserOnly.push({ id, teaserHash: storedTeaserHash });
    }
  }

  await commitWrites(ctx, writes, teaserOnly);
  return incomplete;
}
