import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { termsOf } from "../../src/ingest/terms";
import type { Item } from "../../src/model/item";
import { writeItems } from "../../src/store/items";
import { cursorAfter, decodeCursor, encodeCursor, type ItemFilter, NO_FILTER, queryItems } from "../../src/store/query";
import { storyItem } from "../helpers/items";

function item(n: number, over: Partial<Item>): Item {
  // Pairs share a publication time: ties are broken by id.
  return storyItem(n, new Date(Date.UTC(2026, 0, 1) + Math.floor(n / 2) * 3600_000).toISOString(), over);
}

const items: Item[] = [];
for (let n = 1; n <= 40; n++) {
  const caucasus = n % 2 === 0;
  items.push(
    item(n, {
      countries: caucasus ? ["georgia"] : ["kazakhstan"],
      regions: caucasus ? ["caucasus"] : ["central-asia"],
      topics: n % 3 === 0 ? ["security"] : n % 3 === 1 ? ["economy"] : ["arts-and-culture"],
      language: n % 5 === 0 ? "ru" : "en",
    }),
  );
}

const f = (over: Partial<ItemFilter>): ItemFilter => ({ ...NO_FILTER, ...over });

describe("queryItems", () => {
  beforeAll(async () => {
    await writeItems(
      env.DB,
      items.map((it) => ({ item: it, terms: termsOf(it), contentHash: "x", teaserHash: null, bodyText: "" })),
    );
  });

  it("orders newest first, ties by id descending", async () => {
    const page = await queryItems(env.DB, NO_FILTER, 5, null);
    // 39 and 38 share a publication time: the larger id comes first.
    expect(page.map((i) => parseInt(i.id, 16))).toEqual([40, 39, 38, 37, 36]);
  });

  it("ANDs across kinds and ORs within a kind", async () => {
    const page = await queryItems(
      env.DB,
      f({ base: { kind: "region", slug: "caucasus" }, terms: { topic: ["security", "economy"] } }),
      100,
      null,
    );
    const ns = page.map((i) => parseInt(i.id, 16));
    expect(ns.length).toBeGreaterThan(0);
    for (const n of ns) {
      expect(n % 2).toBe(0);
      expect(n % 3 === 0 || n % 3 === 1).toBe(true);
    }
    expect(ns).toHaveLength(items.filter((_, i) => (i + 1) % 2 === 0 && (i + 1) % 3 !== 2).length);
  });

  it("includes sub-topics in a parent topic and filters by language and dates", async () => {
    const society = await queryItems(env.DB, f({ base: { kind: "topic", slug: "society" } }), 100, null);
    expect(society.every((i) => i.topics.includes("arts-and-culture"))).toBe(true);
    expect(society).toHaveLength(13);
    const ru = await queryItems(env.DB, f({ languages: ["ru"] }), 100, null);
    expect(ru.map((i) => parseInt(i.id, 16)).sort((a, b) => a - b)).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
    const since = Date.UTC(2026, 0, 1) + 10 * 3600_000;
    const until = Date.UTC(2026, 0, 1) + 12 * 3600_000;
    const window = await queryItems(env.DB, f({ since, until }), 100, null);
    expect(window.map((i) => parseInt(i.id, 16)).sort((a, b) => a - b)).toEqual([20, 21, 22, 23, 24, 25]);
  });

  it("walks every item exactly once with cursors while new items arrive", async () => {
    const seen: string[] = [];
    let cursor = null;
    let extra = 100;
    for (;;) {
      const page = await queryItems(env.DB, f({ base: { kind: "source", slug: "eurasianet" } }), 7, cursor);
      if (page.length === 0) break;
      seen.push(...page.map((i) => i.id));
      cursor = cursorAfter(page);
      // A newer story lands between two page reads.
      const fresh = item(extra++, { publishedAt: "2027-01-01T00:00:00.000Z", updatedAt: "2027-01-01T00:00:00.000Z" });
      await writeItems(env.DB, [{ item: fresh, terms: termsOf(fresh), contentHash: "x", teaserHash: null }]);
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
  });

  it("cursors round-trip and reject tampering", () => {
    const c = { publishedAt: 1767225600000, id: `${"0".repeat(31)}a` };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor("not-a-cursor")).toBeNull();
    expect(decodeCursor(btoa("123.xyz"))).toBeNull();
  });
});
