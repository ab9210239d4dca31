/**
 * Listing leases: a run claims the listings it will read with one atomic UPDATE ... RETURNING,
 * so two runs that overlap (a slow run still going when the next cron fires, an admin run, a
 * queue consumer) never read the same listing. The leases of a run that died are freed by the
 * next run once the dead run is noticed (closeDeadRuns in runs.ts); at worst they expire.
 */
import type { ListingRow } from "./listings";

export interface ClaimOptions {
  /** Who holds the lease, e.g. "run:42". */
  owner: string;
  /** The run's clock. */
  now: number;
  /** Lease length; longer than a run can last. */
  leaseMs: number;
  /** At most this many listings (each costs at least one subrequest). */
  limit: number;
  sourceId?: string;
  /** Claim listings whatever their schedule (still not a leased, paused or host-blocked one). */
  force?: boolean;
}

/**
 * Claims due listings of enabled, unpaused sources whose host is not blocked, in the order they
 * should be read: configured listings before backfill pages, most overdue first.
 */
export async function claimDueListings(db: D1Database, o: ClaimOptions): Promise<ListingRow[]> {
  const due = o.force ? Number.MAX_SAFE_INTEGER : o.now;
  const params: unknown[] = [o.owner, o.now + o.leaseMs, due, o.now, o.limit];
  let filter = "";
  if (o.sourceId) {
    filter = " AND l.source_id = ?6";
    params.push(o.sourceId);
  }
  const { results } = await db
    .prepare(
      `UPDATE listings SET lease_owner = ?1, lease_until = ?2
       WHERE id IN (
         SELECT l.id FROM listings l JOIN sources s ON s.id = l.source_id LEFT JOIN hosts h ON h.host = l.host
         WHERE s.enabled = 1 AND s.paused = 0 AND l.next_fetch_at <= ?3
           AND (l.lease_until IS NULL OR l.lease_until <= ?4)
           AND (h.blocked_until IS NULL OR h.blocked_until <= ?4)${filter}
         ORDER BY l.backfill ASC, l.next_fetch_at ASC, l.id ASC
         LIMIT ?5)
       RETURNING *`,
    )
    .bind(...params)
    .all<ListingRow>();
  // RETURNING gives no order; read them in the order they were chosen.
  return results.sort(
    (a, b) => a.backfill - b.backfill || a.next_fetch_at - b.next_fetch_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Due listings that wait because their host asked for time (Retry-After), for the run summary. */
export async function countWaitingListings(
  db: D1Database,
  now: number,
  force: boolean,
  sourceId?: string,
): Promise<number> {
  const row = await db
    .prepare(
      `SELECT count(*) AS n FROM listings l JOIN sources s ON s.id = l.source_id JOIN hosts h ON h.host = l.host
       WHERE s.enabled = 1 AND s.paused = 0 AND l.next_fetch_at <= ? AND h.blocked_until > ?${sourceId ? " AND l.source_id = ?" : ""}`,
    )
    .bind(force ? Number.MAX_SAFE_INTEGER : now, now, ...(sourceId ? [sourceId] : []))
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Gives back one listing without recording a read: it keeps its schedule and validators.
 * `alongside` (the run's progress) is written in the same batch.
 */
export async function releaseListing(
  db: D1Database,
  id: string,
  owner: string,
  alongside: D1PreparedStatement[] = [],
): Promise<void> {
  await db.batch([
    db
      .prepare("UPDATE listings SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")
      .bind(id, owner),
    ...alongside,
  ]);
}

/** Gives back every listing a run still holds (those it did not reach). */
export async function releaseLeases(db: D1Database, owner: string): Promise<number> {
  const { meta } = await db
    .prepare("UPDATE listings SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?")
    .bind(owner)
    .run();
  return meta.changes ?? 0;
}

/**
 * A queue consumer takes over the listings the dispatcher leased to the queue. A listing whose
 * queue lease is gone (already read by an earlier delivery of the same message, or expired and
 * claimed by a run) is not returned: reading it again would do the work twice.
 */
export async function takeOverQueued(
  db: D1Database,
  ids: string[],
  queueOwner: string,
  o: { owner: string; now: number; leaseMs: number },
): Promise<ListingRow[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(
      `UPDATE listings SET lease_owner = ?1, lease_until = ?2
       WHERE lease_owner = ?3 AND lease_until > ?4 AND id IN (SELECT value FROM json_each(?5))
       RETURNING *`,
    )
    .bind(o.owner, o.now + o.leaseMs, queueOwner, o.now, JSON.stringify(ids))
    .all<ListingRow>();
  return results;
}
