import type { Context } from "hono";
import { type Config, type Env, readConfig } from "../env";
import type { RegisteredCatalog } from "../ingest/registry";
import { sha256Hex } from "../lib/hash";
import type { Item, TermKind } from "../model/item";
import type { FeedDocument } from "../render/document";
import { renderFeedPage } from "../render/feed-page";
import { contentTypeOf, type OutputFormat } from "../render/format";
import { feedUrl, formatByExtension, formatExtensions, OUTPUT_FORMATS } from "../render/formats";
import { FEED_KINDS, type FeedCatalog, type FeedDef } from "../sources/feeds";
import {
  type CachedFeed,
  type CacheTier,
  feedCacheKey,
  getCachedFeed,
  readFeedVersions,
  storeRendering,
  versionOf,
} from "../store/feed-cache";
import { cursorAfter, encodeCursor, queryItems } from "../store/query";
import type { AppEnv } from "./app-env";
import { encodeBoth, varyOnEncoding } from "./compression";
import { clip, errorResponse, HttpError } from "./errors";
import { canonicalQuery, type FeedQueryParams, parseFeedQuery } from "./feed-query";
import { feedMatchExpression } from "./feed-search";
import { feedResponse, rememberFeedRoute } from "./hot-feeds";
import { CORS_HEADERS } from "./methods";
import { NEGOTIATION_VARY, wantsHtml } from "./negotiate";

const utf8 = new TextEncoder();

const HTML_CONTENT_TYPE = "text/html; charset=utf-8";

/** Headers of Caravan's HTML pages: no scripts, inline styles only, not framed, not sniffed. */
export const HTML_PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": HTML_CONTENT_TYPE,
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
};

/** The stylesheet browsers apply to RSS and Atom (served by the Worker, see stylesheet.ts). */
export const FEED_STYLESHEET_PATH = "/feed.xsl";

/** Splits "caucasus.atom" into slug and format, or says what formats exist. */
export function splitFeedFile(file: string): { slug: string; format: OutputFormat } {
  const dot = file.lastIndexOf(".");
  const extension = dot > 0 ? file.slice(dot + 1) : "";
  const format = formatByExtension(extension);
  if (!format) {
    throw new HttpError(404, "unknown_format", `no feed format "${clip(extension || file)}"`, {
      formats: formatExtensions(),
    });
  }
  return { slug: file.slice(0, dot), format };
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
  c: Context<AppEnv>,
  catalog: RegisteredCatalog,
  feed: FeedDef,
  format: OutputFormat,
): Promise<Response> {
  const url = new URL(c.req.url);
  const query = parseFeedQuery(url, catalog.feeds);
  const config = readConfig(c.env);
  // A browser's navigation gets the HTML page of the feed; everything else the feed itself.
  const html = wantsHtml(c.req.raw, format.mediaType);
  const headers: Record<string, string> = {
    ...(html ? HTML_PAGE_HEADERS : { "content-type": contentTypeOf(format) }),
    "cache-control": `public, max-age=${config.FEED_TTL_MINUTES * 60}`,
    vary: varyOnEncoding(NEGOTIATION_VARY),
    ...CORS_HEADERS,
  };

  const representation = html ? `html.${format.extension}` : format.extension;
  const selection = canonicalQuery(query);
  const variant = `${url.origin}|${representation}|${selection}`;
  const cacheKey = await feedCacheKey(feed.key, variant);
  // Only a catalog feed as published (no query, the feed itself, at the public origin) goes to
  // KV: their number is fixed. Variants a client can multiply stay in the memo and Cache API.
  const canonical = !html && selection === "" && isPublicOrigin(url, config);
  const tier: CacheTier = canonical ? "kv" : "edge";
  let version = "0";
  let cached: CachedFeed | null = null;
  try {
    version = versionOf(await readFeedVersions(c.env.CACHE), feed.key);
    cached = await getCachedFeed(c.env.CACHE, cacheKey, version, tier);
  } catch (err) {
    logError("cache.read_failed", err);
  }

  let state: "hit" | "miss" | "stale" = "hit";
  if (!cached || cached.version !== version) {
    try {
      const fresh = await renderFeed(c.env, config, catalog, feed, format, html, query, url, version);
      c.executionCtx.waitUntil(
        storeRendering({ kv: c.env.CACHE, db: c.env.DB }, tier, cacheKey, fresh, config.CACHE_WRITES_PER_DAY),
      );
      cached = fresh;
      state = "miss";
    } catch (err) {
      if (err instanceof HttpError) throw err;
      logError("feed.render_failed", err);
      if (!cached) return errorResponse(503, "unavailable", "the feed cannot be read right now; try again later");
      state = "stale";
    }
  }

  if (state !== "stale") rememberFeedRoute(c.req.url, feed.key, format.mediaType, html, { cacheKey, headers });
  return feedResponse(c.req.raw, cached, headers, state);
}

/** Whether a request came to the deployment's public origin (any origin when none is set). */
function isPublicOrigin(url: URL, config: Config): boolean {
  return config.PUBLIC_URL === undefined || new URL(config.PUBLIC_URL).origin === url.origin;
}

async function renderFeed(
  env: Env,
  config: Config,
  catalog: RegisteredCatalog,
  feed: FeedDef,
  format: OutputFormat,
  html: boolean,
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
  const text = html ? renderFeedPage(doc, format) : format.render(doc);
  // The ETag names the content: which feed, which items at which revision, in which format (or
  // its HTML page) and selection, and its date (an empty feed is dated by its catalog entry).
  const fingerprint = JSON.stringify([
    feed.key,
    `${html ? "html." : ""}${format.extension}?${canonicalQuery(query)}`,
    url.origin,
    doc.hubUrl,
    doc.updated,
    items.map((i) => [i.id, i.updatedAt]),
  ]);
  const body = utf8.encode(text);
  return {
    version,
    body,
    // Compressed once here, with the rendering, not on every answer.
    ...(await encodeBoth(body)),
    etag: `"${await sha256Hex(fingerprint, 16)}"`,
    lastModified: new Date(doc.updated).toUTCString(),
    contentType: html ? HTML_CONTENT_TYPE : contentTypeOf(format),
  };
}

function feedDocument(
  config: Config,
  catalog: RegisteredCatalog,
  feed: FeedDef,
  format: OutputFormat,
  query: FeedQueryParams,
  url: URL,
  items: Item[],
  nextCursor: string | null,
): FeedDocument {
  const q = canonicalQuery(query);
  const first = canonicalQuery(query, false);
  const at = (f: OutputFormat, qs: string) => feedUrl(url.origin, feed.path, f, qs);
  // An empty feed (or page) is dated by its catalog entry: never the clock, never the epoch.
  const updated =
    items.reduce<string | null>((max, i) => (max === null || i.updatedAt > max ? i.updatedAt : max), null) ??
    feed.changedAt;
  const languages = new Set(items.map((i) => i.language));
  const nextQuery =
    nextCursor === null
      ? null
      : new URLSearchParams(first ? `${first}&cursor=${nextCursor}` : `cursor=${nextCursor}`).toString();
  return {
    title: feedTitle(catalog.feeds, feed, query),
    description: describe(feed),
    selfUrl: at(format, q),
    alternates: OUTPUT_FORMATS.map((f) => ({ href: at(f, q), mediaType: f.mediaType, label: f.label })),
    homePageUrl: `${url.origin}/`,
    id: `${url.origin}${feed.path}${first ? `?${first}` : ""}`,
    language: languages.size === 1 ? [...languages][0]! : null,
    updated,
    ttlMinutes: config.FEED_TTL_MINUTES,
    nextUrl: nextQuery === null ? null : at(format, nextQuery),
    hubUrl: config.WEBSUB_HUB_URL ?? null,
    stylesheetUrl: format.xml ? `${url.origin}${FEED_STYLESHEET_PATH}` : null,
    items,
    // Each source with the id of its Caravan feed (the <id> that feed itself carries).
    sources: Object.fromEntries(
      catalog.sources.flatMap((s) => {
        const sourceFeed = catalog.feeds.find("source", s.id);
        if (!sourceFeed) return [];
        return [[s.id, { name: s.name, homepage: s.homepage, feedId: `${url.origin}${sourceFeed.path}` }]];
      }),
    ),
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
