import { env } from "cloudflare:test";
import { brotliDecompressSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeBoth } from "../../src/http/compression";
import { hotFeedResponse, rememberFeedRoute } from "../../src/http/hot-feeds";
import {
  clearFeedMemo,
  getCachedFeed,
  invalidateFeeds,
  putCachedFeed,
  readFeedVersions,
} from "../../src/store/feed-cache";

describe("the hot path for feed polls", () => {
  it("answers only remembered URLs with a current rendering, and honours validators", async () => {
    clearFeedMemo();
    const url = "https://caravan.test/feeds/country/georgia.atom";
    expect(hotFeedResponse(new Request(url))).toBeNull();

    await invalidateFeeds(env.DB, env.CACHE, ["country:georgia"], "v1");
    await readFeedVersions(env.CACHE);
    const bytes = new TextEncoder().encode("<feed/>");
    await putCachedFeed(env.CACHE, "k", {
      version: "v1",
      body: bytes,
      ...(await encodeBoth(bytes)),
      etag: '"e1"',
      lastModified: "Wed, 20 May 2026 04:00:00 GMT",
      contentType: "application/atom+xml",
    });
    rememberFeedRoute(url, "country:georgia", "application/atom+xml", false, {
      cacheKey: "k",
      headers: { "content-type": "application/atom+xml; charset=utf-8" },
    });

    const hit = hotFeedResponse(new Request(url))!;
    expect(hit.status).toBe(200);
    expect(hit.headers.get("x-caravan-cache")).toBe("hit");
    expect(hit.headers.get("etag")).toBe('"e1"');
    expect(await hit.text()).toBe("<feed/>");
    // The memo's bytes are copied into each response, not handed over: the next hit has them too.
    expect(await hotFeedResponse(new Request(url))!.text()).toBe("<feed/>");
    expect(hotFeedResponse(new Request(url, { headers: { "if-none-match": '"e1"' } }))!.status).toBe(304);
    // The kept brotli bytes for a client that takes them, with the encoding's own ETag; the
    // ETag it then sends back is a match too.
    const br = hotFeedResponse(new Request(url, { headers: { "accept-encoding": "gzip, deflate, br" } }))!;
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("etag")).toBe('"e1-br"');
    expect(new TextDecoder().decode(brotliDecompressSync(new Uint8Array(await br.arrayBuffer())))).toBe("<feed/>");
    const again = new Request(url, { headers: { "accept-encoding": "br", "if-none-match": '"e1-br"' } });
    expect(hotFeedResponse(again)!.status).toBe(304);
    expect(hotFeedResponse(new Request(url, { method: "POST" }))).toBeNull();
    expect(hotFeedResponse(new Request(`${url}?limit=5`))).toBeNull();
    // A browser's navigation wants the HTML page, which this isolate has not rendered yet.
    expect(hotFeedResponse(new Request(url, { headers: { "sec-fetch-dest": "document" } }))).toBeNull();

    // An ingest changed the feed: the memo no longer answers; the full path renders anew.
    await invalidateFeeds(env.DB, env.CACHE, ["country:georgia"], "v2");
    expect(hotFeedResponse(new Request(url))).toBeNull();
  });
});

describe("feed versions under concurrent runs", () => {
  it("two runs invalidating different feeds at once both land in the KV snapshot", async () => {
    await Promise.all([
      invalidateFeeds(env.DB, env.CACHE, ["region:caucasus", "all"], "run-a"),
      invalidateFeeds(env.DB, env.CACHE, ["region:central-asia", "all"], "run-b"),
    ]);
    const snapshot = (await env.CACHE.get<Record<string, string>>("feed-versions", "json"))!;
    expect(snapshot["region:caucasus"]).toBe("run-a");
    expect(snapshot["region:central-asia"]).toBe("run-b");
    expect(["run-a", "run-b"]).toContain(snapshot.all);
  });
});

describe("renderings in KV", () => {
  it("keep the UTF-8 bytes as the value and the rest as metadata, and read back the same", async () => {
    clearFeedMemo();
    const body = new TextEncoder().encode('{"title":"Грузия — «новости»","items":[]}');
    const encoded = await encodeBoth(body);
    const feed = {
      version: "v7",
      body,
      ...encoded,
      etag: '"e7"',
      lastModified: null,
      contentType: "application/feed+json",
    };
    await putCachedFeed(env.CACHE, "feed:kv-test", feed);

    // One value: the UTF-8 bytes, then their gzip and brotli encodings; the metadata says where.
    const stored = await env.CACHE.getWithMetadata("feed:kv-test", "arrayBuffer");
    const value = new Uint8Array(stored.value!);
    expect(value.subarray(0, body.byteLength)).toEqual(body);
    expect(value.byteLength).toBe(body.byteLength + encoded.gzip.byteLength + encoded.br.byteLength);
    expect(stored.metadata).toEqual({
      version: "v7",
      etag: '"e7"',
      lastModified: null,
      contentType: "application/feed+json",
      parts: [body.byteLength, encoded.gzip.byteLength, encoded.br.byteLength],
    });

    clearFeedMemo();
    const read = await getCachedFeed(env.CACHE, "feed:kv-test", "v7");
    expect(read).toEqual(feed);
    expect(new TextDecoder().decode(read!.body)).toBe('{"title":"Грузия — «новости»","items":[]}');
  });

  it("read an entry without the expected metadata (an older release's JSON document) as absent", async () => {
    clearFeedMemo();
    await env.CACHE.put(
      "feed:old-format",
      JSON.stringify({
        version: "v1",
        body: "<feed/>",
        etag: '"e"',
        lastModified: null,
        contentType: "application/atom+xml",
      }),
    );
    expect(await getCachedFeed(env.CACHE, "feed:old-format", "v1")).toBeNull();
    await env.CACHE.put("feed:bad-metadata", "<feed/>", { metadata: { version: 1 } });
    expect(await getCachedFeed(env.CACHE, "feed:bad-metadata", "1")).toBeNull();
    // The previous layout (the bytes alone, no encodings beside them) is rendered again too.
    const previous = { version: "1", etag: '"e"', lastModified: null, contentType: "application/atom+xml" };
    await env.CACHE.put("feed:no-encodings", "<feed/>", { metadata: previous });
    expect(await getCachedFeed(env.CACHE, "feed:no-encodings", "1")).toBeNull();
    // Metadata of the right keys with values of the wrong kind.
    const base = { ...previous, parts: [7, 0, 0] };
    for (const [i, metadata] of [
      { ...base, parts: [7, 0] },
      { ...base, parts: [7, -1, 1] },
      { ...base, parts: [6.5, 0.5, 0] },
      { ...base, lastModified: 1700000000 },
      { ...base, etag: null },
    ].entries()) {
      await env.CACHE.put(`feed:wrong-kind-${i}`, "<feed/>", { metadata });
      expect(await getCachedFeed(env.CACHE, `feed:wrong-kind-${i}`, "1"), JSON.stringify(metadata)).toBeNull();
    }
    // The same with right values is read.
    await env.CACHE.put("feed:right-kind", "<feed/>", { metadata: base });
    expect(new TextDecoder().decode((await getCachedFeed(env.CACHE, "feed:right-kind", "1"))?.body)).toBe("<feed/>");
  });
});
