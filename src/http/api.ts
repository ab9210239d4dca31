import type { Context, Hono } from "hono";
import { registeredCatalog } from "../ingest/registry";
import { sha256Hex } from "../lib/hash";
import type {
  FeedEntry,
  FeedsResponse,
  ItemResponse,
  ItemsPage,
  SourcesResponse,
  TaxonomyResponse,
} from "../model/api";
import { feedUrl, OUTPUT_FORMATS } from "../render/formats";
import { taxonomy } from "../sources/taxonomy";
import { readSourceHealth } from "../store/catalog";
import { getItem, termStats } from "../store/items";
import { cursorAfter, encodeCursor, type ItemFilter, queryItems } from "../store/query";
import { type ItemsQuery, parseItemsQuery, rejectQueryParams } from "./api-params";
import type { AppEnv } from "./app-env";
import { isNotModified } from "./conditional";
import { docsPage, openApiPage } from "./docs";
import { clip, errorResponse, HttpError } from "./errors";
import { CORS_HEADERS, readOnlyRoutes } from "./methods";

type Ctx = Context<AppEnv>;

/** Data changes at most once a cron period; a short max-age plus ETag shows a run's results soon. */
const DATA_CACHE = "public, max-age=60";
const STATIC_CACHE = "public, max-age=3600";

const ROUTES = [
  "/api/items",
  "/api/items/{id}",
  "/api/feeds",
  "/api/taxonomy",
  "/api/sources",
  "/openapi.json",
  "/docs",
];
const ITEM_ID = /^[0-9a-f]{32}$/;

/** The JSON API (GET /api/*), its OpenAPI document and its reference page. */
export function registerApiRoutes(app: Hono<AppEnv>): void {
  app.get("/api/items", async (c) => {
    const url = new URL(c.req.url);
    const { feeds } = await registeredCatalog(c.env);
    const query = parseItemsQuery(url, feeds.slugsOf("source"), feeds.languages);
    // One row more than asked says whether another page exists, so the last page has no cursor.
    const rows = await queryItems(c.env.DB, itemFilter(query), query.limit + 1, query.cursor);
    const items = rows.slice(0, query.limit);
    const next = rows.length > query.limit ? encodeCursor(cursorAfter(items)!) : null;
    const page: ItemsPage = { items, next_cursor: next, next_url: next === null ? null : withCursor(url, next) };
    return json(c, page, DATA_CACHE);
  });

  app.get("/api/items/:id", async (c) => {
    rejectQueryParams(new URL(c.req.url));
    const id = c.req.param("id");
    if (!ITEM_ID.test(id)) {
      throw new HttpError(400, "invalid_id", `"${clip(id)}" is not an item id: ids are 32 lower-case hex digits`, {
        pattern: ITEM_ID.source,
      });
    }
    const item = await getItem(c.env.DB, id);
    if (!item) throw new HttpError(404, "item_not_found", `no item with id ${id}`, {});
    const body: ItemResponse = { item };
    return json(c, body, DATA_CACHE, new Date(item.updatedAt).toUTCString());
  });

  app.get("/api/feeds", async (c) => {
    const url = new URL(c.req.url);
    rejectQueryParams(url);
    const [stats, catalog] = await Promise.all([termStats(c.env.DB), registeredCatalog(c.env)]);
    const byKey = new Map(stats.terms.map((t) => [`${t.kind}:${t.slug}`, t]));
    const feeds = catalog.feeds.feeds.map((feed): FeedEntry => {
      const s = feed.kind === "all" ? stats.all : byKey.get(feed.key);
      return {
        kind: feed.kind,
        slug: feed.slug,
        title: feed.title,
        parent: feed.parent,
        items: s?.items ?? 0,
        newest: s?.newest ?? null,
        urls: {
          ...Object.fromEntries(OUTPUT_FORMATS.map((f) => [f.extension, feedUrl(url.origin, feed.path, f)])),
          api: `${url.origin}/api/items${feed.kind === "all" ? "" : `?${feed.kind}=${encodeURIComponent(feed.slug)}`}`,
        },
      };
    });
    const body: FeedsResponse = { feeds };
    return json(c, body, DATA_CACHE);
  });

  app.get("/api/taxonomy", (c) => {
    rejectQueryParams(new URL(c.req.url));
    const body: TaxonomyResponse = taxonomy;
    return json(c, body, STATIC_CACHE);
  });

  app.get("/api/sources", async (c) => {
    rejectQueryParams(new URL(c.req.url));
    const [health, catalog] = await Promise.all([readSourceHealth(c.env.DB), registeredCatalog(c.env)]);
    const body: SourcesResponse = {
      sources: catalog.sources.map((s) => {
        const h = health.get(s.id);
        return {
          id: s.id,
          name: s.name,
          kind: s.kind,
          language: s.language,
          homepage: s.homepage,
          enabled: s.enabled,
          lastSuccessAt: h?.lastSuccessAt ?? null,
          lastError: h?.lastError ?? null,
          consecutiveFailures: h?.consecutiveFailures ?? 0,
          items: h?.items ?? 0,
          newest: h?.newest ?? null,
          listings: h?.listings ?? { total: 0, failing: 0 },
        };
      }),
    };
    return json(c, body, DATA_CACHE);
  });

  app.get("/openapi.json", async (c) => {
    rejectQueryParams(new URL(c.req.url));
    const page = await openApiPage();
    return respond(c, page.body, { ...page.headers, "cache-control": STATIC_CACHE }, null);
  });

  app.get("/docs", async (c) => {
    rejectQueryParams(new URL(c.req.url));
    const page = await docsPage();
    return respond(c, page.body, { ...page.headers, "cache-control": STATIC_CACHE }, null);
  });

  // Other methods: OPTIONS answers a preflight, the rest are a 405; unknown API paths a 404.
  readOnlyRoutes(app, [
    "/api/items",
    "/api/items/:id",
    "/api/feeds",
    "/api/taxonomy",
    "/api/sources",
    "/openapi.json",
    "/docs",
  ]);
  app.all("/api/*", (c) =>
    errorResponse(404, "not_found", `nothing at ${clip(new URL(c.req.url).pathname)}`, { routes: ROUTES }),
  );
}

/** Which rows a query selects (the store picks which filter drives the walk). */
function itemFilter(q: ItemsQuery): ItemFilter {
  return {
    base: null,
    terms: q.terms,
    languages: q.languages,
    since: q.since,
    until: q.until,
    match: q.match,
  };
}

async function json(
  c: Ctx,
  value: unknown,
  cacheControl: string,
  lastModified: string | null = null,
): Promise<Response> {
  return respond(
    c,
    JSON.stringify(value),
    { "content-type": "application/json; charset=utf-8", "cache-control": cacheControl },
    lastModified,
  );
}

/** ETag from the body's bytes, 304 when the client has them, CORS for any origin. */
async function respond(
  c: Ctx,
  body: string,
  headers: Record<string, string>,
  lastModified: string | null,
): Promise<Response> {
  const etag = `"${await sha256Hex(body, 16)}"`;
  const all: Record<string, string> = {
    ...headers,
    etag,
    ...CORS_HEADERS,
  };
  if (lastModified) all["last-modified"] = lastModified;
  if (isNotModified(c.req.raw, etag, lastModified)) return new Response(null, { status: 304, headers: all });
  return new Response(body, { status: 200, headers: all });
}

function withCursor(url: URL, cursor: string): string {
  const next = new URL(url);
  next.searchParams.set("cursor", cursor);
  return next.toString();
}
