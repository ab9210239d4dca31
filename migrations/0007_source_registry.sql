-- The source registry: every source definition Caravan reads, as JSON validated by the zod model
-- (src/model/source.ts, published as schemas/source.schema.json). The files shipped in
-- src/sources/shipped/ seed it; the admin API adds, replaces and removes definitions while the
-- Worker runs. Times are milliseconds since the Unix epoch (UTC).
CREATE TABLE source_registry (
  id TEXT PRIMARY KEY,
  definition TEXT,                  -- JSON; NULL: removed (a tombstone keeps a shipped file from coming back)
  origin TEXT NOT NULL,             -- 'file' (seeded from a shipped file) or 'api' (written through /admin)
  file_hash TEXT,                   -- hash of the shipped file last seeded under this id, if any
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Small named values of the registry: 'seed' is the fingerprint of the shipped files and source
-- vars the registry and listings were last brought into line with.
CREATE TABLE registry_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Per run and source, stories stored with a warning: a publication date no text gave in a form
-- Caravan reads (stored with the time it was first seen), and a link to a host the source may
-- not fetch (stored from the listing or feed alone). Health reports both.
ALTER TABLE run_sources ADD COLUMN dates_unread INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run_sources ADD COLUMN off_host_links INTEGER NOT NULL DEFAULT 0;
