import { runBatches } from "./items";

export interface RunCounters {
  listingsFetched: number;
  notModified: number;
  articlesFetched: number;
  itemsNew: number;
  itemsUpdated: number;
  errors: number;
  subrequests: number;
}

export interface RunError {
  sourceId: string;
  listingId: string | null;
  url: string;
  message: string;
  at: number;
}

export async function startRun(db: D1Database, trigger: "cron" | "admin", startedAt: number): Promise<number> {
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
): Promise<void> {
  const insertError = db.prepare(
    "INSERT INTO run_errors (run_id, source_id, listing_id, url, message, at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  await runBatches(db, [
    db
      .prepare(
        `UPDATE runs SET finished_at = ?, listings_fetched = ?, not_modified = ?, articles_fetched = ?,
           items_new = ?, items_updated = ?, errors = ?, subrequests = ? WHERE id = ?`,
      )
      .bind(finishedAt, c.listingsFetched, c.notModified, c.articlesFetched, c.itemsNew, c.itemsUpdated, c.errors, c.subrequests, runId),
    ...errors.map((e) => insertError.bind(runId, e.sourceId, e.listingId, e.url, e.message.slice(0, 1000), e.at)),
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
}

export async function recentRuns(db: D1Database, limit: number): Promise<RunRow[]> {
  const { results } = await db.prepare("SELECT * FROM runs ORDER BY id DESC LIMIT ?").bind(limit).all<RunRow>();
  return results;
}

export async function runErrors(db: D1Database, runId: number): Promise<RunError[]> {
  const { results } = await db
    .prepare("SELECT source_id, listing_id, url, message, at FROM run_errors WHERE run_id = ? ORDER BY id")
    .bind(runId)
    .all<{ source_id: string; listing_id: string | null; url: string; message: string; at: number }>();
  return results.map((r) => ({ sourceId: r.source_id, listingId: r.listing_id, url: r.url, message: r.message, at: r.at }));
}
