import { Hono } from "hono/quick";
import { registeredCatalog } from "../ingest/registry";
import { formatExtensions } from "../render/formats";
import { renderIndexPage } from "../render/html";
import { renderOpml } from "../render/opml";
import { FEED_STYLESHEET } from "../render/stylesheet";
import { termStats } from "../store/items";
import { createAdminApp } from "./admin";
import { registerApiRoutes } from "./api";
import type { AppEnv } from "./app-env";
import { clip, errorResponse, HttpError } from "./errors";
import { FEED_STYLESHEET_PATH, HTML_PAGE_HEADERS, resolveFeed, serveFeed, splitFeedFile } from "./feeds";
import { CORS_HEADERS, readOnlyRoutes } from "./methods";

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const [stats, catalog] = await Promise.all([termStats(c.env.DB), registeredCatalog(c.env)]);
    const byKey = new Map(stats.terms.map((t) => [`${t.kind}:${t.slug}`, t]));
    const listings = catalog.feeds.feeds.map((feed) => {
      const s = feed.kind === "all" ? stats.all : byKey.get(feed.key);
      return { feed, items: s?.items ?? 0, newest: s?.newest ?? null };
    });
    const origin = new URL(c.req.url).origin;
    return new Response(renderIndexPage(origin, listings), {
      headers: { ...HTML_PAGE_HEADERS, "cache-control": "public, max-age=300" },
    });
  });

  // Liveness for monitors: the Worker, D1 and KV answer. It never fetches a source.
  app.get("/healthz", async (c) => {
    const check = async (probe: () => Promise<unknown>) => {
      try {
        await probe();
        return "ok";
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    };
    const d1 = await check(() => c.env.DB.prepare("SELECT 1").first());
    const kv = await check(() => c.env.CACHE.get("healthz"));
    const ok = d1 === "ok" && kv === "ok";
    return c.json({ ok, d1, kv }, ok ? 200 : 503, { "cache-control": "no-store" });
  });

  app.get(
    FEED_STYLESHEET_PATH,
    () =>
      new Response(FEED_STYLESHEET, {
        headers: { "content-type": "text/xsl; charset=utf-8", "cache-control": "public, max-age=86400" },
      }),
  );

  app.get("/feeds.opml", async (c) => {
    const [stats, catalog] = await Promise.all([termStats(c.env.DB), registeredCatalog(c.env)]);
    const body = renderOpml(new URL(c.req.url).origin, catalog.feeds.feeds, stats.all.newest);
    return new Response(body, {
      headers: {
        "content-type": "text/x-opml; charset=utf-8",
        "content-disposition": 'inline; filename="caravan-feeds.opml"',
        "cache-control": "public, max-age=3600",
        ...CORS_HEADERS,
      },
    });
  });

  app.get("/feeds/:file", async (c) => {
    const { slug, format } = splitFeedFile(c.req.param("file"));
    if (slug !== "all")
      throw new HttpError(404, "unknown_feed", `no feed "${slug}" at the top level`, { valid: ["all"] });
    const catalog = await registeredCatalog(c.env);
    return serveFeed(c, catalog, resolveFeed(catalog.feeds, "all", "all"), format);
  });

  app.get("/feeds/:kind/:file", async (c) => {
    const { slug, format } = splitFeedFile(c.req.param("file"));
    const catalog = await registeredCatalog(c.env);
    return serveFeed(c, catalog, resolveFeed(catalog.feeds, c.req.param("kind"), slug), format);
  });

  // Other methods on the routes above: OPTIONS answers a preflight, the rest are a 405.
  readOnlyRoutes(app, ["/", "/healthz", FEED_STYLESHEET_PATH, "/feeds.opml", "/feeds/:file", "/feeds/:kind/:file"]);

  registerApiRoutes(app);

  // The admin API serves operators, not readers: its routes are registered by the first request
  // under /admin, so a cold start that answers a feed or the JSON API does not build them.
  let admin: Hono<AppEnv> | undefined;
  app.all("/admin/*", (c) => {
    admin ??= new Hono<AppEnv>().route("/admin", createAdminApp());
    return admin.fetch(c.req.raw, c.env);
  });

  app.notFound((c) =>
    errorResponse(404, "not_found", `nothing at ${clip(new URL(c.req.url).pathname, 100)}`, {
      routes: [
        "/",
        "/feeds.opml",
        `/feeds/all.{${formatExtensions().join(",")}}`,
        `/feeds/{region,country,topic,source}/{slug}.{${formatExtensions().join(",")}}`,
      ],
    }),
  );

  app.onError((err) => {
    if (err instanceof HttpError) return errorResponse(err.status, err.code, err.message, err.details);
    console.log(JSON.stringify({ event: "http.error", message: err instanceof Error ? err.message : String(err) }));
    return errorResponse(500, "internal_error", "the server could not answer this request");
  });

  return app;
}
