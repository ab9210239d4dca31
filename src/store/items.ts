import type { Item, TermKind, TermOrigin } from "../model/item";
import { ITEM_COLUMNS, type ItemRow, itemFromRow } from "./rows";
import { foldForSearch } from "./search";

export interface Term {
  kind: TermKind;
  slug: string;
  origin: TermOrigin;
}

/** What ingest knows about a stored item, to decide whether anything must be written. */
export interface StoredItemState {
  id: string;
  /** The source that first stored the item (it owns its content). */
  sourceId: string;
  /** Every source that has linked the story (its source feeds). */
  sources: string[];
  contentHash: string;
  teaserHash: string | null;
  firstSeenAt: string;
  updatedAt: string;
  countries: string[];
  regions: string[];
  topics: string[];
}

/** One item to insert or update, with its feed memberships. */
export interface ItemWrite {
  item: Item;
  terms: Term[];
  contentHash: string;
  teaserHash: string | null;
  /** Plain text of the body for the search index; undefined when the text did not change. */
  bodyText?: string;
}

// D1 allows at most 100 bound parameters per statement.
const MAX_PARAMS = 100;
// Statements per db.batch call; keeps each batch well under D1's request size limit.
const BATCH_SIZE = 50;

export async function getItemStates(db: D1Database, ids: string[]): Promise<Map<string, StoredItemState>> {
  const states = new Map<string, StoredItemState>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += MAX_PARAMS) {
    const chunk = unique.slice(i, i + MAX_PARAMS);
    const sql = `SELECT id, source_id, content_hash, teaser_hash, first_seen_at, updated_at, countries, regions, topics,
        (SELECT json_group_array(t.slug) FROM item_terms t WHERE t.item_id = items.id AND t.kind = 'source') AS sources
      FROM items WHERE id IN (${chunk.map(() => "?").join(",")})`;
    const { results } = await db
      .prepare(sql)
      .bind(...chunk)
      .all<
        Pick<
          ItemRow,
          | "id"
          | "source_id"
          | "content_hash"
          | "teaser_hash"
          | "first_seen_at"
          | "updated_at"
          | "countries"
          | "regions"
          | "topics"
        > & {
          sources: string;
        }
      >();
    for (const r of results) {
      states.set(r.id, {
        id: r.id,
        sourceId: r.source_id,
        sources: JSON.parse(r.sources) as string[],
        contentHash: r.content_hash,
        teaserHash: r.teaser_hash,
        firstSeenAt: new Date(r.first_seen_at).toISOString(),
        updatedAt: new Date(r.updated_at).toISOString(),
        countries: JSON.parse(r.countries),
        regions: JSON.parse(r.regions),
        topics: JSON.parse(r.topics),
      });
    }
  }
  return states;
}

/** Inserts or updates items and their terms in batches. first_seen_at is never overwritten. */
export async function writeItems(db: D1Database, writes: ItemWrite[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  const upsert = db.prepare(
    `INSERT INTO items (${ITEM_COLUMNS}) VALUES (${Array(19).fill("?").join(",")})
     ON CONFLICT(id) DO UPDATE SET url = excluded.url, title = excluded.title, summary = excluded.summary,
       content_html = excluded.content_html, authors = excluded.authors, published_at = excluded.published_at,
       updated_at = excluded.updated_at, image_url = excluded.image_url, image_caption = excluded.image_caption,
       language = excluded.language, source_id = excluded.source_id, countries = excluded.countries,
       regions = excluded.regions, topics = excluded.topics, tags = excluded.tags,
       content_hash = excluded.content_hash, teaser_hash = excluded.teaser_hash`,
  );
  const movePublished = db.prepare("UPDATE item_terms SET published_at = ? WHERE item_id = ?");
  const unindex = db.prepare("DELETE FROM items_fts WHERE rowid = (SELECT rowid FROM items WHERE id = ?)");
  const index = db.prepare(
    "INSERT INTO items_fts (rowid, title, summary, body) SELECT rowid, ?, ?, ? FROM items WHERE id = ?",
  );
  for (const w of writes) {
    const it = w.item;
    const publishedMs = Date.parse(it.publishedAt);
    statements.push(
      upsert.bind(
        it.id,
        it.url,
        it.title,
        it.summary,
        it.contentHtml,
        JSON.stringify(it.authors),
        publishedMs,
        Date.parse(it.updatedAt),
        Date.parse(it.firstSeenAt),
        it.image?.url ?? null,
        it.image?.caption ?? null,
        it.language,
        it.sourceId,
        JSON.stringify(it.countries),
        JSON.stringify(it.regions),
        JSON.stringify(it.topics),
        JSON.stringify(it.tags),
        w.contentHash,
        w.teaserHash,
      ),
      movePublished.bind(publishedMs, it.id),
    );
    if (w.bodyText !== undefined) {
      statements.push(
        unindex.bind(it.id),
        index.bind(foldForSearch(it.title), foldForSearch(it.summary ?? ""), foldForSearch(w.bodyText), it.id),
      );
    }
    statements.push(...termInserts(db, it.id, publishedMs, w.terms));
  }
  await runBatches(db, statements);
}

/** Records the teaser hash of items whose stored content did not change (a cheap update). */
export async function setTeaserHashes(db: D1Database, hashes: { id: string; teaserHash: string }[]): Promise<void> {
  const stmt = db.prepare("UPDATE items SET teaser_hash = ? WHERE id = ?");
  await runBatches(
    db,
    hashes.map((h) => stmt.bind(h.teaserHash, h.id)),
  );
}

function termInserts(db: D1Database, itemId: string, publishedMs: number, terms: Term[]): D1PreparedStatement[] {
  const perRow = 5;
  const rowsPerStatement = Math.floor(MAX_PARAMS / perRow);
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < terms.length; i += rowsPerStatement) {
    const chunk = terms.slice(i, i + rowsPerStatement);
    const sql = `INSERT INTO item_terms (item_id, kind, slug, origin, published_at) VALUES ${chunk.map(() => "(?,?,?,?,?)").join(",")}
      ON CONFLICT (item_id, kind, slug) DO NOTHING`;
    out.push(db.prepare(sql).bind(...chunk.flatMap((t) => [itemId, t.kind, t.slug, t.origin, publishedMs])));
  }
  return out;
}

export async function runBatches(db: D1Database, statements: D1PreparedStatement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += BATCH_SIZE) {
    await db.batch(statements.slice(i, i + BATCH_SIZE));
  }
}

/** A position in newest-first order: items strictly older than this come next. */
export interface Cursor {
  publishedAt: number;
  id: string;
}

export async function getItem(db: D1Database, id: string): Promise<Item | null> {
  const row = await db.prepare(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = ?`).bind(id).first<ItemRow>();
  return row ? itemFromRow(row) : null;
}

export interface TermStats {
  kind: TermKind;
  slug: string;
  items: number;
  newest: string | null;
}

/** Item counts and newest dates per feed, for the index page (cached; not on the feed hot path). */
export async function termStats(db: D1Database): Promise<{ all: TermStats; terms: TermStats[] }> {
  const [terms, all] = await db.batch<{ kind: TermKind; slug: string; items: number; newest: number | null }>([
    db.prepare("SELECT kind, slug, count(*) AS items, max(published_at) AS newest FROM item_terms GROUP BY kind, slug"),
    db.prepare("SELECT 'all' AS kind, 'all' AS slug, count(*) AS items, max(published_at) AS newest FROM items"),
  ]);
  const toStats = (r: { kind: TermKind; slug: string; items: number; newest: number | null }): TermStats => ({
    kind: r.kind,
    slug: r.slug,
    items: r.items,
    newest: r.newest === null ? null : new Date(r.newest).toISOString(),
  });
  return { all: toStats(all!.results[0]!), terms: terms!.results.map(toStats) };
}
