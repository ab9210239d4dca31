import { describe, expect, it } from "vitest";
import { parseSourceDate } from "../../src/ingest/dates";
import { parseFeedDocument } from "../../src/ingest/feed";
import { REAL_DATA_MISSING, realFile, realTitle } from "../helpers/real-data";

const meduzaXml = realFile("meduza/meduza-rss.xml");

/**
 * The real Meduza feed (shared/data/real/meduza). Expectations are read from the file itself
 * with plain string matching, independently of the parser, so the two must agree.
 */
const FEED_URL = "https://meduza.io/rss/all";

function itemBlocks(xml: string): string[] {
  return [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => m[1]!);
}
const between = (block: string, re: RegExp) => re.exec(block)?.[1] ?? null;

const blocks = itemBlocks(meduzaXml);
const expected = blocks.map((b) => ({
  title: between(b, /<title><!\[CDATA\[([\s\S]*?)\]\]><\/title>/),
  link: between(b, /<link>([^<]+)<\/link>/),
  guid: between(b, /<guid>([^<]+)<\/guid>/),
  pubDate: between(b, /<pubDate>([^<]+)<\/pubDate>/),
  enclosure: between(b, /<enclosure url="([^"]+)" length="0" type="image\/png"\/>/),
  content: between(b, /<content:encoded><!\[CDATA\[([\s\S]*?)\]\]><\/content:encoded>/),
  description: between(b, /<description><!\[CDATA\[([\s\S]*?)\]\]><\/description>/),
}));

describe.skipIf(REAL_DATA_MISSING)(realTitle("the real Meduza RSS feed"), () => {
  // Parsed inside the block so that a clone without the file never parses an empty one.
  const feed = REAL_DATA_MISSING ? (undefined as never) : parseFeedDocument(meduzaXml, FEED_URL);

  it("is RSS 2.0 with the channel's title, link and language", () => {
    expect(feed.format).toBe("rss2");
    expect(feed.title).toBe("Meduza.io");
    expect(feed.homePageUrl).toBe("https://meduza.io/");
    expect(feed.language).toBe("ru");
    expect(feed.skipped).toBe(0);
  });

  it("has the file's four items, in order, with their titles, links and guids", () => {
    expect(blocks).toHaveLength(4);
    expect(feed.entries.map((e) => e.title)).toEqual(expected.map((x) => x.title));
    expect(feed.entries.map((e) => e.url)).toEqual(expected.map((x) => x.link));
    expect(feed.entries.map((e) => e.guid)).toEqual(expected.map((x) => x.guid));
    expect(feed.entries[0]!.title).toBe(
      "Макрон: ситуация становится все более напряженной для Европы, Франция может стать целью российских дронов",
    );
  });

  it("keeps the +0300 pubDates, which read as the right instants", () => {
    expect(feed.entries.map((e) => e.publishedText)).toEqual(expected.map((x) => x.pubDate));
    // The zone in the text wins over the source's configured zone.
    expect(parseSourceDate(feed.entries[0]!.publishedText, "UTC")).toBe("2026-09-24T20:11:25.000Z");
    expect(parseSourceDate(feed.entries[3]!.publishedText, "Europe/Moscow")).toBe("2026-09-24T17:35:19.000Z");
    const instants = feed.entries.map((e) => parseSourceDate(e.publishedText, "Europe/Moscow")!);
    expect([...instants].sort().reverse()).toEqual(instants); // newest first, as in the file
  });

  it("reads content:encoded and the description as HTML, CDATA verbatim", () => {
    feed.entries.forEach((entry, i) => {
      expect(entry.contentHtml).toBe(expected[i]!.content);
      expect(entry.summaryHtml).toBe(expected[i]!.description);
    });
    // Escaped markup inside a CDATA attribute stays escaped: CDATA is never decoded.
    expect(feed.entries[0]!.contentHtml).toContain('data-body="&amp;lt;p&amp;gt;Испанская газета El Mundo');
    expect(feed.entries[0]!.contentHtml).toContain("<p>Президент Франции Эммануэль Макрон");
  });

  it("takes the image/png enclosure with length 0 as the picture", () => {
    expect(feed.entries.map((e) => e.image)).toEqual(expected.map((x) => ({ url: x.enclosure, caption: null })));
  });

  it("has no authors or categories, because the file gives none", () => {
    for (const entry of feed.entries) {
      expect(entry.authors).toEqual([]);
      expect(entry.categories).toEqual([]);
      expect(entry.updatedText).toBeNull();
    }
  });
});
