-- Full-text search over title, summary and body text (FTS5, rowid = items.rowid). Kept in step
-- by the store code (src/store/items.ts), which indexes the body as plain text.
CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, body, tokenize = 'unicode61 remove_diacritics 2');

-- Existing rows: indexed from their stored HTML (tags are indexed as words until the item is
-- next written; harmless for search, and no rows exist before this migration in a new install).
INSERT INTO items_fts (rowid, title, summary, body)
  SELECT rowid, title, coalesce(summary, ''), coalesce(content_html, '') FROM items;
