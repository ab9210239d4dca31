import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { runIngest } from "../../src/ingest/run";
import { clearFeedMemo } from "../../src/store/feed-cache";
import { resetFixture } from "../helpers/fixture";

const W = "https://caravan.test";
const APP = "https://reader.example";

/** Every public GET route, with a concrete URL for each. */
const ROUTES = [
  "/",
  "/healthz",
  "/feed.xsl",
  "/feeds.opml",
  "/feeds/all.rss",
  "/feeds/all.json?lang=en",
  "/feeds/region/caucasus.atom",
  "/feeds/topic/security.json?country=georgia",
  "/api/items",
  "/api/items/0123456789abcdef0123456789abcdef",
  "/api/feeds",
  "/api/taxonomy",
  "/api/sources",
  "/openapi.json",
  "/docs",
];

/** What Chromium sends before a cross-origin fetch(url, { headers: { "If-None-Match": … } }). */
const CHROME_PREFLIGHT = {
  accept: "*/*",
  "accept-encoding": "gzip, deflate, br, zstd",
  "accept-language": "en-US,en;q=0.9",
  "access-control-request-headers": "if-modified-since,if-none-match",
  "access-control-request-method": "GET",
  origin: APP,
  referer: `${APP}/`,
  "sec-fetch-dest": "empty",
  "sec-fetch-mode": "cors",
  "sec-fetch-site": "cross-site",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
};

/** Firefox's preflight for the same call (it lists the headers in the order the script set them). */
const FIREFOX_PREFLIGHT = {
  accept: "*/*",
  "accept-language": "en-US,en;q=0.5",
  "accept-encoding": "gzip, deflate, br, zstd",
  "access-control-request-method": "GET",
  "access-control-request-headers": "if-none-match",
  origin: APP,
  "sec-fetch-dest": "empty",
  "sec-fetch-mode": "cors",
  "sec-fetch-site": "cross-site",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:148.0) Gecko/20100101 Firefox/148.0",
};

function send(path: string, method = "GET", headers: Record<string, string> = {}, body?: string): Promise<Response> {
  return exports.default.fetch(new Request(`${W}${path}`, { method, headers, body }));
}

/** Lower-cased names of a comma-separated header list. */
function names(value: string | null): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

describe("HTTP methods and CORS on every public route", () => {
  beforeAll(async () => {
    await resetFixture();
    await runIngest({ ...env, SUBREQUEST_BUDGET: "200" }, { trigger: "cron", sourceId: "eurasianet" });
  });

  it("answers POST, PUT, PATCH and DELETE with 405 and an Allow header", async () => {
    for (const path of ROUTES) {
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        const body = method === "DELETE" ? undefined : "x=1";
        const r = await send(path, method, { "content-type": "application/x-www-form-urlencoded" }, body);
        expect(r.status, `${method} ${path}`).toBe(405);
        expect(names(r.headers.get("allow")), `${method} ${path}`).toEqual(["get", "head", "options"]);
        const err = (await r.json()) as { error: { code: string; details: { allowed: string[] } } };
        expect(err.error.code).toBe("method_not_allowed");
        expect(err.error.details.allowed).toEqual(["GET", "HEAD", "OPTIONS"]);
      }
    }
    // Unknown paths stay a 404 whatever the method.
    expect((await send("/nothing/here", "POST")).status).toBe(404);
    expect((await send("/api/stories", "POST")).status).toBe(404);
  });

  it("answers a browser's cross-origin preflight with 204 allowing the validators", async () => {
    for (const path of ROUTES) {
      for (const headers of [CHROME_PREFLIGHT, FIREFOX_PREFLIGHT]) {
        const r = await send(path, "OPTIONS", headers);
        expect(r.status, path).toBe(204);
        expect(await r.text()).toBe("");
        expect(r.headers.get("access-control-allow-origin"), path).toBe("*");
        const allowedHeaders = names(r.headers.get("access-control-allow-headers"));
        for (const h of names(headers["access-control-request-headers"])) expect(allowedHeaders, path).toContain(h);
        expect(names(r.headers.get("access-control-allow-methods")), path).toContain("get");
        expect(Number(r.headers.get("access-control-max-age")), path).toBeGreaterThan(0);
      }
      // A plain OPTIONS (no preflight headers) says what the route allows.
      const plain = await send(path, "OPTIONS");
      expect(plain.status, path).toBe(204);
      expect(names(plain.headers.get("allow")), path).toEqual(["get", "head", "options"]);
    }
  });

  it("lets a cross-origin script read ETag and Last-Modified of feeds and API, on 200 and on 304", async () => {
    clearFeedMemo();
    for (const path of ["/feeds/country/georgia.atom", "/feeds/all.json?topic=politics", "/api/items?lang=en"]) {
      const cors = { origin: APP, "sec-fetch-mode": "cors", "sec-fetch-site": "cross-site", accept: "*/*" };
      // Full path, then the in-memory hot path of a repeated poll: both carry the headers.
      for (const round of ["first", "repeat"]) {
        const full = await send(path, "GET", cors);
        expect(full.status, path).toBe(200);
        await full.arrayBuffer();
        expect(full.headers.get("access-control-allow-origin"), `${round} ${path}`).toBe("*");
        expect(names(full.headers.get("access-control-expose-headers")), `${round} ${path}`).toEqual([
          "etag",
          "last-modified",
          "link",
        ]);
        if (round === "repeat" && path.startsWith("/feeds")) expect(full.headers.get("x-caravan-cache")).toBe("hit");
        const etag = full.headers.get("etag")!;
        const notModified = await send(path, "GET", { ...cors, "if-none-match": etag });
        expect(notModified.status, path).toBe(304);
        expect(notModified.headers.get("access-control-allow-origin"), path).toBe("*");
        expect(names(notModified.headers.get("access-control-expose-headers")), path).toContain("etag");
      }
    }
  });

  it("refuses a lang it does not carry, naming the valid ones, in feeds and API", async () => {
    for (const path of [
      "/feeds/all.rss?lang=xx",
      "/feeds/region/caucasus.json?lang=en,de",
      "/feeds/all.atom?lang=english",
      "/api/items?lang=xx",
      "/api/items?lang=EN",
    ]) {
      const r = await send(path);
      expect(r.status, path).toBe(400);
      const err = (await r.json()) as { error: { code: string; message: string; details: { valid: string[] } } };
      expect(err.error.code, path).toBe("invalid_lang");
      expect(err.error.details.valid, path).toEqual(["en", "ru"]);
      expect(err.error.message, path).toContain("en, ru");
    }
    const en = await send("/feeds/all.json?lang=en");
    expect(en.status).toBe(200);
    expect(((await en.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expect((await send("/feeds/all.json?lang=ru")).status).toBe(200);
  });
});
