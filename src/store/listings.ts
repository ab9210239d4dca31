import { runBatches } from "./items";

export interface ListingRow {
  id: string;
  source_id: string;
  url: string;
  next_fetch_at: number;
  etag: string | null;
  last_modified: string | null;
  last_status: number | null;
  last_error: string | null;
  last_fetched_at: number | null;
  last_success_at: number | null;
  last_item_count: number | null;
  consecutive_failures: number;
}

export interface ConfiguredSource {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  listings: { id: string; url: string }[];
}

/**
 * Makes the sources and listings tables match the configuration: new listings become due at
 * once, removed ones are dropped, and a disabled source keeps its rows (and its items).
 */
export async function syncConfiguredSources(db: D1Database, sources: ConfiguredSource[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  const upsertSource = db.prepare(
    `INSERT INTO sources (id, name, kind, enabled) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, enabled = excluded.enabled`,
  );
  const upsertListing = db.prepare(
    `INSERT INTO listings (id, source_id, url) VALUES (?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET url = excluded.url, source_id = excluded.source_id,
       etag = CASE WHEN listings.url = excluded.url THEN listings.etag END,
       last_modified = CASE WHEN listings.url = excluded.url THEN listings.last_modified END`,
  );
  for (const s of sources) {
    statements.push(upsertSource.bind(s.id, s.name, s.kind, s.enabled ? 1 : 0));
    for (const l of s.listings) statements.push(upsertListing.bind(l.id, s.id, l.url));
    const ids = s.listings.map((l) => l.id);
    statements.push(
      db
        .prepare(`DELETE FROM listings WHERE source_id = ? AND id NOT IN (SELECT value FROM json_each(?))`)
        .bind(s.id, JSON.stringify(ids)),
    );
  }
  await runBatches(db, statements);
}

/** Listings of enabled sources whose time has come, most overdue first. */
export async function dueListings(db: D1Database, now: number, limit: number, sourceId?: string): Promise<ListingRow[]> {
  const filter = sourceId ? " AND l.source_id = ?" : "";
  const params: unknown[] = sourceId ? [now, sourceId, limit] : [now, limit];
  const { results } = await db
    .prepare(
      `SELECT l.* FROM listings l JOIN sources s ON s.id = l.source_id
       WHERE s.enabled = 1 AND l.next_fetch_at <= ?${filter}
       ORDER BY l.next_fetch_at ASC, l.id ASC LIMIT ?`,
    )
    .bind(...params)
    .all<ListingRow>();
  return results;
}

export type ListingOutcome =
  | { kind: "not-modified"; nextFetchAt: number }
  | {
      kind: "fetched";
      nextFetchAt: number;
      itemCount: number;
      /** Validators to keep; null when the listing was only partly processed and must be re-read. */
      validators: { etag: string | null; lastModified: string | null } | null;
      status: number;
    }
  | { kind: "failed"; nextFetchAt: number; status: number | null; error: string };

export async function recordListingOutcome(db: D1Database, id: string, now: number, outcome: ListingOutcome): Promise<void> {
  await db.batch([listingOutcomeStatement(db, id, now, outcome)]);
}

export function listingOutcomeStatement(db: D1Database, id: string, now: number, o: ListingOutcome): D1PreparedStatement {
  switch (o.kind) {
    case "not-modified":
      return db
        .prepare(
          `UPDATE listings SET next_fetch_at = ?, last_status = 304, last_error = NULL, last_fetched_at = ?,
             last_success_at = ?, consecutive_failures = 0 WHERE id = ?`,
        )
        .bind(o.nextFetchAt, now, now, id);
    case "fetched":
      return db
        .prepare(
          `UPDATE listings SET next_fetch_at = ?, last_status = ?, last_error = NULL, last_fetched_at = ?,
             last_success_at = ?, last_item_count = ?, consecutive_failures = 0,
             etag = ?, last_modified = ? WHERE id = ?`,
        )
        .bind(
          o.nextFetchAt,
          o.status,
          now,
          now,
          o.itemCount,
          o.validators?.etag ?? null,
          o.validators?.lastModified ?? null,
          id,
        );
    case "failed":
      return db
        .prepare(
          `UPDATE listings SET next_fetch_at = ?, last_status = ?, last_error = ?, last_fetched_at = ?,
             consecutive_failures = consecutive_failures + 1 WHERE id = ?`,
        )
        .bind(o.nextFetchAt, o.status, o.error, now, id);
  }
}

export async function listListings(db: D1Database): Promise<ListingRow[]> {
  const { results } = await db.prepare("SELECT * FROM listings ORDER BY id").all<ListingRow>();
  return results;
}
