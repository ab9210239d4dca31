import { type Config, ConfigError, type Env } from "../env";
import type { Item } from "../model/item";
import {
  getItem,
  getItemStates,
  type ItemWrite,
  type StoredItemState,
  setTeaserHashes,
  type Term,
  writeItems,
} from "../store/items";
import type { Drift, ListingRow, ReadShape } from "../store/listings";
import { emptySourceStats, type RunCounters, type RunError, type SourceRunStats } from "../store/runs";
import { itemIdFor } from "./canonical";
import { FetchError, type FetchResult, type SubrequestBudget } from "./fetcher";
import { contentHashOf, type ListingTerms, termsOf, withListingTerms } from "./normalize";
import type { PoliteClient } from "./politeness";

/** Everything one run shares: clock, budget, client, counters. Also what a queue consumer would build. */
export interface RunContext {
  env: Env;
  config: Config;
  runId: number;
  /** The lease owner name of this run. */
  owner: string;
  now: number;
  nowIso: string;
  budget: SubrequestBudget;
  client: PoliteClient;
  counters: RunCounters;
  errors: RunError[];
  changedFeeds: Set<string>;
  /** Per source: null when everything it did this run succeeded, else the last error. */
  sourceOk: Map<string, string | null>;
  stats: Map<string, SourceRunStats>;
  /** Claimed backfill pages dropped during the run (their walk ended): not to be read. */
  dropped: Set<string>;
  /** Wall time the run started, for its duration. */
  realStart: number;
}

/** Why a listing could not be finished this run; its old validators are kept so it is read again. */
export type Incomplete = "deferred" | "article-failed" | null;

/** A 200 answer with fewer bytes than this is not a listing page (a block or maintenance page). */
export const NEAR_EMPTY_BYTES = 512;

/** A drift that makes a read useless: recorded as a failure, with the warning kept on the listing. */
export class DriftError extends FetchError {
  constructor(
    readonly drift: Drift,
    url: string,
    status: number,
    readonly shape: ReadShape,
  ) {
    super(drift.message, url, status, null, drift.code === "near_empty_body" ? "empty_body" : "selector_miss");
  }
}

/** A drift warning when a 200 body is too small to be a real page, else null. */
export function nearEmpty(body: string, minBytes = NEAR_EMPTY_BYTES): Drift | null {
  const bytes = new TextEncoder().encode(body.trim()).byteLength;
  if (bytes >= minBytes) return null;
  return {
    code: "near_empty_body",
    message:
      bytes === 0
        ? "HTTP 200 with an empty body: the site may be down, blocking Caravan, or serving a maintenance page"
        : `HTTP 200 with a near-empty body (${bytes} bytes): the site may be down, blocking Caravan, or serving a maintenance page`,
  };
}

/**
 * A story already stored, seen again without a change worth reading (an unchanged teaser or
 * feed entry), or linked by a source that does not own it: only its terms can grow (the union
 * with what this listing or source says) and the linking source's feed gains it. Null when
 * nothing would change, so nothing is written. The owner's content is never replaced.
 */
export async function mergeSeenStory(
  ctx: RunContext,
  previous: StoredItemState,
  sourceId: string,
  terms: ListingTerms,
): Promise<ItemWrite | null> {
  const needsSourceTerm = !previous.sources.includes(sourceId);
  const covered = (have: string[], add: string[]) => add.every((v) => have.includes(v));
  if (
    !needsSourceTerm &&
    covered(previous.countries, terms.countries) &&
    covered(previous.regions, terms.regions) &&
    covered(previous.topics, terms.topics)
  ) {
    return null;
  }
  const stored = await getItem(ctx.env.DB, previous.id);
  if (!stored) return null;
  const merged: Item = withListingTerms(stored, terms) ?? stored;
  const extra: Term[] = needsSourceTerm ? [{ kind: "source", slug: sourceId, origin: "source" }] : [];
  return {
    item: merged,
    terms: [...termsOf(merged), ...extra],
    contentHash: merged === stored ? previous.contentHash : await contentHashOf(merged),
    teaserHash: previous.teaserHash,
  };
}

/**
 * The conditional GET of one listing or feed, counted: a 304 (nothing to read) or the body.
 * Fetch failures throw FetchError (or Deferred) for the caller's outcome.
 */
export async function fetchListing(
  ctx: RunContext,
  url: string,
  row: ListingRow,
  stats: SourceRunStats,
  accept?: string,
): Promise<{ kind: "not-modified" } | { kind: "ok"; page: Extract<FetchResult, { kind: "ok" }>; bodyBytes: number }> {
  const result = await ctx.client.get(url, {
    etag: row.etag,
    lastModified: row.last_modified,
    ...(accept ? { accept } : {}),
  });
  if (result.kind === "not-modified") {
    ctx.counters.notModified++;
    stats.notModified++;
    return { kind: "not-modified" };
  }
  ctx.counters.listingsFetched++;
  stats.listingsFetched++;
  return { kind: "ok", page: result, bodyBytes: new TextEncoder().encode(result.body).byteLength };
}

/** A story's own page (unconditional), counted as an article fetch. */
export async function fetchArticlePage(
  ctx: RunContext,
  url: string,
  stats: SourceRunStats,
): Promise<Extract<FetchResult, { kind: "ok" }>> {
  const page = await ctx.client.get(url);
  if (page.kind !== "ok") throw new FetchError("unexpected 304 for an unconditional request", url, 304);
  ctx.counters.articlesFetched++;
  stats.articlesFetched++;
  return page;
}

/**
 * A listing's stories, one per item id (a story linked twice on a page is read once), each with
 * what is stored of it: one D1 read for the whole listing.
 */
export async function withStoredState<T extends { url: string }>(
  ctx: RunContext,
  stories: T[],
): Promise<{ story: T; id: string; previous: StoredItemState | null }[]> {
  const withIds = await Promise.all(stories.map(async (story) => ({ story, id: await itemIdFor(story.url) })));
  const unique = [...new Map(withIds.map((w) => [w.id, w])).values()];
  const states = await getItemStates(
    ctx.env.DB,
    unique.map((u) => u.id),
  );
  return unique.map((u) => ({ ...u, previous: states.get(u.id) ?? null }));
}

/** Writes a listing's changes and notes the feeds they touch (for cache invalidation and WebSub). */
export async function commitWrites(
  ctx: RunContext,
  writes: ItemWrite[],
  teaserOnly: { id: string; teaserHash: string }[],
): Promise<void> {
  await writeItems(ctx.env.DB, writes);
  await setTeaserHashes(ctx.env.DB, teaserOnly);
  for (const w of writes) {
    ctx.changedFeeds.add("all");
    for (const t of w.terms) ctx.changedFeeds.add(`${t.kind}:${t.slug}`);
  }
}

export function countItem(ctx: RunContext, stats: SourceRunStats, isNew: boolean): void {
  if (isNew) {
    ctx.counters.itemsNew++;
    stats.itemsNew++;
  } else {
    ctx.counters.itemsUpdated++;
    stats.itemsUpdated++;
  }
}

export function statsFor(ctx: RunContext, sourceId: string): SourceRunStats {
  let s = ctx.stats.get(sourceId);
  if (!s) {
    s = emptySourceStats();
    ctx.stats.set(sourceId, s);
  }
  return s;
}

export function recordError(ctx: RunContext, sourceId: string, listingId: string | null, url: string, message: string) {
  ctx.counters.errors++;
  ctx.errors.push({ sourceId, listingId, url, message, at: ctx.now });
  if (sourceId !== "caravan") {
    ctx.sourceOk.set(sourceId, message);
    statsFor(ctx, sourceId).errors++;
  }
  console.log(
    JSON.stringify({ event: "ingest.error", level: "error", runId: ctx.runId, sourceId, listingId, url, message }),
  );
}

export function errorMessage(err: unknown): string {
  if (err instanceof FetchError) return `${err.message} (${err.url})`;
  if (err instanceof ConfigError) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
