/**
 * Compressed bytes on the wire: every text answer in the encoding the client takes best, with
 * its own ETag and Vary: Accept-Encoding; a feed's encodings are made once with its rendering.
 * The Worker is called directly (not through a fetch, which would decode the body), so the tests
 * see the bytes as they leave it.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { chooseCoding } from "../../src/http/compression";
import worker from "../../src/index";
import { runIngest } from "../../src/ingest/run";
import { clearFeedMemo } from "../../src/store/feed-cache";
import { resetFixture } from "../helpers/fixture";

const W = "https://caravan.test";
// What real clients send: browsers (Chrome, Firefox), Safari and NetNewsWire (URLSession), Go's
// net/http (Miniflux), libcurl's everything-it-decodes (newsboat), curl without --compressed.
const CLIENTS: Record<string, { header: string | null; coding: "br" | "gzip" | null }> = {
  "Chrome, Firefox": { header: "gzip, deflate, br, zstd", coding: "br" },
  "Safari, NetNewsWire": { header: "gzip, deflate, br", coding: "br" },
  Miniflux: { header: "gzip", coding: "gzip" },
  newsboat: { header: "deflate, gzip, br, zstd", coding: "br" },
  "curl (no --compressed)": { header: null, coding: null },
};

async function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Response> {
  const ctx = createExecutionContext();
  const r = await worker.fetch(new Request(`${W}${path}`, { method, headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return r;
}

async function text(r: Response): Promise<string> {
  const body = new Uint8Array(await r.arrayBuffer());
  const coding = r.headers.get("content-encoding");
  const raw = coding === "br" ? brotliDecompressSync(body) : coding === "gzip" ? gunzipSync(body) : body;
  return new TextDecoder().decode(raw);
}

function withHeader(header: string | null): Record<string, string> {
  return header === null ? {} : { "accept-encoding": header };
}

describe("Accept-Encoding", () => {
  it("picks brotli, then gzip, by q and *, and the identity otherwise", () => {
    expect(chooseCoding("gzip, deflate, br, zstd")).toBe("br");
    expect(chooseCoding("gzip")).toBe("gzip");
    expect(chooseCoding("br;q=0, gzip")).toBe("gzip");
    expect(chooseCoding("gzip;q=0.5, br;q=0.4")).toBe("gzip");
    expect(chooseCoding("*")).toBe("br");
    expect(chooseCoding("*;q=0, gzip;q=0.1")).toBe("gzip");
    expect(chooseCoding("identity")).toBeNull();
    expect(chooseCoding("deflate, zstd")).toBeNull();
    expect(chooseCoding("")).toBeNull();
    expect(chooseCoding(null)).toBeNull();
  });
});

describe("compressed answers", () => {
  beforeAll(async () => {
    await resetFixture();
    await runIngest({ ...env, SUBREQUEST_BUDGET: "200" }, { trigger: "cron", sourceId: "eurasianet" });
    clearFeedMemo();
  });

  it("a feed in every format, for every client, in its encoding with its own ETag, the same text", async () => {
    for (const path of ["/feeds/all.rss", "/feeds/region/caucasus.atom", "/feeds/country/georgia.json"]) {
      const plain = await get(path);
      expect(plain.headers.get("content-encoding"), path).toBeNull();
      const reference = await text(plain);
      const etag = plain.headers.get("etag")!;
      for (const [client, { header, coding }] of Object.entries(CLIENTS)) {
        // Twice: a miss (rendered and encoded now) and a hit (the kept encodings).
        for (const round of [1, 2]) {
          const r = await get(path, withHeader(header));
          const label = `${client} ${path} #${round}`;
          expect(r.status, label).toBe(200);
          expect(r.headers.get("content-encoding"), label).toBe(coding);
          expect(r.headers.get("vary"), label).toContain("Accept-Encoding");
          expect(r.headers.get("etag"), label).toBe(coding === null ? etag : `${etag.slice(0, -1)}-${coding}"`);
          expect(await text(r), label).toBe(reference);
        }
      }
    }
  });

  it("a compressed feed's ETag sent back gets a 304 with no body, in any encoding", async () => {
    const path = "/feeds/source/eurasianet.atom";
    const first = await get(path, { "accept-encoding": "gzip, deflate, br" });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/-br"$/);
    for (const header of ["gzip, deflate, br", "gzip", null]) {
      const r = await get(path, { ...withHeader(header), "if-none-match": etag });
      expect(r.status).toBe(304);
      expect(r.headers.get("content-encoding")).toBeNull();
      expect(r.body).toBeNull();
    }
  });

  it("the encodings are much smaller than the feed", async () => {
    const plain = (await (await get("/feeds/all.atom")).arrayBuffer()).byteLength;
    const gz = (await (await get("/feeds/all.atom", { "accept-encoding": "gzip" })).arrayBuffer()).byteLength;
    const br = (await (await get("/feeds/all.atom", { "accept-encoding": "br" })).arrayBuffer()).byteLength;
    expect(gz).toBeLessThan(plain / 3);
    expect(br).toBeLessThan(gz);
  });

  it("OPML, the API, the index page and the API docs are compressed too, and keep their 304s", async () => {
    for (const path of ["/feeds.opml", "/api/items?limit=50", "/api/feeds", "/", "/docs", "/openapi.json"]) {
      const plain = await get(path);
      expect(plain.status, path).toBe(200);
      const reference = await text(plain);
      for (const coding of ["br", "gzip"] as const) {
        const r = await get(path, { "accept-encoding": coding });
        expect(r.headers.get("content-encoding"), path).toBe(coding);
        expect(r.headers.get("vary"), path).toContain("Accept-Encoding");
        expect(await text(r), path).toBe(reference);
        const etag = r.headers.get("etag");
        if (etag !== null) {
          expect(etag, path).toMatch(new RegExp(`-${coding}"$`));
          const again = await get(path, { "accept-encoding": coding, "if-none-match": etag });
          expect(again.status, path).toBe(304);
        }
      }
    }
  });

  it("HEAD says Vary: Accept-Encoding like GET, with no body", async () => {
    const head = await get("/api/feeds", { "accept-encoding": "gzip" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("vary")).toContain("Accept-Encoding");
    expect(head.body).toBeNull();
  });

  it("a browser's HTML page of a feed is compressed the same way", async () => {
    const r = await get("/feeds/all.rss", {
      "sec-fetch-dest": "document",
      "accept-encoding": "gzip, deflate, br, zstd",
    });
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(r.headers.get("content-encoding")).toBe("br");
    expect(await text(r)).toMatch(/^<!DOCTYPE html>/);
  });

  it("small answers and errors go out as they are", async () => {
    const health = await get("/healthz", { "accept-encoding": "gzip" });
    expect(health.headers.get("content-encoding")).toBeNull();
    const missing = await get("/feeds/region/atlantis.rss", { "accept-encoding": "gzip" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-encoding")).toBeNull();
    expect(JSON.parse(await text(missing)).error.code).toBe("unknown_feed");
  });
});
