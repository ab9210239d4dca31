import { runBatches } from "./items";

export interface RunCounters {
  listingsFetched: number;
  notModified: number;
  articlesFetched: number;
  itemsNew: number;
  itemsUpdated: number;
  errors: number;
  subrequests: number;
  /** Claimed listings the run could not reach (budget or time used up, host waiting). */
  deferred: number;
  /** Items removed by retention. */
  pruned: number;
}

/** What one run did for one source. */
export interface SourceRunStats {
  listingsFetched: number;
  notModified: number;
  articlesFetched: number;
  /** Teasers parsed from the listings read. */
  itemsSeen: number;
  itemsNew: number;
  itemsUpdated: number;
  errors: number;
  subrequests: number;
  deferred: number;
  /** Stories whose publication date could not be read (stored with the time first seen). */
  datesUnread: number;
  /** Stories linking to a host the source may not fetch (stored from the listing or feed alone). */
  offHostLinks: number;
}

export function emptySourceStats(): SourceRunStats {
  return {
    listingsFetched: 0,
    notModified: 0,
    articlesFetched: 0,
    itemsSeen: 0,
    itemsNew: 0,
    itemsUpdated: 0,
    errors: 0,
    subrequests: 0,
    deferred: 0,
    datesUnread: 0,
    offHostLinks: 0,
  };
}

export interface RunError {
  sourceId: string;
  listingId: string | null;
  url: string;
  message: string;
  at: number;
}

/** running: under way (or dead and not yet noticed); finished; interrupted: its Worker died. */
export type RunStatus = "running" | "finished" | "interrupted";

/** The lease owner name of a run: the listings it claimed carry it until it reads or frees them. */
export function runOwner(runId: number): string {
  return `run:${runId}`;
}

export async function startRun(
  db: D1Database,
  trigger: "cron" | "admin" | "queue",
  startedAt: number,
): Promise<number> {
  const row = await db
    .prepare("INSERT INTO runs (trigger, started_at, status, heartbeat_at) VALUES (?1, ?2, 'running', ?2) RETURNING id")
    .bind(trigger, startedAt)
    .first<{ id: number }>();
  return row!.id;
}

/** A sign of life from a running run; never moves the heartbeat back. */
export async function beat(db: D1Database, runId: number, at: number): Promise<void> {
  await db
    .prepare("UPDATE runs SET heartbeat_at = max(coalesce(heartbeat_at, 0), ?) WHERE id = ? AND status = 'running'")
    .bind(at, runId)
    .run();
}

/** How one listing went in a run, as run_listings keeps it. */
export interface ListingProgress {
  listingId: string;
  sourceId: string;
  outcome: "not-modified" | "fetched" | "failed" | "deferred";
  status: number | null;
  errorCode: string | null;
}

/**
 * What a run has done so far, written with each listing's outcome (in the same batch as the
 * listing's new state): the heartbeat, the counters, the source's stats, the errors not written
 * yet and the listing's outcome. Counters only grow, so a batch that lands after a later one
 * (listings of different hosts read concurrently) never takes them back.
 */
export function progressStatements(
  db: D1Database,
  runId: number,
  at: number,
  c: RunCounters,
  source: { id: string; stats: SourceRunStats },
  newErrors: RunError[],
  listing: ListingProgress,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE runs SET heartbeat_at = max(coalesce(heartbeat_at, 0), ?), listings_fetched = max(listings_fetched, ?),
           not_modified = max(not_modified, ?), articles_fetched = max(articles_fetched, ?), items_new = max(items_new, ?),
           items_updated = max(items_updated, ?), errors = max(errors, ?), subrequests = max(subrequests, ?),
           deferred = max(deferred, ?)
         WHERE id = ? AND status = 'running'`,
      )
      .bind(at, ...counterValues(c), runId),
    sourceStatsStatement(db, runId, source.id, source.stats),
    ...errorStatements(db, runId, newErrors),
    db
      .prepare(
        `INSERT INTO run_listings (run_id, listing_id, source_id, outcome, status, error_code, at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, listing_id) DO UPDATE SET outcome = excluded.outcome, status = excluded.status,
           error_code = excluded.error_code, at = excluded.at`,
      )
      .bind(runId, listing.listingId, listing.sourceId, listing.outcome, listing.status, listing.errorCode, at),
  ];
}

/** The counters in the order of the runs table's columns (listings_fetched .. deferred). */
function counterValues(c: RunCounters): number[] {
  return [
    c.listingsFetched,
    c.notModified,
    c.articlesFetched,
    c.itemsNew,
    c.itemsUpdated,
    c.errors,
    c.subrequests,
    c.deferred,
  ];
}

function sourceStatsStatement(db: D1Database, runId: number, sourceId: string, s: SourceRunStats): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO run_sources (run_id, source_id, listings_fetched, not_modified, articles_fetched, items_seen, items_new,
         items_updated, errors, subrequests, deferred, dates_unread, off_host_links) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, source_id) DO UPDATE SET
         dates_unread = max(run_sources.dates_unread, excluded.dates_unread),
         off_host_links = max(run_sources.off_host_links, excluded.off_host_links),
         listings_fetched = max(run_sources.listings_fetched, excluded.listings_fetched),
         not_modified = max(run_sources.not_modified, excluded.not_modified),
         articles_fetched = max(run_sources.articles_fetched, excluded.articles_fetched),
         items_seen = max(run_sources.items_seen, excluded.items_seen),
         items_new = max(run_sources.items_new, excluded.items_new),
         items_updated = max(run_sources.items_updated, excluded.items_updated),
         errors = max(run_sources.errors, excluded.errors),
         subrequests = max(run_sources.subrequests, excluded.subrequests),
         deferred = max(run_sources.deferred, excluded.deferred)`,
    )
    .bind(
      runId,
      sourceId,
      s.listingsFetched,
      s.notModified,
      s.articlesFetched,
      s.itemsSeen,
      s.itemsNew,
      s.itemsUpdated,
      s.errors,
      s.subrequests,
      s.deferred,
      s.datesUnread,
      s.offHostLinks,
    );
}

function errorStatements(db: D1Database, runId: number, errors: RunError[]): D1PreparedStatement[] {
  const insert = db.prepare(
    "INSERT INTO run_errors (run_id, source_id, listing_id, url, message, at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  return errors.map((e) =>
    insert.bind(runId, e.sourceId, e.listingId, e.url.slice(0, 2000), e.message.slice(0, 1000), e.at),
  );
}

/** A run closed because its Worker died, and what closing it freed. */
export interface InterruptedRun {
  runId: number;
  /** Its last sign of life (run clock). */
  lastSeenAt: number;
  leasesFreed: number;
}

/**
 * Closes the runs that show no sign of life since `staleBefore` (their Worker died: eviction, a
 * deploy, a CPU limit): each is marked `interrupted` as of its last heartbeat, keeps what its
 * progress recorded (counters, per-source stats, listing outcomes, errors), gains an error
 * saying what happened, and its listing leases are freed at once instead of expiring. One
 * transaction per run, so two runs closing the same dead run free its leases once.
 */
export async function closeDeadRuns(db: D1Database, staleBefore: number, now: number): Promise<InterruptedRun[]> {
  const { results } = await db
    .prepare(
      `SELECT id, coalesce(heartbeat_at, started_at) AS seen FROM runs
       WHERE finished_at IS NULL AND coalesce(status, 'running') = 'running' AND coalesce(heartbeat_at, started_at) < ?
       ORDER BY id LIMIT 50`,
    )
    .bind(staleBefore)
    .all<{ id: number; seen: number }>();
  const closed: InterruptedRun[] = [];
  const held = "(SELECT count(*) FROM listings WHERE lease_owner = ?3)";
  for (const r of results) {
    const note =
      `run interrupted: no sign of life since ${new Date(r.seen).toISOString()} (its Worker stopped: eviction, ` +
      "a deploy or a CPU limit); what it had done is kept; listing leases it still held, freed: ";
    const [marked, , freed] = await db.batch<{ id: string }>([
      db
        .prepare(
          `UPDATE runs SET status = 'interrupted', finished_at = ?1, interrupted_at = ?2, leases_freed = ${held},
             errors = errors + 1
           WHERE id = ?4 AND finished_at IS NULL RETURNING id`,
        )
        .bind(r.seen, now, runOwner(r.id), r.id),
      db
        .prepare(
          `INSERT INTO run_errors (run_id, source_id, listing_id, url, message, at)
           SELECT ?4, 'caravan', NULL, '', ?1 || ${held}, ?2
           FROM runs WHERE id = ?4 AND status = 'interrupted' AND interrupted_at = ?2`,
        )
        .bind(note, now, runOwner(r.id), r.id),
      db
        .prepare("UPDATE listings SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? RETURNING id")
        .bind(runOwner(r.id)),
    ]);
    if (marked!.results.length === 0) continue; // another run closed it first
    closed.push({ runId: r.id, lastSeenAt: r.seen, leasesFreed: freed!.results.length });
  }
  return closed;
}

/**
 * Closes a run: final counters, per-source stats, the errors its progress has not written yet,
 * status `finished`. A run that was taken for dead but was only slow records the truth: finished.
 */
export async function finishRun(
  db: D1Database,
  runId: number,
  finishedAt: number,
  c: RunCounters,
  errors: RunError[],
  perSource: Record<string, SourceRunStats> = {},
): Promise<void> {
  await runBatches(db, [
    db
      .prepare(
        `UPDATE runs SET finished_at = ?, status = 'finished', heartbeat_at = ?, listings_fetched = ?, not_modified = ?,
           articles_fetched = ?, items_new = ?, items_updated = ?, errors = ?, subrequests = ?, deferred = ?, pruned = ?
         WHERE id = ?`,
      )
      .bind(finishedAt, finishedAt, ...counterValues(c), c.pruned, runId),
    ...Object.entries(perSource).map(([sourceId, s]) => sourceStatsStatement(db, runId, sourceId, s)),
    ...errorStatements(db, runId, errors),
  ]);
}

/** Source health after a run: success resets the failure count, failure increments it. */
export async function recordSourceHealth(
  db: D1Database,
  results: { sourceId: string; ok: boolean; error: string | null }[],
  at: number,
): Promise<void> {
  const ok = db.prepare("UPDATE sources SET last_success_at = ?, consecutive_failures = 0 WHERE id = ?");
  const failed = db.prepare(
    "UPDATE sources SET last_error = ?, last_error_at = ?, consecutive_failures = consecutive_failures + 1 WHERE id = ?",
  );
  await runBatches(
    db,
    results.map((r) => (r.ok ? ok.bind(at, r.sourceId) : failed.bind(r.error, at, r.sourceId))),
  );
}

export interface RunRow {
  id: number;
  trigger: string;
  started_at: number;
  finished_at: number | null;
  listings_fetched: number;
  not_modified: number;
  articles_fetched: number;
  items_new: number;
  items_updated: number;
  errors: number;
  subrequests: number;
  deferred: number;
  pruned: number;
  status: RunStatus | null;
  heartbeat_at: number | null;
  interrupted_at: number | null;
  leases_freed: number;
}

/** A row's status; rows written before statuses existed are finished when they have an end. */
export function statusOf(r: Pick<RunRow, "status" | "finished_at">): RunStatus {
  return r.status ?? (r.finished_at === null ? "running" : "finished");
}

export async function recentRuns(db: D1Database, limit: number, beforeId: number | null = null): Promise<RunRow[]> {
  const stmt =
    beforeId === null
      ? db.prepare("SELECT * FROM runs ORDER BY id DESC LIMIT ?").bind(limit)
      : db.prepare("SELECT * FROM runs WHERE id < ? ORDER BY id DESC LIMIT ?").bind(beforeId, limit);
  const { results } = await stmt.all<RunRow>();
  return results;
}

export async function runErrors(db: D1Database, runId: number): Promise<RunError[]> {
  const { results } = await db
    .prepare("SELECT source_id, listing_id, url, message, at FROM run_errors WHERE run_id = ? ORDER BY id")
    .bind(runId)
    .all<{ source_id: string; listing_id: string | null; url: string; message: string; at: number }>();
  return results.map((r) => ({
    sourceId: r.source_id,
    listingId: r.listing_id,
    url: r.url,
    message: r.message,
    at: r.at,
  }));
}

/** One run as the admin API shows it: counters, what it did per source, and its errors. */
export interface RunRecord {
  id: number;
  trigger: string;
  /** running, finished, or interrupted (its Worker died; closed by a later run). */
  status: RunStatus;
  startedAt: string;
  /** For an interrupted run: its last sign of life. */
  finishedAt: string | null;
  /** Last sign of life (heartbeat). */
  lastSeenAt: string | null;
  /** For an interrupted run: when a later run noticed, and how many listing leases it freed. */
  interrupted: { noticedAt: string; leasesFreed: number } | null;
  totals: RunCounters;
  /** Listings the run finished, by outcome (recorded as it went). */
  listings: Record<ListingProgress["outcome"], number>;
  sources: Record<string, SourceRunStats>;
  errors: { sourceId: string; listingId: string | null; url: string; message: string; at: string }[];
}

export async function runHistory(db: D1Database, limit: number, beforeId: number | null = null): Promise<RunRecord[]> {
  const runs = await recentRuns(db, limit, beforeId);
  if (runs.length === 0) return [];
  const ids = JSON.stringify(runs.map((r) => r.id));
  const [sourceRows, errorRows, outcomeRows] = await db.batch<Record<string, unknown>>([
    db
      .prepare("SELECT * FROM run_sources WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY source_id")
      .bind(ids),
    db.prepare("SELECT * FROM run_errors WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id").bind(ids),
    db
      .prepare(
        `SELECT run_id, outcome, count(*) AS n FROM run_listings WHERE run_id IN (SELECT value FROM json_each(?))
         GROUP BY run_id, outcome`,
      )
      .bind(ids),
  ]);
  const iso = (ms: number) => new Date(ms).toISOString();
  return runs.map((r) => {
    const sources: Record<string, SourceRunStats> = {};
    for (const s of sourceRows!.results as unknown as RunSourceRow[]) {
      if (s.run_id !== r.id) continue;
      sources[s.source_id] = {
        listingsFetched: s.listings_fetched,
        notModified: s.not_modified,
        articlesFetched: s.articles_fetched,
        itemsSeen: s.items_seen,
        itemsNew: s.items_new,
        itemsUpdated: s.items_updated,
        errors: s.errors,
        subrequests: s.subrequests,
        deferred: s.deferred,
        datesUnread: s.dates_unread,
        offHostLinks: s.off_host_links,
      };
    }
    const errors = (errorRows!.results as unknown as RunErrorRow[])
      .filter((e) => e.run_id === r.id)
      .map((e) => ({ sourceId: e.source_id, listingId: e.listing_id, url: e.url, message: e.message, at: iso(e.at) }));
    const listings = { "not-modified": 0, fetched: 0, failed: 0, deferred: 0 };
    for (const o of outcomeRows!.results as { run_id: number; outcome: keyof typeof listings; n: number }[]) {
      if (o.run_id === r.id && o.outcome in listings) listings[o.outcome] = o.n;
    }
    return {
      id: r.id,
      trigger: r.trigger,
      status: statusOf(r),
      startedAt: iso(r.started_at),
      finishedAt: r.finished_at === null ? null : iso(r.finished_at),
      lastSeenAt: r.heartbeat_at === null ? null : iso(r.heartbeat_at),
      interrupted: r.interrupted_at === null ? null : { noticedAt: iso(r.interrupted_at), leasesFreed: r.leases_freed },
      listings,
      totals: {
        listingsFetched: r.listings_fetched,
        notModified: r.not_modified,
        articlesFetched: r.articles_fetched,
        itemsNew: r.items_new,
        itemsUpdated: r.items_updated,
        errors: r.errors,
        subrequests: r.subrequests,
        deferred: r.deferred,
        pruned: r.pruned,
      },
      sources,
      errors,
    };
  });
}

interface RunSourceRow {
  run_id: number;
  source_id: string;
  listings_fetched: number;
  not_modified: number;
  articles_fetched: number;
  items_seen: number;
  items_new: number;
  items_updated: number;
  errors: number;
  subrequests: number;
  deferred: number;
  dates_unread: number;
  off_host_links: number;
}

interface RunErrorRow {
  run_id: number;
  source_id: string;
  listing_id: string | null;
  url: string;
  message: string;
  at: number;
}

/** Run history older than `before` goes, a bounded batch at a time. */
export async function pruneRunHistory(db: D1Database, before: number, batch = 500): Promise<number> {
  const { results } = await db
    .prepare("SELECT id FROM runs WHERE started_at < ? ORDER BY id LIMIT ?")
    .bind(before, batch)
    .all<{ id: number }>();
  if (results.length === 0) return 0;
  const ids = JSON.stringify(results.map((r) => r.id));
  await db.batch([
    db.prepare("DELETE FROM run_errors WHERE run_id IN (SELECT value FROM json_each(?))").bind(ids),
    db.prepare("DELETE FROM run_sources WHERE run_id IN (SELECT value FROM json_each(?))").bind(ids),
    db.prepare("DELETE FROM run_listings WHERE run_id IN (SELECT value FROM json_each(?))").bind(ids),
    db.prepare("DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))").bind(ids),
  ]);
  return results.length;
}
