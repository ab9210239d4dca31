/**
 * Rendered feeds in KV. Each base feed ("all", "region:caucasus", "source:eurasianet", …) has a
 * version; a cache key includes it, so invalidating a feed is one write of the version map and
 * not a KV list-and-delete per cached variant (KV lists and deletes are scarce on the free
 * plan). Every filtered variant of a feed (?topic=…, ?limit=…) shares its base feed's version,
 * which is complete: an item in a filtered variant is also in the base feed.
 */

export interface CachedFeed {
  body: string;
  etag: string;
  /** RFC 1123 date of the newest item change, or null for an empty feed. */
  lastModified: string | null;
  contentType: string;
}

const VERSIONS_KEY = "feed-versions";
// Superseded entries are never read again; let KV drop them.
const ENTRY_TTL_SECONDS = 7 * 24 * 3600;

export type FeedVersions = Record<string, string>;

export async function readFeedVersions(kv: KVNamespace): Promise<FeedVersions> {
  return (await kv.get<FeedVersions>(VERSIONS_KEY, "json")) ?? {};
}

export function feedCacheKey(versions: FeedVersions, feedKey: string, variant: string): string {
  return `feed:${feedKey}:${versions[feedKey] ?? "0"}:${variant}`;
}

export async function getCachedFeed(kv: KVNamespace, cacheKey: string): Promise<CachedFeed | null> {
  return kv.get<CachedFeed>(cacheKey, "json");
}

export async function putCachedFeed(kv: KVNamespace, cacheKey: string, feed: CachedFeed): Promise<void> {
  await kv.put(cacheKey, JSON.stringify(feed), { expirationTtl: ENTRY_TTL_SECONDS });
}

/** Gives each named feed a new version, so its cached variants are no longer found. */
export async function invalidateFeeds(kv: KVNamespace, feedKeys: Iterable<string>, stamp: string): Promise<void> {
  const keys = [...new Set(feedKeys)];
  if (keys.length === 0) return;
  const versions = await readFeedVersions(kv);
  for (const key of keys) versions[key] = stamp;
  await kv.put(VERSIONS_KEY, JSON.stringify(versions));
}
