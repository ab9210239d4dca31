import { runBatches } from "./items";

export interface ListingRow {
  id: string;
  source_id: string;
  url: string;
  host: string;
  next_fetch_at: number;
  etag: string | null;
  last_modified: string | null;
  last_status: number | null;
  last_error: string | null;
  last_fetched_at: number | null;
  last_success_at: number | null;
  last_item_count: number | null;
  consecutive_failures: number;
  lease_owner: string | null;
  lease_until: number | null;
  /** 1 for a one-shot page queued by an admin backfill. */
  backfill: number;
  last_body_bytes: number | null;
  last_rows_matched: number | null;
  drift: string | null;
  drift_message: string | null;
  last_error_code: string | null;
}

export interface ConfiguredSource {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  listings: { id: string; url: string }[];
}

/** The host a listing is fetched from, as the hosts table keys it. */
export function hostOf(url: string): string {
  return URL.parse(url)?.host.toLowerCase() ?? "";
}

/**
 * Makes the sources and listings tables match the configuration: new listings become due at
 * once, removed ones are dropped (queued backfill pages stay until read), and a disabled source
 * keeps its rows (and its items). Pausing is runtime state and is left as it is.
 */
export async function syncConfiguredSources(db: D1Database, sources: ConfiguredSource[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  const upsertSource = db.prepare(
    `INSERT INTO sources (id, name, kind, enabled) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, enabled = excluded.enabled`,
  );
  const upsertListing = db.prepare(
    `INSERT INTO listings (id, source_id, url, host) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET url = excluded.url, source_id = excluded.source_id, host = excluded.host, backfill = 0,
       etag = CASE WHEN listings.url = excluded.url THEN listings.etag END,
       last_modified = CASE WHEN listings.url = excluded.url THEN listings.last_modified END`,
  );
  for (const s of sources) {
    statements.push(upsertSource.bind(s.id, s.name, s.kind, s.enabled ? 1 : 0));
    for (const l of s.listings) statements.push(upsertListing.bind(l.id, s.id, l.url, hostOf(l.url)));
    const ids = s.listings.map((l) => l.id);
    statements.push(
      db
        .prepare(
          `DELETE FROM listings WHERE source_id = ? AND backfill = 0 AND id NOT IN (SELECT value FROM json_each(?))`,
        )
        .bind(s.id, JSON.stringify(ids)),
    );
  }
  await runBatches(db, statements);
}

/** A drift warning: the listing answered, but what it said looks wrong. */
export interface Drift {
  code: "zero_items" | "selector_miss" | "near_empty_body";
  message: string;
}

/** What a read looked like, kept for drift warnings. */
export interface ReadShape {
  bodyBytes: number | null;
  rowsMatched: number | null;
  drift: Drift | null;
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
      shape: ReadShape;
      /** The next page a "next" link named, to be read after this one. */
      next?: string | null;
    }
  | {
      kind: "failed";
      nextFetchAt: number;
      status: number | null;
      error: string;
      /** Kind of failure (http, timeout, robots, …), for health advice. */
      code: string;
      shape: ReadShape | null;
    };

/**
 * Records how a read went and releases the listing's lease. `leaseOwner` guards against a run
 * whose lease expired overwriting the state written by the run that took the listing over.
 * A backfill page is deleted once read, or after its third failure.
 */
export async function recordListingOutcome(
  db: D1Database,
  row: Pick<ListingRow, "id" | "backfill" | "consecutive_failures">,
  now: number,
  outcome: ListingOutcome,
  leaseOwner: string | null = null,
  /** Written in the same batch (the run's progress), so both land or neither does. */
  alongside: D1PreparedStatement[] = [],
): Promise<void> {
  if (row.backfill && (outcome.kind !== "failed" || row.consecutive_failures + 1 >= MAX_BACKFILL_FAILURES)) {
    await db.batch([db.prepare("DELETE FROM listings WHERE id = ? AND backfill = 1").bind(row.id), ...alongside]);
    return;
  }
  await db.batch([listingOutcomeStatement(db, row.id, now, outcome, leaseOwner), ...alongside]);
}

/** A queued backfill page is given up after this many failed reads in a row. */
export const MAX_BACKFILL_FAILURES = 3;

const OWNED = "(lease_owner IS NULL OR lease_owner = ?)";

export function listingOutcomeStatement(
  db: D1Database,
  id: string,
  now: number,
  o: ListingOutcome,
  leaseOwner: string | null = null,
): D1PreparedStatement {
  switch (o.kind) {
    case "not-modified":
      // Unchanged since the read the validators came from, which parsed fine: no drift.
      return db
        .prepare(
          `UPDATE listings SET next_fetch_at = ?, last_status = 304, last_error = NULL, last_error_code = NULL, last_fetched_at = ?,
             last_success_at = ?, consecutive_failures = 0, drift = NULL, drift_message = NULL,
             lease_owner = NULL, lease_until = NULL
           WHERE id = ? AND ${OWNED}`,
        )
        .bind(o.nextFetchAt, now, now, id, leaseOwner);
    case "fetched":
      return db
        .prepare(
          `UPDATE listings SET next_fetch_at = ?, last_status = ?, last_error = NULL, last_error_code = NULL, last_fetched_at = ?,
             last_success_at = ?, last_item_count = ?, consecutive_failures = 0,
             etag = ?, last_modified = ?, last_body_bytes = ?, last_rows_matched = ?, drift = ?, drift_message = ?,
             lease_owner = NULL, lease_until = NULL
           WHERE id = ? AND ${OWNED}`,
        )
        .bind(
          o.nextFetchAt,
          o.status,
          now,
          now,
          o.itemCount,
          o.validators?.etag ?? null,
          o.validators?.lastModified ?? null,
          o.shape.bodyBytes,
          o.shape.rowsMatched,
          o.shape.drift?.code ?? null,
          o.shape.drift?.message ?? null,
          id,
          leaseOwner,
        );
    case "failed":
      // A failure keeps the validators: the page behind them is still what is stored.
      return db
        .prepare(
          `UPDATE listings SET next_fetch_at = ?, last_status = ?, last_error = ?, last_error_code = ?, last_fetched_at = ?,
             consecutive_failures = consecutive_failures + 1,
             last_body_bytes = coalesce(?, last_body_bytes), last_rows_matched = coalesce(?, last_rows_matched),
             drift = ?, drift_message = ?, lease_owner = NULL, lease_until = NULL
           WHERE id = ? AND ${OWNED}`,
        )
        .bind(
          o.nextFetchAt,
          o.status,
          o.error,
          o.code,
          now,
          o.shape?.bodyBytes ?? null,
          o.shape?.rowsMatched ?? null,
          o.shape?.drift?.code ?? null,
          o.shape?.drift?.message ?? null,
          id,
          leaseOwner,
        );
  }
}

export async function listListings(db: D1Database, sourceId?: string): Promise<ListingRow[]> {
  const stmt = sourceId
    ? db.prepare("SELECT * FROM listings WHERE source_id = ? ORDER BY backfill, id").bind(sourceId)
    : db.prepare("SELECT * FROM listings ORDER BY backfill, id");
  const { results } = await stmt.all<ListingRow>();
  return results;
}

/**
 * Queues one-shot backfill pages, due at `now` plus their page number in ms, so they are read
 * breadth-first: page 2 of every listing before page 3 of any (an empty page then stops its
 * listing's walk before the deeper pages cost a fetch). A page already queued or configured is
 * left alone.
 */
export async function queueBackfill(
  db: D1Database,
  sourceId: string,
  pages: { id: string; url: string; page: number }[],
  now: number,
): Promise<string[]> {
  const insert = db.prepare(
    `INSERT INTO listings (id, source_id, url, host, next_fetch_at, backfill) VALUES (?, ?, ?, ?, ?, 1)
     ON CONFLICT(id) DO NOTHING RETURNING id`,
  );
  const results = await db.batch<{ id: string }>(
    pages.map((p) => insert.bind(p.id, sourceId, p.url, hostOf(p.url), now + p.page)),
  );
  return results.flatMap((r) => r.results.map((row) => row.id));
}

/**
 * A backfill page past the end of a listing came back empty: the later queued pages of the same
 * listing would be empty too, so they are dropped instead of costing a fetch each.
 */
export async function dropBackfillAfter(
  db: D1Database,
  sourceId: string,
  listingPrefix: string,
  page: number,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `DELETE FROM listings WHERE backfill = 1 AND source_id = ? AND substr(id, 1, length(?)) = ?
         AND CAST(substr(id, length(?) + 1) AS INTEGER) > ? RETURNING id`,
    )
    .bind(sourceId, listingPrefix, listingPrefix, listingPrefix, page)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Pauses or resumes a source, creating its row when no run has recorded it yet. */
export async function setSourcePaused(
  db: D1Database,
  source: { id: string; name: string; kind: string; enabled: boolean },
  paused: boolean,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO sources (id, name, kind, enabled, paused, paused_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT(id) DO UPDATE SET paused = ?5, paused_at = CASE WHEN ?5 = 1 THEN coalesce(sources.paused_at, ?6) END`,
    )
    .bind(source.id, source.name, source.kind, source.enabled ? 1 : 0, paused ? 1 : 0, paused ? now : null)
    .run();
}

export async function isSourcePaused(db: D1Database, id: string): Promise<boolean> {
  const row = await db.prepare("SELECT paused FROM sources WHERE id = ?").bind(id).first<{ paused: number }>();
  return row?.paused === 1;
}
