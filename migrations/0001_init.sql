-- Caravan's source of truth. Times are milliseconds since the Unix epoch (UTC) unless named *_iso.

-- One row per configured source; the definitions live in code (src/sources), this holds state.
CREATE TABLE sources (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  last_success_at INTEGER,
  last_error TEXT,
  last_error_at INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0
);

-- One row per listing page to poll (a listing path and page number under a source's base URL).
CREATE TABLE listings (
  id TEXT PRIMARY KEY,              -- "<source>:<path>?page=N"
  source_id TEXT NOT NULL,
  url TEXT NOT NULL,                -- last URL polled (the base URL may change by config)
  next_fetch_at INTEGER NOT NULL DEFAULT 0,
  etag TEXT,
  last_modified TEXT,
  last_status INTEGER,
  last_error TEXT,
  last_fetched_at INTEGER,
  last_success_at INTEGER,
  last_item_count INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX listings_due ON listings (next_fetch_at);

-- One row per story. The JSON columns mirror item_terms for cheap whole-item reads.
CREATE TABLE items (
  id TEXT PRIMARY KEY,              -- 32 hex: first 128 bits of SHA-256(canonical URL)
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT,
  content_html TEXT,
  authors TEXT NOT NULL DEFAULT '[]',
  published_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  first_seen_at INTEGER NOT NULL,
  image_url TEXT,
  image_caption TEXT,
  language TEXT NOT NULL,
  source_id TEXT NOT NULL,
  countries TEXT NOT NULL DEFAULT '[]',
  regions TEXT NOT NULL DEFAULT '[]',
  topics TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  content_hash TEXT NOT NULL,       -- hash of the stored fields; equal hash means nothing to write
  teaser_hash TEXT                  -- hash of the listing teaser last seen; NULL forces a re-fetch
);
CREATE INDEX items_newest ON items (published_at DESC, id DESC);

-- Every feed membership of an item: kind is region, country, topic or source. published_at is
-- copied here so a feed page is one index range scan whatever the number of items stored.
CREATE TABLE item_terms (
  item_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  slug TEXT NOT NULL,
  origin TEXT NOT NULL,             -- 'source' (the source said so) or 'tagger' (inferred)
  published_at INTEGER NOT NULL,
  PRIMARY KEY (item_id, kind, slug)
) WITHOUT ROWID;
CREATE INDEX item_terms_feed ON item_terms (kind, slug, published_at DESC, item_id DESC);

-- One row per scheduled or manual ingest run.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  trigger TEXT NOT NULL,            -- 'cron' or 'admin'
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  listings_fetched INTEGER NOT NULL DEFAULT 0,
  not_modified INTEGER NOT NULL DEFAULT 0,
  articles_fetched INTEGER NOT NULL DEFAULT 0,
  items_new INTEGER NOT NULL DEFAULT 0,
  items_updated INTEGER NOT NULL DEFAULT 0,
  errors INTEGER NOT NULL DEFAULT 0,
  subrequests INTEGER NOT NULL DEFAULT 0
);

-- Errors met during a run, one row each, kept with the run for operators.
CREATE TABLE run_errors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  source_id TEXT NOT NULL,
  listing_id TEXT,
  url TEXT NOT NULL,
  message TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX run_errors_run ON run_errors (run_id);
