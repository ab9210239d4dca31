import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { termsOf } from "../../src/ingest/terms";
import type { Item, TermKind } from "../../src/model/item";
import { regionOf } from "../../src/sources/taxonomy";
import type { Cursor } from "../../src/store/items";
import { writeItems } from "../../src/store/items";
import { cursorAfter, type ItemFilter, NO_FILTER, queryItems } from "../../src/store/query";
import { prng } from "../fixtures/prng.mjs";
import { storyItem } from "../helpers/items";

const COUNTRIES = ["georgia", "armenia", "azerbaijan", "kazakhstan", "kyrgyzstan", "ukraine"];
const TOPICS = ["security", "economy", "politics", "arts-and-culture", "environment", "coronavirus"];
const SOURCES = ["eurasianet", "oc-media", "civil-ge", "rferl"];

function makeItems(count: number): Item[] {
  const rand = prng(13);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  const out: Item[] = [];
  for (let n = 0; n < count; n++) {
    const countries = [...new Set(rand() < 0.3 ? [pick(COUNTRIES), pick(COUNTRIES)] : [pick(COUNTRIES)])];
    // Every third item shares its publication time with the one before: ties are broken by id.
    const at = new Date(Date.UTC(2026, 0, 1) + (n - (n % 3 === 2 ? 1 : 0)) * 60_000).toISOString();
    // The overrides are read in this order, so the seeded draws come out as they always did.
    out.push(
      storyItem(n, at, {
        id: (0x5000 + n * 7919).toString(16).padStart(32, "0"),
        url: `https://example.org/combined/${n}`,
        language: rand() < 0.2 ? "ru" : "en",
        sourceId: pick(SOURCES),
        countries,
        regions: [...new Set(countries.map((c) => regionOf(c)!))],
        topics: [...new Set(rand() < 0.4 ? [pick(TOPICS), pick(TOPICS)] : [pick(TOPICS)])],
      }),
    );
  }
  return out;
}

const items = makeItems(400);
const termSets = new Map(items.map((i) => [i.id, new Set(termsOf(i).map((t) => `${t.kind}:${t.slug}`))]));

/** What a filter selects, worked out in plain code from the items' terms: the oracle. */
function expected(filter: ItemFilter, before: Cursor | null = null): string[] {
  const has = (i: Item, kind: TermKind, slugs: string[]) => slugs.some((s) => termSets.get(i.id)!.has(`${kind}:${s}`));
  return items
    .filter((i) => {
      const at = Date.parse(i.publishedAt);
      if (filter.base && !has(i, filter.base.kind, [filter.base.slug])) return false;
      for (const [kind, slugs] of Object.entries(filter.terms) as [TermKind, string[]][]) {
        if (!has(i, kind, slugs)) return false;
      }
      if (filter.languages.length > 0 && !filter.languages.includes(i.language)) return false;
      if (filter.since !== null && at < filter.since) return false;
      if (filter.until !== null && at > filter.until) return false;
      if (before && !(at < before.publishedAt || (at === before.publishedAt && i.id < before.id))) return false;
      return true;
    })
    .sort((a, b) => (a.publishedAt === b.publishedAt ? (a.id < b.id ? 1 : -1) : a.publishedAt < b.publishedAt ? 1 : -1))
    .map((i) => i.id);
}

const f = (over: Partial<ItemFilter>): ItemFilter => ({ ...NO_FILTER, ...over });
const T0 = Date.UTC(2026, 0, 1);

/** Filters of every shape a feed or the API sends. */
const FILTERS: [string, ItemFilter][] = [
  ["region × topic", f({ base: { kind: "region", slug: "caucasus" }, terms: { topic: ["security"] } })],
  ["country × source", f({ base: { kind: "country", slug: "georgia" }, terms: { source: ["oc-media"] } })],
  ["rare: topic × country", f({ base: { kind: "topic", slug: "coronavirus" }, terms: { country: ["kyrgyzstan"] } })],
  ["parent topic × country", f({ base: { kind: "topic", slug: "society" }, terms: { country: ["armenia"] } })],
  [
    "source feed × two topics",
    f({ base: { kind: "source", slug: "rferl" }, terms: { topic: ["economy", "politics"] } }),
  ],
  [
    "region feed × another region",
    f({ base: { kind: "region", slug: "caucasus" }, terms: { region: ["central-asia"] } }),
  ],
  [
    "three kinds",
    f({
      base: { kind: "region", slug: "caucasus" },
      terms: { topic: ["security", "politics"], source: ["eurasianet", "civil-ge"], country: ["georgia"] },
    }),
  ],
  ["all × one topic (API shape)", f({ terms: { topic: ["environment"] } })],
  ["all × two countries only", f({ terms: { country: ["georgia", "kazakhstan"] } })],
  [
    "all × two countries and two topics",
    f({ terms: { country: ["georgia", "ukraine"], topic: ["security", "economy"] } }),
  ],
  [
    "combined × language",
    f({ base: { kind: "region", slug: "caucasus" }, terms: { topic: ["politics"] }, languages: ["ru"] }),
  ],
  [
    "combined × time window",
    f({
      base: { kind: "country", slug: "azerbaijan" },
      terms: { topic: ["security", "economy", "politics"] },
      since: T0 + 60 * 60_000,
      until: T0 + 300 * 60_000,
    }),
  ],
  [
    "a combination nothing matches",
    f({
      base: { kind: "country", slug: "georgia" },
      terms: { country: ["ukraine"], topic: ["coronavirus"], source: ["civil-ge"] },
      languages: ["ru"],
    }),
  ],
];

describe("combined filters select exactly the matching items", () => {
  beforeAll(async () => {
    await writeItems(
      env.DB,
      items.map((item) => ({ item, terms: termsOf(item), contentHash: "x", teaserHash: null, bodyText: "" })),
    );
  });

  it("gives every filter shape the items the oracle gives, in order", async () => {
    for (const [name, filter] of FILTERS) {
      const want = expected(filter);
      const got = (await queryItems(env.DB, filter, 1000, null)).map((i) => i.id);
      expect(got, name).toEqual(want);
    }
    // The cases are not vacuous: most select some items and none selects everything.
    const sizes = FILTERS.map(([, filter]) => expected(filter).length);
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(FILTERS.length - 1);
    expect(Math.max(...sizes)).toBeLessThan(items.length);
  });

  it("pages through each combination with cursors, every item once, ties included", async () => {
    for (const [name, filter] of FILTERS) {
      const seen: string[] = [];
      let cursor: Cursor | null = null;
      for (let pages = 0; pages < 200; pages++) {
        const page = await queryItems(env.DB, filter, 5, cursor);
        expect(
          page.map((i) => i.id),
          name,
        ).toEqual(expected(filter, cursor).slice(0, 5));
        if (page.length < 5) {
          seen.push(...page.map((i) => i.id));
          break;
        }
        seen.push(...page.map((i) => i.id));
        cursor = cursorAfter(page);
      }
      expect(seen, name).toEqual(expected(filter));
    }
  });

  it("gives the same items whichever term of the combination is the feed", async () => {
    const a = await queryItems(
      env.DB,
      f({ base: { kind: "topic", slug: "security" }, terms: { country: ["georgia"] } }),
      1000,
      null,
    );
    const b = await queryItems(
      env.DB,
      f({ base: { kind: "country", slug: "georgia" }, terms: { topic: ["security"] } }),
      1000,
      null,
    );
    const c = await queryItems(env.DB, f({ terms: { country: ["georgia"], topic: ["security"] } }), 1000, null);
    expect(a.length).toBeGreaterThan(3);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });
});
