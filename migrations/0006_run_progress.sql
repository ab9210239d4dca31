-- Run progress: a run records what it does as it goes, so a run whose Worker died (eviction, a
-- deploy, a CPU limit) can be told from a live one, closed as `interrupted` with what it had done,
-- and its listing leases freed at once. Times are milliseconds since the Unix epoch (UTC), on the
-- run clock.

-- running | finished | interrupted. NULL on rows written before this migration: finished when
-- finished_at is set, else a run that never finished (closed as interrupted by the next run).
ALTER TABLE runs ADD COLUMN status TEXT;
-- Last sign of life: written when the run starts, after each answer from a site (at most every
-- few seconds) and with each listing's outcome. A run whose heartbeat is too old is dead.
ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
-- For an interrupted run: when the run that closed it noticed, and how many leases it freed.
ALTER TABLE runs ADD COLUMN interrupted_at INTEGER;
ALTER TABLE runs ADD COLUMN leases_freed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX runs_open ON runs (finished_at, status);

-- One row per listing a run finished, written in the same batch as the listing's new state.
CREATE TABLE run_listings (
  run_id INTEGER NOT NULL,
  listing_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  outcome TEXT NOT NULL,            -- not-modified | fetched | failed | deferred
  status INTEGER,                   -- HTTP status of the listing's answer, when there was one
  error_code TEXT,                  -- kind of failure (http, timeout, challenge, …)
  at INTEGER NOT NULL,
  PRIMARY KEY (run_id, listing_id)
) WITHOUT ROWID;

