/**
 * Rendered feeds in KV, with a small in-isolate memo in front.
 *
 * Each base feed ("all", "region:caucasus", "source:eurasianet", …) has a version in one KV
 * document (`feed-versions`). A cached rendering stores the version it was made from; it is
 * served while that is still the feed's version. So invalidating a feed is one KV write of the
 * versions document, not a list-and-delete per cached variant (KV lists and deletes are scarce
 * on the free plan), and each variant lives under one key that a re-render overwrites, so
 * nothing piles up. Every filtered variant of a feed (?topic=…, ?limit=…) shares its base
 * feed's version, which is complete: an item in a filtered variant is also in the base feed.
 * A superseded rendering is still there when D1 cannot answer, so a reader gets the last good
 * feed rather than an error.
 */

export interface CachedFeed {
  /** The base feed's version this rendering was made from. */
  version: string;
  body: string;
  etag: string;
  /** RFC 1123 date of the newest item change, or null for an empty feed. */
  lastModified: string | null;
  contentType: string;
}

export type FeedVersions = Record<string, string>;

const VERSIONS_KEY = "feed-versions";
// KV itself takes up to 60 s to show a write everywhere; a few seconds more of memo is cheap.
const VERSIONS_MEMO_MS = 5_000;
const MEMO_ENTRIES = 200;
// A rendering nobody asked for in a month is not worth keeping.
const ENTRY_TTL_SECONDS = 30 * 24 * 3600;

let versionsMemo: { at: number; versions: FeedVersions } | null = null;
const entryMemo = new Map<string, CachedFeed>();

export function versionOf(versions: FeedVersions, feedKey: string): string {
  return versions[feedKey] ?? "0";
}

/** The versions document, from this isolate's memo when it is fresh. */
export async function readFeedVersions(kv: KVNamespace, now = Date.now()): Promise<FeedVersions> {
  if (versionsMemo && now - versionsMemo.at < VERSIONS_MEMO_MS) return versionsMemo.versions;
  const versions = (await kv.get<FeedVersions>(VERSIONS_KEY, "json")) ?? {};
  versionsMemo = { at: now, versions };
  return versions;
}

/** The versions document if this isolate's memo of it is fresh, else null (no I/O). */
export function peekFeedVersions(now = Date.now()): FeedVersions | null {
  return versionsMemo && now - versionsMemo.at < VERSIONS_MEMO_MS ? versionsMemo.versions : null;
}

/** A current rendering from this isolate's memo, else null (no I/O). */
export function peekCachedFeed(cacheKey: string, currentVersion: string): CachedFeed | null {
  const memo = entryMemo.get(cacheKey);
  return memo && memo.version === currentVersion ? memo : null;
}

export function feedCacheKey(feedKey: string, variant: string): string {
  return `feed:${feedKey}:${variant}`;
}

/** A cached rendering (current or superseded), from the memo or KV; null when there is none. */
export async function getCachedFeed(kv: KVNamespace, cacheKey: string, currentVersion: string): Promise<CachedFeed | null> {
  const memo = entryMemo.get(cacheKey);
  if (memo && memo.version === currentVersion) return memo;
  const stored = await kv.get<CachedFeed>(cacheKey, "json");
  if (stored) remember(cacheKey, stored);
  return stored;
}

export async function putCachedFeed(kv: KVNamespace, cacheKey: string, feed: CachedFeed): Promise<void> {
  remember(cacheKey, feed);
  try {
    await kv.put(cacheKey, JSON.stringify(feed), { expirationTtl: ENTRY_TTL_SECONDS });
  } catch (err) {
    // KV allows one write per second per key: a burst of misses after an invalidation races
    // here. The rendering is in the memo and the next miss writes it again; say so, and go on.
    console.log(JSON.stringify({ event: "cache.put_failed", key: cacheKey, message: String(err) }));
  }
}

/** Gives each named feed a new version, so its cached renderings are no longer current. */
export async function invalidateFeeds(kv: KVNamespace, feedKeys: Iterable<string>, stamp: string): Promise<void> {
  const keys = [...new Set(feedKeys)];
  if (keys.length === 0) return;
  const versions = (await kv.get<FeedVersions>(VERSIONS_KEY, "json")) ?? {};
  for (const key of keys) versions[key] = stamp;
  await kv.put(VERSIONS_KEY, JSON.stringify(versions));
  // This isolate made the change: it need not wait for its memo to age.
  versionsMemo = { at: Date.now(), versions };
}

function remember(cacheKey: string, feed: CachedFeed): void {
  entryMemo.delete(cacheKey);
  entryMemo.set(cacheKey, feed);
  if (entryMemo.size > MEMO_ENTRIES) entryMemo.delete(entryMemo.keys().next().value!);
}

/** Forgets the memo (tests that change KV behind this isolate's back). */
export function clearFeedMemo(): void {
  versionsMemo = null;
  entryMemo.clear();
}
