import type { Context } from "hono";
import { type Config, type Env, readConfig } from "../env";
import { sha256Hex } from "../ingest/canonical";
import type { RegisteredCatalog } from "../ingest/registry";
import type { Item } from "../model/item";
import { renderAtom } from "../render/atom";
import type { FeedDocument } from "../render/document";
import { renderJsonFeed } from "../render/jsonfeed";
import { renderRss } from "../render/rss";
import { FEED_FORMATS, FEED_KINDS, type FeedCatalog, type FeedDef, type FeedFormat } from "../sources/feeds";
import {
  type CachedFeed,
  feedCacheKey,
  getCachedFeed,
  putCachedFeed,
  readFeedVersions,
  versionOf,
} from "../store/feed-cache";
import type { TermKind } from "../store/items";
import { cursorAfter, encodeCursor, queryItems } from "../store/query";
import { clip, errorResponse, HttpError } from "./errors";
import { canonicalQuery, type FeedQueryParams, parseFeedQuery } from "./feed-query";
import { feedMatchExpression } from "./feed-search";
import { feedResponse, rememberFeedRoute } from "./hot-feeds";
import { CORS_HEADERS } from "./methods";

const utf8 = new TextEncoder();

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

/** The stylesheet browsers apply to RSS and Atom (served by the Worker, see stylesheet.ts). */
export const FEED_STYLESHEET_PATH = "/feed.xsl";

/** Splits "caucasus.atom" into slug and format, or says what formats exist. */
export function splitFeedFile(file: string): { slug: string; format: FeedFormat } {
  const dot = file.lastIndexOf(".");
  const format = dot > 0 ? file.slice(dot + 1) : "";
  if (!(FEED_FORMATS as readonly string[]).includes(format)) {
    throw new HttpError(404, "unknown_format", `no feed format "${clip(format || file)}"`, {
      formats: [...FEED_FORMATS],
    });
  }
  return { slug: file.slice(0, dot), format: format as FeedFormat };
}

export function resolveFeed(catalog: FeedCatalog, kind: string, slug: string): FeedDef {
  if (kind !== "all" && !(FEED_KINDS as string[]).includes(kind)) {
    throw new HttpError(404, "unknown_feed_kind", `no feeds of kind "${clip(kind)}"`, {
      kinds: ["all", ...FEED_KINDS],
    });
  }
  const feed = catalog.find(kind, slug);
  if (!feed)
    throw new HttpError(404, "unknown_feed", `no ${kind} feed "${clip(slug)}"`, {
      valid: catalog.slugsOf(kind as TermKind),
    });
  return feed;
}

/**
 * Serves one feed page. A current cached rendering (memo or KV) is answered, 304 included,
 * without touching D1; otherwise it is rendered from D1 and cached. When D1 fails, the last
 * rendering is served stale; only with nothing cached at all is the answer a 503, and never
 * with a Retry-After, which some readers apply to every feed of the host.
 */
export async function serveFeed(
  c: Context<{ Bindings: Env }>,
  catalog: RegisteredCatalog,
  feed: FeedDef,
  format: FeedFormat,
): Promise<Response> {
  const url = new URL(c.req.url);
  const query = parseFeedQuery(url, catalog.feeds);
  const config = readConfig(c.env);
  const headers: Record<string, string> = {
    "content-type": FEED_CONTENT_TYPES[format],
    "cache-control": `public, max-age=${config.FEED_TTL_MINUTES * 60}`,
    ...CORS_HEADERS,
  };

  const variant = `${url.origin}|${format}|${canonicalQuery(query)}`;
  const cacheKey = feedCacheKey(feed.key, variant);
  let version = "0";
  let cached: CachedFeed | null = null;
  try {
    version = versionOf(await readFeedVersions(c.env.CACHE), feed.key);
    cached = await getCachedFeed(c.env.CACHE, cacheKey, version);
  } catch (err) {
    logError("cache.read_failed", err);
  }

  let state: "hit" | "miss" | "stale" = "hit";
  if (!cached || cached.version !== version) {
    try {
      const fresh = await renderFeed(c.env, config, catalog, feed, format, query, url, version);
      c.executionCtx.waitUntil(putCachedFeed(c.env.CACHE, cacheKey, fresh));
      cached = fresh;
      state = "miss";
    } catch (err) {
      if (err instanceof HttpError) throw err;
      logError("feed.render_failed", err);
      if (!cached) return errorResponse(503, "unavailable", "the feed cannot be read right now; try again later");
      state = "stale";
    }
  }

  if (state !== "stale") rememberFeedRoute(c.req.url, { feedKey: feed.key, cacheKey, headers });
  return feedResponse(c.req.raw, cached, headers, state);
}

async function renderFeed(
  env: Env,
  config: Config,
  catalog: RegisteredCatalog,
  feed: FeedDef,
  format: FeedFormat,
  query: FeedQueryParams,
  url: URL,
  version: string,
): Promise<CachedFeed> {
  // One more than the page, to know whether an older page exists.
  const rows = await queryItems(
    env.DB,
    {
      base: feed.kind === "all" ? null : { kind: feed.kind, slug: feed.slug },
      terms: query.terms,
      languages: query.languages,
      since: null,
      until: null,
      match: query.q === null ? null : feedMatchExpression(query.q),
    },
    query.limit + 1,
    query.cursor,
  );
  const items = rows.slice(0, query.limit);
  const next = rows.length > query.limit ? cursorAfter(items) : null;
  const doc = feedDocument(config, catalog, feed, format, query, url, items, next ? encodeCursor(next) : null);
  const text = format === "rss" ? renderRss(doc) : format === "atom" ? renderAtom(doc) : renderJsonFeed(doc);
  // The ETag names the content: which items at which revision, in which format and selection.
  const fingerprint = JSON.stringify([
    variantOf(format, query),
    url.origin,
    doc.hubUrl,
    items.map((i) => [i.id, i.updatedAt]),
  ]);
  return {
    version,
    body: utf8.encode(text),
    etag: `"${await sha256Hex(fingerprint, 16)}"`,
    lastModified: doc.updated ? new Date(doc.updated).toUTCString() : null,
    contentType: FEED_CONTENT_TYPES[format],
  };
}

function variantOf(format: FeedFormat, query: FeedQueryParams): string {
  return `${format}?${canonicalQuery(query)}`;
}

function feedDocument(
  config: Config,
  catalog: RegisteredCatalog,
  feed: FeedDef,
  format: FeedFormat,
  query: FeedQueryParams,
  url: URL,
  items: Item[],
  nextCursor: string | null,
): FeedDocument {
  const q = canonicalQuery(query);
  const first = canonicalQuery(query, false);
  const at = (f: FeedFormat, qs: string) => `${url.origin}${feed.path}.${f}${qs ? `?${qs}` : ""}`;
  const updated = items.reduce<string | null>(
    (max, i) => (max === null || i.updatedAt > max ? i.updatedAt : max),
    null,
  );
  const languages = new Set(items.map((i) => i.language));
  const nextQuery =
    nextCursor === null
      ? null
      : new URLSearchParams(first ? `${first}&cursor=${nextCursor}` : `cursor=${nextCursor}`).toString();
  return {
    title: feedTitle(catalog.feeds, feed, query),
    description: describe(feed),
    selfUrl: at(format, q),
    alternates: { rss: at("rss", q), atom: at("atom", q), json: at("json", q) },
    homePageUrl: `${url.origin}/`,
    id: `${url.origin}${feed.path}${first ? `?${first}` : ""}`,
    language: languages.size === 1 ? [...languages][0]! : null,
    updated,
    ttlMinutes: config.FEED_TTL_MINUTES,
    nextUrl: nextQuery === null ? null : at(format, nextQuery),
    hubUrl: config.WEBSUB_HUB_URL ?? null,
    stylesheetUrl: format === "json" ? null : `${url.origin}${FEED_STYLESHEET_PATH}`,
    items,
    sources: Object.fromEntries(catalog.sources.map((s) => [s.id, { name: s.name, homepage: s.homepage }])),
  };
}

function feedTitle(catalog: FeedCatalog, feed: FeedDef, query: FeedQueryParams): string {
  const base = feed.kind === "all" ? "Caravan: all stories" : `Caravan: ${feed.title}`;
  const filters = [
    ...FEED_KINDS.flatMap((k) => (query.terms[k] ?? []).map((slug) => catalog.find(k, slug)?.title ?? slug)),
    ...query.languages,
    ...(query.q === null ? [] : [`“${query.q}”`]),
  ];
  return filters.length ? `${base} (${filters.join(", ")})` : base;
}

function describe(feed: FeedDef): string {
  switch (feed.kind) {
    case "all":
      return "Every story Caravan has gathered, newest first.";
    case "region":
      return `Stories about any country of ${feed.title}, newest first.`;
    case "country":
      return `Stories tagged ${feed.title}, newest first.`;
    case "topic":
      return `Stories on ${feed.title}, newest first.`;
    case "source":
      return `Every story from ${feed.title}, newest first.`;
  }
}

function logError(event: string, err: unknown): void {
  console.log(JSON.stringify({ event, message: err instanceof Error ? err.message : String(err) }));
}
