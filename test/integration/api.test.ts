import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { type Schema, Validator } from "@cfworker/json-schema";
import { beforeAll, describe, expect, it } from "vitest";
import apiErrorSchema from "../../schemas/api-error.schema.json";
import feedsSchema from "../../schemas/feeds-response.schema.json";
import itemResponseSchema from "../../schemas/item-response.schema.json";
import itemsPageSchema from "../../schemas/items-page.schema.json";
import checkedInOpenApi from "../../schemas/openapi.json";
import sourcesSchema from "../../schemas/sources-response.schema.json";
import taxonomySchema from "../../schemas/taxonomy-response.schema.json";
import { resolveSources } from "../../src/ingest/listings";
import { syncSources } from "../../src/ingest/run";
import { termsOf } from "../../src/ingest/terms";
import type { Item } from "../../src/model/item";
import { API_DOCS_CSS } from "../../src/render/api-docs";
import { shippedSources } from "../../src/sources";
import { buildFeedCatalog } from "../../src/sources/feeds";
import { taxonomy } from "../../src/sources/taxonomy";

// The catalog a registry seeded from the shipped files publishes.
const { feeds: feedCatalog, slugsOf } = buildFeedCatalog(shippedSources);

import { writeItems } from "../../src/store/items";
import { recordSourceHealth } from "../../src/store/runs";

const W = "https://caravan.test";

function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Response> {
  return exports.default.fetch(new Request(`${W}${path}`, { method, headers }));
}

async function getJson<T>(path: string, headers: Record<string, string> = {}): Promise<{ r: Response; body: T }> {
  const r = await get(path, headers);
  return { r, body: (await r.json()) as T };
}

/** A response body checked against a checked-in JSON Schema (the published contract). */
function expectSchema(schema: unknown, value: unknown, what: string): void {
  const result = new Validator(schema as Schema, "2020-12", false).validate(value);
  expect(
    result.errors.map((e) => `${e.instanceLocation}: ${e.error}`),
    what,
  ).toEqual([]);
}

interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** Asserts a 4xx in the one error shape and returns its body. */
async function expectError(path: string, status: number, code: string, method = "GET"): Promise<ErrorBody> {
  const r = await get(path, {}, method);
  expect(r.status, path).toBe(status);
  expect(r.headers.get("content-type"), path).toBe("application/json; charset=utf-8");
  expect(r.headers.get("access-control-allow-origin"), path).toBe("*");
  const body = (await r.json()) as ErrorBody;
  expectSchema(apiErrorSchema, body, path);
  expect(body.error.code, `${path}: ${body.error.message}`).toBe(code);
  expect(body.error.message.length, path).toBeGreaterThan(0);
  return body;
}

interface Page {
  items: Item[];
  next_cursor: string | null;
  next_url: string | null;
}

// ---------------------------------------------------------------------------------------------
// The stored items. Pairs share a publication time, so paging must break ties by id.

const COUNTRIES = [
  { country: "georgia", region: "caucasus" },
  { country: "armenia", region: "caucasus" },
  { country: "kazakhstan", region: "central-asia" },
  { country: "ukraine", region: "eastern-europe" },
];
const T0 = Date.UTC(2026, 0, 1);

function makeItem(n: number, over: Partial<Item> = {}): Item {
  const at = new Date(T0 + Math.floor(n / 2) * 3600_000).toISOString();
  const { country, region } = COUNTRIES[n % 4]!;
  return {
    id: n.toString(16).padStart(32, "0"),
    url: `https://example.org/story-${n}`,
    title: `Story ${n} from ${country}`,
    summary: n % 2 ? `Summary of story ${n}.` : null,
    contentHtml: `<p>Body of story ${n}.</p>`,
    authors: n % 3 ? [`Author ${n % 3}`] : [],
    publishedAt: at,
    updatedAt: at,
    firstSeenAt: at,
    image: n % 4 === 0 ? { url: `https://example.org/img/${n}.jpg`, caption: null } : null,
    language: n % 5 === 0 ? "ru" : "en",
    // A few stories of a source no longer configured: the source filter must leave them out.
    sourceId: n > 45 ? "legacy-source" : "eurasianet",
    countries: [country],
    regions: [region],
    topics: n % 3 === 0 ? ["security"] : n % 3 === 1 ? ["economy"] : ["arts-and-culture"],
    tags: [],
    ...over,
  };
}

const SEARCH_TEXT: Record<number, { title: string; summary: string | null; body: string }> = {
  3: {
    title: "Gas pipeline to Europe opens",
    summary: "Azerbaijani gas flows west.",
    body: "The pipeline crosses Georgia.",
  },
  7: { title: "Pipelines and politics", summary: null, body: "Oil prices and gas exports." },
  11: {
    title: "Москва и Тбилиси обсуждают газопровод",
    summary: "Переговоры о газе продолжаются.",
    body: "Газопровод пройдёт через горы.",
  },
  15: { title: "Café society in Almaty", summary: "Coffee culture grows.", body: "Cafés open every week." },
};

const stored: Item[] = [];
for (let n = 1; n <= 48; n++) {
  const text = SEARCH_TEXT[n];
  stored.push(
    makeItem(n, text ? { title: text.title, summary: text.summary, contentHtml: `<p>${text.body}</p>` } : {}),
  );
}

/** Stored items that satisfy `pred`, in the API's order: newest first, ties by id descending. */
function expected(pred: (i: Item) => boolean, pool: Item[] = stored): string[] {
  return pool
    .filter(pred)
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.id.localeCompare(a.id))
    .map((i) => i.id);
}

async function ids(path: string): Promise<string[]> {
  const { r, body } = await getJson<Page>(path);
  expect(r.status, path).toBe(200);
  expectSchema(itemsPageSchema, body, path);
  return body.items.map((i) => i.id);
}

async function save(items: Item[]): Promise<void> {
  await writeItems(
    env.DB,
    items.map((it) => ({
      item: it,
      terms: termsOf(it),
      contentHash: "x",
      teaserHash: null,
      bodyText: SEARCH_TEXT[parseInt(it.id, 16)]?.body ?? `Body of story ${parseInt(it.id, 16)}.`,
    })),
  );
}

beforeAll(async () => {
  await save(stored);
  // Source state as ingest leaves it: one success, then a failing run and a failing listing.
  const resolved = resolveSources(env, shippedSources);
  await syncSources(env, resolved);
  await recordSourceHealth(env.DB, [{ sourceId: "eurasianet", ok: true, error: null }], Date.UTC(2026, 5, 1, 12));
  await recordSourceHealth(
    env.DB,
    [{ sourceId: "eurasianet", ok: false, error: "listing /region/caucasus: HTTP 503" }],
    Date.UTC(2026, 5, 1, 12, 15),
  );
  // One listing failed at its last read (the columns ingest sets on a failure).
  const failing = resolved.find((r) => r.source.id === "eurasianet")!.listings[0]!;
  await env.DB.prepare(
    "UPDATE listings SET consecutive_failures = 1, last_status = 503, last_error = 'HTTP 503' WHERE id = ?",
  )
    .bind(failing.id)
    .run();
});

describe("GET /api/items", () => {
  it("lists items newest first with CORS, an ETag and the published schema", async () => {
    const r = await get("/api/items?limit=200");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    const body = (await r.json()) as Page;
    expectSchema(itemsPageSchema, body, "items page");
    expect(body.items.map((i) => i.id)).toEqual(expected(() => true));
    expect(body.next_cursor).toBeNull();
    expect(body.next_url).toBeNull();
    // The whole item, as stored.
    expect(body.items.find((i) => i.id === stored[2]!.id)).toEqual(stored[2]);
  });

  it("defaults to 50 items and honours limit", async () => {
    expect(stored.length).toBeLessThan(50);
    await save(
      Array.from({ length: 10 }, (_, k) =>
        makeItem(300 + k, { publishedAt: "2020-01-01T00:00:00.000Z", updatedAt: "2020-01-01T00:00:00.000Z" }),
      ),
    );
    const all = await getJson<Page>("/api/items");
    expect(all.body.items).toHaveLength(50);
    expect(all.body.next_cursor).not.toBeNull();
    expect(await ids("/api/items?limit=3")).toEqual(expected(() => true).slice(0, 3));
    expect(await ids("/api/items?limit=200")).toHaveLength(58);
  });

  it("filters by region, country, topic (with sub-topics) and source", async () => {
    const pool = await allItems();
    expect(await ids("/api/items?region=caucasus&limit=200")).toEqual(
      expected((i) => i.regions.includes("caucasus"), pool),
    );
    expect(await ids("/api/items?country=kazakhstan&limit=200")).toEqual(
      expected((i) => i.countries.includes("kazakhstan"), pool),
    );
    expect(await ids("/api/items?topic=security&limit=200")).toEqual(
      expected((i) => i.topics.includes("security"), pool),
    );
    const society = await ids("/api/items?topic=society&limit=200");
    expect(society.length).toBeGreaterThan(0);
    expect(society).toEqual(expected((i) => i.topics.includes("arts-and-culture"), pool));
    const eurasianet = await ids("/api/items?source=eurasianet&limit=200");
    expect(eurasianet).toEqual(expected((i) => i.sourceId === "eurasianet", pool));
    expect(eurasianet.length).toBeLessThan(pool.length);
  });

  it("ORs values of one filter (repeated or comma-separated) and ANDs different filters", async () => {
    const pool = await allItems();
    const either = expected((i) => i.countries.includes("georgia") || i.countries.includes("ukraine"), pool);
    expect(await ids("/api/items?country=georgia&country=ukraine&limit=200")).toEqual(either);
    expect(await ids("/api/items?country=ukraine,georgia&limit=200")).toEqual(either);
    expect(await ids("/api/items?region=caucasus&topic=security&topic=economy&lang=en&limit=200")).toEqual(
      expected(
        (i) =>
          i.regions.includes("caucasus") &&
          (i.topics.includes("security") || i.topics.includes("economy")) &&
          i.language === "en",
        pool,
      ),
    );
  });

  it("filters by language and by an inclusive time window", async () => {
    const pool = await allItems();
    const ru = await ids("/api/items?lang=ru&limit=200");
    expect(ru.length).toBeGreaterThan(0);
    expect(ru).toEqual(expected((i) => i.language === "ru", pool));
    const since = new Date(T0 + 5 * 3600_000).toISOString();
    const until = new Date(T0 + 9 * 3600_000).toISOString();
    const inWindow = (i: Item) => i.publishedAt >= since && i.publishedAt <= until;
    expect(await ids(`/api/items?since=${since}&until=${until}`)).toEqual(expected(inWindow, pool));
    expect(await ids(`/api/items?since=${since}&until=${until}`)).toHaveLength(10);
    // The same instants written with a zone offset.
    expect(await ids("/api/items?since=2026-01-01T08:00:00%2B03:00&until=2026-01-01T11:00:00%2B02:00")).toEqual(
      expected(inWindow, pool),
    );
    expect(await ids(`/api/items?since=${since}&limit=200`)).toEqual(expected((i) => i.publishedAt >= since, pool));
    expect(await ids(`/api/items?until=${until}&limit=200`)).toEqual(expected((i) => i.publishedAt <= until, pool));
  });

  it("refuses bad filter values, naming the valid ones", async () => {
    const region = await expectError("/api/items?region=narnia", 400, "invalid_region");
    expect(region.error.message).toContain('"narnia"');
    expect(region.error.details.valid).toEqual(slugsOf("region"));
    expect(
      (await expectError("/api/items?country=georgia,atlantis", 400, "invalid_country")).error.details.valid,
    ).toEqual(slugsOf("country"));
    expect((await expectError("/api/items?topic=Security", 400, "invalid_topic")).error.details.valid).toEqual(
      slugsOf("topic"),
    );
    const source = await expectError("/api/items?source=legacy-source", 400, "invalid_source");
    expect(source.error.details.valid).toEqual(slugsOf("source"));
    expect(source.error.details.valid).toContain("eurasianet");
    await expectError("/api/items?lang=english", 400, "invalid_lang");
    for (const bad of ["2026-01-01", "2026-01-01T00:00:00", "yesterday", "2026-02-30T00:00:00Z", ""]) {
      const e = await expectError(`/api/items?since=${encodeURIComponent(bad)}`, 400, "invalid_since");
      expect(e.error.details.example).toBe("2026-01-31T00:00:00Z");
    }
    await expectError("/api/items?until=2026-13-01T00:00:00Z", 400, "invalid_until");
    await expectError("/api/items?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", 400, "invalid_range");
    await expectError("/api/items?since=2026-01-01T00:00:00Z&since=2026-01-02T00:00:00Z", 400, "invalid_since");
  });

  it("refuses a bad limit, saying what is allowed", async () => {
    for (const bad of ["0", "201", "-1", "1.5", "ten", "", "1e2"]) {
      const e = await expectError(`/api/items?limit=${bad}`, 400, "invalid_limit");
      expect(e.error.details).toEqual({ allowed: "1..200", default: 50 });
    }
    expect((await expectError("/api/items?limit=5&limit=6", 400, "invalid_limit")).error.message).toBe(
      "limit may be given once",
    );
    expect(await ids("/api/items?limit=200")).toHaveLength(58);
  });

  it("refuses unknown parameters instead of ignoring them", async () => {
    const e = await expectError("/api/items?regoin=caucasus", 400, "unknown_parameter");
    expect(e.error.message).toContain('"regoin"');
    expect(e.error.details.valid).toEqual([
      "region",
      "country",
      "topic",
      "source",
      "lang",
      "since",
      "until",
      "q",
      "limit",
      "cursor",
    ]);
  });
});

/** Every stored item, as the API lists them (includes items written by earlier tests). */
async function allItems(): Promise<Item[]> {
  return (await getJson<Page>("/api/items?limit=200")).body.items;
}

describe("cursor paging", () => {
  it("yields each item exactly once while newer items are inserted between pages", async () => {
    const before = await allItems();
    const seen: string[] = [];
    let path = "/api/items?limit=7";
    let pages = 0;
    let fresh = 500;
    for (;;) {
      const { body } = await getJson<Page>(path);
      seen.push(...body.items.map((i) => i.id));
      pages++;
      // A new story lands between two page reads, newer than everything listed so far.
      const at = new Date(Date.UTC(2027, 0, 1) + fresh * 60_000).toISOString();
      await save([makeItem(fresh++, { publishedAt: at, updatedAt: at })]);
      if (body.next_cursor === null) {
        expect(body.next_url).toBeNull();
        break;
      }
      expect(body.items).toHaveLength(7);
      path = `/api/items?limit=7&cursor=${body.next_cursor}`;
    }
    expect(pages).toBe(Math.ceil(before.length / 7));
    expect(seen).toEqual(before.map((i) => i.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("keeps filters across pages and next_url carries them", async () => {
    const all = await ids("/api/items?region=caucasus&lang=en&limit=200");
    const seen: string[] = [];
    let url: string | null = `${W}/api/items?region=caucasus&lang=en&limit=4`;
    while (url !== null) {
      const r = await exports.default.fetch(new Request(url));
      const body = (await r.json()) as Page;
      seen.push(...body.items.map((i) => i.id));
      url = body.next_url;
      if (url) expect(new URL(url).searchParams.get("region")).toBe("caucasus");
    }
    expect(seen).toEqual(all);
    expect(seen.length).toBeGreaterThan(8);
  });

  it("ends with a null cursor when the last page is exactly full", async () => {
    const all = await ids("/api/items?country=armenia&limit=200");
    const first = await getJson<Page>(`/api/items?country=armenia&limit=${all.length}`);
    expect(first.body.items).toHaveLength(all.length);
    expect(first.body.next_cursor).toBeNull();
  });

  it("refuses a cursor it did not give out", async () => {
    for (const bad of ["abc", "!!", btoa("123.nothex"), "x".repeat(65)]) {
      await expectError(`/api/items?cursor=${encodeURIComponent(bad)}`, 400, "invalid_cursor");
    }
  });
});

describe("search (q)", () => {
  const search = async (q: string, extra = "") =>
    (await ids(`/api/items?q=${encodeURIComponent(q)}${extra}&limit=200`)).sort();
  const idOf = (n: number) => n.toString(16).padStart(32, "0");

  it("matches words in title, summary and body", async () => {
    expect(await search("pipeline")).toEqual([idOf(3)]);
    expect(await search("gas")).toEqual([idOf(3), idOf(7)]);
    expect(await search("gas georgia")).toEqual([idOf(3)]); // "Georgia" only in the body
    expect(await search("coffee")).toEqual([idOf(15)]);
  });

  it("matches prefixes, phrases, OR and exclusions", async () => {
    expect(await search("pipeline*")).toEqual([idOf(3), idOf(7)]);
    expect(await search('"gas pipeline"')).toEqual([idOf(3)]);
    expect(await search('"pipeline gas"')).toEqual([]);
    expect(await search("coffee OR pipelines")).toEqual([idOf(15), idOf(7)].sort());
    expect(await search("gas -europe")).toEqual([idOf(7)]);
    expect(await search("cafe")).toEqual([idOf(15)]);
  });

  it("matches Russian words and prefixes in any case", async () => {
    expect(await search("газопровод")).toEqual([idOf(11)]);
    expect(await search("ГАЗОПРОВОД")).toEqual([idOf(11)]);
    expect(await search("Тбилис*")).toEqual([idOf(11)]);
    expect(await search("газ*")).toEqual([idOf(11)]); // газопровод, газе: Cyrillic only
    expect(await search('"о газе"')).toEqual([idOf(11)]);
  });

  it("combines with filters and pages", async () => {
    expect(await search("gas", "&country=ukraine")).toEqual([idOf(3), idOf(7)]);
    expect(await search("gas", "&country=georgia")).toEqual([]);
    expect(await search("gas", "&since=2026-01-01T02:00:00Z")).toEqual([idOf(7)]);
    const first = await getJson<Page>("/api/items?q=gas&limit=1");
    expect(first.body.items).toHaveLength(1);
    const second = await getJson<Page>(`/api/items?q=gas&limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.next_cursor).toBeNull();
    expect([first.body.items[0]!.id, second.body.items[0]!.id].sort()).toEqual([idOf(3), idOf(7)]);
  });

  it("answers malformed searches with a 400 naming the problem, never a 500", async () => {
    const cases: [string, string][] = [
      ['"gas pipeline', "unbalanced_quote"],
      ["*", "bare_star"],
      ["g*s", "misplaced_star"],
      ["g*", "prefix_too_short"],
      ["gas OR", "dangling_operator"],
      ["-gas", "only_exclusions"],
      ["& ...", "empty"],
      ["w ".repeat(17), "too_many_terms"],
    ];
    for (const [q, problem] of cases) {
      const e = await expectError(`/api/items?q=${encodeURIComponent(q)}`, 400, "invalid_q");
      expect(e.error.details.problem, q).toBe(problem);
      expect(e.error.details.syntax).toBeTypeOf("object");
    }
    // Empty and overlong by the parameter rule, before any parsing.
    expect((await expectError("/api/items?q=", 400, "invalid_q")).error.message).toBe(
      'q must be 1 to 256 characters of search words, got ""',
    );
    await expectError(`/api/items?q=${"x".repeat(257)}`, 400, "invalid_q");
    expect(await search("x".repeat(256))).toEqual([]);
    // FTS5 syntax typed by a user is searched as text, not obeyed.
    expect(await search("title:gas NEAR(pipeline)")).toEqual([]);
    // As a column filter this would find story 15; as text it is the phrase "summary coffee".
    expect(await search("{summary}:coffee")).toEqual([]);
    expect(await search("coffee:culture")).toEqual([idOf(15)]);
  });
});

describe("GET /api/items/{id}", () => {
  it("returns the whole item with a Last-Modified", async () => {
    const item = stored[10]!;
    const { r, body } = await getJson<{ item: Item }>(`/api/items/${item.id}`);
    expect(r.status).toBe(200);
    expectSchema(itemResponseSchema, body, "item response");
    expect(body.item).toEqual(item);
    expect(r.headers.get("last-modified")).toBe(new Date(item.updatedAt).toUTCString());
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("is a 404 for an unknown id and a 400 for something that is not an id", async () => {
    await expectError(`/api/items/${"f".repeat(32)}`, 404, "item_not_found");
    const e = await expectError("/api/items/not-an-id", 400, "invalid_id");
    expect(e.error.details.pattern).toBe("^[0-9a-f]{32}$");
    await expectError(`/api/items/${"A".repeat(32)}`, 400, "invalid_id");
    await expectError(`/api/items/${stored[0]!.id}?full=1`, 400, "unknown_parameter");
  });
});

describe("GET /api/feeds", () => {
  it("lists every feed of the catalog with counts, newest dates and URLs", async () => {
    const { r, body } = await getJson<{
      feeds: {
        kind: string;
        slug: string;
        title: string;
        parent: string | null;
        items: number;
        newest: string | null;
        urls: Record<string, string>;
      }[];
    }>("/api/feeds");
    expect(r.status).toBe(200);
    expectSchema(feedsSchema, body, "feeds");
    expect(body.feeds.map((f) => `${f.kind}:${f.slug}`)).toEqual(
      feedCatalog.map((f) => (f.kind === "all" ? "all:all" : f.key)),
    );
    const pool = await allItems();
    const caucasus = body.feeds.find((f) => f.kind === "region" && f.slug === "caucasus")!;
    const inCaucasus = pool.filter((i) => i.regions.includes("caucasus"));
    expect(caucasus.items).toBe(inCaucasus.length);
    expect(caucasus.newest).toBe(
      inCaucasus
        .map((i) => i.publishedAt)
        .sort()
        .at(-1),
    );
    expect(caucasus.urls).toEqual({
      rss: `${W}/feeds/region/caucasus.rss`,
      atom: `${W}/feeds/region/caucasus.atom`,
      json: `${W}/feeds/region/caucasus.json`,
      api: `${W}/api/items?region=caucasus`,
    });
    const all = body.feeds[0]!;
    expect(all).toMatchObject({ kind: "all", items: pool.length, urls: { api: `${W}/api/items` } });
    expect(body.feeds.find((f) => f.slug === "arts-and-culture")!.parent).toBe("society");
    const empty = body.feeds.find((f) => f.slug === "mongolia")!;
    expect(empty).toMatchObject({ items: 0, newest: null });
    // The api URL of a feed lists as many items as the feed counts.
    expect(
      await ids(`${new URL(caucasus.urls.api!).pathname}${new URL(caucasus.urls.api!).search}&limit=200`),
    ).toHaveLength(caucasus.items);
  });

  it("refuses query parameters", async () => {
    expect((await expectError("/api/feeds?kind=region", 400, "unknown_parameter")).error.details.valid).toEqual([]);
  });
});

describe("GET /api/taxonomy and /api/sources", () => {
  it("gives regions with countries and topics with sub-topics", async () => {
    const { r, body } = await getJson("/api/taxonomy");
    expect(r.status).toBe(200);
    expectSchema(taxonomySchema, body, "taxonomy");
    expect(body).toEqual(taxonomy);
  });

  it("gives every configured source with its health and item count", async () => {
    const { r, body } = await getJson<{ sources: Record<string, unknown>[] }>("/api/sources");
    expect(r.status).toBe(200);
    expectSchema(sourcesSchema, body, "sources");
    const pool = await allItems();
    const configured = resolveSources(env, shippedSources);
    expect(body.sources.map((s) => s.id)).toEqual(configured.map((r) => r.source.id));
    const listings = configured.find((r) => r.source.id === "eurasianet")!.listings.length;
    expect(body.sources.find((s) => s.id === "eurasianet")).toEqual({
      id: "eurasianet",
      name: "Eurasianet",
      kind: "html",
      language: "en",
      homepage: "https://eurasianet.org",
      enabled: true,
      lastSuccessAt: "2026-06-01T12:00:00.000Z",
      lastError: { message: "listing /region/caucasus: HTTP 503", at: "2026-06-01T12:15:00.000Z" },
      consecutiveFailures: 1,
      items: pool.filter((i) => i.sourceId === "eurasianet").length,
      newest: pool
        .filter((i) => i.sourceId === "eurasianet")
        .map((i) => i.publishedAt)
        .sort()
        .at(-1),
      listings: { total: listings, failing: 1 },
    });
  });
});

describe("conditional GET, HEAD, CORS and errors on every endpoint", () => {
  const endpoints = () => [
    "/api/items",
    "/api/items?region=caucasus&q=gas",
    `/api/items/${stored[0]!.id}`,
    "/api/feeds",
    "/api/taxonomy",
    "/api/sources",
    "/openapi.json",
    "/docs",
  ];

  it("answers If-None-Match with 304 and HEAD with headers only", async () => {
    for (const path of endpoints()) {
      const first = await get(path);
      expect(first.status, path).toBe(200);
      const body = await first.text();
      const etag = first.headers.get("etag")!;
      expect(etag, path).toMatch(/^"[0-9a-f]{32}"$/);
      expect(first.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(first.headers.get("cache-control"), path).toMatch(/^public, max-age=\d+$/);
      const again = await get(path);
      expect(again.headers.get("etag"), path).toBe(etag);
      expect(await again.text(), path).toBe(body);
      const notModified = await get(path, { "if-none-match": etag });
      expect(notModified.status, path).toBe(304);
      expect(await notModified.text(), path).toBe("");
      expect(notModified.headers.get("etag"), path).toBe(etag);
      expect((await get(path, { "if-none-match": '"something-else"' })).status, path).toBe(200);
      const head = await get(path, {}, "HEAD");
      expect(head.status, path).toBe(200);
      expect(head.headers.get("etag"), path).toBe(etag);
      expect(await head.text(), path).toBe("");
    }
  });

  it("changes the ETag when the data changes", async () => {
    const before = (await get("/api/items?country=georgia")).headers.get("etag");
    const feedsBefore = (await get("/api/feeds")).headers.get("etag");
    const at = "2028-01-01T00:00:00.000Z";
    await save([makeItem(900, { publishedAt: at, updatedAt: at })]); // 900 % 4 == 0: Georgia
    const after = await get("/api/items?country=georgia", { "if-none-match": before! });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before);
    expect((await get("/api/feeds")).headers.get("etag")).not.toBe(feedsBefore);
  });

  it("refuses unknown parameters on every endpoint", async () => {
    for (const path of endpoints()) {
      await expectError(`${path}${path.includes("?") ? "&" : "?"}pretty=1`, 400, "unknown_parameter");
    }
  });

  it("answers other methods with 405, unknown API paths with 404, and CORS preflight", async () => {
    const e = await expectError("/api/items", 405, "method_not_allowed", "POST");
    expect(e.error.details.allowed).toEqual(["GET", "HEAD", "OPTIONS"]);
    await expectError(`/api/items/${stored[0]!.id}`, 405, "method_not_allowed", "DELETE");
    await expectError("/openapi.json", 405, "method_not_allowed", "PUT");
    const missing = await expectError("/api/stories", 404, "not_found");
    expect(missing.error.details.routes).toContain("/api/items");
    const preflight = await get(
      "/api/items",
      { origin: "https://app.example", "access-control-request-method": "GET" },
      "OPTIONS",
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("If-None-Match");
  });
});

describe("GET /openapi.json and /docs", () => {
  it("serves the checked-in OpenAPI 3.1 document, covering every endpoint and parameter", async () => {
    const { r, body } = await getJson<typeof checkedInOpenApi>("/openapi.json");
    expect(r.status).toBe(200);
    expect(body).toEqual(checkedInOpenApi);
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths).sort()).toEqual(
      ["/api/items", "/api/items/{id}", "/api/feeds", "/api/taxonomy", "/api/sources", "/openapi.json", "/docs"].sort(),
    );
    for (const [path, methods] of Object.entries(body.paths)) {
      const op = (methods as Record<string, { responses: Record<string, { $ref?: string }> }>).get!;
      expect(op.responses["400"]?.$ref, path).toBe("#/components/responses/BadRequest");
      expect(op.responses["304"], path).toBeDefined();
    }
    expect(body.components.responses.BadRequest.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/ApiError",
    );
    const params = body.paths["/api/items"].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(["region", "country", "topic", "source", "lang", "since", "until", "q", "limit", "cursor"]);
  });

  it("renders a reference page from it that needs no scripts and nothing from elsewhere", async () => {
    const r = await get("/docs");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await r.text();
    const csp = r.headers.get("content-security-policy")!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toContain("unsafe");
    // The hash in the policy is the hash of the page's one stylesheet, so the browser applies it.
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(API_DOCS_CSS));
    expect(csp).toContain(`'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
    expect(html).toContain(`<style>${API_DOCS_CSS}</style>`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|https?:\/\/(?!json-schema)/i);
    for (const path of Object.keys(checkedInOpenApi.paths)) expect(html).toContain(`<code>${path}</code>`);
    for (const name of Object.keys(checkedInOpenApi.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
    // Parameters with their allowed values and the error shape.
    expect(html).toContain("<code>central-asia</code>");
    expect(html).toContain("integer 1..200, default 50");
    expect(html).toContain("<code>error.details</code>");
  });
});
