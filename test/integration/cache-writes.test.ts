/**
 * Cache writes that cannot run away: only the catalog's feeds as published go to KV; searches,
 * filters, cursors, other limits, HTML pages and other Host names stay in the memo and the Cache
 * API; KV keys are hashed; and a daily ceiling stops rendering writes (answers still served)
 * without touching the feed-version write.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { type Env, readConfig } from "../../src/env";
import worker from "../../src/index";
import { runIngest } from "../../src/ingest/run";
import { cacheWritesOn, clearFeedMemo, invalidateFeeds } from "../../src/store/feed-cache";
import { resetFixture } from "../helpers/fixture";

const W = "https://caravan.test";
const MANY_REQUESTS = { timeout: 180_000 };

/** env with a KV binding that records every key written. */
function countingEnv(vars: Partial<Env> = {}): { env: Env; puts: string[] } {
  const puts: string[] = [];
  const kv = env.CACHE;
  const CACHE = new Proxy(kv, {
    get(target, prop) {
      if (prop === "put") {
        return (key: string, ...rest: unknown[]) => {
          puts.push(key);
          return (target.put as (...a: unknown[]) => Promise<void>)(key, ...rest);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { env: { ...env, PUBLIC_URL: W, ...vars, CACHE }, puts };
}

async function get(workerEnv: Env, url: string, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const r = await worker.fetch(new Request(url, { headers }), workerEnv, ctx);
  await r.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return r;
}

const CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыэюя";
const COUNTRIES = [
  "armenia",
  "azerbaijan",
  "georgia",
  "kazakhstan",
  "kyrgyzstan",
  "tajikistan",
  "turkmenistan",
  "uzbekistan",
  "belarus",
  "moldova",
  "ukraine",
  "russia",
  "afghanistan",
  "china",
  "iran",
  "turkey",
  "mongolia",
  "pakistan",
  "india",
  "the-baltics",
  "united-states",
  "nagorno-karabakh",
  "abkhazia",
  "south-ossetia",
];

/** The i-th of many query strings a stranger could send: searches, limits, filters, cursors. */
function variant(i: number): string {
  switch (i % 6) {
    case 0:
      return `?q=word${i}`;
    case 1:
      return `?limit=${1 + (i % 199) === 50 ? 51 : 1 + (i % 199)}`;
    case 2:
      return `?q=${encodeURIComponent(Array.from({ length: 200 }, (_, k) => CYRILLIC[(i + k) % CYRILLIC.length]).join(""))}`;
    case 3:
      return `?country=${COUNTRIES.join(",")}&q=x${i}`;
    case 4:
      return `?topic=security&lang=${i % 2 ? "en" : "ru"}&limit=${10 + (i % 40)}`;
    default:
      // A cursor nobody was given: refused or answered, never stored in KV.
      return `?cursor=${btoa(`${1_700_000_000_000 + i}.${"0".repeat(32)}`).replace(/=+$/, "")}`;
  }
}

describe("bounded cache writes", () => {
  beforeAll(async () => {
    await resetFixture();
    await runIngest({ ...env, SUBREQUEST_BUDGET: "200" }, { trigger: "cron", sourceId: "eurasianet" });
  }, MANY_REQUESTS.timeout);

  it(
    "1,000 distinct query strings make no KV write; each catalog feed touched as published makes one",
    MANY_REQUESTS,
    async () => {
      clearFeedMemo();
      await env.DB.prepare("DELETE FROM cache_writes").run();
      const { env: counted, puts } = countingEnv();
      const feeds = ["/feeds/all", "/feeds/region/caucasus", "/feeds/topic/security", "/feeds/source/eurasianet"];
      const formats = ["rss", "atom", "json"];
      const statuses = new Map<number, number>();
      for (let i = 0; i < 1000; i++) {
        const feed = feeds[i % feeds.length]!;
        const format = formats[i % formats.length]!;
        // Every tenth request also comes under another Host name.
        const origin = i % 10 === 9 ? `https://mirror${i}.example` : W;
        const r = await get(counted, `${origin}${feed}.${format}${variant(i)}`);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
      // Almost all of them were answered (forged cursors may be refused with a 400), none a 5xx.
      expect([...statuses.keys()].every((s) => s === 200 || s === 400)).toBe(true);
      expect(statuses.get(200)).toBeGreaterThan(800);
      // A browser's HTML page of a catalog feed is not a KV entry either.
      await get(counted, `${W}/feeds/all.rss`, { "sec-fetch-dest": "document" });
      expect(puts).toEqual([]);

      // The feeds as published: one KV write each, however often they are asked for.
      for (let round = 0; round < 3; round++) for (const feed of feeds) await get(counted, `${W}${feed}.rss`);
      const renderingWrites = puts.filter((k) => k.startsWith("feed:"));
      expect(renderingWrites).toHaveLength(feeds.length);
      expect(new Set(renderingWrites).size).toBe(feeds.length);
      for (const key of puts) expect(new TextEncoder().encode(key).byteLength).toBeLessThanOrEqual(512);
      expect(await cacheWritesOn(env.DB, new Date().toISOString().slice(0, 10))).toBe(feeds.length);
    },
  );

  it("variants are still cached, in the Cache API: the second ask is a hit with no KV write", async () => {
    clearFeedMemo();
    const { env: counted, puts } = countingEnv();
    const url = `${W}/feeds/region/caucasus.atom?q=${encodeURIComponent("Грузия")}&limit=7`;
    const first = await get(counted, url);
    expect(first.headers.get("x-caravan-cache")).toBe("miss");
    // Another isolate (an empty memo) finds it in this location's Cache API.
    clearFeedMemo();
    const second = await get(counted, url);
    expect(second.status).toBe(200);
    expect(second.headers.get("x-caravan-cache")).toBe("hit");
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(puts).toEqual([]);
  });

  it("past the daily ceiling feeds are served but not written to KV; the version write still goes", async () => {
    clearFeedMemo();
    await env.DB.prepare("DELETE FROM cache_writes").run();
    const { env: counted, puts } = countingEnv({ CACHE_WRITES_PER_DAY: "2" });
    const paths = [
      "/feeds/country/georgia.rss",
      "/feeds/country/armenia.rss",
      "/feeds/country/azerbaijan.rss",
      "/feeds/country/kazakhstan.rss",
      "/feeds/country/belarus.rss",
    ];
    for (const path of paths) {
      const r = await get(counted, `${W}${path}`);
      expect(r.status, path).toBe(200);
    }
    expect(puts.filter((k) => k.startsWith("feed:"))).toHaveLength(2);
    expect(await cacheWritesOn(env.DB, new Date().toISOString().slice(0, 10))).toBe(2);
    // Served again from where they were kept (memo, Cache API), not rendered into KV.
    for (const path of paths) expect((await get(counted, `${W}${path}`)).headers.get("x-caravan-cache")).toBe("hit");
    expect(puts.filter((k) => k.startsWith("feed:"))).toHaveLength(2);

    // An ingest's invalidation is not a rendering write: it is made whatever the count.
    await invalidateFeeds(counted.DB, counted.CACHE, ["country:georgia"], "after-ceiling");
    expect(puts).toContain("feed-versions");
  });

  it("checks the ceiling var: a whole number of writes, 0 to turn KV renderings off", () => {
    expect(() => readConfig({ ...env, CACHE_WRITES_PER_DAY: "lots" })).toThrow(/CACHE_WRITES_PER_DAY/);
    expect(() => readConfig({ ...env, CACHE_WRITES_PER_DAY: "-1" })).toThrow(/CACHE_WRITES_PER_DAY/);
    expect(readConfig({ ...env, CACHE_WRITES_PER_DAY: "0" }).CACHE_WRITES_PER_DAY).toBe(0);
    expect(readConfig({ ...env }).CACHE_WRITES_PER_DAY).toBe(500);
  });
});
