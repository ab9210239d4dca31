import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { itemIdFor } from "../../src/ingest/canonical";
import { runIngest } from "../../src/ingest/run";
import { formatExtensions } from "../../src/render/formats";
import { shippedSources } from "../../src/sources";
import { buildFeedCatalog } from "../../src/sources/feeds";
import { clearFeedMemo } from "../../src/store/feed-cache";
import { origin, resetFixture } from "../helpers/fixture";

// The catalog a registry seeded from the shipped files publishes.
const feedCatalog = buildFeedCatalog(shippedSources).feeds;

const SEED = "azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report";
const W = "https://caravan.test";

function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Response> {
  return exports.default.fetch(new Request(`${W}${path}`, { method, headers }));
}

async function feedIds(path: string): Promise<string[]> {
  const r = await get(path);
  expect(r.status).toBe(200);
  const body = await r.text();
  if (path.endsWith(".json")) return (JSON.parse(body) as { items: { id: string }[] }).items.map((i) => i.id);
  return parseFeed(body).items.map((i) => i.id ?? "");
}

describe("feeds over HTTP after a scheduled ingest", () => {
  let seedId: string;

  beforeAll(async () => {
    await resetFixture();
    // The real scheduled entry point, as the cron trigger calls it (default budget: 45).
    const controller = { cron: "*/15 * * * *", scheduledTime: Date.now(), noRetry() {} } as ScheduledController;
    // exports.default is typed as a Fetcher; the Worker's scheduled handler is there at run time.
    await (exports.default as unknown as { scheduled(c: ScheduledController): Promise<void> }).scheduled(controller);
    // The fixture has more pages than one run's budget: a second run finishes them.
    await runIngest(env, { trigger: "cron", force: true });
    seedId = await itemIdFor(`${origin}/${SEED}`);
  });

  it("the seed-like story is in Caucasus, Eastern Europe, Azerbaijan and Belarus, not Central Asia", async () => {
    for (const path of [
      "/feeds/region/caucasus.atom",
      "/feeds/region/eastern-europe.rss",
      "/feeds/country/azerbaijan.json",
      "/feeds/country/belarus.atom",
      "/feeds/topic/security.rss",
      "/feeds/source/eurasianet.json",
      "/feeds/all.atom?limit=200",
    ]) {
      const ids = await feedIds(path);
      expect(
        ids.some((id) => id.includes(seedId)),
        path,
      ).toBe(true);
    }
    for (const path of [
      "/feeds/region/central-asia.atom",
      "/feeds/country/kazakhstan.rss",
      "/feeds/topic/economy.json",
    ]) {
      const ids = await feedIds(path);
      expect(ids.length, path).toBeGreaterThan(0);
      expect(
        ids.some((id) => id.includes(seedId)),
        path,
      ).toBe(false);
    }
  });

  it("a parent topic feed includes its sub-topics' stories", async () => {
    const society = await feedIds("/feeds/topic/society.json");
    const arts = await feedIds("/feeds/topic/arts-and-culture.json");
    expect(arts.length).toBeGreaterThan(0);
    for (const id of arts) expect(society).toContain(id);
  });

  it("every feed in every format is well formed, parses, and lists items newest first", async () => {
    for (const feed of feedCatalog) {
      for (const format of formatExtensions()) {
        const path = `${feed.path}.${format}`;
        const r = await get(path);
        expect(r.status, path).toBe(200);
        const body = await r.text();
        if (format === "json") {
          const doc = JSON.parse(body) as { version: string; feed_url: string; items: { date_published: string }[] };
          expect(doc.version).toBe("https://jsonfeed.org/version/1.1");
          expect(doc.feed_url).toBe(`${W}${path}`);
          const dates = doc.items.map((i) => i.date_published);
          expect([...dates].sort().reverse()).toEqual(dates);
        } else {
          expect(XMLValidator.validate(body), path).toBe(true);
          const parsed = parseFeed(body);
          expect(parsed.title).toContain("Caravan");
          const dates = parsed.items.map((i) => i.published?.getTime() ?? 0);
          expect([...dates].sort((a, b) => b - a)).toEqual(dates);
        }
      }
    }
  });

  it("serves the right content types and the self link equals the URL served", async () => {
    const rss = await get("/feeds/region/caucasus.rss?limit=5");
    expect(rss.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    const rssBody = await rss.text();
    expect(rssBody).toContain(
      `<atom:link rel="self" type="application/rss+xml" href="${W}/feeds/region/caucasus.rss?limit=5"`,
    );
    expect(parseFeed(rssBody).items).toHaveLength(5);
    const atom = await get("/feeds/region/caucasus.atom");
    expect(atom.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(await atom.text()).toMatch(new RegExp(`<link rel="self"[^>]*href="${W}/feeds/region/caucasus.atom"`));
    const json = await get("/feeds/region/caucasus.json");
    expect(json.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    expect(json.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("checks the seed item field by field through an independent parser", async () => {
    const parsed = parseFeed(await (await get("/feeds/country/azerbaijan.atom")).text());
    const item = parsed.items.find((i) => i.id?.includes(seedId))!;
    expect(item.title).toBe("Azerbaijan reaches deal with Belarus over missile purchases - report");
    expect(item.url).toBe(`${origin}/${SEED}`);
    expect(item.published?.toISOString()).toBe("2018-04-18T14:27:00.000Z");
    expect(item.authors.map((a) => a.name)).toEqual(["Joshua Kucera"]);
    expect(item.description).toBe("The deal had, according to earlier reports, been blocked by Armenia.");
    expect(item.content).toContain("<p>");
    expect(item.content).not.toMatch(/Popular|Related/);
    const rss = parseFeed(await (await get("/feeds/country/belarus.rss")).text());
    const r = rss.items.find((i) => i.id?.includes(seedId))!;
    expect(r.title).toBe(item.title);
    expect(r.url).toBe(item.url);
    expect(r.published?.toISOString()).toBe("2018-04-18T14:27:00.000Z");
    expect(r.authors.map((a) => a.name)).toEqual(["Joshua Kucera"]);
    expect(r.content).toContain("<p>");
    expect(r.categories.map((c) => c.label ?? c.term)).toEqual(
      expect.arrayContaining(["Azerbaijan", "Belarus", "Security"]),
    );
    const json = (await (await get("/feeds/country/azerbaijan.json")).json()) as {
      items: { id: string; authors: { name: string }[]; date_published: string; image?: string; url: string }[];
    };
    const j = json.items.find((i) => i.id.includes(seedId))!;
    expect(j.authors).toEqual([{ name: "Joshua Kucera" }]);
    expect(Date.parse(j.date_published)).toBe(Date.parse("2018-04-18T14:27:00Z"));
    expect(j.url).toBe(`${origin}/${SEED}`);
    expect(j.image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sites\/default\/files\//);
  });

  it("answers conditional GETs with 304 and caches rendered feeds in KV", async () => {
    const path = "/feeds/country/georgia.atom";
    const first = await get(path);
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(new Date(lastModified).getTime()).toBeGreaterThan(0);
    expect(first.headers.get("cache-control")).toBe("public, max-age=900");
    await first.arrayBuffer();

    const again = await get(path);
    expect(again.headers.get("x-caravan-cache")).toBe("hit");
    expect(again.headers.get("etag")).toBe(etag);
    await again.arrayBuffer();

    const byTag = await get(path, { "if-none-match": etag });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe("");
    expect((await get(path, { "if-modified-since": lastModified })).status).toBe(304);
    const later = new Date(Date.parse(lastModified) + 86_400_000).toUTCString();
    expect((await get(path, { "if-modified-since": later })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get(path, { "if-modified-since": earlier })).status).toBe(200);
    expect((await get(path, { "if-modified-since": "not a date" })).status).toBe(200);
    expect((await get(path, { "if-none-match": '"other"' })).status).toBe(200);

    const head = await get(path, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");

    // A different query is different content: a different ETag.
    const limited = await get(`${path}?limit=1`);
    expect(limited.headers.get("etag")).not.toBe(etag);
  });

  it("gives the same bytes for the same items (no clock in feeds)", async () => {
    const a = await (await get("/feeds/region/caucasus.rss")).text();
    await env.CACHE.delete("feed-versions");
    clearFeedMemo();
    const rerendered = await get("/feeds/region/caucasus.rss");
    expect(rerendered.headers.get("x-caravan-cache")).toBe("miss");
    const b = await rerendered.text();
    expect(b).toBe(a);
  });

  it("an ingest that changes a feed invalidates its cached copy", async () => {
    const path = "/feeds/country/armenia.json";
    const before = await get(path);
    const etag = before.headers.get("etag")!;
    await before.arrayBuffer();
    expect((await get(path)).headers.get("x-caravan-cache")).toBe("hit");
    // An article edit changes a story tagged Armenia.
    const id = await itemIdFor(`${origin}/armenian-opposition-plans-rallies-as-sargsyan-eyes-premiership`);
    await env.DB.prepare("UPDATE items SET teaser_hash = NULL WHERE id = ?").bind(id).run();
    const page = await (await fetch(`${origin}/armenian-opposition-plans-rallies-as-sargsyan-eyes-premiership`)).text();
    await fetch(
      `${origin}/__fixture/override?path=${encodeURIComponent("/armenian-opposition-plans-rallies-as-sargsyan-eyes-premiership")}`,
      {
        method: "PUT",
        body: page.replace("<p>", "<p>Editor's note: updated. "),
      },
    );
    await env.DB.prepare("UPDATE listings SET etag = NULL, last_modified = NULL").run();
    const run = await runIngest({ ...env, SUBREQUEST_BUDGET: "100" }, { trigger: "cron", force: true });
    expect(run.itemsUpdated).toBe(1);
    expect(run.changedFeeds).toContain("country:armenia");
    const after = await get(path);
    expect(after.headers.get("x-caravan-cache")).toBe("miss");
    expect(after.headers.get("etag")).not.toBe(etag);
    expect((await get(path, { "if-none-match": etag })).status).toBe(200);
  });

  it("the index page lists every feed with autodiscovery links and a strict CSP", async () => {
    const r = await get("/");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await r.text();
    for (const feed of feedCatalog) {
      expect(html).toContain(`href="${W}${feed.path}.atom"`);
    }
    expect(html).toContain('<link rel="alternate" type="application/rss+xml"');
    expect(html).not.toContain("<script");
  });

  it("answers bad requests with a 4xx naming what is valid", async () => {
    const cases: [string, number, string, unknown][] = [
      ["/feeds/region/atlantis.rss", 404, "unknown_feed", expect.arrayContaining(["caucasus", "central-asia"])],
      ["/feeds/region/caucasus.xml", 404, "unknown_format", ["rss", "atom", "json"]],
      [
        "/feeds/planet/mars.rss",
        404,
        "unknown_feed_kind",
        expect.arrayContaining(["region", "country", "topic", "source"]),
      ],
      ["/feeds/all.rss?limit=0", 400, "invalid_limit", undefined],
      ["/feeds/all.rss?limit=201", 400, "invalid_limit", undefined],
      ["/feeds/all.rss?limit=abc", 400, "invalid_limit", undefined],
      ["/feeds/all.rss?limit=5&limit=6", 400, "invalid_limit", undefined],
      [
        "/feeds/all.rss?colour=blue",
        400,
        "unknown_parameter",
        expect.arrayContaining(["region", "topic", "lang", "q", "limit", "cursor"]),
      ],
      ["/nothing/here", 404, "not_found", undefined],
    ];
    for (const [path, status, code, valid] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(status);
      const body = (await r.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
      expect(body.error.code, path).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(5);
      if (valid !== undefined) expect(Object.values(body.error.details)[0], path).toEqual(valid);
    }
  });

  it("reports health of D1 and KV", async () => {
    const r = await get("/healthz");
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, d1: "ok", kv: "ok" });
  });
});
