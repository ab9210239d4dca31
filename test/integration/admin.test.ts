/**
 * The admin API (Bearer ADMIN_TOKEN): authentication, no caching, ingest, run history, source
 * health and warnings, pause/resume, backfill; and /healthz and the scheduled handler.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { bearerToken, tokenMatches } from "../../src/http/auth";
import worker from "../../src/index";
import { itemIdFor } from "../../src/ingest/canonical";
import { runIngest } from "../../src/ingest/run";
import { getItem } from "../../src/store/items";
import { fixturePage, fixtureRequests, origin, overridePage, resetFixture } from "../helpers/fixture";

const TOKEN = (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN;
const W = "https://caravan.test";
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const ENV = { ...env, HOST_MIN_INTERVAL_MS: "0", SUBREQUEST_BUDGET: "200" };
const LISTING_PAGES = 16;

/** Every admin answer seen, to check none of them may be cached and none echoes the token. */
const seen: { path: string; response: Response; body: string }[] = [];

async function call(method: string, path: string, token: string | null = TOKEN, headers: Record<string, string> = {}) {
  const h = new Headers(headers);
  if (token !== null) h.set("authorization", `Bearer ${token}`);
  // The Worker's fetch with the test bindings, minus the pacing meant for real sites.
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${W}${path}`, { method, headers: h }), ENV, ctx);
  await waitOnExecutionContext(ctx);
  const body = await response.text();
  if (path.startsWith("/admin")) seen.push({ path, response, body });
  return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body) };
}

const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

beforeAll(async () => {
  await resetFixture();
});

afterAll(async () => {
  await resetFixture();
  for (const s of seen) {
    expect(s.response.headers.get("cache-control"), s.path).toBe("no-store");
    expect(s.body.includes(TOKEN), s.path).toBe(false);
  }
});

describe("admin authentication", () => {
  it("compares tokens in constant time over SHA-256 digests, whatever their lengths", async () => {
    expect(await tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(await tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(await tokenMatches("", TOKEN)).toBe(false);
    expect(await tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer   ${TOKEN}  `)).toBe(TOKEN);
    expect(bearerToken(`Basic ${TOKEN}`)).toBeNull();
    expect(bearerToken(`Bearer a b`)).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it("answers 401 and nothing else without a valid token, on every admin route and method", async () => {
    const attempts: [string, string, string | null, Record<string, string>?][] = [
      ["POST", "/admin/ingest", null],
      ["POST", "/admin/ingest?force=1", "wrong-token-wrong-token"],
      ["POST", "/admin/ingest", TOKEN.slice(0, -1)],
      ["POST", "/admin/ingest", `${TOKEN}0`],
      ["GET", "/admin/runs", null, { authorization: `Basic ${btoa(`admin:${TOKEN}`)}` }],
      ["GET", `/admin/runs?token=${TOKEN}`, null],
      ["GET", "/admin/sources", null, { cookie: `token=${TOKEN}` }],
      ["POST", "/admin/sources/eurasianet/pause", null],
      ["POST", "/admin/sources/eurasianet/backfill?pages=5", "x"],
      ["GET", "/admin/no-such-route", null],
      ["DELETE", "/admin/runs", null],
    ];
    const runsBefore = await count("SELECT count(*) AS n FROM runs");
    for (const [method, path, token, headers] of attempts) {
      const r = await call(method, path, token, headers);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe('Bearer realm="caravan-admin"');
      expect(r.headers.get("cache-control")).toBe("no-store");
      const body = r.json();
      expect(Object.keys(body)).toEqual(["error"]);
      expect(body.error.code).toBe("unauthorized");
      expect(body.error.message).toMatch(/Authorization: Bearer <ADMIN_TOKEN>/);
    }
    // Nothing happened: no run, no pause, nothing asked of the site.
    expect(await count("SELECT count(*) AS n FROM runs")).toBe(runsBefore);
    expect(await count("SELECT count(*) AS n FROM sources WHERE paused = 1")).toBe(0);
    expect(await fixtureRequests()).toEqual([]);
  });

  it("is off, saying so, when ADMIN_TOKEN is not configured or too short", async () => {
    for (const configured of [undefined, "", "short-token"]) {
      const ctx = createExecutionContext();
      const response = await worker.fetch(
        new Request(`${W}/admin/runs`, {
          headers: { authorization: `Bearer ${configured ?? "anything-at-all-here"}` },
        }),
        { ...env, ADMIN_TOKEN: configured },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/admin API is off: ADMIN_TOKEN is not set \(or shorter than 16 characters\)/);
    }
  });

  it("never writes the token to a log line", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    try {
      await call("GET", "/admin/runs");
      await call("GET", "/admin/runs", "wrong-token-wrong-token");
      await call("GET", "/admin/bogus");
    } finally {
      spy.mockRestore();
    }
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(["admin.request", "admin.request", "admin.request"]);
    expect(lines.map((l) => JSON.parse(l).status)).toEqual([200, 401, 404]);
    expect(lines.some((l) => l.includes(TOKEN) || l.includes("wrong-token"))).toBe(false);
  });
});

describe("admin routes", () => {
  let t0: number;

  beforeAll(async () => {
    await resetFixture();
    t0 = Date.now();
    const first = await runIngest(ENV, { trigger: "cron", now: t0 });
    expect(first.errorMessages).toEqual([]);
    await resetFixture();
  });

  afterEach(async () => {
    await resetFixture();
  });

  it("POST /admin/ingest?force=1 reads every listing now and answers the run's summary", async () => {
    const r = await call("POST", "/admin/ingest?source=eurasianet&force=1");
    expect(r.status).toBe(200);
    const { run } = r.json();
    expect(run.notModified).toBe(LISTING_PAGES);
    expect(run.errorMessages).toEqual([]);
    expect(run.sources.eurasianet).toMatchObject({ notModified: LISTING_PAGES, subrequests: LISTING_PAGES, errors: 0 });
    expect(listingRequests(await fixtureRequests())).toHaveLength(LISTING_PAGES);
    const row = await env.DB.prepare("SELECT trigger, not_modified FROM runs WHERE id = ?").bind(run.runId).first();
    expect(row).toEqual({ trigger: "admin", not_modified: LISTING_PAGES });
  });

  it("POST /admin/ingest without force reads only what is due; ?source= limits it to one source", async () => {
    const r = await call("POST", "/admin/ingest?source=eurasianet");
    expect(r.status).toBe(200);
    expect(r.json().run.notModified + r.json().run.listingsFetched).toBe(0);
    expect(await fixtureRequests()).toEqual([]);
  });

  it("refuses bad ingest parameters with a 4xx naming what is valid", async () => {
    const unknown = await call("POST", "/admin/ingest?source=nope");
    expect(unknown.status).toBe(404);
    expect(unknown.json().error).toMatchObject({
      code: "unknown_source",
      details: { valid: expect.arrayContaining(["eurasianet", "oc-media"]) },
    });
    const force = await call("POST", "/admin/ingest?force=maybe");
    expect(force.status).toBe(400);
    expect(force.json().error.details.allowed).toEqual(["1", "0", "true", "false"]);
    expect((await call("POST", "/admin/ingest?forse=1")).json().error).toMatchObject({
      code: "unknown_parameter",
      details: { valid: ["source", "force"] },
    });
    expect((await call("POST", "/admin/ingest?force=1&force=0")).status).toBe(400);
    const method = await call("GET", "/admin/ingest");
    expect(method.status).toBe(405);
    expect(method.headers.get("allow")).toBe("POST");
    const nowhere = await call("GET", "/admin/nothing-here");
    expect(nowhere.status).toBe(404);
    expect(nowhere.json().error.details.routes).toContain("GET /admin/sources");
    expect(await fixtureRequests()).toEqual([]);
  });

  it("GET /admin/runs shows history per source: listings fetched, 304s, items, errors with messages, subrequests", async () => {
    await fetch(`${origin}/__fixture/fault?path=${encodeURIComponent("/region/tajikistan")}&status=500`, {
      method: "PUT",
    }).then((x) => x.arrayBuffer());
    const forced = (await call("POST", "/admin/ingest?source=eurasianet&force=1")).json().run;
    const r = await call("GET", "/admin/runs?limit=2");
    expect(r.status).toBe(200);
    const { runs, next } = r.json();
    expect(runs).toHaveLength(2);
    expect(next).toBe(`/admin/runs?limit=2&before=${runs[1].id}`);
    const latest = runs[0];
    expect(latest.id).toBe(forced.runId);
    expect(latest.trigger).toBe("admin");
    expect(Date.parse(latest.finishedAt)).toBeGreaterThanOrEqual(Date.parse(latest.startedAt));
    expect(latest.totals).toMatchObject({ notModified: LISTING_PAGES - 1, errors: 1, subrequests: LISTING_PAGES });
    expect(latest.sources.eurasianet).toEqual({
      listingsFetched: 0,
      notModified: LISTING_PAGES - 1,
      articlesFetched: 0,
      itemsSeen: 0,
      itemsNew: 0,
      itemsUpdated: 0,
      errors: 1,
      subrequests: LISTING_PAGES,
      deferred: 0,
      datesUnread: 0,
      offHostLinks: 0,
    });
    expect(latest.errors).toHaveLength(1);
    expect(latest.errors[0]).toMatchObject({
      sourceId: "eurasianet",
      listingId: "eurasianet:/region/tajikistan?page=0",
    });
    expect(latest.errors[0].message).toMatch(
      /^HTTP 500 Internal Server Error .*; next try after .* \(failure 1 in a row\)$/,
    );
    // Paging back reaches the first run, which read every article.
    const all = (await call("GET", "/admin/runs?limit=100")).json().runs;
    const first = all.at(-1);
    expect(first.sources.eurasianet.articlesFetched).toBe(31);
    expect(first.sources.eurasianet.itemsNew).toBe(31);
    const older = (await call("GET", `/admin/runs?limit=1&before=${latest.id}`)).json().runs;
    expect(older[0].id).toBeLessThan(latest.id);
    for (const bad of ["limit=0", "limit=101", "limit=x", "before=-1", "page=2"]) {
      expect((await call("GET", `/admin/runs?${bad}`)).status, bad).toBe(400);
    }
  });

  it("GET /admin/sources shows health, items per run, listings, hosts, and warnings with advice", async () => {
    // Three failures in a row on one listing, and a drift on another.
    await env.DB.prepare(
      "UPDATE listings SET consecutive_failures = 3, last_status = 503, last_error = 'HTTP 503 Service Unavailable', last_error_code = 'http' WHERE id = ?",
    )
      .bind("eurasianet:/region/uzbekistan?page=1")
      .run();
    await env.DB.prepare(
      "UPDATE listings SET drift = 'zero_items', drift_message = 'eurasianet:/voices/the-bug-pit?page=0 parsed zero items' WHERE id = ?",
    )
      .bind("eurasianet:/voices/the-bug-pit?page=0")
      .run();
    const r = await call("GET", "/admin/sources");
    expect(r.status).toBe(200);
    const { sources, hosts } = r.json();
    expect(sources.map((x: { id: string }) => x.id)).toContain("eurasianet");
    const s = sources.find((x: { id: string }) => x.id === "eurasianet");
    expect(s).toMatchObject({
      id: "eurasianet",
      name: "Eurasianet",
      kind: "html",
      enabled: true,
      paused: false,
      configured: true,
    });
    expect(Date.parse(s.lastSuccessAt)).toBeGreaterThan(0);
    expect(s.itemsStored).toBe(31);
    expect(s.itemsPerRun.runs).toBeGreaterThanOrEqual(2);
    expect(s.itemsPerRun.new).toBeGreaterThan(0);
    expect(s.listings).toHaveLength(LISTING_PAGES);
    const codes = s.warnings.map((w: { code: string }) => w.code).sort();
    expect(codes).toEqual(["failing", "zero_items"]);
    const failing = s.warnings.find((w: { code: string }) => w.code === "failing");
    expect(failing.message).toBe(
      "eurasianet:/region/uzbekistan?page=1 failed 3 times in a row: HTTP 503 Service Unavailable",
    );
    expect(failing.advice).toMatch(/throttling or down/);
    const zero = s.warnings.find((w: { code: string }) => w.code === "zero_items");
    expect(zero.advice).toMatch(/item selector/);
    expect(hosts).toContainEqual(
      expect.objectContaining({ host: new URL(origin).host, robotsStatus: 200, blockedUntil: null }),
    );
    await env.DB.prepare("UPDATE listings SET consecutive_failures = 0, drift = NULL, drift_message = NULL").run();
  });

  it("pause stops every run from reading a source until resume", async () => {
    const paused = await call("POST", "/admin/sources/eurasianet/pause");
    expect(paused.status).toBe(200);
    expect(paused.json()).toEqual({ source: "eurasianet", paused: true });
    const refused = await call("POST", "/admin/ingest?source=eurasianet&force=1");
    expect(refused.status).toBe(409);
    expect(refused.json().error.message).toMatch(/paused: POST \/admin\/sources\/eurasianet\/resume first/);
    // A cron run and a forced admin run over all sources both leave it alone.
    await env.DB.prepare("UPDATE listings SET next_fetch_at = 0").run();
    const cron = await runIngest(ENV, { trigger: "cron", now: Date.now() + DAY });
    expect(cron.sources.eurasianet).toBeUndefined();
    expect((await call("POST", "/admin/ingest?force=1")).json().run.sources.eurasianet).toBeUndefined();
    expect(await fixtureRequests()).toEqual([]);
    const health = (await call("GET", "/admin/sources"))
      .json()
      .sources.find((x: { id: string }) => x.id === "eurasianet");
    expect(health.paused).toBe(true);
    expect(health.warnings.map((w: { code: string }) => w.code)).toContain("paused");

    const resumed = await call("POST", "/admin/sources/eurasianet/resume");
    expect(resumed.json()).toEqual({ source: "eurasianet", paused: false });
    const after = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: Date.now() + DAY });
    expect(after.notModified).toBe(LISTING_PAGES);
    expect((await call("POST", "/admin/sources/nope/pause")).status).toBe(404);
    expect((await call("GET", "/admin/sources/eurasianet/pause")).status).toBe(405);
  });

  it("backfill queues older pages, reads them after the due listings, lands their stories and cleans up", async () => {
    const slug = "an-older-caucasus-story-from-page-two";
    // Page 2 of caucasus: page 1's stories plus one older story no configured page shows.
    const pageOne = await fixturePage("/region/caucasus?page=1");
    const row = `<div class="view__row"><article class="teaser"><div class="teaser__content"><h2 class="teaser__title"><a href="/${slug}">An older story</a></h2><div class="teaser__meta"><span class="meta__date">Jan 5, 2018</span></div></div></article></div>`;
    const pageTwo = pageOne.replace('<div class="view__row">', `${row}<div class="view__row">`);
    await overridePage("/region/caucasus?page=2", pageTwo);
    const seed = "azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report";
    await overridePage(`/${slug}`, (await fixturePage(`/${seed}`)).replaceAll(seed, slug));

    const r = await call("POST", "/admin/sources/eurasianet/backfill?pages=4");
    expect(r.status).toBe(200);
    const body = r.json();
    // Region listings poll 2 pages (so pages 2 and 3 are queued), the two blogs 1 (pages 1 to 3).
    expect(body.queued).toHaveLength(7 * 2 + 2 * 3);
    expect(body.queued).toContain("eurasianet:/region/caucasus?page=2");
    expect(body.alreadyQueued).toBe(0);
    expect((await call("POST", "/admin/sources/eurasianet/backfill?pages=4")).json()).toMatchObject({
      queued: [],
      alreadyQueued: 20,
    });
    expect((await call("POST", "/admin/sources/eurasianet/backfill?pages=1")).json().note).toMatch(
      /already polls at least 1 page/,
    );
    for (const bad of ["", "?pages=0", "?pages=51", "?pages=two", "?pages=2&pages=3", "?page=2"]) {
      expect((await call("POST", `/admin/sources/eurasianet/backfill${bad}`)).status, bad).toBe(400);
    }
    expect((await call("POST", "/admin/sources/nope/backfill?pages=2")).status).toBe(404);
    // Backfill pages are not health problems while they wait.
    expect(
      (await call("GET", "/admin/sources")).json().sources.find((x: { id: string }) => x.id === "eurasianet").warnings,
    ).toEqual([]);

    await resetFixture();
    await overridePage("/region/caucasus?page=2", pageTwo);
    await overridePage(`/${slug}`, (await fixturePage(`/${seed}`)).replaceAll(seed, slug));
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: Date.now() + 2 * DAY });
    expect(run.errorMessages).toEqual([]);
    const read = listingRequests(await fixtureRequests());
    // The 16 due listings first, then the backfill pages; an empty page ends its listing's walk,
    // so page 3 of caucasus is read (page 2 had a story) but no page 3 of the others.
    expect(read.slice(0, LISTING_PAGES).every((p) => !/page=[23]/.test(p))).toBe(true);
    const backfilled = read.slice(LISTING_PAGES);
    expect(backfilled).toContain("/region/caucasus?page=2");
    expect(backfilled).toContain("/region/caucasus?page=3");
    expect(backfilled.filter((p) => p.endsWith("page=3"))).toEqual(["/region/caucasus?page=3"]);
    expect(backfilled.filter((p) => p.startsWith("/voices/")).sort()).toEqual([
      "/voices/tamada-tales?page=1",
      "/voices/the-bug-pit?page=1",
    ]);
    const story = await getItem(env.DB, await itemIdFor(`${origin}/${slug}`));
    expect(story?.regions).toContain("caucasus");
    expect(story?.contentHtml).toContain("<p>");
    expect(run.itemsNew).toBe(1);
    expect(await count("SELECT count(*) AS n FROM listings WHERE backfill = 1")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM listings WHERE source_id = 'eurasianet'")).toBe(LISTING_PAGES);
  });

  it("GET /healthz answers 200 from D1 and KV without fetching a source", async () => {
    const r = await call("GET", "/healthz", null);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ok: true, d1: "ok", kv: "ok" });
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(await fixtureRequests()).toEqual([]);
  });

  it("the scheduled handler runs ingest as a cron run", async () => {
    const before = await count("SELECT count(*) AS n FROM runs WHERE trigger = 'cron'");
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" }), ENV);
    expect(await count("SELECT count(*) AS n FROM runs WHERE trigger = 'cron'")).toBe(before + 1);
  });
});

function listingRequests(requests: { path: string }[]): string[] {
  return requests.map((r) => r.path).filter((p) => p.startsWith("/region/") || p.startsWith("/voices/"));
}
