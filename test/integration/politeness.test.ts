/**
 * Polite and bounded crawling: robots.txt, per-host pacing, Retry-After, leases between
 * overlapping runs, the run time budget, and retention pruning.
 */
import { env } from "cloudflare:test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { itemIdFor } from "../../src/ingest/canonical";
import { retryAfterMs } from "../../src/ingest/fetch/polite";
import { backoffMs, MAX_BACKOFF_MS, runIngest } from "../../src/ingest/run";
import { termsOf } from "../../src/ingest/terms";
import { Item } from "../../src/model/item";
import { readFeedVersions } from "../../src/store/feed-cache";
import { getItem, writeItems } from "../../src/store/items";
import { pruneExpired } from "../../src/store/retention";
import { faultPage, fixtureRequests, origin, overridePage, resetFixture } from "../helpers/fixture";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ENV = { ...env, SUBREQUEST_BUDGET: "200", HOST_MIN_INTERVAL_MS: "0" };
const HOST = new URL(origin).host;
const LISTING_PAGES = 16;

const id = (path: string, page = 0) => `eurasianet:${path}?page=${page}`;

const setFault = (path: string, params: Record<string, string | number>) => faultPage(path, params);

/** Only these listings are due at `at`, the first most overdue. */
async function onlyDue(at: number, ...ids: string[]): Promise<void> {
  await env.DB.prepare("UPDATE listings SET next_fetch_at = ?")
    .bind(at + 30 * DAY)
    .run();
  for (const [i, lid] of ids.entries()) {
    await env.DB.prepare("UPDATE listings SET next_fetch_at = ? WHERE id = ?")
      .bind(at - (ids.length - i) * MIN, lid)
      .run();
  }
}

async function allDue(at: number): Promise<void> {
  await env.DB.prepare("UPDATE listings SET next_fetch_at = ?")
    .bind(at - MIN)
    .run();
}

const listingPaths = (requests: { path: string }[]) =>
  requests.map((r) => r.path).filter((p) => p.startsWith("/region/") || p.startsWith("/voices/"));

let clock = 0;
/** A fresh stretch of the run clock, three days after the last, so robots.txt is read again. */
function nextClock(): number {
  clock += 3 * DAY;
  return clock;
}

beforeAll(async () => {
  await resetFixture();
  clock = Date.now();
  // Everything stored once, so later reads of unchanged listings are 304s (one subrequest each).
  const first = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: clock });
  expect(first.errorMessages).toEqual([]);
});

afterAll(async () => {
  await resetFixture();
});

describe("robots.txt", () => {
  afterEach(async () => {
    await resetFixture();
  });

  it("is read once per host, cached for a day, and a disallowed listing is an error the others do not share", async () => {
    const T = nextClock();
    await resetFixture();
    await overridePage(
      "/robots.txt",
      "User-agent: *\nDisallow: /region/kazakhstan\n\nUser-agent: otherbot\nDisallow: /\n",
    );
    await allDue(T);
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    const requests = await fixtureRequests();
    expect(requests[0]!.path).toBe("/robots.txt");
    expect(requests.filter((r) => r.path === "/robots.txt")).toHaveLength(1);
    expect(requests.some((r) => r.path.startsWith("/region/kazakhstan"))).toBe(false);
    // Both kazakhstan pages are refused without a request; the 14 others are read.
    expect(run.notModified).toBe(LISTING_PAGES - 2);
    expect(run.errorMessages.map((e) => e.listingId).sort()).toEqual([
      id("/region/kazakhstan"),
      id("/region/kazakhstan", 1),
    ]);
    expect(run.errorMessages[0]!.message).toMatch(
      new RegExp(`robots.txt of ${HOST} disallows /region/kazakhstan for Caravan`),
    );
    const row = await env.DB.prepare("SELECT last_error_code FROM listings WHERE id = ?")
      .bind(id("/region/kazakhstan"))
      .first();
    expect(row).toEqual({ last_error_code: "robots" });

    // Within the day: from the cache, not fetched again.
    await resetFixture();
    await allDue(T + 12 * HOUR);
    const cached = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + 12 * HOUR });
    expect((await fixtureRequests()).some((r) => r.path === "/robots.txt")).toBe(false);
    // The cache still holds the old rules even though the site now allows everything.
    expect(cached.errors).toBe(2);

    // After a day: read again, and the listing is allowed now.
    await allDue(T + 25 * HOUR);
    const fresh = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + 25 * HOUR });
    expect((await fixtureRequests()).filter((r) => r.path === "/robots.txt")).toHaveLength(1);
    expect(fresh.errorMessages).toEqual([]);
    expect(fresh.notModified).toBe(LISTING_PAGES);
  });

  it("a robots.txt that answers 5xx disallows the host for this run; a 404 allows everything", async () => {
    let T = nextClock();
    await resetFixture();
    await setFault("/robots.txt", { status: 503 });
    await onlyDue(T, id("/region/caucasus"), id("/region/tajikistan"));
    const down = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(down.errorMessages).toHaveLength(2);
    expect(down.errorMessages[0]!.message).toMatch(
      /robots.txt of .* could not be read \(HTTP 503\), so nothing there is fetched until it can/,
    );
    // robots.txt asked once for the run, nothing else asked.
    expect((await fixtureRequests()).map((r) => r.path)).toEqual(["/robots.txt"]);
    // Not cached: the next run asks again.
    T = nextClock();
    await resetFixture();
    await setFault("/robots.txt", { status: 404 });
    await onlyDue(T, id("/region/caucasus"));
    const missing = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(missing.errorMessages).toEqual([]);
    expect((await fixtureRequests()).map((r) => r.path)).toEqual(["/robots.txt", "/region/caucasus"]);
  });

  it("a story whose page robots.txt forbids is stored from its teaser and its page is not asked for again", async () => {
    const T = nextClock();
    const slug = "tashkent-metros-ring-line-closes-the-loop";
    const itemId = await itemIdFor(`${origin}/${slug}`);
    await env.DB.batch([
      env.DB.prepare("DELETE FROM items WHERE id = ?").bind(itemId),
      env.DB.prepare("DELETE FROM item_terms WHERE item_id = ?").bind(itemId),
      env.DB.prepare("UPDATE listings SET etag = NULL, last_modified = NULL WHERE id = ?").bind(
        id("/region/uzbekistan"),
      ),
    ]);
    await resetFixture();
    await overridePage("/robots.txt", `User-agent: caravan\nDisallow: /${slug}\n`);
    await onlyDue(T, id("/region/uzbekistan"));
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(run.errorMessages).toHaveLength(1);
    expect(run.errorMessages[0]!.message).toMatch(
      /^article: robots.txt of .* disallows \/tashkent-metros-ring-line-closes-the-loop for Caravan/,
    );
    expect((await fixtureRequests()).some((r) => r.path === `/${slug}`)).toBe(false);
    const item = await getItem(env.DB, itemId);
    expect(item?.title).toBe("Tashkent metro’s ring line closes the loop");
    expect(item?.contentHtml).toBeNull();
    // The listing read was complete (its validators are kept), and a later full read leaves the story alone.
    await env.DB.prepare("UPDATE listings SET etag = NULL, last_modified = NULL WHERE id = ?")
      .bind(id("/region/uzbekistan"))
      .run();
    await resetFixture();
    await overridePage("/robots.txt", `User-agent: caravan\nDisallow: /${slug}\n`);
    await onlyDue(T + 2 * HOUR, id("/region/uzbekistan"));
    const again = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + 2 * HOUR });
    expect(again.errorMessages).toEqual([]);
    expect((await fixtureRequests()).some((r) => r.path === `/${slug}`)).toBe(false);
  });
});

describe("pacing", () => {
  const realFetch = globalThis.fetch;
  afterEach(async () => {
    globalThis.fetch = realFetch;
    await resetFixture();
  });

  /** Start times of the Worker's requests to the fixture site (control requests excluded). */
  function recordStarts(): { path: string; at: number }[] {
    const starts: { path: string; at: number }[] = [];
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin === origin && !url.pathname.startsWith("/__fixture/"))
        starts.push({ path: url.pathname, at: Date.now() });
      return realFetch(input, init);
    };
    return starts;
  }

  it("keeps HOST_MIN_INTERVAL_MS between two requests to one host", async () => {
    const T = nextClock();
    await resetFixture();
    await onlyDue(
      T,
      id("/region/caucasus"),
      id("/region/tajikistan"),
      id("/region/kyrgyzstan"),
      id("/voices/the-bug-pit"),
    );
    const starts = recordStarts();
    const run = await runIngest(
      { ...ENV, HOST_MIN_INTERVAL_MS: "250" },
      { trigger: "cron", sourceId: "eurasianet", now: T },
    );
    expect(run.errorMessages).toEqual([]);
    expect(starts.map((s) => s.path)).toEqual([
      "/robots.txt",
      "/region/caucasus",
      "/region/tajikistan",
      "/region/kyrgyzstan",
      "/voices/the-bug-pit",
    ]);
    for (let i = 1; i < starts.length; i++) expect(starts[i]!.at - starts[i - 1]!.at).toBeGreaterThanOrEqual(245);
  });

  it("a robots.txt Crawl-delay raises the interval", async () => {
    const T = nextClock();
    await resetFixture();
    await overridePage("/robots.txt", "User-agent: *\nCrawl-delay: 0.4\n");
    await onlyDue(T, id("/region/caucasus"), id("/region/tajikistan"), id("/region/kyrgyzstan"));
    const starts = recordStarts();
    const run = await runIngest(
      { ...ENV, HOST_MIN_INTERVAL_MS: "50" },
      { trigger: "cron", sourceId: "eurasianet", now: T },
    );
    expect(run.errorMessages).toEqual([]);
    // robots.txt itself went out at the configured pace; after it, at the site's pace.
    const listings = starts.filter((s) => s.path !== "/robots.txt");
    expect(listings).toHaveLength(3);
    for (let i = 1; i < listings.length; i++) expect(listings[i]!.at - listings[i - 1]!.at).toBeGreaterThanOrEqual(395);
  });

  it("a run that uses up RUN_TIME_BUDGET_MS stops starting fetches, finishes, and the rest goes first next run", async () => {
    const T = nextClock();
    await resetFixture();
    await allDue(T);
    const slow = { ...ENV, HOST_MIN_INTERVAL_MS: "300", RUN_TIME_BUDGET_MS: "1000" };
    const started = Date.now();
    const run = await runIngest(slow, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(run.errorMessages).toEqual([]);
    const read = listingPaths(await fixtureRequests());
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(LISTING_PAGES);
    expect(run.deferred).toBe(LISTING_PAGES - read.length);
    expect(run.sources.eurasianet?.deferred).toBe(run.deferred);
    const held = await env.DB.prepare("SELECT count(*) AS n FROM listings WHERE lease_owner IS NOT NULL").first<{
      n: number;
    }>();
    expect(held!.n).toBe(0);

    // Next run: only what was left, nothing read twice.
    await resetFixture();
    const rest = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + MIN });
    expect(rest.errorMessages).toEqual([]);
    const second = listingPaths(await fixtureRequests());
    expect(second).toHaveLength(LISTING_PAGES - read.length);
    expect(second.filter((p) => read.includes(p))).toEqual([]);
  });
});

describe("Retry-After and 429", () => {
  afterEach(async () => {
    await resetFixture();
  });

  it("an HTTP-date Retry-After blocks the host until then: its other listings wait, then resume", async () => {
    const T = nextClock();
    await resetFixture();
    const waitS = 600;
    await setFault("/region/tajikistan", {
      status: 429,
      retryAfter: new Date(Date.now() + waitS * 1000).toUTCString(),
    });
    await onlyDue(T, id("/region/tajikistan"), id("/region/caucasus"), id("/region/kyrgyzstan"));
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(run.errorMessages).toHaveLength(1);
    expect(run.errorMessages[0]!.message).toMatch(/HTTP 429 .*Retry-After: .* GMT/);
    // The two others were not asked: they were handed back, not failed.
    expect(listingPaths(await fixtureRequests())).toEqual(["/region/tajikistan"]);
    expect(run.deferred).toBe(2);
    const host = await env.DB.prepare("SELECT blocked_until, blocked_reason FROM hosts WHERE host = ?")
      .bind(HOST)
      .first<{ blocked_until: number; blocked_reason: string }>();
    // HTTP-dates have whole seconds.
    expect(Math.abs(host!.blocked_until - (T + waitS * 1000))).toBeLessThanOrEqual(2000);
    expect(host!.blocked_reason).toMatch(/^HTTP 429 \(Retry-After: /);
    for (const lid of [id("/region/caucasus"), id("/region/kyrgyzstan")]) {
      const row = await env.DB.prepare("SELECT consecutive_failures, lease_owner FROM listings WHERE id = ?")
        .bind(lid)
        .first();
      expect(row).toEqual({ consecutive_failures: 0, lease_owner: null });
    }
    const tajik = await env.DB.prepare("SELECT next_fetch_at FROM listings WHERE id = ?")
      .bind(id("/region/tajikistan"))
      .first<{ next_fetch_at: number }>();
    expect(tajik!.next_fetch_at).toBe(host!.blocked_until);

    // Halfway: nothing is asked of the host; the three due listings are counted as waiting.
    await resetFixture();
    const halfway = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + (waitS / 2) * 1000 });
    expect(halfway.subrequests).toBe(0);
    expect(halfway.waiting).toBe(2);
    expect(await fixtureRequests()).toEqual([]);

    // After: all three are read.
    const after = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: host!.blocked_until });
    expect(after.errorMessages).toEqual([]);
    expect(listingPaths(await fixtureRequests()).sort()).toEqual([
      "/region/caucasus",
      "/region/kyrgyzstan",
      "/region/tajikistan",
    ]);
  });

  it("a 503 with Retry-After blocks the host too; a 503 without one is an ordinary failure", async () => {
    let T = nextClock();
    await resetFixture();
    await setFault("/region/tajikistan", { status: 503, retryAfter: 30 });
    await onlyDue(T, id("/region/tajikistan"), id("/region/caucasus"));
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(run.errorMessages[0]!.message).toMatch(/HTTP 503.*Retry-After: 30.*nothing is fetched from it before/);
    expect(run.deferred).toBe(1);
    const host = await env.DB.prepare("SELECT blocked_until FROM hosts WHERE host = ?")
      .bind(HOST)
      .first<{ blocked_until: number }>();
    // Counted from the answer (when its error was recorded), which came at or after T.
    expect(run.errorMessages[0]!.at).toBeGreaterThanOrEqual(T);
    expect(host!.blocked_until).toBe(run.errorMessages[0]!.at + 30_000);

    T = nextClock();
    await resetFixture();
    await setFault("/region/tajikistan", { status: 503 });
    await onlyDue(T, id("/region/tajikistan"), id("/region/caucasus"));
    const plain = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(plain.errorMessages).toHaveLength(1);
    expect(plain.errorMessages[0]!.message).not.toMatch(/slow down/);
    expect(plain.deferred).toBe(0);
    expect(listingPaths(await fixtureRequests())).toEqual(["/region/tajikistan", "/region/caucasus"]);
  });

  it("reads Retry-After as delta-seconds or an HTTP-date, and ignores anything else", () => {
    const now = Date.UTC(2026, 9, 21, 7, 0, 0);
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
    expect(retryAfterMs("Wed, 21 Oct 2026 07:28:00 GMT", now)).toBe(28 * MIN);
    expect(retryAfterMs("Wed, 21 Oct 2026 06:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeNull();
    expect(retryAfterMs("-5", now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe("backoff", () => {
  it("doubles per failure with ±20 % jitter, is capped at a day, and a 410 waits the whole day", () => {
    const poll = 15 * MIN;
    expect(backoffMs(poll, 1, 500, () => 0)).toBe(2 * poll * 0.8);
    expect(backoffMs(poll, 1, 500, () => 1)).toBe(2 * poll * 1.2);
    expect(backoffMs(poll, 3, null, () => 0.5)).toBe(8 * poll);
    expect(backoffMs(poll, 20, 500, () => 0.5)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(poll, 1, 410, () => 0)).toBe(MAX_BACKOFF_MS);
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(poll, 2, 500)));
    expect(spread.size).toBeGreaterThan(1);
  });
});

describe("leases", () => {
  afterEach(async () => {
    await resetFixture();
  });

  it("two overlapping runs never read the same listing", async () => {
    const T = nextClock();
    await resetFixture();
    // robots.txt first, so neither run spends budget on it.
    await onlyDue(T - 10 * MIN, id("/region/caucasus"));
    await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T - 10 * MIN });
    await resetFixture();
    await allDue(T);
    // Each run may claim 9 listings (its budget); between them they cover all 16, each once.
    const small = { ...ENV, SUBREQUEST_BUDGET: "9" };
    const [a, b] = await Promise.all([
      runIngest(small, { trigger: "cron", sourceId: "eurasianet", now: T }),
      runIngest(small, { trigger: "cron", sourceId: "eurasianet", now: T }),
    ]);
    expect(a.errorMessages).toEqual([]);
    expect(b.errorMessages).toEqual([]);
    const read = listingPaths(await fixtureRequests());
    expect(read).toHaveLength(LISTING_PAGES);
    expect(new Set(read).size).toBe(LISTING_PAGES);
    expect(a.notModified + b.notModified).toBe(LISTING_PAGES);
    expect(a.notModified).toBeGreaterThan(0);
    expect(b.notModified).toBeGreaterThan(0);
    const held = await env.DB.prepare("SELECT count(*) AS n FROM listings WHERE lease_owner IS NOT NULL").first<{
      n: number;
    }>();
    expect(held!.n).toBe(0);
  });

  it("a live lease is respected and an expired one (a run that died) is taken over", async () => {
    const T = nextClock();
    await resetFixture();
    await onlyDue(T, id("/region/caucasus"));
    await env.DB.prepare("UPDATE listings SET lease_owner = 'run:ghost', lease_until = ? WHERE id = ?")
      .bind(T + HOUR, id("/region/caucasus"))
      .run();
    const blocked = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(listingPaths(await fixtureRequests())).toEqual([]);
    expect(blocked.notModified + blocked.listingsFetched).toBe(0);
    // The ghost's lease is still there: another run's end does not release it.
    const row = await env.DB.prepare("SELECT lease_owner FROM listings WHERE id = ?")
      .bind(id("/region/caucasus"))
      .first();
    expect(row).toEqual({ lease_owner: "run:ghost" });

    const later = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + HOUR + 1 });
    expect(later.notModified).toBe(1);
    expect(listingPaths(await fixtureRequests())).toEqual(["/region/caucasus"]);
    const after = await env.DB.prepare("SELECT lease_owner, lease_until FROM listings WHERE id = ?")
      .bind(id("/region/caucasus"))
      .first();
    expect(after).toEqual({ lease_owner: null, lease_until: null });
  });
});

describe("retention", () => {
  const NOW = Date.UTC(2027, 0, 15);
  const YEAR = 365 * DAY;

  function item(n: number, publishedAt: number, countries: string[], topics: string[] = []) {
    const iso = new Date(publishedAt).toISOString();
    const hex = n.toString(16).padStart(32, "0");
    return Item.parse({
      id: hex,
      url: `https://retention.example/story-${n}`,
      title: `Story ${n}`,
      summary: null,
      contentHtml: `<p>Body ${n}</p>`,
      authors: [],
      publishedAt: iso,
      updatedAt: iso,
      firstSeenAt: iso,
      image: null,
      language: "en",
      sourceId: "eurasianet",
      countries,
      regions: countries.includes("georgia") ? ["caucasus"] : [],
      topics,
      tags: [],
    });
  }

  async function seed() {
    await env.DB.batch([
      env.DB.prepare("DELETE FROM items"),
      env.DB.prepare("DELETE FROM item_terms"),
      env.DB.prepare("DELETE FROM items_fts"),
    ]);
    const items = [
      // 60 recent Georgia stories: they fill the newest page of every feed they are in.
      ...Array.from({ length: 60 }, (_, i) => item(1000 + i, NOW - DAY - i * MIN, ["georgia"])),
      // 60 old Georgia stories, 5 of them also the only Environment stories.
      ...Array.from({ length: 60 }, (_, i) =>
        item(2000 + i, NOW - 400 * DAY - i * MIN, ["georgia"], i < 5 ? ["environment"] : []),
      ),
      // The one Armenia story, the oldest of all.
      item(3000, NOW - 900 * DAY, ["armenia"]),
    ];
    await writeItems(
      env.DB,
      items.map((it) => ({
        item: it,
        terms: termsOf(it),
        contentHash: "x",
        teaserHash: null,
        bodyText: `body ${it.id}`,
      })),
    );
    return items;
  }

  const feeds = [
    { kind: "country" as const, slug: "georgia" },
    { kind: "country" as const, slug: "armenia" },
    { kind: "region" as const, slug: "caucasus" },
    { kind: "topic" as const, slug: "environment" },
    { kind: "source" as const, slug: "eurasianet" },
  ];

  it("prunes expired items oldest first in small batches, never one on a feed's newest page", async () => {
    await seed();
    const removed: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await pruneExpired(env.DB, { cutoff: NOW - YEAR, feeds, batchSize: 20 });
      expect(r.removed.length).toBeLessThanOrEqual(20);
      if (r.removed.length === 0) break;
      if (removed.length === 0)
        expect(r.feeds).toEqual(
          expect.arrayContaining(["all", "country:georgia", "region:caucasus", "source:eurasianet"]),
        );
      removed.push(...r.removed);
    }
    // 55 old Georgia stories go; the 5 Environment ones and the Armenia one are on a newest page.
    expect(removed).toHaveLength(55);
    const expected = Array.from({ length: 55 }, (_, i) => (2059 - i).toString(16).padStart(32, "0"));
    expect(removed).toEqual(expected); // oldest first
    const left = await env.DB.prepare("SELECT id FROM items ORDER BY id").all<{ id: string }>();
    expect(left.results).toHaveLength(66);
    const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;
    expect(await count("SELECT count(*) AS n FROM item_terms WHERE item_id NOT IN (SELECT id FROM items)")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM items_fts")).toBe(66);
    expect(await count("SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH 'body'")).toBe(66);
    expect(await getItem(env.DB, (3000).toString(16).padStart(32, "0"))).not.toBeNull();
  });

  it("keeps everything while a feed has fewer items than a page, and nothing before the cutoff goes", async () => {
    await seed();
    const none = await pruneExpired(env.DB, { cutoff: NOW - 1000 * DAY, feeds });
    expect(none.removed).toEqual([]);
    const unpublished = await pruneExpired(env.DB, { cutoff: NOW - YEAR, feeds: [] });
    // Without a floor for its term feeds every item is protected: nothing is guessed away.
    expect(unpublished.removed).toEqual([]);
  });

  it("runs inside each ingest run, bounded, and invalidates the feeds that lost items without calling them changed", async () => {
    await seed();
    await env.DB.prepare("UPDATE listings SET next_fetch_at = ?")
      .bind(NOW + 30 * DAY)
      .run();
    const before = await readFeedVersions(env.CACHE);
    const run = await runIngest(
      { ...ENV, RETENTION_DAYS: "365" },
      { trigger: "cron", sourceId: "eurasianet", now: NOW },
    );
    expect(run.pruned).toBe(55);
    expect(run.changedFeeds).toEqual([]);
    const versions = await readFeedVersions(env.CACHE);
    for (const key of ["all", "country:georgia", "source:eurasianet", "index"])
      expect(versions[key]).not.toBe(before[key]);
    expect(versions["country:armenia"]).toBe(before["country:armenia"]);
    const row = await env.DB.prepare("SELECT pruned FROM runs WHERE id = ?").bind(run.runId).first();
    expect(row).toEqual({ pruned: 55 });
    const again = await runIngest(
      { ...ENV, RETENTION_DAYS: "365" },
      { trigger: "cron", sourceId: "eurasianet", now: NOW + MIN },
    );
    expect(again.pruned).toBe(0);
  });
});
