-- The version of each feed's content, bumped by every run that changes the feed. D1 holds the
-- truth (one atomic upsert per feed, so concurrent queue consumers never lose each other's
-- bumps); KV holds a snapshot of the whole table that the serving path reads.
CREATE TABLE feed_versions (
  feed_key TEXT PRIMARY KEY,
  version TEXT NOT NULL
) WITHOUT ROWID;
