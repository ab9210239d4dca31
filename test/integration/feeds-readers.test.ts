import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { Validator } from "@cfworker/json-schema";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import schema11 from "jsonfeed-schema/schema-v1.1.json";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { runIngest } from "../../src/ingest/run";
import { shippedSources } from "../../src/sources";
import { buildFeedCatalog } from "../../src/sources/feeds";
import { clearFeedMemo } from "../../src/store/feed-cache";
import { resetFixture } from "../helpers/fixture";

// The catalog a registry seeded from the shipped files publishes.
const feedCatalog = buildFeedCatalog(shippedSources).feeds;

const W = "https://caravan.test";
type JsonFeed = {
  items: {
    id: string;
    title: string;
    date_published: string;
    tags?: string[];
    _caravan: { countries: string[]; topics: string[]; regions: string[] };
  }[];
  next_url?: string;
  hubs?: { type: string; url: string }[];
  feed_url: string;
};

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${W}${path}`, { headers }));
}
async function json(path: string): Promise<JsonFeed> {
  const r = await get(path);
  expect(r.status, path).toBe(200);
  return r.json();
}

describe("feed readers: filters, paging, discovery", () => {
  beforeAll(async () => {
    await resetFixture();
    await runIngest({ ...env, SUBREQUEST_BUDGET: "200" }, { trigger: "cron", sourceId: "eurasianet" });
    const { results } = await env.DB.prepare("SELECT id FROM items").all<{ id: string }>();
    expect(results.length).toBe(31);
  });

  it("filters AND across keys and OR within a key", async () => {
    const feed = await json("/feeds/region/central-asia.json?topic=economy&topic=environment&limit=200");
    expect(feed.items.length).toBeGreaterThan(2);
    for (const item of feed.items) {
      expect(item._caravan.regions).toContain("central-asia");
      expect(item._caravan.topics.some((t) => t === "economy" || t === "environment")).toBe(true);
    }
    // Exactly the stories that satisfy both, counted from the unfiltered feed.
    const expected = (await json("/feeds/all.json?limit=200")).items.filter(
      (i) =>
        i._caravan.regions.includes("central-asia") &&
        i._caravan.topics.some((t) => t === "economy" || t === "environment"),
    );
    expect(feed.items.map((i) => i.id)).toEqual(expected.map((i) => i.id));
    const comma = await json("/feeds/region/central-asia.json?topic=environment,economy&limit=200");
    expect(comma.items.map((i) => i.id)).toEqual(feed.items.map((i) => i.id));
  });

  it("the Caucasus security feed is the region feed with ?topic=security", async () => {
    const feed = await json("/feeds/region/caucasus.json?topic=security");
    const titles = feed.items.map((i) => i.title);
    expect(titles).toContain("Azerbaijan reaches deal with Belarus over missile purchases - report");
    expect(titles).not.toContain("Georgian wine exporters look beyond Russia");
    expect(feed.feed_url).toBe(`${W}/feeds/region/caucasus.json?topic=security`);
  });

  it("filters by country and source, lang and words in title or summary", async () => {
    const both = await json("/feeds/all.json?country=georgia&country=armenia&limit=200");
    expect(
      both.items.every((i) => i._caravan.countries.includes("georgia") || i._caravan.countries.includes("armenia")),
    ).toBe(true);
    expect(both.items.length).toBeGreaterThanOrEqual(5);
    expect((await json("/feeds/all.json?source=eurasianet&limit=200")).items).toHaveLength(31);
    expect((await json("/feeds/all.json?lang=ru")).items).toHaveLength(0);
    const words = await json("/feeds/all.json?q=Moldova");
    expect(words.items.map((i) => i.title).sort()).toEqual([
      "Moldova plugs into Romania’s grid to end Transnistria dependence",
      "Ukraine and Moldova open a joint checkpoint on the Transnistria stretch",
    ]);
    const prefix = await json("/feeds/all.json?q=Transn*");
    expect(prefix.items).toHaveLength(2);
  });

  it("self links of filtered feeds carry the query in every format", async () => {
    const rss = await (await get("/feeds/topic/security.rss?country=georgia")).text();
    expect(rss).toContain(`href="${W}/feeds/topic/security.rss?country=georgia"`);
    const atom = await (await get("/feeds/topic/security.atom?country=georgia")).text();
    expect(atom).toMatch(new RegExp(`rel="self"[^>]*href="${W}/feeds/topic/security.atom\\?country=georgia"`));
  });

  it("rejects invalid filter values naming the valid ones", async () => {
    for (const [path, code] of [
      ["/feeds/all.rss?topic=sports", "invalid_topic"],
      ["/feeds/all.rss?region=europe", "invalid_region"],
      ["/feeds/all.rss?country=france", "invalid_country"],
      ["/feeds/all.rss?source=bbc", "invalid_source"],
      ["/feeds/all.rss?lang=english", "invalid_lang"],
      ["/feeds/all.rss?cursor=garbage", "invalid_cursor"],
      ["/feeds/all.rss?q=%22%22", "invalid_q"],
      ["/feeds/all.rss?q=", "invalid_q"],
    ] as const) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      const body = (await r.json()) as { error: { code: string; details: { valid?: string[] } } };
      expect(body.error.code, path).toBe(code);
    }
    const r = await get("/feeds/all.rss?topic=sports");
    const body = (await r.json()) as { error: { details: { valid: string[] } } };
    expect(body.error.details.valid).toEqual(expect.arrayContaining(["security", "arts-and-culture"]));
  });

  it("pages back in time with rel=next in every format and yields every item once", async () => {
    for (const format of ["rss", "atom", "json"] as const) {
      const seen: string[] = [];
      let url: string | null = `${W}/feeds/all.${format}?limit=7`;
      let pages = 0;
      while (url) {
        const r = await exports.default.fetch(new Request(url));
        expect(r.status).toBe(200);
        const body = await r.text();
        pages++;
        if (format === "json") {
          const doc = JSON.parse(body) as JsonFeed;
          seen.push(...doc.items.map((i) => i.id));
          url = doc.next_url ?? null;
        } else {
          const parsed = parseFeed(body);
          seen.push(...parsed.items.map((i) => i.id!));
          const next = /<(?:atom:)?link rel="next"[^>]*href="([^"]+)"/.exec(body);
          url = next ? next[1]!.replace(/&amp;/g, "&") : null;
        }
      }
      expect(pages, format).toBe(5);
      expect(seen, format).toHaveLength(31);
      expect(new Set(seen).size, format).toBe(31);
    }
  });

  it("paging is stable while new items arrive", async () => {
    const first = await json("/feeds/all.json?limit=10");
    // A story newer than everything lands between two page reads.
    await env.DB.prepare(
      "UPDATE items SET published_at = ? WHERE id = (SELECT id FROM items ORDER BY published_at ASC LIMIT 1)",
    )
      .bind(Date.parse("2027-01-01T00:00:00Z"))
      .run();
    await env.DB.prepare(
      "UPDATE item_terms SET published_at = ? WHERE item_id = (SELECT id FROM items ORDER BY published_at DESC LIMIT 1)",
    )
      .bind(Date.parse("2027-01-01T00:00:00Z"))
      .run();
    const second = await json(new URL(first.next_url!).pathname + new URL(first.next_url!).search);
    const overlap = second.items.filter((i) => first.items.some((f) => f.id === i.id));
    expect(overlap).toEqual([]);
    expect(Date.parse(second.items[0]!.date_published)).toBeLessThanOrEqual(
      Date.parse(first.items.at(-1)!.date_published),
    );
  });

  it("JSON Feed output validates against the JSON Feed 1.1 schema, with string and unique ids", async () => {
    const validator = new Validator(schema11 as never, "7");
    for (const path of [
      "/feeds/all.json",
      "/feeds/region/caucasus.json?topic=security",
      "/feeds/country/tajikistan.json?limit=3",
    ]) {
      const doc = await json(path);
      const result = validator.validate(doc);
      expect(result.errors, path).toEqual([]);
      expect(doc.items.every((i) => typeof i.id === "string")).toBe(true);
      expect(new Set(doc.items.map((i) => i.id)).size).toBe(doc.items.length);
    }
  });

  it("RSS and Atom carry an xml-stylesheet served by the Worker, and stay valid feeds", async () => {
    for (const path of ["/feeds/all.rss", "/feeds/all.atom"]) {
      const body = await (await get(path)).text();
      expect(body).toMatch(new RegExp(`<\\?xml-stylesheet type="text/xsl" href="${W}/feed.xsl"\\?>`));
      expect(XMLValidator.validate(body)).toBe(true);
      expect(parseFeed(body).items.length).toBeGreaterThan(0);
    }
    const xsl = await get("/feed.xsl");
    expect(xsl.headers.get("content-type")).toBe("text/xsl; charset=utf-8");
    const text = await xsl.text();
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toContain("feed reader");
    expect(await (await get("/feeds/all.json")).text()).not.toContain("xml-stylesheet");
  });

  it("OPML lists every feed grouped by kind", async () => {
    const r = await get("/feeds.opml");
    expect(r.headers.get("content-type")).toBe("text/x-opml; charset=utf-8");
    const text = await r.text();
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(text) as {
      opml: {
        version: string;
        body: { outline: { text: string; outline: { xmlUrl: string } | { xmlUrl: string }[] }[] };
      };
    };
    expect(doc.opml.version).toBe("2.0");
    const groups = doc.opml.body.outline;
    expect(groups.map((g) => g.text)).toEqual(["Everything", "Regions", "Countries", "Topics", "Sources"]);
    const urls = groups.flatMap((g) => (Array.isArray(g.outline) ? g.outline : [g.outline]).map((o) => o.xmlUrl));
    expect(urls).toHaveLength(feedCatalog.length);
    expect(urls).toContain(`${W}/feeds/region/caucasus.atom`);
  });

  it("answers a cached feed, and a 304, without any D1 query", async () => {
    const path = "/feeds/topic/environment.rss";
    const warm = await get(path);
    const etag = warm.headers.get("etag")!;
    await warm.arrayBuffer();
    const noD1 = {
      ...env,
      DB: {
        prepare() {
          throw new Error("no D1 on the hot path");
        },
        batch() {
          throw new Error("no D1 on the hot path");
        },
      },
    };
    const app = createApp();
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const hit = await app.fetch(new Request(`${W}${path}`), noD1 as never, ctx);
    expect(hit.status).toBe(200);
    expect(hit.headers.get("x-caravan-cache")).toBe("hit");
    const notModified = await app.fetch(
      new Request(`${W}${path}`, { headers: { "if-none-match": etag } }),
      noD1 as never,
      ctx,
    );
    expect(notModified.status).toBe(304);
  });

  it("serves the last good rendering when D1 fails, and never a Retry-After", async () => {
    const path = "/feeds/country/moldova.atom";
    const good = await get(path);
    const body = await good.text();
    // The versions document moves on (as after an ingest) while D1 is unreachable.
    await env.CACHE.put("feed-versions", JSON.stringify({ "country:moldova": "later" }));
    clearFeedMemo();
    const brokenEnv = {
      ...env,
      DB: {
        prepare() {
          throw new Error("D1 is down");
        },
        batch() {
          throw new Error("D1 is down");
        },
      },
    };
    // The Worker's bindings cannot be swapped per request, so the app is called with a broken D1.
    const app = createApp();
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const staleRes = await app.fetch(new Request(`${W}${path}`), brokenEnv as never, ctx);
    expect(staleRes.status).toBe(200);
    expect(staleRes.headers.get("x-caravan-cache")).toBe("stale");
    expect(await staleRes.text()).toBe(body);
    const none = await app.fetch(new Request(`${W}/feeds/country/moldova.atom?limit=3`), brokenEnv as never, ctx);
    expect(none.status).toBe(503);
    expect(none.headers.get("retry-after")).toBeNull();
  });
});
