import { describe, expect, it } from "vitest";
import { parseSourceDate } from "../../src/ingest/dates";
import { FeedParseError, parseFeedDocument } from "../../src/ingest/feed";
import { extractArticle } from "../../src/ingest/html/article";
import { resolveFeeds } from "../../src/ingest/kinds/feed";
import { mapFeedTerms } from "../../src/ingest/kinds/feed-terms";
import { htmlToText, sanitizeHtml } from "../../src/ingest/sanitize";
import type { FeedSource } from "../../src/model/source";
import { shippedSource } from "../../src/sources";
import readme from "../fixtures/README.md?raw";

const civilGe = shippedSource("civil-ge", "feed");
const diplomatCentralAsia = shippedSource("diplomat-central-asia", "feed");
const eurasianetRss = shippedSource("eurasianet-rss", "feed");
const jamnews = shippedSource("jamnews", "feed");
const meduzaEn = shippedSource("meduza-en", "feed");
const ocMedia = shippedSource("oc-media", "feed");
const rferl = shippedSource("rferl", "feed");

/**
 * The UTF-8 feed fixtures, parsed and compared with the item tables of test/fixtures/README.md
 * (the same tables the fixture selfcheck compares with the served feeds), with the terms the
 * real source definitions give. The windows-1251 / KOI8-R files are bytes a `?raw` import
 * cannot carry: feed-decode.test.ts and the selfcheck cover them.
 */
const files = import.meta.glob<string>("../fixtures/sites/*/**/*.{xml,json,rdf,html}", {
  query: "?raw",
  import: "default",
  eager: true,
});
const routeTables = import.meta.glob<Record<string, { file: string }>>("../fixtures/sites/*/_feeds.json", {
  import: "default",
  eager: true,
});

const sourceOfSite: Record<string, FeedSource> = {
  "oc-media": ocMedia,
  "civil-ge": civilGe,
  jamnews,
  "eurasianet-rss": eurasianetRss,
  rferl,
  "meduza-en": meduzaEn,
  diplomat: diplomatCentralAsia,
};
const skippedOf: Record<string, number> = { "atom-feed /atom.xml": 1, "json-feed /feed.json": 1 };
const BYTE_ENCODED_SITES = new Set(["cp1251-feed"]);

const originOf = (site: string) => `https://${site}.fixture.test`;

function fixtureBody(site: string, route: string): string {
  const table = routeTables[`../fixtures/sites/${site}/_feeds.json`];
  const file = table?.[route]?.file;
  const text = file ? files[`../fixtures/sites/${site}/${file}`] : undefined;
  if (text === undefined) throw new Error(`no fixture file for ${site} ${route}`);
  return text.replaceAll("{{ORIGIN}}", originOf(site));
}

interface ItemTable {
  site: string;
  route: string;
  columns: string[];
  rows: Record<string, string>[];
}

function itemTables(markdown: string): ItemTable[] {
  const out: ItemTable[] = [];
  for (const m of markdown.matchAll(/^#### Items: (\S+) (\S+)\n([\s\S]*?)(?=\n#### |\n## |$(?![\s\S]))/gm)) {
    const lines = m[3]!.split("\n").filter((l) => l.startsWith("|"));
    const cells = (line: string) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, "|"));
    const columns = cells(lines[0]!);
    const rows = lines.slice(2).map((line) => Object.fromEntries(cells(line).map((v, i) => [columns[i]!, v])));
    out.push({ site: m[1]!, route: m[2]!, columns, rows });
  }
  return out;
}

const list = (cell: string) => (cell === "—" ? [] : cell.split("; "));
const tables = itemTables(readme);

describe("feed fixtures agree with test/fixtures/README.md", () => {
  it("the README has item tables for every feed site", () => {
    expect(new Set(tables.map((t) => t.site))).toEqual(
      new Set([
        "oc-media",
        "civil-ge",
        "jamnews",
        "eurasianet-rss",
        "rferl",
        "meduza-en",
        "diplomat",
        "atom-feed",
        "json-feed",
        "rdf-feed",
        "cp1251-feed",
        "odd-dates",
      ]),
    );
    expect(tables.every((t) => t.rows.length > 0)).toBe(true);
  });

  for (const table of tables.filter((t) => !BYTE_ENCODED_SITES.has(t.site))) {
    it(`${table.site} ${table.route}`, () => {
      const origin = originOf(table.site);
      const feed = parseFeedDocument(fixtureBody(table.site, table.route), `${origin}${table.route}`);
      expect(feed.skipped).toBe(skippedOf[`${table.site} ${table.route}`] ?? 0);
      expect(feed.entries).toHaveLength(table.rows.length);

      const source = sourceOfSite[table.site];
      const feedTerms = source
        ? resolveFeeds(source, { [source.baseUrlVar!]: origin }).find((f) => f.url === `${origin}${table.route}`)
        : undefined;
      if (source) expect(feedTerms, `${table.route} is one of ${source.id}'s feeds`).toBeDefined();

      table.rows.forEach((row, i) => {
        const entry = feed.entries[i]!;
        const at = `${table.site} ${table.route} #${row["#"]}`;
        expect(entry.title, at).toBe(row.title);
        expect(entry.url, at).toBe(`${origin}${row.link}`);
        expect(entry.publishedText, at).toBe(row.date);
        if ("categories" in row) expect(entry.categories, at).toEqual(list(row.categories!));
        if ("authors" in row) expect(entry.authors, at).toEqual(list(row.authors!));
        if ("UTC" in row) expect(parseSourceDate(entry.publishedText, "Asia/Tashkent") ?? "—", at).toBe(row.UTC);
        if (source) {
          const terms = mapFeedTerms(source, entry, feedTerms!.terms);
          expect(terms.countries, `${at} countries`).toEqual(list(row.countries!));
          expect(terms.regions, `${at} regions`).toEqual(list(row.regions!));
          expect(terms.topics, `${at} topics`).toEqual(list(row.topics!));
          expect(terms.unmapped, `${at} tags`).toEqual(list(row.tags!));
        }
      });
    });
  }
});

describe("details of the source fixtures", () => {
  const parse = (site: string, route: string) =>
    parseFeedDocument(fixtureBody(site, route), `${originOf(site)}${route}`);

  it("OC Media: content:encoded with its figure, two creators, the 'appeared first' description", () => {
    const feed = parse("oc-media", "/feed/");
    expect(feed).toMatchObject({ title: "OC Media", language: "en-GB", homePageUrl: `${originOf("oc-media")}/` });
    const [first, , third] = feed.entries;
    expect(first!.guid).toBe(`${originOf("oc-media")}/?p=201456`);
    expect(first!.contentHtml).toContain('<figcaption class="wp-element-caption">Farmers on the Zugdidi highway.');
    expect(first!.contentHtml).toContain("&#8216;We sold for ₾7 a kilo");
    expect(first!.summaryHtml).toContain("appeared first on");
    expect(first!.authors).toEqual(["Tamar Kiknadze"]);
    expect(third!.authors).toEqual(["Anush Grigoryan", "Leyla Huseynova"]);
    expect(first!.image).toBeNull();
  });

  it("JAMnews: enclosure pictures, including the wrong image/jpg type with length 0", () => {
    const images = parse("jamnews", "/feed/").entries.map((e) => e.image?.url ?? null);
    const o = originOf("jamnews");
    expect(images).toEqual([
      `${o}/wp-content/uploads/2026/09/ajapnyak-station.jpg`,
      `${o}/wp-content/uploads/2026/09/kura-low-water.jpg`,
      null,
    ]);
  });

  it("Eurasianet RSS: Drupal guids, dc:creator, a relative link under xml:base", () => {
    const feed = parse("eurasianet-rss", "/rss");
    expect(feed.entries.map((e) => e.guid)).toEqual(
      ["70311", "70298", "70270", "70233"].map((n) => `${n} at ${originOf("eurasianet-rss")}`),
    );
    expect(feed.entries[3]!.authors).toEqual(["Pavel Sadovsky"]);
    expect(feed.entries[0]!.summaryHtml).toBe(
      "<p>The terminal doubles the port&#039;s capacity for rail cars bound for Baku.</p>",
    );
    expect(parseSourceDate(feed.entries[0]!.publishedText, eurasianetRss.timeZone)).toBe("2026-09-23T04:00:00.000Z");
  });

  it("RFE/RL: guids in the short form, the service as author, article pages for enrich", () => {
    const feed = parse("rferl", "/api/zrqpurqp");
    const o = originOf("rferl");
    expect(feed.entries[0]).toMatchObject({
      guid: `${o}/a/33120001.html`,
      authors: ["RFE/RL's Kazakh Service"],
      image: { url: `${o}/img/33120001_w1200.jpg`, caption: null },
      summaryHtml:
        "An appeals court in Aqtau upheld a five-year sentence for an oil worker who led a strike in January.",
      contentHtml: null,
    });
  });

  it("RFE/RL: the source's article selectors read the story pages served at the feed's links", async () => {
    const feed = parse("rferl", "/api/zrqpurqp");
    for (const entry of feed.entries) {
      const html = fixtureBody("rferl", new URL(entry.url).pathname);
      const article = await extractArticle(html, entry.url, rferl.articleSelectors!);
      expect(article.title, entry.url).toBe(entry.title);
      expect(article.canonicalUrl, entry.url).toBe(entry.url);
      expect(parseSourceDate(article.publishedText, rferl.timeZone), entry.url).toBe(
        parseSourceDate(entry.publishedText, rferl.timeZone),
      );
      expect(article.authors, entry.url).toEqual(entry.authors);
      const body = await htmlToText(await sanitizeHtml(article.bodyHtml!, entry.url));
      const paragraphs = [...html.matchAll(/<p>([^<]+)<\/p>/g)].map((m) => m[1]!);
      expect(paragraphs.length, entry.url).toBe(3);
      for (const p of paragraphs) expect(body, entry.url).toContain(p);
      expect(body, entry.url).not.toContain("Related: earlier coverage");
      expect(body, entry.url).not.toContain("Most Popular");
    }
  });

  it("RFE/RL: the 11-byte zone answer is refused", () => {
    const body = fixtureBody("rferl", "/api/zypppgmm-en");
    expect(body).toBe("<rss></rss>");
    expect(() =>
      parseFeedDocument(body, `${originOf("rferl")}/api/zypppgmm-en`, { minBodyBytes: rferl.minBodyBytes }),
    ).toThrow(/^the feed answered with only 11 bytes/);
  });

  it("Meduza (English): enclosure with length 0 as the picture, content:encoded, +0300 dates", () => {
    const feed = parse("meduza-en", "/rss/en/all");
    const o = originOf("meduza-en");
    expect(feed.entries[0]!.image).toEqual({
      url: `${o}/imgly/share/1790281001/en/news/2026/09/24/russian-regions-cut-school-budgets-as-war-spending-grows`,
      caption: null,
    });
    expect(feed.entries[0]!.guid).toBe(feed.entries[0]!.url);
    expect(feed.entries[0]!.contentHtml).toContain("postponed “until further notice.”");
    expect(parseSourceDate(feed.entries[2]!.publishedText, meduzaEn.timeZone)).toBe("2026-09-23T18:15:30.000Z");
  });

  it("The Diplomat: Media RSS pictures and captions; the challenge page is HTML", () => {
    const feed = parse("diplomat", "/regions/central-asia/feed");
    const o = originOf("diplomat");
    expect(feed.title).toBe("Central Asia – The Diplomat");
    expect(feed.entries.map((e) => e.image)).toEqual([
      {
        url: `${o}/wp-content/uploads/2026/09/sizes/td-story-s-2/thediplomat_2026-09-22-171000.jpg`,
        caption: "The shore of Lake Balkhash near Ulken. Credit: Depositphotos",
      },
      { url: `${o}/wp-content/uploads/2026/09/sizes/thumbnail/thediplomat_2026-09-21-120000.jpg`, caption: null },
      { url: `${o}/wp-content/uploads/2026/09/sizes/td-story-s-2/thediplomat_2026-09-19-093000.jpg`, caption: null },
    ]);
    const err = (() => {
      try {
        parse("diplomat", "/challenge/regions/central-asia/feed");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as FeedParseError).message).toBe("not a feed: the document is HTML (<html> root)");
  });

  it("the malformed site is refused as truncated", () => {
    expect(() => parse("malformed", "/feed.xml")).toThrow(
      "XML is not well formed: the document ends before <rss>, <channel>, <item>, <content:encoded> are closed (truncated?)",
    );
  });

  it("Atom: xml:base-resolved pictures and content bases", () => {
    const feed = parse("atom-feed", "/atom.xml");
    const o = originOf("atom-feed");
    expect(feed).toMatchObject({ title: "Steppe Dispatch", homePageUrl: `${o}/blog/`, language: "en" });
    expect(feed.entries.map((e) => e.image?.url ?? null)).toEqual([
      `${o}/media/night-train.jpg`,
      `${o}/archive/2026/thumbs/issyk-kul.jpg`,
      null,
    ]);
    expect(feed.entries[1]!.contentHtml).toBe(
      '<p>The lake has lost <strong>40 cm</strong> since 2020.</p><p><img src="img/shoreline.jpg" alt="Shoreline near Cholpon-Ata"></p>',
    );
    expect(feed.entries[1]!.baseUrl).toBe(`${o}/archive/2026/`);
  });
});
