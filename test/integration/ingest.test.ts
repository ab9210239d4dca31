import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { itemIdFor } from "../../src/ingest/canonical";
import { type RunSummary, runIngest } from "../../src/ingest/run";
import { getItem } from "../../src/store/items";
import { failPage, fixturePage, fixtureRequests, origin, overridePage, resetFixture } from "../helpers/fixture";

// 31 invented articles on 16 listing pages (test/fixtures/README.md).
const ARTICLES = 31;
const LISTING_PAGES = 16;
const SEED = "azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report";
const HOUR = 3600_000;
// No pacing between requests to the local fixture host (politeness.test.ts covers the interval).
const big = { ...env, SUBREQUEST_BUDGET: "200", HOST_MIN_INTERVAL_MS: "0" };

async function itemFor(slug: string) {
  return getItem(env.DB, await itemIdFor(`${origin}/${slug}`));
}

async function count(sql: string): Promise<number> {
  return (await env.DB.prepare(sql).first<{ n: number }>())!.n;
}

describe("ingest over the fixture site", () => {
  let t0: number;
  let first: RunSummary;

  beforeAll(async () => {
    await resetFixture();
    t0 = Date.now();
    first = await runIngest(big, { trigger: "cron", sourceId: "eurasianet", now: t0 });
  });

  it("fetches every listing page and every article once, and stores every story once", async () => {
    expect(first.errorMessages).toEqual([]);
    expect(first.listingsFetched).toBe(LISTING_PAGES);
    expect(first.articlesFetched).toBe(ARTICLES);
    expect(first.itemsNew).toBe(ARTICLES);
    // One more: robots.txt, read once and cached for a day.
    expect(first.subrequests).toBe(LISTING_PAGES + ARTICLES + 1);
    expect(await count("SELECT count(*) AS n FROM items")).toBe(ARTICLES);
    const requests = await fixtureRequests();
    expect(requests.filter((r) => r.path === "/robots.txt")).toHaveLength(1);
    const articleGets = requests.filter(
      (r) => !r.path.includes("/region/") && !r.path.includes("/voices/") && r.path !== "/robots.txt",
    );
    expect(new Set(articleGets.map((r) => r.path)).size).toBe(articleGets.length);
    expect(
      requests.every(
        (r) => r.userAgent?.startsWith("Caravan/") && r.userAgent.includes("https://example.org/caravan-tests"),
      ),
    ).toBe(true);
  });

  it("turns the seed-like article into a complete item", async () => {
    const item = (await itemFor(SEED))!;
    expect(item.title).toBe("Azerbaijan reaches deal with Belarus over missile purchases - report");
    expect(item.summary).toBe("The deal had, according to earlier reports, been blocked by Armenia.");
    expect(item.authors).toEqual(["Joshua Kucera"]);
    expect(item.publishedAt).toBe("2018-04-18T14:27:00.000Z");
    expect(item.countries).toEqual(["azerbaijan", "belarus"]);
    expect(item.regions).toEqual(["caucasus", "eastern-europe"]);
    expect(item.topics).toEqual(["security"]);
    expect(item.language).toBe("en");
    expect(item.sourceId).toBe("eurasianet");
    expect(item.url).toBe(`${origin}/${SEED}`);
    expect(item.image?.url).toMatch(new RegExp(`^${origin}/sites/default/files/styles/article/public/.+\\.jpg`));
    expect(item.image?.url).not.toContain("og-twitter");
    expect(item.image?.caption).toContain("mod.gov.az");
    expect(item.contentHtml).toContain("<p>");
    const html = item.contentHtml!;
    expect(html).not.toMatch(/Related|Popular|newsletter|senior correspondent/i);
  });

  it("keeps the time of day when the page gives one, and reads printed dates in New York", async () => {
    // Published 22:40 in New York: the next day in UTC.
    expect((await itemFor("protesters-seize-bishkek-government-house-after-disputed-vote"))!.publishedAt).toBe(
      "2020-10-07T02:40:00.000Z",
    );
    // Only "May 20, 2026" printed: midnight in New York (EDT, UTC-4).
    expect((await itemFor("tbilisis-old-town-residents-fight-a-hotel-tower"))!.publishedAt).toBe(
      "2026-05-20T04:00:00.000Z",
    );
  });

  it("gives a story seen on two listings the union of their terms, once", async () => {
    const item = (await itemFor("kyrgyzstan-tajikistan-finish-marking-their-shared-border"))!;
    expect(item.countries).toEqual(["kyrgyzstan", "tajikistan"]);
    expect(item.regions).toEqual(["central-asia"]);
    expect(item.authors).toEqual(["Timur Sadykov", "Farrukh Nazarov"]);
    const terms = await env.DB.prepare("SELECT kind, slug FROM item_terms WHERE item_id = ? ORDER BY kind, slug")
      .bind(item.id)
      .all<{ kind: string; slug: string }>();
    expect(terms.results.map((t) => `${t.kind}:${t.slug}`)).toEqual([
      "country:kyrgyzstan",
      "country:tajikistan",
      "region:central-asia",
      "source:eurasianet",
      "topic:politics",
      "topic:security",
    ]);
  });

  it("files sub-topics under their parent topic feed too", async () => {
    const item = (await itemFor("kazakhstans-january-detainees-families-demand-answers"))!;
    expect(item.topics).toEqual(["kazakhstans-bloody-january-2022", "politics"]);
    expect(item.title).toBe("Kazakhstan’s January detainees: families demand answers");
    const jazz = (await itemFor("a-baku-jazz-club-reopens-in-the-old-city"))!;
    const { results } = await env.DB.prepare(
      "SELECT slug FROM item_terms WHERE item_id = ? AND kind = 'topic' ORDER BY slug",
    )
      .bind(jazz.id)
      .all<{ slug: string }>();
    expect(results.map((r) => r.slug)).toEqual(["arts-and-culture", "society"]);
  });

  it("decodes entities and keeps non-ASCII text", async () => {
    expect((await itemFor("kazakhstan-and-china-sign-grain-corridor-deal"))!.title).toBe(
      "Kazakhstan & China sign grain corridor deal",
    );
    expect((await itemFor("almaty-astana-high-speed-rail-plan-returns-to-the-drawing-board"))!.title).toBe(
      "Almaty — Astana high-speed rail plan returns to the drawing board",
    );
    expect((await itemFor("kazakhstan-weighs-a-single-chamber-parliament"))!.authors).toEqual(["Aigerim Tölegenova"]);
  });

  it("falls back sensibly: no author, no image, authors only on the article page", async () => {
    expect((await itemFor("kyrgyz-felt-makers-find-buyers-on-instagram"))!.authors).toEqual([]);
    expect((await itemFor("pamir-highway-cyclists-return-after-border-reopens"))!.image).toBeNull();
    expect((await itemFor("a-baku-jazz-club-reopens-in-the-old-city"))!.authors).toEqual(["Leyla Mammadova"]);
  });

  it("removes scripts, event handlers, javascript: links and iframes from bodies", async () => {
    const html = (await itemFor("georgian-wine-exporters-look-beyond-russia"))!.contentHtml!;
    expect(html).not.toMatch(/<script|onclick|javascript:|<iframe|steal\(\)|alert\(/i);
    expect(html.match(/<p>/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it("makes every link and image in stored bodies absolute", async () => {
    const { results } = await env.DB.prepare("SELECT content_html FROM items").all<{ content_html: string | null }>();
    for (const { content_html } of results) {
      for (const m of (content_html ?? "").matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        expect(m[1]).toMatch(/^(https?:|mailto:)/);
      }
    }
  });

  it("a second run over unchanged pages sends conditional requests, gets 304s and writes nothing", async () => {
    await resetFixture();
    const before = await env.DB.prepare("SELECT id, updated_at, content_hash FROM items ORDER BY id").all();
    const second = await runIngest(big, { trigger: "cron", sourceId: "eurasianet", now: t0 + HOUR });
    expect(second.errorMessages).toEqual([]);
    expect(second.notModified).toBe(LISTING_PAGES);
    expect(second.listingsFetched).toBe(0);
    expect(second.articlesFetched).toBe(0);
    expect(second.itemsNew + second.itemsUpdated).toBe(0);
    expect(second.changedFeeds).toEqual([]);
    const requests = await fixtureRequests();
    expect(requests).toHaveLength(LISTING_PAGES);
    expect(requests.every((r) => r.status === 304 && r.ifNoneMatch !== null)).toBe(true);
    const after = await env.DB.prepare("SELECT id, updated_at, content_hash FROM items ORDER BY id").all();
    expect(after.results).toEqual(before.results);
  });

  it("a listing that is not due yet is not polled", async () => {
    await resetFixture();
    const early = await runIngest(big, { trigger: "cron", sourceId: "eurasianet", now: t0 + HOUR + 60_000 });
    expect(early.subrequests).toBe(0);
    expect(await fixtureRequests()).toEqual([]);
  });

  it("records a failing listing and a failing article without stopping the run or losing items", async () => {
    await resetFixture();
    const itemsBefore = await env.DB.prepare("SELECT id, content_hash FROM items ORDER BY id").all();
    const newSlug = "a-new-story-whose-page-is-broken";
    const listing = await fixturePage("/region/caucasus");
    const extraRow = `<div class="view__row"><article class="teaser"><div class="teaser__content"><h2 class="teaser__title"><a href="/${newSlug}">A new story whose page is broken</a></h2><div class="teaser__subtitle">Its article page answers 500.</div><div class="teaser__meta"><span class="meta__date">Nov 2, 2026</span></div></div></article></div>`;
    await overridePage(
      "/region/caucasus",
      listing.replace('<div class="view__row">', `${extraRow}<div class="view__row">`),
    );
    await failPage(`/${newSlug}`, 500);
    await failPage("/region/kazakhstan", 503);
    const run = await runIngest(big, { trigger: "cron", sourceId: "eurasianet", now: t0 + 2 * HOUR });
    expect(run.errors).toBe(2);
    const messages = run.errorMessages.map((e) => e.message).join("\n");
    expect(messages).toMatch(/HTTP 503/);
    expect(messages).toMatch(/article: HTTP 500/);
    // The new story is kept from its teaser (title, dek, date) until its page can be read.
    const fallback = (await itemFor(newSlug))!;
    expect(fallback.title).toBe("A new story whose page is broken");
    expect(fallback.contentHtml).toBeNull();
    // Everything stored before is untouched.
    const itemsAfter = await env.DB.prepare("SELECT id, content_hash FROM items WHERE id != ? ORDER BY id")
      .bind(fallback.id)
      .all();
    expect(itemsAfter.results).toEqual(itemsBefore.results);
    const row = await env.DB.prepare(
      "SELECT last_status, last_error, consecutive_failures, next_fetch_at FROM listings WHERE id = ?",
    )
      .bind("eurasianet:/region/kazakhstan?page=0")
      .first<{ last_status: number; last_error: string; consecutive_failures: number; next_fetch_at: number }>();
    expect(row!.last_status).toBe(503);
    expect(row!.last_error).toMatch(/HTTP 503/);
    expect(row!.consecutive_failures).toBe(1);
    expect(row!.next_fetch_at).toBeGreaterThan(t0 + 2 * HOUR);
    const logged = await env.DB.prepare("SELECT count(*) AS n FROM run_errors WHERE run_id = ?")
      .bind(run.runId)
      .first<{ n: number }>();
    expect(logged!.n).toBe(2);

    // Next run: the page works again; the listing with the failed article was not marked
    // as read, so the story is completed without waiting for the listing to change.
    await resetFixture();
    await overridePage(
      "/region/caucasus",
      listing.replace('<div class="view__row">', `${extraRow}<div class="view__row">`),
    );
    const seed = await fixturePage(`/${SEED}`);
    await overridePage(`/${newSlug}`, seed.replaceAll(SEED, newSlug));
    const retry = await runIngest(big, { trigger: "cron", sourceId: "eurasianet", now: t0 + 3 * HOUR });
    expect(retry.errorMessages).toEqual([]);
    expect((await itemFor(newSlug))!.contentHtml).toContain("<p>");
  });

  it("a changed article keeps its id and gets a new updatedAt and content", async () => {
    await resetFixture();
    const slug = "tashkent-metros-ring-line-closes-the-loop";
    const before = (await itemFor(slug))!;
    const article = await fixturePage(`/${slug}`);
    const listing = await fixturePage("/region/uzbekistan");
    await overridePage(`/${slug}`, article.replace("<p>", "<p>Correction appended to this story. "));
    // The listing shows a revised dek, which is what tells Caravan to look at the article again.
    const at = listing.indexOf(`href="/${slug}"`);
    const dek = listing.indexOf('<div class="teaser__subtitle">', at) + '<div class="teaser__subtitle">'.length;
    await overridePage("/region/uzbekistan", `${listing.slice(0, dek)}Updated: ${listing.slice(dek)}`);
    const run = await runIngest(big, { trigger: "cron", sourceId: "eurasianet", now: t0 + 5 * HOUR });
    expect(run.errorMessages).toEqual([]);
    expect(run.itemsUpdated).toBe(1);
    expect(run.itemsNew).toBe(0);
    const after = (await itemFor(slug))!;
    expect(after.id).toBe(before.id);
    expect(after.firstSeenAt).toBe(before.firstSeenAt);
    expect(after.updatedAt).toBe(new Date(t0 + 5 * HOUR).toISOString());
    expect(after.contentHtml).toContain("Correction appended to this story.");
    expect(after.summary?.startsWith("Updated: ")).toBe(true);
    expect(run.changedFeeds).toEqual(
      expect.arrayContaining(["all", "country:uzbekistan", "region:central-asia", "source:eurasianet"]),
    );
  });

  it("stops at the subrequest budget and finishes the rest next run, most overdue first", async () => {
    await env.DB.batch([
      env.DB.prepare("DELETE FROM items"),
      env.DB.prepare("DELETE FROM item_terms"),
      env.DB.prepare("UPDATE listings SET etag = NULL, last_modified = NULL, next_fetch_at = 0"),
    ]);
    await resetFixture();
    const small = { ...env, SUBREQUEST_BUDGET: "20", HOST_MIN_INTERVAL_MS: "0" };
    const a = await runIngest(small, { trigger: "cron", sourceId: "eurasianet", now: t0 + 6 * HOUR });
    expect(a.subrequests).toBe(20);
    expect(a.errorMessages).toEqual([]);
    const b = await runIngest(small, { trigger: "cron", sourceId: "eurasianet", now: t0 + 6 * HOUR + 60_000 });
    const c = await runIngest(small, { trigger: "cron", sourceId: "eurasianet", now: t0 + 6 * HOUR + 120_000 });
    expect(b.subrequests).toBeLessThanOrEqual(20);
    expect(c.subrequests).toBeLessThanOrEqual(20);
    expect(a.itemsNew + b.itemsNew + c.itemsNew).toBe(ARTICLES);
    expect(await count("SELECT count(*) AS n FROM items")).toBe(ARTICLES);
  });
});
