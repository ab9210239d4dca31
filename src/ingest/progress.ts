/**
 * Run progress and the run clock. A run records signs of life as it goes (a heartbeat after
 * answers from sites, and each listing's outcome with the run's counters), so that when its
 * Worker dies the next run to start can tell it from a live one, close it as `interrupted` with
 * what it had done, and free its listing leases at once instead of waiting for them to expire.
 */
import type { Config } from "../env";
import { beat, closeDeadRuns, type InterruptedRun } from "../store/runs";
import { MAX_CRAWL_DELAY_MS } from "./fetch/polite";

/** A running run writes a heartbeat at most this often (and with every listing's outcome). */
export const HEARTBEAT_EVERY_MS = 10_000;
/** The least silence after which a run is taken for dead. */
const MIN_DEAD_AFTER_MS = 3 * 60_000;

/**
 * How long a live run can go without a sign of life: one request (its answer and body both take
 * at most FETCH_TIMEOUT_MS), the wait for the host's slot (a Crawl-delay, at most
 * MAX_CRAWL_DELAY_MS), the heartbeat's own spacing, with room to spare.
 */
export function deadRunAfterMs(config: Pick<Config, "FETCH_TIMEOUT_MS">): number {
  return Math.max(MIN_DEAD_AFTER_MS, 4 * config.FETCH_TIMEOUT_MS + MAX_CRAWL_DELAY_MS + 2 * HEARTBEAT_EVERY_MS);
}

/**
 * The run clock: it starts at `start` (the wall clock, or a time a test or an operator chose) and
 * moves with the wall clock, so whatever a run keeps from an answer (a Retry-After, a backoff, a
 * host block) counts from when the answer arrived, not from when the run began.
 */
export function runClock(start: number, wallStart = Date.now()): () => number {
  return () => start + (Date.now() - wallStart);
}

/** Closes the runs that died (see closeDeadRuns) and says so in the log. */
export async function closeDeadRunsAt(
  db: D1Database,
  config: Pick<Config, "FETCH_TIMEOUT_MS">,
  now: number,
): Promise<InterruptedRun[]> {
  const closed = await closeDeadRuns(db, now - deadRunAfterMs(config), now);
  for (const r of closed) {
    console.log(
      JSON.stringify({
        event: "ingest.interrupted",
        level: "warn",
        runId: r.runId,
        lastSeenAt: new Date(r.lastSeenAt).toISOString(),
        leasesFreed: r.leasesFreed,
      }),
    );
  }
  return closed;
}

/** Writes a run's heartbeat, at most every HEARTBEAT_EVERY_MS of its clock. */
export class Heartbeat {
  private last: number;

  constructor(
    private readonly db: D1Database,
    private readonly runId: number,
    private readonly clock: () => number,
  ) {
    this.last = clock();
  }

  /** A listing outcome carried the heartbeat with it. */
  noted(at: number): void {
    this.last = Math.max(this.last, at);
  }

  async maybeBeat(): Promise<void> {
    const now = this.clock();
    if (now - this.last < HEARTBEAT_EVERY_MS) return;
    this.last = now;
    await beat(this.db, this.runId, now);
  }
}
