import { type Env, readConfig, userAgent } from "../env";
import type { TermKind } from "../model/item";
import type { Source } from "../model/source";
import { buildFeedCatalog } from "../sources/feeds";
import { invalidateFeeds } from "../store/feed-cache";
import { claimDueListings, countWaitingListings, releaseLeases, releaseListing } from "../store/leases";
import { dropBackfillAfter, type ListingOutcome, type ListingRow, recordListingOutcome } from "../store/listings";
import { pruneExpired } from "../store/retention";
import {
  finishRun,
  progressStatements,
  pruneRunHistory,
  type RunCounters,
  type RunError,
  recordSourceHealth,
  runOwner,
  type SourceRunStats,
  startRun,
} from "../store/runs";
import { errorMessage, type RunContext, recordError, statsFor } from "./context";
import { DriftError } from "./drift";
import { Deferred, SubrequestBudget } from "./fetch/budget";
import { FetchError } from "./fetch/http";
import { isThrottling, PoliteClient } from "./fetch/polite";
import { type ResolvedListing, type ResolvedSource, resolveListing, resolveSources } from "./listings";
import { closeDeadRunsAt, Heartbeat, runClock } from "./progress";
import { readListing } from "./reader";
import { ensureRegistry, registeredCatalog, resolveRegistered, syncSources } from "./registry";
import { publishChangedFeeds } from "./websub";

export { syncSources } from "./registry";

export interface IngestOptions {
  trigger: "cron" | "admin" | "queue";
  /** When the run starts on its clock, in ms; tests move it forward to make listings due again. */
  now?: number;
  /** The run clock itself (default: from `now`, moving with the wall clock; see runClock). */
  clock?: () => number;
  /** Poll every listing whatever its schedule (Retry-After and robots.txt still hold). */
  force?: boolean;
  sourceId?: string;
  /** The sources to read instead of the registry's (tests, benches); synced like the registry's. */
  sources?: Source[];
}

export interface RunSummary extends RunCounters {
  runId: number;
  startedAt: string;
  finishedAt: string;
  errorMessages: RunError[];
  /** Feeds whose content changed (and whose cache was invalidated). */
  changedFeeds: string[];
  /** What the run did per source (only sources it read). */
  sources: Record<string, SourceRunStats>;
  /** Due listings not claimed because their host asked Caravan to wait (Retry-After). */
  waiting: number;
  /** Topic URLs announced to the WebSub hub, and what went wrong doing so. */
  websub: { published: number; errors: string[] };
  /** Runs whose Worker had died, closed by this run as interrupted (their leases freed). */
  interruptedRuns: { runId: number; lastSeenAt: string; leasesFreed: number }[];
}

/** A failing listing waits at most this long before its next try (a 410 Gone waits exactly this). */
export const MAX_BACKOFF_MS = 24 * 3600_000;
/** Run history is kept this long. */
const RUN_HISTORY_MS = 90 * 24 * 3600_000;

/**
 * One ingest run: claim the due listings (configured first, most overdue first) within the
 * subrequest budget, read each politely, fetch the articles of new or changed teasers, write what
 * changed, prune expired items, and invalidate the feeds it touched. A failing listing or article
 * is recorded and skipped; it never stops the run or loses stored data. What the run could not
 * reach keeps its place and is read first next time.
 */
export async function runIngest(env: Env, options: IngestOptions): Promise<RunSummary> {
  const ctx = await openRun(env, options);
  let waiting = 0;
  let pruned: string[] = [];
  try {
    const leaseMs = ctx.config.RUN_TIME_BUDGET_MS + 2 * ctx.config.FETCH_TIMEOUT_MS + 60_000;
    const claimed = await claimDueListings(env.DB, {
      owner: ctx.owner,
      now: ctx.now,
      leaseMs,
      limit: ctx.budget.limit,
      sourceId: options.sourceId,
      force: options.force,
    });
    waiting = await countWaitingListings(env.DB, ctx.now, options.force ?? false, options.sourceId);
    // Only the claimed listings' definitions are read: most registered sources are not due.
    const resolved = options.sources
      ? resolveSources(env, options.sources)
      : await resolveRegistered(
          env,
          claimed.map((r) => r.source_id),
        );
    for (const row of claimed) {
      const entry = resolveListing(resolved, row);
      // Its source left the configuration, or its backfill walk ended: released at the end.
      if (!entry || ctx.dropped.has(row.id)) continue;
      await ingestListing(ctx, entry.source, entry.listing, row);
    }
    pruned = await pruneStep(ctx, options.sources);
  } catch (err) {
    // Only the store failing lands here; whatever was done so far is kept and the run is closed.
    recordError(ctx, "caravan", null, "", `run stopped early: ${errorMessage(err)}`);
  }
  return closeRun(ctx, waiting, pruned);
}

/**
 * Starts a run: checks the config, brings the registry and listings in line (a seed of changed
 * shipped files; explicitly given sources are synced instead), records the run row.
 */
export async function openRun(
  env: Env,
  options: Pick<IngestOptions, "trigger" | "now" | "clock" | "sources">,
): Promise<RunContext> {
  const realStart = Date.now();
  const clock = options.clock ?? runClock(options.now ?? realStart, realStart);
  const now = clock();
  const config = readConfig(env);
  if (options.sources) await syncSources(env, resolveSources(env, options.sources));
  else await ensureRegistry(env, now);
  // Runs whose Worker died are closed first, so the listings they held are claimable now.
  const interrupted = await closeDeadRunsAt(env.DB, config, now);
  const runId = await startRun(env.DB, options.trigger, now);
  return newContext(env, { runId, now, clock, realStart, budget: config.SUBREQUEST_BUDGET, interrupted });
}

/**
 * A run's shared state: clock, heartbeat, budget, polite client, empty counters. A preview
 * builds one without a run row (runId 0), with its own small budget.
 */
export async function newContext(
  env: Env,
  o: {
    runId: number;
    /** The run clock when the run started. */
    now: number;
    clock: () => number;
    realStart: number;
    budget: number;
    interrupted: RunContext["interrupted"];
  },
): Promise<RunContext> {
  const config = readConfig(env);
  const now = o.now;
  const heartbeat = new Heartbeat(env.DB, o.runId, o.clock);
  const budget = new SubrequestBudget(o.budget);
  const client = await PoliteClient.create({
    db: env.DB,
    budget,
    fetch: {
      userAgent: userAgent(config),
      timeoutMs: config.FETCH_TIMEOUT_MS,
      maxBytes: config.MAX_RESPONSE_BYTES,
      allowLoopback: config.ALLOW_LOOPBACK_FETCH,
    },
    clock: o.clock,
    onAnswer: () => heartbeat.maybeBeat(),
    minIntervalMs: config.HOST_MIN_INTERVAL_MS,
    deadline: o.realStart + config.RUN_TIME_BUDGET_MS,
  });
  return {
    env,
    config,
    runId: o.runId,
    owner: runOwner(o.runId),
    now,
    nowIso: new Date(now).toISOString(),
    clock: o.clock,
    heartbeat,
    errorsWritten: 0,
    interrupted: o.interrupted,
    budget,
    client,
    counters: {
      listingsFetched: 0,
      notModified: 0,
      articlesFetched: 0,
      itemsNew: 0,
      itemsUpdated: 0,
      errors: 0,
      subrequests: 0,
      deferred: 0,
      pruned: 0,
    },
    errors: [],
    changedFeeds: new Set(),
    sourceOk: new Map(),
    stats: new Map(),
    dropped: new Set(),
    realStart: o.realStart,
  };
}

/** Ends a run: gives back unread leases, records counters and health, invalidates feeds, logs. */
export async function closeRun(
  ctx: RunContext,
  waiting = 0,
  extraInvalidations: Iterable<string> = [],
): Promise<RunSummary> {
  const db = ctx.env.DB;
  ctx.counters.subrequests = ctx.budget.used;
  await releaseLeases(db, ctx.owner);
  // On the run's own clock, so a run with a given `now` ends after it started.
  const finishedAt = ctx.clock();
  const sources = Object.fromEntries([...ctx.stats].sort(([a], [b]) => (a < b ? -1 : 1)));
  await finishRun(db, ctx.runId, finishedAt, ctx.counters, unwrittenErrors(ctx), sources);
  await recordSourceHealth(
    db,
    [...ctx.sourceOk].map(([sourceId, error]) => ({ sourceId, ok: error === null, error })),
    ctx.now,
  );
  const invalidate = new Set([...ctx.changedFeeds, ...extraInvalidations]);
  if (invalidate.size > 0) {
    invalidate.add("index");
    await invalidateFeeds(ctx.env.DB, ctx.env.CACHE, invalidate, `${ctx.now.toString(36)}-${ctx.runId}`);
  }
  // Subscribers of exactly the feeds that gained or changed items hear of it now (WebSub);
  // feeds that only lost expired items are not news. One or two requests, inside the margin
  // SUBREQUEST_BUDGET leaves under the platform limit.
  const websub =
    ctx.changedFeeds.size > 0
      ? await publishChangedFeeds(ctx.env, [...ctx.changedFeeds])
      : { published: [], errors: [] };
  const summary: RunSummary = {
    runId: ctx.runId,
    startedAt: ctx.nowIso,
    finishedAt: new Date(finishedAt).toISOString(),
    ...ctx.counters,
    errorMessages: ctx.errors,
    changedFeeds: [...ctx.changedFeeds].sort(),
    sources,
    waiting,
    websub: { published: websub.published.length, errors: websub.errors },
    interruptedRuns: ctx.interrupted.map((r) => ({
      runId: r.runId,
      lastSeenAt: new Date(r.lastSeenAt).toISOString(),
      leasesFreed: r.leasesFreed,
    })),
  };
  console.log(
    JSON.stringify({
      event: "ingest.run",
      level: ctx.errors.length > 0 ? "warn" : "info",
      ...summary,
      errorMessages: undefined,
      durationMs: Date.now() - ctx.realStart,
    }),
  );
  return summary;
}

/**
 * Reads one claimed listing and records the outcome (or gives the listing back when the run
 * must leave it for later). The unit of work a queue consumer would call too.
 */
export async function ingestListing(
  ctx: RunContext,
  resolved: ResolvedSource,
  listing: ResolvedListing,
  row: ListingRow,
): Promise<"done" | "deferred"> {
  const source = resolved.source;
  const stats = statsFor(ctx, source.id);
  const usedBefore = ctx.budget.used;
  let outcome: ListingOutcome | null;
  try {
    outcome = await readListing(ctx, source, listing, row, stats);
    // A listing paged by its "next" links: the pages they name are read now, in order.
    if (outcome?.kind === "fetched" && outcome.next) await followNextPages(ctx, source, listing, outcome.next);
  } catch (err) {
    if (err instanceof Deferred) outcome = null;
    else outcome = pastLastPage(ctx, source, listing, err) ?? failedOutcome(ctx, source, listing, row, err);
  } finally {
    stats.subrequests += ctx.budget.used - usedBefore;
  }
  if (outcome === null) {
    stats.deferred++;
    ctx.counters.deferred++;
    await releaseListing(ctx.env.DB, row.id, ctx.owner, progress(ctx, source.id, stats, row.id, null));
    return "deferred";
  }
  await recordListingOutcome(
    ctx.env.DB,
    row,
    ctx.now,
    outcome,
    ctx.owner,
    progress(ctx, source.id, stats, row.id, outcome),
  );
  if (row.backfill && outcome.kind === "fetched" && outcome.itemCount === 0) {
    // Past the end of the listing: the later queued pages would be empty too.
    for (const dropped of await dropBackfillAfter(ctx.env.DB, source.id, row.id.replace(/\d+$/, ""), listing.page)) {
      ctx.dropped.add(dropped);
    }
  }
  if (outcome.kind !== "failed" && !ctx.sourceOk.has(source.id)) ctx.sourceOk.set(source.id, null);
  return "done";
}

/** Errors recorded since the last write, marked written (they go with the statements returned). */
function unwrittenErrors(ctx: RunContext): RunError[] {
  const fresh = ctx.errors.slice(ctx.errorsWritten);
  ctx.errorsWritten = ctx.errors.length;
  return fresh;
}

/**
 * The run's progress, written in the same batch as a listing's outcome: had the Worker died
 * after it, the next run still finds what this run did (counters, stats, outcomes, errors).
 */
function progress(
  ctx: RunContext,
  sourceId: string,
  stats: SourceRunStats,
  listingId: string,
  outcome: ListingOutcome | null,
): D1PreparedStatement[] {
  const at = ctx.clock();
  ctx.heartbeat.noted(at);
  ctx.counters.subrequests = ctx.budget.used;
  return progressStatements(ctx.env.DB, ctx.runId, at, ctx.counters, { id: sourceId, stats }, unwrittenErrors(ctx), {
    listingId,
    sourceId,
    outcome: outcome?.kind ?? "deferred",
    status: outcome && outcome.kind !== "not-modified" ? outcome.status : outcome ? 304 : null,
    errorCode: outcome?.kind === "failed" ? outcome.code : null,
  });
}

/**
 * A page after a listing's first that answers 404 is past the listing's last page: the listing
 * ends there, read as empty, and that is no failure (no error, no backoff).
 */
function pastLastPage(
  ctx: RunContext,
  source: { pollMinutes: number },
  listing: ResolvedListing,
  err: unknown,
): ListingOutcome | null {
  if (listing.page === 0 || !(err instanceof FetchError) || err.status !== 404) return null;
  return {
    kind: "fetched",
    nextFetchAt: ctx.now + source.pollMinutes * 60_000,
    itemCount: 0,
    validators: null,
    status: 404,
    shape: { bodyBytes: null, rowsMatched: null, drift: null },
  };
}

/**
 * Reads the pages a listing's "next" links name, one after another, up to the listing's page
 * cap. They have no row of their own: they are read whenever the first page changed. A 404 ends
 * the walk quietly; another failure is recorded on the source and ends it too.
 */
async function followNextPages(ctx: RunContext, source: Source, first: ResolvedListing, next: string): Promise<void> {
  const stats = statsFor(ctx, source.id);
  const seen = new Set([first.url]);
  let url: string | null = next;
  for (let page = first.page + 1; url && page < first.def.pages && !seen.has(url); page++) {
    seen.add(url);
    const listing: ResolvedListing = { id: `${source.id}:${first.def.path}?page=${page}`, url, def: first.def, page };
    try {
      const outcome = await readListing(ctx, source, listing, { etag: null, last_modified: null }, stats);
      url = outcome?.kind === "fetched" ? (outcome.next ?? null) : null;
    } catch (err) {
      // Out of budget or time: the first page is done; the rest waits for its next change.
      if (err instanceof Deferred) return;
      if (!(err instanceof FetchError && err.status === 404)) {
        recordError(ctx, source.id, listing.id, listing.url, `next page: ${errorMessage(err)}`);
      }
      return;
    }
  }
}

function failedOutcome(
  ctx: RunContext,
  source: { id: string; pollMinutes: number },
  listing: ResolvedListing,
  row: ListingRow,
  err: unknown,
): ListingOutcome {
  const failures = row.consecutive_failures + 1;
  const status = err instanceof FetchError ? err.status : null;
  // Counted from when the failure was known (the answer, or its absence), not from the run's start.
  const at = (err instanceof FetchError ? err.answeredAt : null) ?? ctx.clock();
  let nextFetchAt = at + backoffMs(source.pollMinutes * 60_000, failures, status);
  const host = new URL(listing.url).host.toLowerCase();
  const blockedUntil = ctx.client.blockedUntil(host);
  // The host said when to come back (Retry-After): that, not the backoff, is the next try.
  if (blockedUntil !== null && isThrottling(err)) nextFetchAt = blockedUntil;
  const retry = new Date(nextFetchAt).toISOString();
  const message = `${errorMessage(err)}; next try after ${retry} (failure ${failures} in a row)`;
  recordError(ctx, source.id, listing.id, listing.url, message, at);
  return {
    kind: "failed",
    nextFetchAt,
    status,
    error: message,
    code: err instanceof FetchError ? err.code : "internal",
    shape: err instanceof DriftError ? err.shape : null,
  };
}

/**
 * Exponential backoff with jitter for a failing listing: the poll interval × 2^failures, ±20 %,
 * at most a day; a 410 Gone waits the whole day at once.
 */
export function backoffMs(
  pollMs: number,
  failures: number,
  status: number | null,
  random: () => number = Math.random,
): number {
  if (status === 410) return MAX_BACKOFF_MS;
  const base = pollMs * 2 ** Math.min(Math.max(failures, 1), 30);
  return Math.min(Math.round(base * (0.8 + 0.4 * random())), MAX_BACKOFF_MS);
}

/**
 * Retention: a bounded batch of expired items, and old run history. Answers the feeds that lost
 * items: their caches are invalidated, but they are not "changed" (their newest page is not).
 */
async function pruneStep(ctx: RunContext, given: Source[] | undefined): Promise<string[]> {
  const dayMs = 24 * 3600_000;
  try {
    const catalog = given ? buildFeedCatalog(given) : (await registeredCatalog(ctx.env)).feeds;
    const result = await pruneExpired(ctx.env.DB, {
      cutoff: ctx.now - ctx.config.RETENTION_DAYS * dayMs,
      feeds: catalog.feeds.filter((f) => f.kind !== "all").map((f) => ({ kind: f.kind as TermKind, slug: f.slug })),
    });
    ctx.counters.pruned = result.removed.length;
    await pruneRunHistory(ctx.env.DB, ctx.now - RUN_HISTORY_MS);
    return result.feeds;
  } catch (err) {
    recordError(ctx, "caravan", null, "", `retention: ${errorMessage(err)}`);
    return [];
  }
}
