-- Rendered-feed writes to KV per UTC day, against the daily ceiling CACHE_WRITES_PER_DAY
-- (src/store/feed-cache.ts). One row a day; old rows are a few bytes each and may be pruned.
CREATE TABLE cache_writes (
  day TEXT PRIMARY KEY,          -- YYYY-MM-DD, UTC
  writes INTEGER NOT NULL
) WITHOUT ROWID;
