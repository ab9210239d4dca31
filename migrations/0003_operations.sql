-- Operations and polite crawling: pausing sources, listing leases and drift state, per-host
-- state (robots.txt cache, Retry-After, pacing), one-shot backfill pages and per-source run stats.
-- Times are milliseconds since the Unix epoch (UTC).

-- A paused source is never polled (by cron or admin) until resumed; `enabled` stays config.
ALTER TABLE sources ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN paused_at INTEGER;

-- host: lower-case host[:port] of the listing URL, to find the listings a throttled host holds up.
ALTER TABLE listings ADD COLUMN host TEXT NOT NULL DEFAULT '';
-- A run claims the listings it will read (lease_owner = "run:<id>") until lease_until, so two
-- overlapping runs never read the same listing. Released when the run ends.
ALTER TABLE listings ADD COLUMN lease_owner TEXT;
ALTER TABLE listings ADD COLUMN lease_until INTEGER;
-- 1: a page queued by POST /admin/sources/{id}/backfill, read once and then deleted.
ALTER TABLE listings ADD COLUMN backfill INTEGER NOT NULL DEFAULT 0;
-- What the last read looked like, for drift warnings.
ALTER TABLE listings ADD COLUMN last_body_bytes INTEGER;
ALTER TABLE listings ADD COLUMN last_rows_matched INTEGER;
ALTER TABLE listings ADD COLUMN drift TEXT;           -- warning code, NULL when the last read looked right
ALTER TABLE listings ADD COLUMN drift_message TEXT;
ALTER TABLE listings ADD COLUMN last_error_code TEXT;    -- kind of the last failure (http, timeout, robots, …)
CREATE INDEX listings_queue ON listings (backfill, next_fetch_at);

-- One row per host Caravan fetches from.
CREATE TABLE hosts (
  host TEXT PRIMARY KEY,
  robots_rules TEXT,                -- JSON: the robots.txt group that applies to Caravan
  robots_status INTEGER,            -- HTTP status of the last robots.txt fetch
  robots_fetched_at INTEGER,
  robots_expires_at INTEGER,        -- run clock; refetched after this
  blocked_until INTEGER NOT NULL DEFAULT 0,  -- run clock: a 429/503 Retry-After; nothing is fetched before
  blocked_reason TEXT,
  pace_until INTEGER NOT NULL DEFAULT 0      -- wall clock: earliest start of the next request (min interval)
);

ALTER TABLE runs ADD COLUMN deferred INTEGER NOT NULL DEFAULT 0;  -- due listings left for the next run
ALTER TABLE runs ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0;    -- items removed by retention

-- Per run and source: what the run did for that source.
CREATE TABLE run_sources (
  run_id INTEGER NOT NULL,
  source_id TEXT NOT NULL,
  listings_fetched INTEGER NOT NULL DEFAULT 0,
  not_modified INTEGER NOT NULL DEFAULT 0,
  articles_fetched INTEGER NOT NULL DEFAULT 0,
  items_seen INTEGER NOT NULL DEFAULT 0,     -- teasers parsed from the listings read
  items_new INTEGER NOT NULL DEFAULT 0,
  items_updated INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  subrequests INTEGER NOT NULL DEFAULT 0,
  deferred INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, source_id)
) WITHOUT ROWID;
CREATE INDEX run_sources_source ON run_sources (source_id, run_id DESC);
