/**
 * What one run shares while it reads listings (clock, budget, polite client, counters, errors),
 * and the small bookkeeping every stage does on it. Built by openRun (src/ingest/run.ts) for
 * the cron path and a queue consumer alike.
 */
import { type Config, ConfigError, type Env } from "../env";
import {
  emptySourceStats,
  type InterruptedRun,
  type RunCounters,
  type RunError,
  type SourceRunStats,
} from "../store/runs";
import type { SubrequestBudget } from "./fetch/budget";
import { FetchError } from "./fetch/http";
import type { PoliteClient } from "./fetch/polite";
import type { Heartbeat } from "./progress";

/** Everything one run shares: clock, budget, client, counters. Also what a queue consumer would build. */
export interface RunContext {
  env: Env;
  config: Config;
  runId: number;
  /** The lease owner name of this run. */
  owner: string;
  /** The run clock when the run started: claims and schedules of successful reads count from it. */
  now: number;
  nowIso: string;
  /** The run clock now: what is kept from an answer (Retry-After, backoff) counts from it. */
  clock: () => number;
  heartbeat: Heartbeat;
  /** errors[0 .. errorsWritten) are in D1 already (written with the listing outcomes). */
  errorsWritten: number;
  /** Dead runs this run closed as interrupted when it started. */
  interrupted: InterruptedRun[];
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

export function recordError(
  ctx: RunContext,
  sourceId: string,
  listingId: string | null,
  url: string,
  message: string,
  at = ctx.clock(),
) {
  ctx.counters.errors++;
  ctx.errors.push({ sourceId, listingId, url, message, at });
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
