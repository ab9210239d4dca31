import type { Item, TermKind } from "../model/item";
import type { Cursor } from "./items";
import { ITEM_COLUMNS, type ItemRow, itemFromRow } from "./rows";

/**
 * Which items a feed page or an API page holds. Within one term kind the slugs are OR-ed, across
 * kinds AND-ed: { region: [caucasus], topic: [security, politics] } is "Caucasus stories about
 * security or politics".
 */
export interface ItemFilter {
  /** The feed itself (e.g. region caucasus): AND-ed with `terms`, like one more kind. */
  base: { kind: TermKind; slug: string } | null;
  terms: Partial<Record<TermKind, string[]>>;
  languages: string[];
  /** Inclusive bounds on publishedAt, ms. */
  since: number | null;
  until: number | null;
  /** An FTS5 MATCH expression, already built from the user's words (see search.ts). */
  match: string | null;
}

export const NO_FILTER: ItemFilter = { base: null, terms: {}, languages: [], since: null, until: null, match: null };

/**
 * One page of items, newest first by publishedAt with ties broken by id, strictly after
 * `before` when given. Keyset paging: a page boundary is a (publishedAt, id) pair, so items
 * inserted while a reader walks the pages neither repeat nor push others out of sight.
 *
 * See buildItemQuery for how the rows are found.
 */
export async function queryItems(
  db: D1Database,
  filter: ItemFilter,
  limit: number,
  before: Cursor | null,
): Promise<Item[]> {
  const { sql, params } = buildItemQuery(filter, limit, before);
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<ItemRow>();
  return results.map(itemFromRow);
}

/** One term condition: the item has any of these slugs of this kind. */
interface TermCondition {
  kind: TermKind;
  slugs: string[];
}

/**
 * Which single-slug condition drives the walk when there are several: usually the fewest rows
 * first (a country is a small part of its region; a source carries many topics), so the walk is
 * short. The result is the same whichever drives; only the number of rows visited differs.
 */
const DRIVER_ORDER: TermKind[] = ["country", "topic", "region", "source"];

/**
 * The SQL of queryItems, apart so the benchmark can time the same statement on plain SQLite.
 *
 * One term condition with a single slug drives the query: its stretch of the item_terms_feed
 * index (kind, slug, published_at DESC, item_id DESC) is walked newest first and the walk stops
 * after `limit` rows pass, so the cost follows the page, not the number of items stored. With
 * no such condition, the items (published_at, id) index is walked the same way.
 *
 * Every other term condition is checked on each walked row by looking the same (published_at,
 * item_id) up in that term's stretch of the same index. Consecutive rows of the walk are close
 * in time, so those look-ups land next to each other in the index, whatever its size; looking
 * up by item id instead (the primary key) would jump to a random place for each row, which
 * costs more the bigger the table. The check reads only the driving row, so it runs before the
 * item itself is fetched: only rows that pass are joined to items.
 */
export function buildItemQuery(
  filter: ItemFilter,
  limit: number,
  before: Cursor | null,
): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];

  const conditions: TermCondition[] = [];
  if (filter.base) conditions.push({ kind: filter.base.kind, slugs: [filter.base.slug] });
  for (const [kind, slugs] of Object.entries(filter.terms) as [TermKind, string[] | undefined][]) {
    if (slugs && slugs.length > 0) conditions.push({ kind, slugs });
  }
  const driver = pickDriver(conditions);

  let from: string;
  let pub: string;
  let id: string;
  if (driver) {
    from = "item_terms b JOIN items i ON i.id = b.item_id";
    where.push("b.kind = ?", "b.slug = ?");
    params.push(driver.kind, driver.slugs[0]);
    pub = "b.published_at";
    id = "b.item_id";
  } else {
    from = "items i";
    pub = "i.published_at";
    id = "i.id";
  }
  const order = `${pub} DESC, ${id} DESC`;

  for (const c of conditions) {
    if (c === driver) continue;
    where.push(
      `EXISTS (SELECT 1 FROM item_terms f INDEXED BY item_terms_feed WHERE f.kind = ? AND f.slug IN (${c.slugs.map(() => "?").join(",")}) AND f.published_at = ${pub} AND f.item_id = ${id})`,
    );
    params.push(c.kind, ...c.slugs);
  }
  if (filter.languages.length > 0) {
    where.push(`i.language IN (${filter.languages.map(() => "?").join(",")})`);
    params.push(...filter.languages);
  }
  if (filter.since !== null) {
    where.push(`${pub} >= ?`);
    params.push(filter.since);
  }
  if (filter.until !== null) {
    where.push(`${pub} <= ?`);
    params.push(filter.until);
  }
  if (filter.match !== null) {
    where.push("i.rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)");
    params.push(filter.match);
  }
  if (before) {
    // The plain `<=` bounds the index range; the OR alone would make SQLite walk the index from
    // the newest entry down to the cursor (the "cursor halfway down" query figure of `npm run bench`).
    where.push(`${pub} <= ?`, `(${pub} < ? OR (${pub} = ? AND ${id} < ?))`);
    params.push(before.publishedAt, before.publishedAt, before.publishedAt, before.id);
  }
  const sql = `SELECT ${ITEM_COLUMNS.split(", ")
    .map((c) => `i.${c}`)
    .join(", ")} FROM ${from}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order} LIMIT ?`;
  params.push(limit);
  return { sql, params };
}

function pickDriver(conditions: TermCondition[]): TermCondition | null {
  const single = conditions.filter((c) => c.slugs.length === 1);
  single.sort((a, b) => DRIVER_ORDER.indexOf(a.kind) - DRIVER_ORDER.indexOf(b.kind));
  return single[0] ?? null;
}

/** The cursor that continues after the last item of a page. */
export function cursorAfter(items: Item[]): Cursor | null {
  const last = items.at(-1);
  return last ? { publishedAt: Date.parse(last.publishedAt), id: last.id } : null;
}

/** Opaque, URL-safe cursor text: base64url of "publishedAtMs.id". */
export function encodeCursor(c: Cursor): string {
  return btoa(`${c.publishedAt}.${c.id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const plain = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const m = /^(-?\d{1,15})\.([0-9a-f]{32})$/.exec(plain);
    return m ? { publishedAt: Number(m[1]), id: m[2]! } : null;
  } catch {
    return null;
  }
}
