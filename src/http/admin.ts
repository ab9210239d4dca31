/**
 * The admin API under /admin, for operators (Authorization: Bearer <ADMIN_TOKEN>, see auth.ts).
 * Every answer is JSON and `Cache-Control: no-store`; bad input is a 4xx in the one error shape.
 *
 *   POST /admin/ingest[?source=id][&force=1]        run ingest now; answers the run summary
 *   GET  /admin/runs[?limit=N][&before=runId]       run history, newest first, per source, with errors
 *   GET  /admin/sources                             health per source, listings, hosts, warnings
 *   POST /admin/sources/{id}/pause | /resume        stop / restart polling one source
 *   POST /admin/sources/{id}/backfill?pages=N       queue the listings' pages up to N for reading
 *   the source registry (admin-sources.ts): definition, PUT, DELETE, export, discover, preview, import
 */

import type { Context } from "hono";
import { Hono } from "hono/quick";
import { type Config, ConfigError, type Env, readConfig } from "../env";
import { kindOf } from "../ingest/kinds";
import { type ResolvedSource, resolveSources } from "../ingest/listings";
import { deadRunAfterMs } from "../ingest/progress";
import { ensureRegistry } from "../ingest/registry";
import { runIngest } from "../ingest/run";
import type { Source } from "../model/source";
import { sourceHealth } from "../store/health";
import { listHosts } from "../store/hosts";
import { isSourcePaused, queueBackfill, setSourcePaused } from "../store/listings";
import { isSource, liveDefinitions, readDefinition, registryRow, registryRows } from "../store/registry";
import { runHistory } from "../store/runs";
import { registerSourceRoutes, SOURCE_ROUTES } from "./admin-sources";
import type { AppEnv } from "./app-env";
import { requireAdmin } from "./auth";
import { clip, errorResponse, HttpError } from "./errors";
import { flag, intParam, readParams } from "./params";

export const MAX_BACKFILL_PAGES = 50;
const MAX_RUNS_PAGE = 100;
const ADMIN_ROUTES = [
  "POST /admin/ingest[?source=id][&force=1]",
  "GET /admin/runs[?limit=N][&before=runId]",
  "GET /admin/sources",
  "POST /admin/sources/{id}/pause",
  "POST /admin/sources/{id}/resume",
  "POST /admin/sources/{id}/backfill?pages=N",
  ...SOURCE_ROUTES.map(([method, path]) => `${method} /admin${path}`),
];

export function createAdminApp(): Hono<AppEnv> {
  const admin = new Hono<AppEnv>();
  admin.use("*", logAdminRequest, requireAdmin);

  admin.post("/ingest", async (c) => {
    const params = readParams(c, ["source", "force"]);
    const source = params.source === undefined ? undefined : await knownSource(c.env, params.source);
    const force = params.force === undefined ? false : flag("force", params.force);
    if (source && (await isSourcePaused(c.env.DB, source.id))) {
      return errorResponse(
        409,
        "source_paused",
        `source ${source.id} is paused: POST /admin/sources/${source.id}/resume first`,
        {
          resume: `/admin/sources/${source.id}/resume`,
        },
      );
    }
    try {
      const run = await runIngest(c.env, { trigger: "admin", sourceId: source?.id, force });
      return c.json({ run });
    } catch (err) {
      if (err instanceof ConfigError) throw new HttpError(503, "misconfigured", err.message, {});
      throw err;
    }
  });

  admin.get("/runs", async (c) => {
    const params = readParams(c, ["limit", "before"]);
    const limit = params.limit === undefined ? 20 : intParam("limit", params.limit, 1, MAX_RUNS_PAGE);
    const before = params.before === undefined ? null : intParam("before", params.before, 1, Number.MAX_SAFE_INTEGER);
    const runs = await runHistory(c.env.DB, limit, before);
    const last = runs.at(-1);
    const next = runs.length === limit && last ? `/admin/runs?limit=${limit}&before=${last.id}` : null;
    return c.json({ runs, next });
  });

  admin.get("/sources", async (c) => {
    readParams(c, []);
    const now = Date.now();
    await ensureRegistry(c.env, now);
    // A run silent for longer than a live run can be is dead: the listings it leases are reported.
    const deadBefore = now - deadRunAfterMs(configOr503(c.env));
    const [health, hosts, registry] = await Promise.all([
      sourceHealth(c.env.DB, now, deadBefore),
      listHosts(c.env.DB),
      registryRows(c.env.DB),
    ]);
    const registered = new Map(registry.filter((r) => r.definition !== null).map((r) => [r.id, r]));
    return c.json({
      sources: health.map((h) => ({
        ...h,
        configured: registered.has(h.id),
        registeredBy: registered.get(h.id)?.origin ?? null,
      })),
      hosts: hosts.map((h) => ({
        host: h.host,
        robotsStatus: h.robots_status,
        robotsFetchedAt: h.robots_fetched_at === null ? null : new Date(h.robots_fetched_at).toISOString(),
        robotsExpiresAt: h.robots_expires_at === null ? null : new Date(h.robots_expires_at).toISOString(),
        blockedUntil: h.blocked_until > now ? new Date(h.blocked_until).toISOString() : null,
        blockedReason: h.blocked_until > now ? h.blocked_reason : null,
      })),
    });
  });

  for (const action of ["pause", "resume"] as const) {
    admin.post(`/sources/:id/${action}`, async (c) => {
      readParams(c, []);
      const source = await knownSource(c.env, c.req.param("id"));
      const now = Date.now();
      await setSourcePaused(c.env.DB, source, action === "pause", now);
      return c.json({ source: source.id, paused: action === "pause" });
    });
  }

  admin.post("/sources/:id/backfill", async (c) => {
    const params = readParams(c, ["pages"]);
    const source = await knownSource(c.env, c.req.param("id"));
    if (params.pages === undefined) {
      throw new HttpError(
        400,
        "missing_pages",
        `give pages=N (1 to ${MAX_BACKFILL_PAGES}): how many pages of each listing to walk back`,
        {
          allowed: `1..${MAX_BACKFILL_PAGES}`,
        },
      );
    }
    const pages = intParam("pages", params.pages, 1, MAX_BACKFILL_PAGES);
    const kind = kindOf(source);
    if (!kind.backfillPages) {
      throw new HttpError(
        400,
        "not_paged",
        `source ${source.id} is a ${source.kind} source: only listing pages can be walked back`,
        {},
      );
    }
    let resolved: ResolvedSource;
    try {
      resolved = resolveSources(c.env, [source])[0]!;
    } catch (err) {
      if (err instanceof ConfigError) throw new HttpError(503, "misconfigured", err.message, {});
      throw err;
    }
    const wanted = kind.backfillPages(resolved, pages);
    const queued = wanted.length > 0 ? await queueBackfill(c.env.DB, source.id, wanted, Date.now()) : [];
    return c.json({
      source: source.id,
      pages,
      queued,
      alreadyQueued: wanted.length - queued.length,
      note:
        wanted.length === 0
          ? `every listing of ${source.id} already polls at least ${pages} page(s) on each run`
          : "queued pages are read by the next runs after the due listings, within the subrequest budget; an empty page stops its listing's walk",
    });
  });

  registerSourceRoutes(admin);

  // A known path with another method: say which methods it takes.
  const methods = new Map<string, string[]>();
  for (const [method, path] of [
    ...SOURCE_ROUTES.map(([method, path]) => [method, path.replace(/\{(\w+)\}/g, ":$1").replace(/\[.*$/, "")] as const),
    ["POST", "/ingest"],
    ["GET", "/runs"],
    ["GET", "/sources"],
    ["POST", "/sources/:id/pause"],
    ["POST", "/sources/:id/resume"],
    ["POST", "/sources/:id/backfill"],
  ] as const) {
    methods.set(path, [...(methods.get(path) ?? []), method]);
  }
  for (const [path, allowed] of methods) {
    admin.all(path, (c) => {
      const r = errorResponse(
        405,
        "method_not_allowed",
        `${c.req.method} is not allowed here; use ${allowed.join(" or ")}`,
        { allow: allowed },
      );
      r.headers.set("allow", allowed.join(", "));
      return r;
    });
  }

  admin.all("*", (c) =>
    errorResponse(404, "not_found", `no admin route at ${clip(new URL(c.req.url).pathname)}`, { routes: ADMIN_ROUTES }),
  );

  admin.onError((err) => {
    if (err instanceof HttpError) return errorResponse(err.status, err.code, err.message, err.details);
    console.log(
      JSON.stringify({
        event: "http.error",
        level: "error",
        area: "admin",
        message: err instanceof Error ? err.message : String(err),
      }),
    );
    return errorResponse(500, "internal_error", "the server could not answer this request");
  });

  return admin;
}

/** One log line per admin request: method, path and status; never a header or the token. */
const logAdminRequest = async (c: Context<AppEnv>, next: () => Promise<void>) => {
  await next();
  console.log(
    JSON.stringify({
      event: "admin.request",
      level: "info",
      method: c.req.method,
      path: clip(new URL(c.req.url).pathname),
      status: c.res.status,
    }),
  );
};

/** A registered source, or a 404 listing the registered ids. */
export async function knownSource(env: Env, id: string): Promise<Source> {
  await ensureRegistry(env);
  const row = await registryRow(env.DB, id);
  const source = row ? readDefinition(row) : null;
  if (!isSource(source)) {
    const valid = (await liveDefinitions(env.DB)).map((s) => s.id);
    throw new HttpError(404, "unknown_source", `no source "${clip(id)}"`, { valid });
  }
  return source;
}

function configOr503(env: Env): Config {
  try {
    return readConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new HttpError(503, "misconfigured", err.message, {});
    throw err;
  }
}
