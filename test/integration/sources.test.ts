import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { itemIdFor } from "../../src/ingest/canonical";
import { type RunSummary, runIngest } from "../../src/ingest/run";
import { FeedSource, type Source } from "../../src/model/source";
import { shippedSources as configured } from "../../src/sources";
import { getItem } from "../../src/store/items";

const origins = inject("fixtureOrigins");

// Sources of the kinds no configured source uses, defined here as an operator would.
function testFeed(id: string, site: string, path: string, extra: Record<string, unknown> = {}) {
  return FeedSource.parse({
    id,
    name: id,
    kind: "feed",
    feedUrl: `https://${site}.example${path}`,
    baseUrlVar: `${id.toUpperCase().replace(/-/g, "_")}_BASE_URL`,
    homepage: `https://${site}.example/`,
    language: "en",
    timeZone: "Asia/Tashkent",
    ...extra,
  });
}
const extra: Source[] = [
  testFeed("atom-sample", "atom-feed", "/atom.xml"),
  testFeed("jsonfeed-sample", "json-feed", "/feed.json"),
  testFeed("rdf-sample", "rdf-feed", "/index.rdf"),
  testFeed("cp1251-sample", "cp1251-feed", "/rss", {
    language: "ru",
    timeZone: "Asia/Bishkek",
    defaultCountries: ["kyrgyzstan"],
  }),
  testFeed("odd-dates-sample", "odd-dates", "/feed.xml"),
  testFeed("malformed-sample", "malformed", "/feed.xml"),
  // The RFE/RL zone feed seen answering 200 with an 11-byte body.
  testFeed("tiny-sample", "rferl", "/api/zypppgmm-en", { minBodyBytes: 64 }),
];
const ENV = {
  ...env,
  SUBREQUEST_BUDGET: "400",
  ATOM_SAMPLE_BASE_URL: origins["atom-feed"],
  JSONFEED_SAMPLE_BASE_URL: origins["json-feed"],
  RDF_SAMPLE_BASE_URL: origins["rdf-feed"],
  CP1251_SAMPLE_BASE_URL: origins["cp1251-feed"],
  ODD_DATES_SAMPLE_BASE_URL: origins["odd-dates"],
  MALFORMED_SAMPLE_BASE_URL: origins.malformed,
  TINY_SAMPLE_BASE_URL: origins.rferl,
};

async function item(site: string, path: string) {
  return getItem(env.DB, await itemIdFor(`${origins[site]}${path}`));
}

describe("one scheduled ingest over every kind of source", () => {
  let run: RunSummary;

  beforeAll(async () => {
    for (const origin of Object.values(origins))
      await (await fetch(`${origin}/__fixture/reset`, { method: "POST" })).arrayBuffer();
    run = await runIngest(ENV, { trigger: "cron", sources: [...configured, ...extra] });
  });

  it("records the malformed source as failed and lands every other source", async () => {
    const failed = run.errorMessages.filter((e) => e.sourceId === "malformed-sample");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toMatch(/XML is not well formed.*truncated/);
    const tiny = run.errorMessages.filter((e) => e.sourceId === "tiny-sample");
    expect(tiny).toHaveLength(1);
    expect(tiny[0]!.message).toMatch(/only 11 bytes/);
    const drift = await env.DB.prepare("SELECT drift FROM listings WHERE source_id = 'tiny-sample'").first<{
      drift: string;
    }>();
    expect(drift!.drift).toBe("near_empty_body");
    expect(run.errorMessages.filter((e) => e.sourceId !== "malformed-sample" && e.sourceId !== "tiny-sample")).toEqual(
      [],
    );
    for (const id of [
      "eurasianet",
      "eurasianet-rss",
      "oc-media",
      "civil-ge",
      "jamnews",
      "rferl",
      "meduza-en",
      "diplomat-central-asia",
      "atom-sample",
      "jsonfeed-sample",
      "rdf-sample",
      "cp1251-sample",
      "odd-dates-sample",
    ]) {
      expect(run.sources[id]?.itemsNew, id).toBeGreaterThan(0);
    }
    const row = await env.DB.prepare(
      "SELECT consecutive_failures, last_error FROM sources WHERE id = 'malformed-sample'",
    ).first<{ consecutive_failures: number; last_error: string }>();
    expect(row!.consecutive_failures).toBe(1);
    expect(row!.last_error).toMatch(/not well formed/);
  });

  it("stores every good item once", async () => {
    const counts = await env.DB.prepare("SELECT source_id, count(*) AS n FROM items GROUP BY source_id").all<{
      source_id: string;
      n: number;
    }>();
    const by = Object.fromEntries(counts.results.map((r) => [r.source_id, r.n]));
    expect(by).toMatchObject({
      eurasianet: 31,
      "atom-sample": 3,
      "jsonfeed-sample": 2,
      "rdf-sample": 3,
      "cp1251-sample": 3,
      "odd-dates-sample": 8,
    });
    expect(by["malformed-sample"]).toBeUndefined();
    const dupes = await env.DB.prepare("SELECT url, count(*) AS n FROM items GROUP BY url HAVING n > 1").all();
    expect(dupes.results).toEqual([]);
  });

  it("OC Media summaries lose WordPress's 'appeared first on' footer and its […] marker", async () => {
    const summaries = await Promise.all(
      [
        "/georgian-farmers-protest-as-hazelnut-prices-collapse/",
        "/dagestan-court-jails-journalist-for-extremism/",
        "/armenia-and-azerbaijan-agree-to-reopen-a-border-crossing-near-ijevan/",
        "/opinion-abkhazias-power-cuts-are-a-political-problem/",
      ].map(async (path) => (await item("oc-media", path))!.summary),
    );
    expect(summaries).toEqual([
      "Hazelnut growers in Samegrelo blocked the Zugdidi highway for three hours, saying buyers now offer less than it costs to harvest.",
      "A court in Makhachkala sentenced a local reporter to six years on charges his colleagues call retaliation for his coverage of land disputes.",
      "The two governments said the crossing would open to freight first and to people ‘within months’.",
      "Rolling blackouts are back in Sukhumi, and the reasons are not only technical.",
    ]);
  });

  it("maps Atom entries onto countries, regions and topics, with xml:base links", async () => {
    const train = (await item("atom-feed", "/blog/2026/09/night-train"))!;
    expect(train.title).toBe("Almaty & Bishkek agree on a night train");
    expect(train.countries).toEqual(["kazakhstan", "kyrgyzstan"]);
    expect(train.regions).toEqual(["central-asia"]);
    expect(train.topics).toEqual(["economy"]);
    expect(train.publishedAt).toBe("2026-09-23T02:30:00.000Z");
    expect(train.authors).toEqual(["Aigerim Tölegenova"]);
    expect((await item("atom-feed", "/archive/2026/issyk-kul-shoreline"))!.topics).toEqual(["environment"]);
  });

  it("reads JSON Feed and RSS 1.0 items", async () => {
    const ferry = (await item("json-feed", "/notes/aktau-ferry"))!;
    expect(ferry.countries).toEqual(["azerbaijan", "kazakhstan"]);
    expect(ferry.regions).toEqual(["caucasus", "central-asia"]);
    expect(ferry.tags).toContain("Shipping");
    expect(ferry.authors).toEqual(["Daniyar Sultanbekov", "Leyla Mammadova"]);
    const bridge = (await item("rdf-feed", "/stories/khorog-bridge"))!;
    expect(bridge.countries).toEqual(["tajikistan"]);
    expect(bridge.contentHtml).toContain("<p>");
  });

  it("decodes a windows-1251 feed", async () => {
    const news = (await item("cp1251-feed", "/news/remont-toktogula"))!;
    expect(news.title).toBe("Мэрия Бишкека продлила ремонт улицы Токтогула");
    expect(news.language).toBe("ru");
    expect(news.countries).toEqual(["kyrgyzstan"]);
    expect((await item("cp1251-feed", "/news/rynok-kelechek"))!.publishedAt).toBe("2026-09-22T05:05:00.000Z");
  });

  it("reads broken dates in the source's zone and falls back to first sight for an unreadable one", async () => {
    const expected: [string, string][] = [
      ["/stories/mdy", "2026-09-22T19:00:00.000Z"],
      ["/stories/mdy-time", "2026-09-22T11:45:00.000Z"],
      ["/stories/iso-local", "2026-09-21T03:30:00.000Z"],
      ["/stories/iso-space", "2026-09-20T09:00:00.000Z"],
      ["/stories/ru-date", "2026-09-18T19:00:00.000Z"],
      ["/stories/ru-date-time", "2026-09-18T04:15:00.000Z"],
      ["/stories/rfc822", "2026-09-17T07:00:00.000Z"],
    ];
    for (const [path, iso] of expected) expect((await item("odd-dates", path))!.publishedAt, path).toBe(iso);
    const unreadable = (await item("odd-dates", "/stories/unreadable"))!;
    expect(unreadable.publishedAt).toBe(unreadable.firstSeenAt);
  });

  it("files feed-source stories into the shared region and topic feeds, tagging what the source left out", async () => {
    const { results } = await env.DB.prepare(
      "SELECT DISTINCT i.source_id FROM item_terms t JOIN items i ON i.id = t.item_id WHERE t.kind = 'region' AND t.slug = 'central-asia'",
    ).all<{ source_id: string }>();
    expect(results.map((r) => r.source_id)).toEqual(
      expect.arrayContaining(["eurasianet", "atom-sample", "jsonfeed-sample", "rdf-sample", "cp1251-sample"]),
    );
    // Eurasianet's RSS has no categories: item 4 names no country in its URL, so the tagger reads "Belarus" and "Armenia".
    const pit = (await getItem(
      env.DB,
      await itemIdFor(`${origins["eurasianet-rss"]}/the-bug-pit-csto-holds-drills-in-belarus-without-armenia`),
    ))!;
    expect(pit.countries.length).toBeGreaterThan(0);
    const origin = await env.DB.prepare("SELECT origin FROM item_terms WHERE item_id = ? AND kind = 'country'")
      .bind(pit.id)
      .all<{ origin: string }>();
    expect(origin.results.every((r) => r.origin === "tagger")).toBe(true);
  });
});

describe("one story linked by two sources is one item", () => {
  it("keeps the first source's content and adds the second source's feed and terms", async () => {
    const html = env.EURASIANET_BASE_URL as string;
    const seed = "azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report";
    // Eurasianet's own RSS feed, served from the same site, links the same story.
    const rss = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Eurasianet</title><link>{{ORIGIN}}</link><description>x</description>
      <item><title>Azerbaijan reaches deal with Belarus over missile purchases - report</title><link>{{ORIGIN}}/${seed}?utm_source=rss</link>
      <description>Short RSS description.</description><pubDate>Wed, 18 Apr 2018 14:27:00 GMT</pubDate><category>Security</category></item></channel></rss>`;
    const put = await fetch(`${html}/__fixture/override?path=${encodeURIComponent("/rss")}`, {
      method: "PUT",
      body: rss,
    });
    await put.arrayBuffer();
    const both = { ...env, SUBREQUEST_BUDGET: "200", EURASIANET_RSS_BASE_URL: html };
    const eurasianetRss = configured.find((s) => s.id === "eurasianet-rss")!;
    const eurasianet = configured.find((s) => s.id === "eurasianet")!;
    await runIngest(both, { trigger: "cron", sources: [eurasianet, eurasianetRss], force: true });
    const id = await itemIdFor(`${html}/${seed}`);
    const stored = (await getItem(env.DB, id))!;
    expect(stored.sourceId).toBe("eurasianet");
    expect(stored.contentHtml).toContain("<p>");
    expect(stored.summary).toBe("The deal had, according to earlier reports, been blocked by Armenia.");
    const { results } = await env.DB.prepare(
      "SELECT slug FROM item_terms WHERE item_id = ? AND kind = 'source' ORDER BY slug",
    )
      .bind(id)
      .all<{ slug: string }>();
    expect(results.map((r) => r.slug)).toEqual(["eurasianet", "eurasianet-rss"]);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM items WHERE instr(url, ?) > 0")
      .bind(`/${seed}`)
      .first<{ n: number }>();
    expect(n!.n).toBe(1);
  });
});

describe("a feed that stops being a feed", () => {
  it("HTML where XML was expected, and invalid XML, are recorded; stored items stay as they were", async () => {
    // A copy of the site of this file's own: its broken feed reaches no other test file.
    const site = inject("ownSites").sources!;
    const civil = configured.find((s) => s.id === "civil-ge")!;
    const OWN_ENV = { ...ENV, CIVILGE_BASE_URL: site };
    await (await fetch(`${site}/__fixture/reset`, { method: "POST" })).arrayBuffer();
    await runIngest(OWN_ENV, { trigger: "cron", sources: [civil], force: true });
    const before = await env.DB.prepare(
      "SELECT id, content_hash, updated_at FROM items WHERE source_id = 'civil-ge' ORDER BY id",
    ).all();
    expect(before.results.length).toBeGreaterThan(0);

    for (const [body, pattern] of [
      [
        "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>",
        /not a feed: the document is HTML/,
      ],
      [
        `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</item></channel></rss>${" ".repeat(80)}`,
        /XML is not well formed/,
      ],
    ] as const) {
      await (
        await fetch(`${site}/__fixture/override?path=${encodeURIComponent("/feed/")}`, { method: "PUT", body })
      ).arrayBuffer();
      const run = await runIngest(OWN_ENV, { trigger: "cron", sources: [civil], force: true });
      expect(run.errorMessages).toHaveLength(1);
      expect(run.errorMessages[0]!.message).toMatch(pattern);
      const after = await env.DB.prepare(
        "SELECT id, content_hash, updated_at FROM items WHERE source_id = 'civil-ge' ORDER BY id",
      ).all();
      expect(after.results).toEqual(before.results);
    }
    const listing = await env.DB.prepare(
      "SELECT last_error_code, consecutive_failures FROM listings WHERE source_id = 'civil-ge'",
    ).first<{ last_error_code: string; consecutive_failures: number }>();
    expect(listing).toEqual({ last_error_code: "not_a_feed", consecutive_failures: 2 });
  });
});

describe("a source disabled in config", () => {
  it("is not read, keeps its stored items, and its feed keeps serving them", async () => {
    const site = origins.jamnews!;
    const jam = configured.find((s) => s.id === "jamnews")!;
    await (await fetch(`${site}/__fixture/reset`, { method: "POST" })).arrayBuffer();
    await runIngest({ ...ENV }, { trigger: "cron", sources: [jam], force: true });
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM items WHERE source_id = 'jamnews'").first<{
      n: number;
    }>();
    expect(stored!.n).toBeGreaterThan(0);

    await (await fetch(`${site}/__fixture/reset`, { method: "POST" })).arrayBuffer();
    const run = await runIngest({ ...ENV }, { trigger: "cron", sources: [{ ...jam, enabled: false }], force: true });
    expect(run.sources.jamnews).toBeUndefined();
    expect(await (await fetch(`${site}/__fixture/requests`)).json()).toEqual([]);
    const after = await env.DB.prepare("SELECT count(*) AS n FROM items WHERE source_id = 'jamnews'").first<{
      n: number;
    }>();
    expect(after!.n).toBe(stored!.n);
    const feed = (await (
      await exports.default.fetch(new Request("https://caravan.test/feeds/source/jamnews.json"))
    ).json()) as { items: unknown[] };
    expect(feed.items).toHaveLength(stored!.n);
  });
});
