/**
 * Source health for operators: per source its last success, consecutive failures, items per
 * run, its listings' state, and warnings that say what looks wrong and what to do about it.
 */
import { listHosts } from "./hosts";
import { type ListingRow, listListings } from "./listings";

/** A listing failing this many times in a row is reported. */
export const FAILING_AFTER = 3;
/** A source without a successful read for this long is reported as stale. */
export const STALE_AFTER_MS = 24 * 3600_000;
/** Runs averaged for "items per run". */
const RECENT_RUNS = 10;

export type WarningCode =
  | "paused"
  | "failing"
  | "stale"
  | "throttled"
  | "robots_disallowed"
  | "zero_items"
  | "selector_miss"
  | "near_empty_body"
  | "bot_challenge"
  | "held_by_dead_run"
  | "dates_unread"
  | "off_host_links";

export interface HealthWarning {
  code: WarningCode;
  listingId: string | null;
  message: string;
  /** What an operator should do. */
  advice: string;
}

export interface ListingHealth {
  id: string;
  url: string;
  backfill: boolean;
  nextFetchAt: string;
  lastFetchedAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  lastItemCount: number | null;
  leasedBy: string | null;
  drift: { code: string; message: string | null } | null;
}

export interface SourceHealth {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  paused: boolean;
  pausedAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  /** Averages over the source's last runs: teasers seen, items new and updated, subrequests. */
  itemsPerRun: { runs: number; seen: number; new: number; updated: number; subrequests: number };
  itemsStored: number;
  listings: ListingHealth[];
  warnings: HealthWarning[];
}

interface SourceRow {
  id: string;
  name: string;
  kind: string;
  enabled: number;
  paused: number;
  paused_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  consecutive_failures: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Listings leased by a run that shows no sign of life since `deadBefore`, or that has ended. */
interface DeadLease {
  listing_id: string;
  source_id: string;
  run_id: number;
  seen: number;
}

/**
 * `deadBefore`: a running run whose last heartbeat is older than this is taken for dead (its
 * Worker stopped), and listings it still leases are reported until a later run frees them.
 */
export async function sourceHealth(db: D1Database, now: number, deadBefore = now): Promise<SourceHealth[]> {
  const [sourceRows, perRun, stored, deadLeases] = await db.batch<Record<string, unknown>>([
    db.prepare("SELECT * FROM sources ORDER BY id"),
    db
      .prepare(
        `SELECT source_id, count(*) AS runs, avg(items_seen) AS seen, avg(items_new) AS new, avg(items_updated) AS updated,
         avg(subrequests) AS subrequests, sum(dates_unread) AS dates_unread, sum(off_host_links) AS off_host_links
       FROM (SELECT *, row_number() OVER (PARTITION BY source_id ORDER BY run_id DESC) AS n FROM run_sources)
       WHERE n <= ? GROUP BY source_id`,
      )
      .bind(RECENT_RUNS),
    db.prepare("SELECT slug AS source_id, count(*) AS n FROM item_terms WHERE kind = 'source' GROUP BY slug"),
    db
      .prepare(
        `SELECT l.id AS listing_id, l.source_id, r.id AS run_id, coalesce(r.heartbeat_at, r.started_at) AS seen
         FROM listings l JOIN runs r ON l.lease_owner = 'run:' || r.id
         WHERE r.finished_at IS NOT NULL OR coalesce(r.heartbeat_at, r.started_at) < ?
         ORDER BY l.id`,
      )
      .bind(deadBefore),
  ]);
  const listings = await listListings(db);
  const blocked = new Map((await listHosts(db)).filter((h) => h.blocked_until > now).map((h) => [h.host, h] as const));
  const runsBySource = new Map((perRun!.results as unknown as RunAverages[]).map((r) => [r.source_id, r]));
  const storedBySource = new Map(
    (stored!.results as { source_id: string; n: number }[]).map((r) => [r.source_id, r.n]),
  );

  return (sourceRows!.results as unknown as SourceRow[]).map((s) => {
    const own = listings.filter((l) => l.source_id === s.id);
    const avg = runsBySource.get(s.id);
    const round = (n: number | undefined) => Math.round((n ?? 0) * 10) / 10;
    const warnings = warningsFor(s, own, blocked, now);
    warnings.push(...deadLeaseWarnings(s.id, deadLeases!.results as unknown as DeadLease[]));
    warnings.push(...storyWarnings(s.id, avg));
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      enabled: s.enabled === 1,
      paused: s.paused === 1,
      pausedAt: iso(s.paused_at),
      lastSuccessAt: iso(s.last_success_at),
      lastErrorAt: iso(s.last_error_at),
      lastError: s.last_error,
      consecutiveFailures: s.consecutive_failures,
      itemsPerRun: {
        runs: avg?.runs ?? 0,
        seen: round(avg?.seen),
        new: round(avg?.new),
        updated: round(avg?.updated),
        subrequests: round(avg?.subrequests),
      },
      itemsStored: storedBySource.get(s.id) ?? 0,
      listings: own.map(listingHealth),
      warnings,
    };
  });
}

interface RunAverages {
  source_id: string;
  runs: number;
  seen: number;
  new: number;
  updated: number;
  subrequests: number;
  dates_unread: number;
  off_host_links: number;
}

/** Stories of the last runs stored with a warning: an unread date, a link to another host. */
function storyWarnings(id: string, avg: RunAverages | undefined): HealthWarning[] {
  const out: HealthWarning[] = [];
  if (avg && avg.dates_unread > 0) {
    out.push({
      code: "dates_unread",
      listingId: null,
      message: `${avg.dates_unread} stories of ${id}'s last ${avg.runs} runs had no publication date Caravan could read: they are dated when first seen`,
      advice: `preview the source (POST /admin/sources/preview) to see the date texts; set articleSelectors.date or the listing's date selector, or timeZone, in its definition`,
    });
  }
  if (avg && avg.off_host_links > 0) {
    out.push({
      code: "off_host_links",
      listingId: null,
      message: `${avg.off_host_links} stories of ${id}'s last ${avg.runs} runs link to hosts the source may not fetch: they are stored from the listing or feed alone`,
      advice: `if those hosts are the source's own, list them in its definition's "hosts" (PUT /admin/sources/${id})`,
    });
  }
  return out;
}

function listingHealth(l: ListingRow): ListingHealth {
  return {
    id: l.id,
    url: l.url,
    backfill: l.backfill === 1,
    nextFetchAt: new Date(l.next_fetch_at).toISOString(),
    lastFetchedAt: iso(l.last_fetched_at),
    lastSuccessAt: iso(l.last_success_at),
    lastStatus: l.last_status,
    lastError: l.last_error,
    consecutiveFailures: l.consecutive_failures,
    lastItemCount: l.last_item_count,
    leasedBy: l.lease_owner,
    drift: l.drift ? { code: l.drift, message: l.drift_message } : null,
  };
}

function warningsFor(
  s: SourceRow,
  listings: ListingRow[],
  blocked: Map<string, { blocked_until: number; blocked_reason: string | null }>,
  now: number,
): HealthWarning[] {
  const out: HealthWarning[] = [];
  if (s.paused) {
    out.push({
      code: "paused",
      listingId: null,
      message: `${s.id} is paused${s.paused_at ? ` since ${iso(s.paused_at)}` : ""}: no run reads it`,
      advice: `POST /admin/sources/${s.id}/resume when it should be read again`,
    });
  }
  const tried = listings.some((l) => l.last_fetched_at !== null);
  if (s.enabled && !s.paused && tried && (s.last_success_at === null || now - s.last_success_at > STALE_AFTER_MS)) {
    out.push({
      code: "stale",
      listingId: null,
      message:
        s.last_success_at === null
          ? `${s.id} has never been read successfully`
          : `${s.id} has had no successful read since ${iso(s.last_success_at)}`,
      advice: "look at the listings' last errors below and at GET /admin/runs; the feeds keep serving what is stored",
    });
  }
  for (const host of new Set(listings.map((l) => l.host))) {
    const b = blocked.get(host);
    if (!b) continue;
    out.push({
      code: "throttled",
      listingId: null,
      message: `${host} asked Caravan to wait until ${iso(b.blocked_until)}${b.blocked_reason ? ` (${b.blocked_reason})` : ""}`,
      advice:
        "nothing to do: its listings wait and resume by themselves; if this recurs, raise HOST_MIN_INTERVAL_MS or the source's pollMinutes",
    });
  }
  for (const l of listings) {
    if (l.backfill) continue; // a backfill page past the end is expected to be empty
    if (l.last_error_code === "challenge" && l.consecutive_failures > 0) {
      // Named at the first one: retrying harder never gets past a challenge.
      out.push({
        code: "bot_challenge",
        listingId: l.id,
        message: `${l.id}: ${l.last_error ?? "bot challenge"}`,
        advice: BOT_CHALLENGE_ADVICE,
      });
    } else if (l.consecutive_failures >= FAILING_AFTER) {
      const robots = l.last_error_code === "robots";
      out.push({
        code: robots ? "robots_disallowed" : "failing",
        listingId: l.id,
        message: `${l.id} failed ${l.consecutive_failures} times in a row: ${l.last_error ?? "unknown error"}`,
        advice: adviceFor(l),
      });
    }
    if (l.drift) {
      out.push({
        code: l.drift as WarningCode,
        listingId: l.id,
        message: l.drift_message ?? l.drift,
        advice: DRIFT_ADVICE[l.drift] ?? "",
      });
    }
  }
  return out;
}

function deadLeaseWarnings(sourceId: string, leases: DeadLease[]): HealthWarning[] {
  const byRun = new Map<number, DeadLease[]>();
  for (const l of leases) if (l.source_id === sourceId) byRun.set(l.run_id, [...(byRun.get(l.run_id) ?? []), l]);
  return [...byRun].map(([runId, held]) => ({
    code: "held_by_dead_run" as const,
    listingId: held.length === 1 ? held[0]!.listing_id : null,
    message:
      `${held.length} listing(s) of ${sourceId} (${held.map((h) => h.listing_id).join(", ")}) are leased by run ${runId}, ` +
      `which stopped without finishing (no sign of life since ${iso(held[0]!.seen)}): no other run reads them while they are`,
    advice: `nothing to do: the next run (cron, admin or queue) closes run ${runId} as interrupted and frees them; POST /admin/ingest frees them now; what run ${runId} did and its errors are in GET /admin/runs`,
  }));
}

const BOT_CHALLENGE_ADVICE =
  "the site (or its CDN) answered with a bot challenge instead of the page: Caravan does not solve challenges, it backs off like after a 429 and tries again later. If it lasts, ask the site owner to allow Caravan's User-Agent (it carries CONTACT_URL), or read the source from a feed the site does not challenge; stored items are untouched meanwhile";

const DRIFT_ADVICE: Record<string, string> = {
  zero_items:
    "open the listing URL: if it still shows stories, the item selector in the source's definition (GET /admin/sources/<id>/definition, PUT to change it) no longer matches; if it is really empty, remove the listing or lower its pages",
  selector_miss:
    "the page layout changed: compare the page with listingSelectors in the source's definition (GET /admin/sources/<id>/definition), fix the selectors and PUT it back; stored items are untouched meanwhile",
  near_empty_body:
    "the site answered 200 with (almost) nothing: often a block page, a maintenance page or a bot wall; open the URL from another network; nothing stored was changed",
};

function adviceFor(l: ListingRow): string {
  switch (l.last_error_code) {
    case "robots":
      return "the site's robots.txt disallows this page for Caravan: remove the listing from the source's definition, or ask the site owner";
    case "timeout":
      return "the site is slow or down: it is retried with backoff; raise FETCH_TIMEOUT_MS if it is only slow";
    case "network":
      return "the site could not be reached or dropped the connection: it is retried with backoff; check the base URL if it lasts";
    case "too_large":
      return "the page is larger than MAX_RESPONSE_BYTES: raise the cap if the page is legitimate";
    case "charset":
      return "the page is not in the charset it declares: tell the site owner; nothing is stored from it meanwhile";
    case "refused":
      return "the URL is a loopback, private, link-local or metadata address, which Caravan never fetches: re-point the listing";
    case "redirect":
      return "the listing redirects in a loop or too often: check the URL in a browser and re-point the listing in the source's definition";
    case "not_a_feed":
      return "the feed URL answered with something that is not a readable feed (a web page, malformed XML, refused entities): open it in a browser and re-point feedUrl in the source's definition (GET /admin/sources/<id>/definition, PUT to change it) if it moved";
    case "selector_miss":
    case "empty_body":
      return "the page no longer looks like a listing: check it in a browser and update listingSelectors in the source's definition (GET /admin/sources/<id>/definition, PUT to change it)";
  }
  if (l.last_status === 404 || l.last_status === 410) {
    return "the listing URL is gone: re-point it or remove it in the source's definition (GET /admin/sources/<id>/definition, PUT to change it) (a 410 is retried once a day)";
  }
  if (l.last_status === 429 || l.last_status === 503) {
    return "the site is throttling or down for maintenance: it is retried after its Retry-After; raise HOST_MIN_INTERVAL_MS if it recurs";
  }
  return "the site is failing: it is retried with exponential backoff (at most once a day); nothing stored is lost meanwhile";
}
