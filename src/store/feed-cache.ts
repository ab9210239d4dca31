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
 *
 * A rendering is kept as its UTF-8 bytes, encoded once when it is rendered. A Response made from
 * a string is transcoded on every request, which for a large feed with Cyrillic text costs more
 * than serving the bytes (the cached-feed figures of `npm run bench`). In KV the bytes are the value
 * and the rest of the entry is the key's metadata, rather than the body quoted inside a JSON
 * document (which escaped every quote of a feed on each write and unescaped it on each read).
 * Its gzip and brotli encodings, made once with it, are kept beside it: in KV the value is the
 * three byte strings one after the other and the metadata says where each ends, so caching a
 * rendering stays one write.
 */
import { sha256Hex } from "../lib/hash";

export interface CachedFeed {
  /** The base feed's version this rendering was made from. */
  version: string;
  /** The rendering, UTF-8. */
  body: Uint8Array;
  /** The same bytes gzip-encoded, and brotli-encoded (http/compression.ts). */
  gzip: Uint8Array;
  br: Uint8Array;
  etag: string;
  /** RFC 1123 date of the newest item change, or null for an empty feed. */
  lastModified: string | null;
  contentType: string;
}

export type FeedVersions = Record<string, string>;

/**
 * What a KV entry of a rendering carries besides its bytes (KV metadata, at most 1,024 bytes of
 * JSON). An entry whose metadata does not fit, such as one written by an older release that kept
 * the whole entry as a JSON document, reads as absent: the feed is rendered again.
 */
interface CachedFeedMetadata {
  version: string;
  etag: string;
  lastModified: string | null;
  contentType: string;
  /** Byte lengths of the identity, gzip and brotli parts of the value, in that order. */
  parts: [number, number, number];
}

/**
 * Whether KV metadata is this release's. Checked in plain code, not with a zod schema: it is
 * Caravan's own storage format, never input from outside, and the first feed poll of every new
 * isolate reads it, where building a schema would cost more than the rest of the poll.
 */
function isCachedFeedMetadata(value: unknown): value is CachedFeedMetadata {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  const isLength = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  return (
    typeof m.version === "string" &&
    typeof m.etag === "string" &&
    (m.lastModified === null || typeof m.lastModified === "string") &&
    typeof m.contentType === "string" &&
    Array.isArray(m.parts) &&
    m.parts.length === 3 &&
    m.parts.every(isLength)
  );
}

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

/**
 * The key of one variant of a feed: a hash, so no query string, Host or slug can make it longer
 * than KV's 512 bytes (69 bytes, whatever the variant).
 */
export async function feedCacheKey(feedKey: string, variant: string): Promise<string> {
  return `feed:${await sha256Hex(`${feedKey}\n${variant}`)}`;
}

/**
 * Where a rendering is kept besides this isolate's memo. "kv": the catalog's feeds in their
 * canonical variants, a bounded set, in KV (shared by every location, and the last good answer
 * when D1 fails). "edge": any other variant (search, filters, cursors, other limits, HTML pages),
 * whose number a client decides, in the location's Cache API, never in KV: KV writes are few
 * (1,000 a day on the free plan) and the feed-version write needs them.
 */
export type CacheTier = "kv" | "edge";

/** A cached rendering (current or superseded), from the memo, KV or the Cache API; null when none. */
export async function getCachedFeed(
  kv: KVNamespace,
  cacheKey: string,
  currentVersion: string,
  tier: CacheTier = "kv",
): Promise<CachedFeed | null> {
  const memo = entryMemo.get(cacheKey);
  if (memo && memo.version === currentVersion) return memo;
  const stored = tier === "kv" ? await readKv(kv, cacheKey) : await readEdge(cacheKey);
  if (stored) remember(cacheKey, stored);
  return stored;
}

async function readKv(kv: KVNamespace, cacheKey: string): Promise<CachedFeed | null> {
  const { value, metadata } = await kv.getWithMetadata<unknown>(cacheKey, "arrayBuffer");
  return value === null ? null : unpack(value, metadata);
}

/** The entry's fields and its three byte strings, or null when they do not fit together. */
function unpack(value: ArrayBuffer, metadata: unknown): CachedFeed | null {
  if (!isCachedFeedMetadata(metadata)) return null;
  const { version, etag, lastModified, contentType, parts } = metadata;
  const [identity, gzip, br] = parts;
  if (identity + gzip + br !== value.byteLength) return null;
  return {
    version,
    etag,
    lastModified,
    contentType,
    body: new Uint8Array(value, 0, identity),
    gzip: new Uint8Array(value, identity, gzip),
    br: new Uint8Array(value, identity + gzip, br),
  };
}

function pack(feed: CachedFeed): { value: Uint8Array; metadata: CachedFeedMetadata } {
  const metadata: CachedFeedMetadata = {
    version: feed.version,
    etag: feed.etag,
    lastModified: feed.lastModified,
    contentType: feed.contentType,
    parts: [feed.body.byteLength, feed.gzip.byteLength, feed.br.byteLength],
  };
  const value = new Uint8Array(feed.body.byteLength + feed.gzip.byteLength + feed.br.byteLength);
  value.set(feed.body, 0);
  value.set(feed.gzip, feed.body.byteLength);
  value.set(feed.br, feed.body.byteLength + feed.gzip.byteLength);
  return { value, metadata };
}

/** Writes a rendering to KV (and the memo); a failed write is logged, never thrown. */
export async function putCachedFeed(kv: KVNamespace, cacheKey: string, feed: CachedFeed): Promise<void> {
  remember(cacheKey, feed);
  try {
    const { value, metadata } = pack(feed);
    await kv.put(cacheKey, value, { expirationTtl: ENTRY_TTL_SECONDS, metadata });
  } catch (err) {
    // KV allows one write per second per key: a burst of misses after an invalidation races
    // here. The rendering is in the memo and the next miss writes it again; say so, and go on.
    console.log(JSON.stringify({ event: "cache.put_failed", key: cacheKey, message: String(err) }));
  }
}

// The Cache API wants an http(s) URL as the key; this host is never fetched.
const EDGE_ORIGIN = "https://feed-cache.caravan.invalid/";
const EDGE_METADATA_HEADER = "x-caravan-entry";

async function readEdge(cacheKey: string): Promise<CachedFeed | null> {
  const hit = await caches.default.match(`${EDGE_ORIGIN}${cacheKey}`);
  if (!hit) return null;
  let metadata: unknown = null;
  try {
    metadata = JSON.parse(hit.headers.get(EDGE_METADATA_HEADER) ?? "null");
  } catch {
    return null;
  }
  return unpack(await hit.arrayBuffer(), metadata);
}

/** Writes a rendering to this location's Cache API (and the memo); a failure is logged, never thrown. */
export async function putEdgeFeed(cacheKey: string, feed: CachedFeed): Promise<void> {
  remember(cacheKey, feed);
  try {
    const { value, metadata } = pack(feed);
    const headers = {
      "cache-control": `public, max-age=${ENTRY_TTL_SECONDS}`,
      [EDGE_METADATA_HEADER]: JSON.stringify(metadata),
    };
    await caches.default.put(`${EDGE_ORIGIN}${cacheKey}`, new Response(value, { headers }));
  } catch (err) {
    console.log(JSON.stringify({ event: "cache.edge_put_failed", key: cacheKey, message: String(err) }));
  }
}

/**
 * Keeps a fresh rendering where its tier says. A KV write first takes one of the day's
 * CACHE_WRITES_PER_DAY (counted in D1, so every isolate shares the count); past the ceiling the
 * rendering is kept in the memo and the Cache API only, and served all the same. The versions
 * document (invalidateFeeds) is written outside this count, so renderings can never use up the
 * writes that invalidate them.
 */
export async function storeRendering(
  stores: { kv: KVNamespace; db: D1Database },
  tier: CacheTier,
  cacheKey: string,
  feed: CachedFeed,
  writesPerDay: number,
  now = Date.now(),
): Promise<"kv" | "edge"> {
  // In the memo at once, before any I/O: the next request in this isolate is a hit.
  remember(cacheKey, feed);
  if (tier === "kv") {
    let allowed = false;
    try {
      allowed = await takeCacheWrite(stores.db, writesPerDay, now);
    } catch (err) {
      console.log(JSON.stringify({ event: "cache.budget_unreadable", message: String(err) }));
    }
    if (allowed) {
      await putCachedFeed(stores.kv, cacheKey, feed);
      return "kv";
    }
    console.log(JSON.stringify({ event: "cache.write_ceiling", level: "warn", writesPerDay, key: cacheKey }));
  }
  await putEdgeFeed(cacheKey, feed);
  return "edge";
}

/**
 * Takes one rendering write from today's (UTC) allowance; false when it is used up. One
 * statement, so concurrent requests cannot both take the last one.
 */
export async function takeCacheWrite(db: D1Database, writesPerDay: number, now = Date.now()): Promise<boolean> {
  if (writesPerDay <= 0) return false;
  const day = new Date(now).toISOString().slice(0, 10);
  const row = await db
    .prepare(
      "INSERT INTO cache_writes (day, writes) VALUES (?1, 1) ON CONFLICT (day) DO UPDATE SET writes = writes + 1 WHERE writes < ?2 RETURNING writes",
    )
    .bind(day, writesPerDay)
    .first<{ writes: number }>();
  return row !== null;
}

/** Rendering writes taken on a day (UTC date, YYYY-MM-DD). */
export async function cacheWritesOn(db: D1Database, day: string): Promise<number> {
  const row = await db.prepare("SELECT writes FROM cache_writes WHERE day = ?").bind(day).first<{ writes: number }>();
  return row?.writes ?? 0;
}

/**
 * Gives each named feed a new version, so its cached renderings are no longer current. The
 * versions are bumped in D1 (atomic per feed), then the whole table is copied to KV. Runs that
 * overlap (queue consumers) each copy a complete snapshot; a copy is checked once more after it
 * is written, so a bump another run made meanwhile is not lost. KV allows one write per second
 * per key: a refused write is tried again after a second.
 */
export async function invalidateFeeds(
  db: D1Database,
  kv: KVNamespace,
  feedKeys: Iterable<string>,
  stamp: string,
): Promise<void> {
  const keys = [...new Set(feedKeys)];
  if (keys.length === 0) return;
  const bump = db.prepare(
    "INSERT INTO feed_versions (feed_key, version) VALUES (?, ?) ON CONFLICT (feed_key) DO UPDATE SET version = excluded.version",
  );
  await db.batch(keys.map((key) => bump.bind(key, stamp)));
  let written: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const versions = await versionsInD1(db);
    const text = JSON.stringify(versions);
    if (text === written) break;
    try {
      await kv.put(VERSIONS_KEY, text);
      written = text;
      // This isolate made the change: it need not wait for its memo to age.
      versionsMemo = { at: Date.now(), versions };
    } catch (err) {
      console.log(JSON.stringify({ event: "cache.versions_put_failed", level: "warn", attempt, message: String(err) }));
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
  }
}

async function versionsInD1(db: D1Database): Promise<FeedVersions> {
  const { results } = await db
    .prepare("SELECT feed_key, version FROM feed_versions")
    .all<{ feed_key: string; version: string }>();
  return Object.fromEntries(results.map((r) => [r.feed_key, r.version]));
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
