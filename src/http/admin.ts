/**
 * The admin API under /admin, for operators (Authorization: Bearer <ADMIN_TOKEN>, see auth.ts).
 * Every answer is JSON and `Cache-Control: no-store`; bad input is a 4xx in the one error shape.
 *
 *   POST /admin/ingest[?source=id][&force=1]        run ingest now; answers the run summary
 *   GET  /admin/runs[?limit=N][&before=runId]       run history, newest first, per source, with errors
 *   GET  /admin/sources                             health per source, listings, hosts, warnings
 *   POST /admin/sources/{id}/pause | /resume        stop / restart polling one source
 *   POST /admin/sources/{id}/backfill?pages=N       queue the listings' pages up to N for reading
 */
import { type Context, Hono } from "hono";
import { ConfigError, type Env } from "../env";
import { runIngest } from "../ingest/run";
import type { Source } from "../model/source";
import { type ResolvedSource, resolveSources, sources } from "../sources";
import { sourceHealth } from "../store/health";
import { listHosts } from "../store/hosts";
import { isSourcePaused, queueBackfill, setSourcePaused } from "../store/listings";
import { runHistory } from "../store/runs";
import { requireAdmin } from "./auth";
import { clip, errorResponse, HttpError } from "./errors";

type AppEnv = { Bindings: Env };

export const MAX_BACKFILL_PAGES = 50;
const MAX_RUNS_PAGE = 100;
const ADMIN_ROUTES = [
  "POST /admin/ingest[?source=id][&force=1]",
  "GET /admin/runs[?limit=N][&before=runId]",
  "GET /admin/sources",
  "POST /admin/sources/{id}/pause",
  "POST /admin/sources/{id}/resume",
  "POST /admin/sources/{id}/backfill?pages=N",
];

export function createAdminApp(): Hono<AppEnv> {
  const admin = new Hono<AppEnv>();
  admin.use("*", logAdminRequest, requireAdmin);

  admin.post("/ingest", async (c) => {
    const params = readParams(c, ["source", "force"]);
    const source = params.source === undefined ? undefined : knownSource(params.source);
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
    const [health, hosts] = await Promise.all([sourceHealth(c.env.DB, now), listHosts(c.env.DB)]);
    const configured = new Set(sources.map((s) => s.id));
    return c.json({
      sources: health.map((h) => ({ ...h, configured: configured.has(h.id) })),
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
      const source = knownSource(c.req.param("id"));
      const now = Date.now();
      await setSourcePaused(c.env.DB, source, action === "pause", now);
      return c.json({ source: source.id, paused: action === "pause" });
    });
  }

  admin.post("/sources/:id/backfill", async (c) => {
    const params = readParams(c, ["pages"]);
    const source = knownSource(c.req.param("id"));
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
    if (source.kind !== "html") {
      throw new HttpError(
        400,
        "not_paged",
        `source ${source.id} is a ${source.kind} source: only listing pages can be walked back`,
        {},
      );
    }
    let resolved: ResolvedSource;
    try {
      resolved = resolveSources(c.env).find((r) => r.source.id === source.id)!;
    } catch (err) {
      if (err instanceof ConfigError) throw new HttpError(503, "misconfigured", err.message, {});
      throw err;
    }
    const wanted = source.listings.flatMap((def) =>
      Array.from({ length: Math.max(0, pages - def.pages) }, (_, i) => {
        const page = def.pages + i;
        return {
          id: `${source.id}:${def.path}?page=${page}`,
          url: `${resolved.baseUrl}${def.path}?page=${page}`,
          page,
        };
      }),
    );
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

  // A known path with another method: say which method it takes.
  for (const [path, method] of [
    ["/ingest", "POST"],
    ["/runs", "GET"],
    ["/sources", "GET"],
    ["/sources/:id/pause", "POST"],
    ["/sources/:id/resume", "POST"],
    ["/sources/:id/backfill", "POST"],
  ] as const) {
    admin.all(path, (c) => {
      const r = errorResponse(405, "method_not_allowed", `${c.req.method} is not allowed here; use ${method}`, {
        allow: [method],
      });
      r.headers.set("allow", method);
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

/** The query as single values; unknown or repeated keys are a 400. */
function readParams(c: Context<AppEnv>, known: string[]): Record<string, string | undefined> {
  const params = new URL(c.req.url).searchParams;
  const out: Record<string, string | undefined> = {};
  for (const key of new Set(params.keys())) {
    if (!known.includes(key)) {
      throw new HttpError(400, "unknown_parameter", `unknown query parameter "${clip(key)}"`, { valid: known });
    }
    const all = params.getAll(key);
    if (all.length > 1) throw new HttpError(400, `invalid_${key}`, `${key} may be given once`, {});
    out[key] = all[0];
  }
  return out;
}

function knownSource(id: string): Source {
  const source = sources.find((s) => s.id === id);
  if (!source) {
    throw new HttpError(404, "unknown_source", `no source "${clip(id)}"`, { valid: sources.map((s) => s.id) });
  }
  return source;
}

function intParam(name: string, raw: string, min: number, max: number): number {
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new HttpError(
      400,
      `invalid_${name}`,
      `${name} must be a whole number from ${min} to ${max}, got "${clip(raw)}"`,
      {
        allowed: `${min}..${max}`,
      },
    );
  }
  return Number(raw);
}

function flag(name: string, raw: string): boolean {
  if (raw === "1" || raw === "true") return true;
  if (raw === "0" || raw === "false") return false;
  throw new HttpError(400, `invalid_${name}`, `${name} must be 1, 0, true or false, got "${clip(raw)}"`, {
    allowed: ["1", "0", "true", "false"],
  });
}
