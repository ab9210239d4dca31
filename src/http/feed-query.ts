import { HttpError } from "./errors";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export interface FeedQueryParams {
  limit: number;
}

const KNOWN = ["limit"];

/**
 * Reads a feed URL's query. Unknown parameters are refused rather than ignored: a reader that
 * asks for ?topic=… on a server that does not filter should hear so, not get the wrong feed.
 */
export function parseFeedQuery(url: URL): FeedQueryParams {
  for (const key of new Set(url.searchParams.keys())) {
    if (!KNOWN.includes(key)) {
      throw new HttpError(400, "unknown_parameter", `unknown query parameter "${truncate(key)}"`, { valid: KNOWN });
    }
  }
  const limits = url.searchParams.getAll("limit");
  if (limits.length > 1) throw new HttpError(400, "invalid_limit", "limit may be given once", { allowed: `1..${MAX_LIMIT}` });
  let limit = DEFAULT_LIMIT;
  if (limits.length === 1) {
    const raw = limits[0]!;
    if (!/^\d{1,4}$/.test(raw) || +raw < 1 || +raw > MAX_LIMIT) {
      throw new HttpError(400, "invalid_limit", `limit must be a whole number from 1 to ${MAX_LIMIT}, got "${truncate(raw)}"`, {
        allowed: `1..${MAX_LIMIT}`,
        default: DEFAULT_LIMIT,
      });
    }
    limit = +raw;
  }
  return { limit };
}

/** The query in a fixed order, so equal queries share one cache entry. */
export function normalizedQuery(q: FeedQueryParams): string {
  return q.limit === DEFAULT_LIMIT ? "" : `limit=${q.limit}`;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
