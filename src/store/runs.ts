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
  };
}

export interface RunError {
  sourceId: string;
  listingId: string | null;
  url: string;
  message: string;
  at: number;
}

export async function startRun(
  db: D1Database,
  trigger: "cron" | "admin" | "queue",
  startedAt: number,
): Promise<number> {
  const row = await db
    .prepare("INSERT INTO runs (trigger, started_at) VALUES (?, ?) RETURNING id")
    .bind(trigger, startedAt)
    .first<{ id: number }>();
  return row!.id;
}

export async function finishRun(
  db: D1Database,
  runId: number,
  finishedAt: number,
  c: RunCounters,
  errors: RunError[],
  perSource: Record<string, SourceRunStats> = {},
): Promise<void> {
  const insertError = db.prepare(
    "INSERT INTO run_errors (run_id, source_id, listing_id, url, message, at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const insertSource = db.prepare(
    `INSERT INTO run_sources (run_id, source_id, listings_fetched, not_modified, articles_fetched, items_seen, items_new,
       items_updated, errors, subrequests, deferred) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, source_id) DO NOTHING`,
  );
  await runBatches(db, [
    db
      .prepare(
        `UPDATE runs SET finished_at = ?, listings_fetched = ?, not_modified = ?, articles_fetched = ?,
           items_new = ?, items_updated = ?, errors = ?, subrequests = ?, deferred = ?, pruned = ? WHERE id = ?`,
      )
      .bind(
        finishedAt,
        c.listingsFetched,
        c.notModified,
        c.articlesFetched,
        c.itemsNew,
        c.itemsUpdated,
        c.errors,
        c.subrequests,
        c.deferred,
        c.pruned,
        runId,
      ),
    ...Object.entries(perSource).map(([sourceId, s]) =>
      insertSource.bind(
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
      ),
    ),
    ...errors.map((e) =>
      insertError.bind(runId, e.sourceId, e.listingId, e.url.slice(0, 2000), e.message.slice(0, 1000), e.at),
    ),
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
  startedAt: string;
  finishedAt: string | null;
  totals: RunCounters;
  sources: Record<string, SourceRunStats>;
  errors: { sourceId: string; listingId: string | null; url: string; message: string; at: string }[];
}

export async function runHistory(db: D1Database, limit: number, beforeId: number | null = null): Promise<RunRecord[]> {
  const runs = await recentRuns(db, limit, beforeId);
  if (runs.length === 0) return [];
  const ids = JSON.stringify(runs.map((r) => r.id));
  const [sourceRows, errorRows] = await db.batch<Record<string, unknown>>([
    db
      .prepare("SELECT * FROM run_sources WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY source_id")
      .bind(ids),
    db.prepare("SELECT * FROM run_errors WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id").bind(ids),
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
      };
    }
    const errors = (errorRows!.results as unknown as RunErrorRow[])
      .filter((e) => e.run_id === r.id)
      .map((e) => ({ sourceId: e.source_id, listingId: e.listing_id, url: e.url, message: e.message, at: iso(e.at) }));
    return {
      id: r.id,
      trigger: r.trigger,
      startedAt: iso(r.started_at),
      finishedAt: r.finished_at === null ? null : iso(r.finished_at),
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
    db.prepare("DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))").bind(ids),
  ]);
  return results.length;
}
