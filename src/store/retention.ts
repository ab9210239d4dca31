/**
 * Retention: items published before a cutoff are deleted in small batches, each run a little,
 * so no run spends long on it. An item on the newest page of any feed it belongs to is kept
 * whatever its age: a quiet feed never empties, and what a reader sees first never vanishes.
 */
import type { TermKind } from "../model/item";

/** Items on a feed's newest page, which pruning never removes (the feeds' default page size). */
export const NEWEST_PAGE = 50;
/** Items removed per run at most. */
export const PRUNE_BATCH = 200;

export interface PruneOptions {
  /** Items published strictly before this (ms) may go. */
  cutoff: number;
  /** Every published feed besides "all": its newest page is protected. */
  feeds: { kind: TermKind; slug: string }[];
  batchSize?: number;
  newestPage?: number;
}

export interface PruneResult {
  /** Ids removed. */
  removed: string[];
  /** Feed keys ("all", "country:georgia", …) that lost an item, for cache invalidation. */
  feeds: string[];
}

/**
 * Deletes up to `batchSize` expired items, oldest first, with their feed memberships and search
 * rows, in one D1 batch (a transaction). An expired item is kept while it is among the newest
 * `newestPage` items of the "all" feed or of any term feed it is in; a term feed that is not
 * published (no floor known) protects its items too, to err on the side of keeping.
 */
export async function pruneExpired(db: D1Database, o: PruneOptions): Promise<PruneResult> {
  const batchSize = o.batchSize ?? PRUNE_BATCH;
  const page = o.newestPage ?? NEWEST_PAGE;
  // The common case, nothing old enough: one cheap index probe and done.
  const oldest = await db.prepare("SELECT 1 AS x FROM items WHERE published_at < ? LIMIT 1").bind(o.cutoff).first();
  if (!oldest) return { removed: [], feeds: [] };

  // Each feed's floor: the (published_at, id) of its page-th newest item. Feeds with fewer items
  // have no floor, so everything in them is protected.
  const floorOf = db.prepare(
    `SELECT ? AS kind, ? AS slug, published_at AS p, item_id AS i FROM item_terms
     WHERE kind = ? AND slug = ? ORDER BY published_at DESC, item_id DESC LIMIT 1 OFFSET ?`,
  );
  const [allFloor, ...termFloors] = await db.batch<{ kind: string; slug: string; p: number; i: string }>([
    db
      .prepare(
        "SELECT 'all' AS kind, 'all' AS slug, published_at AS p, id AS i FROM items ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET ?",
      )
      .bind(page - 1),
    ...o.feeds.map((f) => floorOf.bind(f.kind, f.slug, f.kind, f.slug, page - 1)),
  ]);
  const all = allFloor!.results[0];
  if (!all) return { removed: [], feeds: [] }; // fewer items than one page: all are protected
  const floors = termFloors.flatMap((r) => r.results).map((f) => [f.kind, f.slug, f.p, f.i]);

  const { results } = await db
    .prepare(
      `WITH floors(kind, slug, p, i) AS (
         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
         FROM json_each(?1))
       SELECT it.id FROM items it
       WHERE it.published_at < ?2
         AND (it.published_at < ?3 OR (it.published_at = ?3 AND it.id < ?4))
         AND NOT EXISTS (
           SELECT 1 FROM item_terms t LEFT JOIN floors f ON f.kind = t.kind AND f.slug = t.slug
           WHERE t.item_id = it.id
             AND (f.kind IS NULL OR t.published_at > f.p OR (t.published_at = f.p AND t.item_id >= f.i)))
       ORDER BY it.published_at ASC, it.id ASC
       LIMIT ?5`,
    )
    .bind(JSON.stringify(floors), o.cutoff, all.p, all.i, batchSize)
    .all<{ id: string }>();
  if (results.length === 0) return { removed: [], feeds: [] };

  const ids = JSON.stringify(results.map((r) => r.id));
  const [touched] = await db.batch<{ kind: string; slug: string }>([
    db
      .prepare("SELECT DISTINCT kind, slug FROM item_terms WHERE item_id IN (SELECT value FROM json_each(?))")
      .bind(ids),
    db
      .prepare(
        "DELETE FROM items_fts WHERE rowid IN (SELECT rowid FROM items WHERE id IN (SELECT value FROM json_each(?)))",
      )
      .bind(ids),
    db.prepare("DELETE FROM item_terms WHERE item_id IN (SELECT value FROM json_each(?))").bind(ids),
    db.prepare("DELETE FROM items WHERE id IN (SELECT value FROM json_each(?))").bind(ids),
  ]);
  return {
    removed: results.map((r) => r.id),
    feeds: ["all", ...touched!.results.map((t) => `${t.kind}:${t.slug}`)],
  };
}
