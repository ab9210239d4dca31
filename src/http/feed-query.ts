import type { TermKind } from "../model/item";
import { FEED_KINDS, type FeedCatalog } from "../sources/feeds";
import type { Cursor } from "../store/items";
import { decodeCursor, encodeCursor } from "../store/query";
import { clip, HttpError } from "./errors";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
const MAX_Q_LENGTH = 256;

/** A feed URL's query, validated: filters (OR within a key, AND across keys), paging, search. */
export interface FeedQueryParams {
  terms: Partial<Record<TermKind, string[]>>;
  languages: string[];
  q: string | null;
  limit: number;
  cursor: Cursor | null;
}

const TERM_KEYS = FEED_KINDS; // region, country, topic, source
const KNOWN = [...TERM_KEYS, "lang", "q", "limit", "cursor"];

/**
 * Reads a feed URL's query. Unknown parameters are refused rather than ignored: a reader that
 * asks for a filter this server does not have should hear so, not get an unfiltered feed.
 */
export function parseFeedQuery(url: URL, catalog: FeedCatalog): FeedQueryParams {
  const params = url.searchParams;
  for (const key of new Set(params.keys())) {
    if (!KNOWN.includes(key)) {
      throw new HttpError(400, "unknown_parameter", `unknown query parameter "${clip(key)}"`, { valid: KNOWN });
    }
  }

  const terms: Partial<Record<TermKind, string[]>> = {};
  for (const kind of TERM_KEYS) {
    const values = splitValues(params.getAll(kind));
    if (values.length === 0) continue;
    const valid = catalog.slugsOf(kind);
    const unknown = values.find((v) => !valid.includes(v));
    if (unknown !== undefined) {
      throw new HttpError(400, `invalid_${kind}`, `unknown ${kind} "${clip(unknown)}"`, { valid });
    }
    terms[kind] = [...new Set(values)].sort();
  }

  const languages = [...new Set(splitValues(params.getAll("lang")))].sort();
  const badLang = languages.find((l) => !catalog.languages.includes(l));
  if (badLang !== undefined) {
    throw new HttpError(
      400,
      "invalid_lang",
      `unknown lang "${clip(badLang)}": one of ${catalog.languages.join(", ")}`,
      {
        valid: [...catalog.languages],
      },
    );
  }

  const q = single(params, "q");
  if (q !== null && (q.trim() === "" || q.length > MAX_Q_LENGTH)) {
    throw new HttpError(400, "invalid_q", `q must be 1 to ${MAX_Q_LENGTH} characters of search words`, {});
  }

  let limit = DEFAULT_LIMIT;
  const rawLimit = single(params, "limit");
  if (rawLimit !== null) {
    if (!/^\d{1,4}$/.test(rawLimit) || +rawLimit < 1 || +rawLimit > MAX_LIMIT) {
      throw new HttpError(
        400,
        "invalid_limit",
        `limit must be a whole number from 1 to ${MAX_LIMIT}, got "${clip(rawLimit)}"`,
        {
          allowed: `1..${MAX_LIMIT}`,
          default: DEFAULT_LIMIT,
        },
      );
    }
    limit = +rawLimit;
  }

  const rawCursor = single(params, "cursor");
  const cursor = rawCursor === null ? null : decodeCursor(rawCursor);
  if (rawCursor !== null && cursor === null) {
    throw new HttpError(
      400,
      "invalid_cursor",
      "cursor is not one this server gave out: follow the feed's next link",
      {},
    );
  }
  return { terms, languages, q: q?.trim() ?? null, limit, cursor };
}

/**
 * The query in one canonical order, so equal queries share one cache entry and one self link.
 * `withCursor` false gives the first page's query (the feed's identity).
 */
export function canonicalQuery(q: FeedQueryParams, withCursor = true): string {
  const parts: [string, string][] = [];
  for (const kind of TERM_KEYS) for (const v of q.terms[kind] ?? []) parts.push([kind, v]);
  for (const l of q.languages) parts.push(["lang", l]);
  if (q.q !== null) parts.push(["q", q.q]);
  if (q.limit !== DEFAULT_LIMIT) parts.push(["limit", String(q.limit)]);
  if (withCursor && q.cursor) parts.push(["cursor", encodeCursor(q.cursor)]);
  return new URLSearchParams(parts).toString();
}

export function isFiltered(q: FeedQueryParams): boolean {
  return Object.keys(q.terms).length > 0 || q.languages.length > 0 || q.q !== null;
}

// Both ?topic=a&topic=b and ?topic=a,b are accepted.
function splitValues(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function single(params: URLSearchParams, key: string): string | null {
  const all = params.getAll(key);
  if (all.length > 1) throw new HttpError(400, `invalid_${key}`, `${key} may be given once`, {});
  return all[0] ?? null;
}
