/**
 * Read-only queries behind the API's catalog answers (source health). The rows are written by
 * ingest (listings.ts, runs.ts); nothing here writes.
 */

/** What the public API shows of a source's health (the admin report is store/health.ts SourceHealth). */
export interface PublicSourceHealth {
  /** Whether the source has a row yet: it gets one at the first run after it is configured. */
  known: boolean;
  lastSuccessAt: string | null;
  lastError: { message: string; at: string | null } | null;
  consecutiveFailures: number;
  /** Items filed under the source, and the newest publication date among them. */
  items: number;
  newest: string | null;
  listings: { total: number; failing: number };
}

interface SourceStateRow {
  id: string;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  consecutive_failures: number;
}

/**
 * Health of every source D1 knows about, keyed by source id, in one round trip. Item counts come
 * from the (kind, slug, ...) index of item_terms, as the feed catalog's do, so both agree.
 */
export async function readSourceHealth(db: D1Database): Promise<Map<string, PublicSourceHealth>> {
  const [sourceRows, itemRows, listingRows] = await db.batch<Record<string, unknown>>([
    db.prepare("SELECT id, last_success_at, last_error, last_error_at, consecutive_failures FROM sources"),
    db.prepare(
      "SELECT slug AS id, count(*) AS items, max(published_at) AS newest FROM item_terms WHERE kind = 'source' GROUP BY slug",
    ),
    db.prepare(
      "SELECT source_id AS id, count(*) AS total, sum(consecutive_failures > 0) AS failing FROM listings GROUP BY source_id",
    ),
  ]);
  const out = new Map<string, PublicSourceHealth>();
  const entry = (id: string): PublicSourceHealth => {
    let h = out.get(id);
    if (!h) {
      h = {
        known: false,
        lastSuccessAt: null,
        lastError: null,
        consecutiveFailures: 0,
        items: 0,
        newest: null,
        listings: { total: 0, failing: 0 },
      };
      out.set(id, h);
    }
    return h;
  };
  for (const r of sourceRows!.results as unknown as SourceStateRow[]) {
    const h = entry(r.id);
    h.known = true;
    h.lastSuccessAt = iso(r.last_success_at);
    h.lastError = r.last_error === null ? null : { message: r.last_error, at: iso(r.last_error_at) };
    h.consecutiveFailures = r.consecutive_failures;
  }
  for (const r of itemRows!.results as unknown as { id: string; items: number; newest: number | null }[]) {
    const h = entry(r.id);
    h.items = r.items;
    h.newest = iso(r.newest);
  }
  for (const r of listingRows!.results as unknown as { id: string; total: number; failing: number | null }[]) {
    entry(r.id).listings = { total: r.total, failing: r.failing ?? 0 };
  }
  return out;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
