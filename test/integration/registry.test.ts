/**
 * Sources an operator adds while Caravan runs, only through the admin API and against local
 * fixture sites: the registry starts empty (the shipped sources removed through the API), a
 * WordPress site is discovered from its homepage, an OPML export of three feeds is imported, an
 * Atom feed, a JSON Feed and an RSS 1.0 feed in windows-1251 are added; the cron fires, and every
 * story is found once, in the right region, country and topic feeds. No code change, no restart.
 */

import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { type Schema, Validator } from "@cfworker/json-schema";
import { beforeAll, describe, expect, inject, it } from "vitest";
import sourceSchema from "../../schemas/source.schema.json";
import worker from "../../src/index";
import { shippedSources } from "../../src/sources";

const TOKEN = (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN;
const W = "https://caravan.test";
const sites = inject("fixtureOrigins");
const WP = sites["wp-home"]!;
const OPML_SITE = sites["reader-export"]!;
const PAGED = sites["paged-news"]!;

async function call(method: string, path: string, body?: unknown, contentType = "application/json") {
  const headers = new Headers({ authorization: `Bearer ${TOKEN}` });
  if (body !== undefined) headers.set("content-type", contentType);
  const ctx = createExecutionContext();
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await worker.fetch(new Request(`${W}${path}`, init) as Parameters<typeof worker.fetch>[0], env, ctx);
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

const get = (path: string) => call("GET", path);

async function feedUrls(path: string): Promise<string[]> {
  const r = await get(path);
  expect(r.status, path).toBe(200);
  return (r.json.items as { url: string }[]).map((i) => i.url);
}

const validates = (value: unknown) =>
  new Validator(sourceSchema as unknown as Schema, "2020-12", false).validate(value).valid;

const atomDefinition = {
  id: "steppe-dispatch",
  name: "Steppe Dispatch",
  kind: "feed",
  feedUrl: `${sites["atom-feed"]}/atom.xml`,
  homepage: `${sites["atom-feed"]}/blog/`,
  language: "en",
  timeZone: "Asia/Almaty",
  defaultRegions: ["central-asia"],
};
const jsonFeedDefinition = {
  id: "caspian-notes",
  name: "Caspian Notes",
  kind: "feed",
  feedUrl: `${sites["json-feed"]}/feed.json`,
  homepage: `${sites["json-feed"]}/`,
  language: "en",
  timeZone: "Asia/Baku",
};
const rdfDefinition = {
  id: "almaty-chronicle",
  name: "Алматинская хроника",
  kind: "feed",
  feedUrl: `${sites["rdf-cp1251"]}/index.rdf`,
  homepage: `${sites["rdf-cp1251"]}/`,
  language: "ru",
  timeZone: "Asia/Almaty",
  termMap: { countries: { казахстан: "kazakhstan" }, topics: { экология: "environment" } },
};

// An HTML listing paged from 1 and followed by its "next" links (cap 5), and the same listing
// read by ?page=N from 1 (cap 3: page 3 answers 404, which ends it).
const htmlDefinition = {
  id: "dniester-daily",
  name: "Dniester Daily",
  kind: "html",
  baseUrl: PAGED,
  homepage: `${PAGED}/`,
  language: "en",
  timeZone: "Europe/Chisinau",
  listings: [
    {
      path: "/section/news?page=1",
      pages: 5,
      countries: ["moldova"],
      paging: { style: "next", selector: "nav.pager a.next" },
    },
    { path: "/section/news", pages: 3, countries: ["moldova"], paging: { style: "query", first: 1 } },
  ],
  listingSelectors: {
    container: "ul.news-list",
    item: "li.news-item",
    title: "h3.news-title",
    summary: "p.lead",
    date: "span.date",
  },
  articleSelectors: {
    title: "h1.story-title",
    summary: "p.story-lead",
    authors: "p.byline a.author",
    date: "p.byline time",
    topics: "div.story-topics a",
    body: "div.story-body",
  },
};
// A headline feed (day-only dates) read with its pages; one item links to another host.
const headlinesDefinition = {
  id: "dniester-headlines",
  name: "Dniester Daily: headlines",
  kind: "feed",
  feedUrl: `${PAGED}/rss.xml`,
  homepage: `${PAGED}/`,
  language: "en",
  timeZone: "Europe/Chisinau",
  enrich: true,
  articleSelectors: { date: "p.byline time", body: "div.story-body" },
  defaultCountries: ["moldova"],
};

async function fixtureLog(origin: string): Promise<string[]> {
  return ((await (await fetch(`${origin}/__fixture/requests`)).json()) as { path: string }[]).map((r) => r.path);
}

describe("the source registry through the admin API", () => {
  beforeAll(async () => {
    // An empty registry: the shipped sources are removed (their files do not bring them back).
    for (const s of shippedSources) expect((await call("DELETE", `/admin/sources/${s.id}`)).status, s.id).toBe(200);
    const exported = await get("/admin/sources/export");
    expect(exported.json).toEqual({ sources: [] });
    expect((await get("/api/sources")).json.sources).toEqual([]);
  });

  it("discovers the WordPress site's feed from its homepage, and stores nothing", async () => {
    const r = await call("POST", "/admin/sources/discover", { url: `${WP}/` });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const [feed, comments] = r.json.candidates;
    expect(feed).toMatchObject({
      url: `${WP}/feed/`,
      format: "rss2",
      title: "Ararat Weekly",
      itemCount: 3,
      language: "en-US",
      foundBy: "link",
    });
    expect(feed.samples.map((s: { title: string }) => s.title)).toEqual([
      "Yerevan’s tram line returns after 20 years",
      "Gyumri textile mill reopens with 300 jobs",
      "Lake Sevan water levels rise for a second year",
    ]);
    expect(feed.definition).toMatchObject({
      id: "ararat-weekly",
      kind: "feed",
      feedUrl: `${WP}/feed/`,
      language: "en",
    });
    expect(comments.url).toBe(`${WP}/comments/feed/`);
    // The page also names a WordPress REST document as application/json: tried, not a feed.
    expect(r.json.rejected.map((x: { url: string }) => x.url)).toEqual([`${WP}/wp-json/wp/v2/pages/2`]);
    expect((await get("/admin/sources/export")).json.sources).toEqual([]);

    const preview = await call("POST", "/admin/sources/preview", feed.definition);
    expect(preview.json.items.map((i: { countries: string[] }) => i.countries)).toEqual([
      ["armenia"],
      ["armenia"],
      ["armenia"],
    ]);
    // The tram story's picture is only inside content:encoded, in a figure with a caption.
    expect(preview.json.items[0].image).toEqual({
      url: `${WP}/wp-content/uploads/2026/11/tram.jpg`,
      caption: "A test run on Mashtots Avenue.",
    });
    const added = await call("PUT", "/admin/sources/ararat-weekly", { ...feed.definition, name: "Ararat Weekly" });
    expect(added.status).toBe(201);
    expect(
      (await call("PUT", "/admin/sources/ararat-weekly", { ...feed.definition, name: "Ararat Weekly" })).status,
    ).toBe(200);
  });

  it("finds a feed at a usual path when the page names none, and reads a feed URL as itself", async () => {
    const atom = await call("POST", "/admin/sources/discover", { url: `${sites["atom-feed"]}/atom.xml` });
    expect(atom.json.candidates).toHaveLength(1);
    expect(atom.json.candidates[0]).toMatchObject({ format: "atom", foundBy: "url", itemCount: 3 });
    const json = await call("POST", "/admin/sources/discover", { url: `${sites["json-feed"]}/notes/` });
    expect(json.json.rejected[0]).toEqual({
      url: `${sites["json-feed"]}/notes/`,
      reason: expect.stringContaining("404"),
    });
    expect(json.json.candidates.map((c: { url: string; foundBy: string }) => [c.url, c.foundBy])).toEqual([
      [`${sites["json-feed"]}/feed.json`, "usual-path"],
    ]);
  });

  it("imports an OPML export: one source per feed, folders and categories as default terms", async () => {
    const opml = await (await fetch(`${OPML_SITE}/subscriptions.opml`)).text();
    const r = await call("POST", "/admin/sources/import", opml, "text/x-opml");
    expect(r.status).toBe(200);
    expect(r.json.added).toEqual([
      {
        id: "kutaisi-post",
        feedUrl: `${OPML_SITE}/kutaisi-post/feed/`,
        terms: { countries: ["georgia"], regions: [], topics: [] },
      },
      {
        id: "stepnoy-vestnik",
        feedUrl: `${OPML_SITE}/stepnoy-vestnik/rss`,
        terms: { countries: [], regions: ["central-asia"], topics: [] },
      },
      {
        id: "frontline-notes",
        feedUrl: `${OPML_SITE}/frontline-notes/feed/`,
        terms: { countries: [], regions: [], topics: ["security"] },
      },
    ]);
    expect(r.json.skipped).toEqual([]);
    expect((await get("/admin/sources/stepnoy-vestnik/definition")).json.definition.language).toBe("ru");
    // The same file again adds nothing and says why.
    const again = await call("POST", "/admin/sources/import", opml, "text/x-opml");
    expect(again.json.added).toEqual([]);
    expect(again.json.skipped.map((s: { reason: string }) => s.reason)).toEqual([
      "already read by source kutaisi-post",
      "already read by source stepnoy-vestnik",
      "already read by source frontline-notes",
    ]);
  });

  it("adds an Atom feed, a JSON Feed and an RSS 1.0 feed in windows-1251", async () => {
    for (const [d, stories] of [
      [atomDefinition, 3],
      [jsonFeedDefinition, 2],
      [rdfDefinition, 2],
    ] as const) {
      // Previewed first: the items as they would be stored, nothing stored.
      const preview = await call("POST", "/admin/sources/preview", d);
      expect(preview.status, d.id).toBe(200);
      expect(preview.json.items, d.id).toHaveLength(stories);
      expect((await get(`/admin/sources/${d.id}/definition`)).status).toBe(404);
      const r = await call("PUT", `/admin/sources/${d.id}`, d);
      expect(r.status, d.id).toBe(201);
      expect(r.json.definition).toMatchObject(d);
    }
  });

  it("previews an HTML listing and a headline feed without storing anything, then adds them", async () => {
    // The partner story's link points at the WordPress fixture, a host the source may not fetch,
    // and its date is one no reader understands.
    const feed = await (await fetch(`${PAGED}/rss.xml`)).text();
    const r = await fetch(
      `${PAGED}/__fixture/override?path=${encodeURIComponent("/rss.xml")}&contentType=application/rss%2Bxml`,
      {
        method: "PUT",
        body: feed.replace("http://partner.invalid/", `${WP}/`).replace("Nov 23, 2026", "the day before yesterday"),
      },
    );
    expect(r.status).toBe(200);
    await r.arrayBuffer();

    const html = await call("POST", "/admin/sources/preview", htmlDefinition);
    expect(html.status).toBe(200);
    expect(html.json.listing).toBe(`${PAGED}/section/news?page=1`);
    expect(html.json.items.map((i: { title: string }) => i.title)).toEqual([
      "Chișinău renews its trolleybus fleet",
      "Bălți sugar plant restarts after two idle years",
      "Dniester water levels at a ten-year low",
    ]);
    // The listing says "Nov 26, 2026"; the page has the minute.
    expect(html.json.items[0].publishedAt).toBe("2026-11-26T12:35:00.000Z");
    expect(html.json.items[1].image).toEqual({
      url: `${PAGED}/media/balti-sugar-plant-restarts.jpg`,
      caption: "Bălți sugar plant restarts after two idle years: a photo by the Dniester Daily desk.",
    });
    expect(html.json.warnings).toEqual([
      { code: "no_image", url: `${PAGED}/dniester-water-levels-low`, message: expect.any(String) },
    ]);

    const headlines = await call("POST", "/admin/sources/preview", headlinesDefinition);
    expect(headlines.status).toBe(200);
    const [trolleybus, , partner] = headlines.json.items;
    // A day-only feed date refined by the page's time; og:image from the page.
    expect(trolleybus.publishedAt).toBe("2026-11-26T12:35:00.000Z");
    expect(trolleybus.image.url).toBe(`${PAGED}/media/chisinau-trolleybus-fleet-renewed-og.jpg`);
    expect(partner.url).toBe(`${WP}/2026/11/moldovan-wine-exports/`);
    expect(Math.abs(Date.parse(partner.publishedAt) - Date.now())).toBeLessThan(60_000);
    expect(headlines.json.warnings.map((w: { code: string; url: string }) => [w.code, w.url])).toEqual([
      ["off_host_link", `${WP}/2026/11/moldovan-wine-exports/`],
      ["no_date", `${WP}/2026/11/moldovan-wine-exports/`],
      ["no_image", `${WP}/2026/11/moldovan-wine-exports/`],
    ]);
    expect(await fixtureLog(WP)).not.toContain("/2026/11/moldovan-wine-exports/");

    const bad = await call("POST", "/admin/sources/preview", { ...headlinesDefinition, defaultCountries: ["narnia"] });
    expect(bad.status).toBe(400);
    for (const id of ["dniester-daily", "dniester-headlines"]) {
      expect((await get(`/admin/sources/${id}/definition`)).status, id).toBe(404);
    }
    expect((await call("PUT", "/admin/sources/dniester-daily", htmlDefinition)).status).toBe(201);
    expect((await call("PUT", "/admin/sources/dniester-headlines", headlinesDefinition)).status).toBe(201);
  });

  it("previews a change to a registered source; another id reading its feed is refused", async () => {
    const other = await call("POST", "/admin/sources/preview", { ...rdfDefinition, id: "chronicle-copy" });
    expect(other.status).toBe(400);
    expect(other.json.error.details.problems[0]).toMatchObject({ field: "feedUrl" });
    const r = await call("POST", "/admin/sources/preview", { ...rdfDefinition, termMap: {} });
    expect(r.status).toBe(200);
    expect(r.json.items).toHaveLength(2);
    expect(r.json.items[0]).toMatchObject({ title: "Смог над Алматы: город переводит ТЭЦ на газ", language: "ru" });
    expect(r.json.warnings.map((w: { code: string }) => w.code)).toEqual(["no_image", "no_image"]);
  });

  it("the catalog follows the registry: API, OPML, index page and source feeds", async () => {
    const ids = ["ararat-weekly", "kutaisi-post", "stepnoy-vestnik", "frontline-notes", "steppe-dispatch"];
    const sources = (await get("/api/sources")).json.sources.map((s: { id: string }) => s.id);
    expect(sources).toEqual([...ids, "caspian-notes", "almaty-chronicle", "dniester-daily", "dniester-headlines"]);
    const feeds = (await get("/api/feeds")).json.feeds.filter((f: { kind: string }) => f.kind === "source");
    expect(feeds.map((f: { slug: string }) => f.slug)).toEqual(sources);
    expect((await get("/feeds.opml")).text).toContain("/feeds/source/almaty-chronicle.atom");
    expect((await get("/")).text).toContain("/feeds/source/kutaisi-post.atom");
    expect((await get("/feeds/source/kutaisi-post.json")).status).toBe(200);
    expect((await get("/feeds/source/eurasianet.json")).status).toBe(404);
  });

  it("fires the cron and finds every story once, in the right region, country and topic feeds", async () => {
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" }), env);
    const all = await feedUrls("/feeds/all.json?limit=200");
    const expected: Record<string, string[]> = {
      "ararat-weekly": [
        `${WP}/2026/11/yerevan-tram-line-returns/`,
        `${WP}/2026/11/gyumri-textile-mill-reopens/`,
        `${WP}/2026/11/lake-sevan-water-levels/`,
      ],
      "kutaisi-post": [
        `${OPML_SITE}/kutaisi-post/2026/11/kutaisi-airport-warsaw/`,
        `${OPML_SITE}/kutaisi-post/2026/11/bagrati-roof/`,
      ],
      "stepnoy-vestnik": [
        `${OPML_SITE}/stepnoy-vestnik/news/bishkek-market`,
        `${OPML_SITE}/stepnoy-vestnik/news/tashkent-metro-airport`,
      ],
      "frontline-notes": [
        `${OPML_SITE}/frontline-notes/batken-warning-shots`,
        `${OPML_SITE}/frontline-notes/air-defence-drills`,
      ],
      "steppe-dispatch": [
        `${sites["atom-feed"]}/blog/2026/09/night-train`,
        `${sites["atom-feed"]}/archive/2026/issyk-kul-shoreline`,
        `${sites["atom-feed"]}/blog/2026/09/tashkent-ring-road`,
      ],
      "caspian-notes": [`${sites["json-feed"]}/notes/aktau-ferry`, `${sites["json-feed"]}/notes/baku-bay-cleanup`],
      "almaty-chronicle": [
        `${sites["rdf-cp1251"]}/news/2026/11/almaty-smog`,
        `${sites["rdf-cp1251"]}/news/2026/11/medeu-ice`,
      ],
      "dniester-daily": [
        `${PAGED}/chisinau-trolleybus-fleet-renewed`,
        `${PAGED}/balti-sugar-plant-restarts`,
        `${PAGED}/dniester-water-levels-low`,
        `${PAGED}/orhei-vineyards-harvest`,
        `${PAGED}/cahul-border-crossing-upgrade`,
      ],
      "dniester-headlines": [
        `${PAGED}/chisinau-trolleybus-fleet-renewed`,
        `${PAGED}/balti-sugar-plant-restarts`,
        `${WP}/2026/11/moldovan-wine-exports/`,
      ],
    };
    const every = [...new Set(Object.values(expected).flat())];
    expect([...all].sort()).toEqual([...every].sort());
    for (const [id, urls] of Object.entries(expected)) {
      expect((await feedUrls(`/feeds/source/${id}.json`)).sort(), id).toEqual([...urls].sort());
    }
    // Terms: what the feed said, the OPML folder, the definition's term map.
    const has = async (feed: string, url: string) => (await feedUrls(`${feed}?limit=200`)).includes(url);
    expect(await has("/feeds/country/armenia.json", expected["ararat-weekly"]![0]!)).toBe(true);
    expect(await has("/feeds/region/caucasus.json", expected["ararat-weekly"]![0]!)).toBe(true);
    expect(await has("/feeds/topic/economy.json", expected["ararat-weekly"]![1]!)).toBe(true);
    for (const url of expected["kutaisi-post"]!) expect(await has("/feeds/country/georgia.json", url)).toBe(true);
    for (const url of expected["stepnoy-vestnik"]!)
      expect(await has("/feeds/region/central-asia.json", url)).toBe(true);
    for (const url of expected["frontline-notes"]!) expect(await has("/feeds/topic/security.json", url)).toBe(true);
    for (const url of expected["almaty-chronicle"]!)
      expect(await has("/feeds/country/kazakhstan.json", url)).toBe(true);
    expect(await has("/feeds/topic/environment.json", expected["almaty-chronicle"]![0]!)).toBe(true);
    expect(await has("/feeds/country/azerbaijan.json", expected["caspian-notes"]![1]!)).toBe(true);

    // Dates in Russian and Ukrainian RFC 822, and windows-1251 text, read as written.
    const vestnik = (await get("/feeds/source/stepnoy-vestnik.json")).json.items;
    expect(vestnik.map((i: { date_published: string }) => i.date_published)).toEqual([
      "2026-11-25T06:20:00Z",
      "2026-11-24T04:05:00Z",
    ]);
    const frontline = (await get("/feeds/source/frontline-notes.json")).json.items;
    expect(frontline[0].date_published).toBe("2026-11-26T07:15:00Z");
    const chronicle = (await get("/feeds/source/almaty-chronicle.json")).json.items;
    expect(chronicle.map((i: { title: string }) => i.title)).toContain("Каток «Медеу» откроется 5 декабря");

    // Every listing style: the next links and ?page=N from 1 reached both pages; page 3 answered
    // 404, which ended the listing without an error; the other host was never asked.
    const paged = await fixtureLog(PAGED);
    expect(paged).toEqual(
      expect.arrayContaining(["/section/news?page=1", "/section/news?page=2", "/section/news?page=3"]),
    );
    for (const url of expected["dniester-daily"]!) expect(await has("/feeds/country/moldova.json", url)).toBe(true);
    expect(await has("/feeds/region/eastern-europe.json", expected["dniester-daily"]![4]!)).toBe(true);
    expect(await has("/feeds/topic/politics.json", expected["dniester-daily"]![4]!)).toBe(true);
    expect(await fixtureLog(WP)).not.toContain("/2026/11/moldovan-wine-exports/");
    const run = (await call("GET", "/admin/runs?limit=1")).json.runs[0];
    expect(run.errors).toEqual([]);
    expect(run.sources["dniester-headlines"]).toMatchObject({ offHostLinks: 1, datesUnread: 1 });
    // Health says so, per source, with what to do.
    const health = (await get("/admin/sources")).json.sources.find(
      (h: { id: string }) => h.id === "dniester-headlines",
    );
    expect(health.warnings.map((w: { code: string }) => w.code)).toEqual(["dates_unread", "off_host_links"]);
    expect(run.sources["dniester-daily"]).toMatchObject({ listingsFetched: 4, errors: 0 });
  });

  it("exports the registry in the file format", async () => {
    const r = await get("/admin/sources/export");
    expect(r.json.sources.map((s: { id: string }) => s.id)).toEqual([
      "ararat-weekly",
      "kutaisi-post",
      "stepnoy-vestnik",
      "frontline-notes",
      "steppe-dispatch",
      "caspian-notes",
      "almaty-chronicle",
      "dniester-daily",
      "dniester-headlines",
    ]);
    for (const s of r.json.sources) expect(validates(s), s.id).toBe(true);
  });

  it("refuses a definition that would break the run, naming the field and what is valid; stores nothing", async () => {
    const bad = async (body: unknown, field: string, valid?: unknown) => {
      const r = await call("PUT", "/admin/sources/broken-news", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe("invalid_definition");
      const problem = r.json.error.details.problems.find((p: { field: string }) => p.field === field);
      expect(problem, `${field} in ${r.text}`).toBeDefined();
      expect(r.json.error.message).toContain(field);
      if (valid !== undefined) expect(problem.valid).toEqual(valid);
      return problem;
    };
    const base = { ...jsonFeedDefinition, id: "broken-news", feedUrl: `${sites["json-feed"]}/feed-1.0.json` };
    await bad({ ...base, defaultCountries: ["narnia"] }, "defaultCountries.0");
    await bad({ ...base, termMap: { topics: { culture: "kultur" } } }, "termMap.topics.culture");
    await bad({ ...base, kind: "carrier-pigeon" }, "kind", ["html", "feed"]);
    await bad({ ...base, pollMinute: 30 }, "pollMinute");
    await bad({ ...base, timeZone: "Mars/Olympus" }, "timeZone");
    await bad({ ...base, feedUrl: "ftp://example.org/feed" }, "feedUrl");
    await bad({ ...base, feedUrl: "http://169.254.169.254/latest/meta-data/" }, "feedUrl");
    await bad({ ...base, feedUrl: `${sites["json-feed"]}/feed.json` }, "feedUrl"); // caspian-notes reads it
    await bad({ ...base, id: "other-id" }, "id", ["broken-news"]);
    await bad({ ...base, enrich: true, articleSelectors: { body: "div[[" } }, "articleSelectors.body");
    const { name: _n, ...nameless } = base;
    await bad(nameless, "name");
    const notJson = await call("PUT", "/admin/sources/broken-news", "{ nope");
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe("invalid_json");
    expect((await get("/admin/sources/broken-news/definition")).status).toBe(404);
    expect((await get("/api/sources")).json.sources.map((s: { id: string }) => s.id)).not.toContain("broken-news");
  });

  it("refuses an OPML body that is not OPML, and says which methods a route takes", async () => {
    const r = await call("POST", "/admin/sources/import", "<rss><channel/></rss>", "text/xml");
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe("invalid_opml");
    const m = await call("GET", "/admin/sources/discover");
    expect(m.status).toBe(405);
    expect(m.headers.get("allow")).toBe("POST");
    const d = await call("POST", "/admin/sources/discover", { url: "http://10.0.0.7/" });
    expect(d.status).toBe(400);
    expect(d.json.error.details.problems[0].field).toBe("url");
  });

  it("removing a source keeps its items unless purge is asked", async () => {
    const kept = await feedUrls("/feeds/country/georgia.json");
    expect(kept.length).toBeGreaterThan(0);
    const r = await call("DELETE", "/admin/sources/kutaisi-post");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ removed: true, purgedItems: 0 });
    expect(await feedUrls("/feeds/country/georgia.json")).toEqual(kept);
    expect((await get("/feeds/source/kutaisi-post.json")).status).toBe(404);
    expect((await get("/api/sources")).json.sources.map((s: { id: string }) => s.id)).not.toContain("kutaisi-post");

    const before = (await feedUrls("/feeds/all.json?limit=200")).length;
    const purged = await call("DELETE", "/admin/sources/almaty-chronicle?purge=1");
    expect(purged.json).toMatchObject({ removed: true, purgedItems: 2 });
    expect((await feedUrls("/feeds/all.json?limit=200")).length).toBe(before - 2);
    expect(await feedUrls("/feeds/country/kazakhstan.json?limit=200")).not.toContain(
      `${sites["rdf-cp1251"]}/news/2026/11/medeu-ice`,
    );
    expect((await call("DELETE", "/admin/sources/almaty-chronicle")).status).toBe(404);
  });
});
