/**
 * Per-host crawl state in D1: the cached robots.txt rules, a Retry-After block, and the pacing
 * slot that spaces requests to one host (shared by every run, so overlapping runs and later
 * queue consumers keep the interval too).
 */
import type { RobotsRules } from "../model/robots";

export interface HostRow {
  host: string;
  robots_rules: string | null;
  robots_status: number | null;
  robots_fetched_at: number | null;
  robots_expires_at: number | null;
  blocked_until: number;
  blocked_reason: string | null;
  pace_until: number;
}

export interface CachedRobots {
  rules: RobotsRules;
  status: number | null;
  fetchedAt: number;
}

export async function getHost(db: D1Database, host: string): Promise<HostRow | null> {
  return db.prepare("SELECT * FROM hosts WHERE host = ?").bind(host).first<HostRow>();
}

export async function listHosts(db: D1Database): Promise<HostRow[]> {
  const { results } = await db.prepare("SELECT * FROM hosts ORDER BY host").all<HostRow>();
  return results;
}

/** The robots rules cached for a host, unless they expired by `now` (run clock). */
export async function cachedRobots(db: D1Database, host: string, now: number): Promise<CachedRobots | null> {
  const row = await db
    .prepare(
      "SELECT robots_rules, robots_status, robots_fetched_at FROM hosts WHERE host = ? AND robots_expires_at > ?",
    )
    .bind(host, now)
    .first<Pick<HostRow, "robots_rules" | "robots_status" | "robots_fetched_at">>();
  if (!row || row.robots_rules === null) return null;
  try {
    return {
      rules: JSON.parse(row.robots_rules) as RobotsRules,
      status: row.robots_status,
      fetchedAt: row.robots_fetched_at ?? 0,
    };
  } catch {
    return null; // a damaged cache entry is refetched
  }
}

export async function saveRobots(
  db: D1Database,
  host: string,
  rules: RobotsRules,
  status: number | null,
  now: number,
  expiresAt: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO hosts (host, robots_rules, robots_status, robots_fetched_at, robots_expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT(host) DO UPDATE SET robots_rules = ?2, robots_status = ?3, robots_fetched_at = ?4, robots_expires_at = ?5`,
    )
    .bind(host, JSON.stringify(rules), status, now, expiresAt)
    .run();
}

/** Nothing is fetched from `host` before `until` (run clock); a later block never shortens. */
export async function blockHost(db: D1Database, host: string, until: number, reason: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO hosts (host, blocked_until, blocked_reason) VALUES (?1, ?2, ?3)
       ON CONFLICT(host) DO UPDATE SET blocked_reason = CASE WHEN ?2 >= hosts.blocked_until THEN ?3 ELSE hosts.blocked_reason END,
         blocked_until = max(hosts.blocked_until, ?2)`,
    )
    .bind(host, until, reason.slice(0, 500))
    .run();
}

/** Hosts blocked at `now`, with the time they may be asked again. */
export async function blockedHosts(db: D1Database, now: number): Promise<Map<string, number>> {
  const { results } = await db
    .prepare("SELECT host, blocked_until FROM hosts WHERE blocked_until > ?")
    .bind(now)
    .all<{ host: string; blocked_until: number }>();
  return new Map(results.map((r) => [r.host, r.blocked_until]));
}

/**
 * Reserves the next request slot for a host, `intervalMs` after the previous one (wall clock),
 * and answers when that slot starts. One atomic statement, so concurrent runs get distinct slots.
 */
export async function reservePaceSlot(
  db: D1Database,
  host: string,
  wallNow: number,
  intervalMs: number,
): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO hosts (host, pace_until) VALUES (?1, ?2 + ?3)
       ON CONFLICT(host) DO UPDATE SET pace_until = max(hosts.pace_until, ?2) + ?3
       RETURNING pace_until - ?3 AS slot`,
    )
    .bind(host, wallNow, intervalMs)
    .first<{ slot: number }>();
  return row?.slot ?? wallNow;
}
