import type { Context } from "hono";
import { readConfig, type Env } from "../env";
import type { Item } from "../model/item";
import { renderAtom } from "../render/atom";
import type { FeedDocument } from "../render/document";
import { renderJsonFeed } from "../render/jsonfeed";
import { renderRss } from "../render/rss";
import { sources } from "../sources";
import { FEED_FORMATS, FEED_KINDS, findFeed, slugsOf, type FeedDef, type FeedFormat } from "../sources/feeds";
import { feedCacheKey, getCachedFeed, putCachedFeed, readFeedVersions, type CachedFeed } from "../store/feed-cache";
import { queryFeedItems, type TermKind } from "../store/items";
import { sha256Hex } from "../ingest/canonical";
import { isNotModified } from "./conditional";
import { HttpError } from "./errors";
import { normalizedQuery, parseFeedQuery, type FeedQueryParams } from "./feed-query";

const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

/** Splits "caucasus.atom" into slug and format, or says what formats exist. */
export function splitFeedFile(file: string): { slug: string; format: FeedFormat } {
  const dot = file.lastIndexOf(".");
  const format = dot > 0 ? file.slice(dot + 1) : "";
  if (!(FEED_FORMATS as readonly string[]).includes(format)) {
    throw new HttpError(404, "unknown_format", `no feed format "${format || file}"`, { formats: [...FEED_FORMATS] });
  }
  return { slug: file.slice(0, dot), format: format as FeedFormat };
}

export function resolveFeed(kind: string, slug: string): FeedDef {
  if (kind !== "all" && !(FEED_KINDS as string[]).includes(kind)) {
    throw new HttpError(404, "unknown_feed_kind", `no feeds of kind "${kind}"`, { kinds: ["all", ...FEED_KINDS] });
  }
  const feed = findFeed(kind, slug);
  if (!feed) {
    throw new HttpError(404, "unknown_feed", `no ${kind} feed "${slug}"`, { valid: slugsOf(kind as TermKind) });
  }
  return feed;
}

/** Serves one feed: from KV when cached (no D1 query), else rendered from D1 and cached. */
export async function serveFeed(c: Context<{ Bindings: Env }>, feed: FeedDef, format: FeedFormat): Promise<Response> {
  const url = new URL(c.req.url);
  const query = parseFeedQuery(url);
  const config = readConfig(c.env);
  const headers = {
    "content-type": CONTENT_TYPES[format],
    "cache-control": `public, max-age=${config.FEED_TTL_MINUTES * 60}`,
    "access-control-allow-origin": "*",
    vary: "accept-encoding",
  };

  const versions = await readFeedVersions(c.env.CACHE);
  const cacheKey = feedCacheKey(versions, feed.key, `${url.origin}|${format}|${normalizedQuery(query)}`);
  let cached = await getCachedFeed(c.env.CACHE, cacheKey);
  const hit = cached !== null;
  if (!cached) {
    cached = await renderFeed(c.env, feed, format, query, url, config.FEED_TTL_MINUTES);
    c.executionCtx.waitUntil(putCachedFeed(c.env.CACHE, cacheKey, cached));
  }
  const validators: Record<string, string> = { etag: cached.etag };
  if (cached.lastModified) validators["last-modified"] = cached.lastModified;
  const cacheHeader = { "x-caravan-cache": hit ? "hit" : "miss" };
  if (isNotModified(c.req.raw, cached.etag, cached.lastModified)) {
    return new Response(null, { status: 304, headers: { ...headers, ...validators, ...cacheHeader } });
  }
  return new Response(c.req.method === "HEAD" ? null : cached.body, {
    status: 200,
    headers: { ...headers, ...validators, ...cacheHeader },
  });
}

async function renderFeed(
  env: Env,
  feed: FeedDef,
  format: FeedFormat,
  query: FeedQueryParams,
  url: URL,
  ttlMinutes: number,
): Promise<CachedFeed> {
  const items = await queryFeedItems(env.DB, {
    term: feed.kind === "all" ? null : { kind: feed.kind, slug: feed.slug },
    limit: query.limit,
  });
  const doc = feedDocument(feed, format, query, url, items, ttlMinutes);
  const body = format === "rss" ? renderRss(doc) : format === "atom" ? renderAtom(doc) : renderJsonFeed(doc);
  const fingerprint = JSON.stringify([format, normalizedQuery(query), url.origin, items.map((i) => [i.id, i.updatedAt])]);
  return {
    body,
    etag: `"${await sha256Hex(fingerprint, 16)}"`,
    lastModified: doc.updated ? new Date(doc.updated).toUTCString() : null,
    contentType: CONTENT_TYPES[format],
  };
}

function feedDocument(
  feed: FeedDef,
  format: FeedFormat,
  query: FeedQueryParams,
  url: URL,
  items: Item[],
  ttlMinutes: number,
): FeedDocument {
  const q = normalizedQuery(query);
  const at = (f: FeedFormat) => `${url.origin}${feed.path}.${f}${q ? `?${q}` : ""}`;
  const updated = items.reduce<string | null>((max, i) => (max === null || i.updatedAt > max ? i.updatedAt : max), null);
  const languages = new Set(items.map((i) => i.language));
  return {
    title: feed.kind === "all" ? "Caravan: all stories" : `Caravan: ${feed.title}`,
    description: describe(feed),
    selfUrl: at(format),
    alternates: { rss: at("rss"), atom: at("atom"), json: at("json") },
    homePageUrl: `${url.origin}/`,
    id: `${url.origin}${feed.path}${q ? `?${q}` : ""}`,
    language: languages.size === 1 ? [...languages][0]! : null,
    updated,
    ttlMinutes,
    nextUrl: null,
    hubUrl: null,
    stylesheetUrl: null,
    items,
    sources: Object.fromEntries(sources.map((s) => [s.id, { name: s.name, homepage: s.homepage }])),
  };
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
