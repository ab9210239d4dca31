import { describe, expect, it } from "vitest";
import { parseSourceDate } from "../../src/ingest/dates";
import { parseFeedDocument } from "../../src/ingest/feed";

/**
 * Feed dates stay text in ParsedFeed; the pipeline reads them with parseSourceDate in the
 * source's zone. Every form the issue lists must come through that path as the right instant.
 */
const rss = (dates: string[]) =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Dates</title><link>https://example.org/</link>` +
  dates
    .map((d, i) => `<item><title>Story ${i}</title><link>https://example.org/${i}</link><pubDate>${d}</pubDate></item>`)
    .join("") +
  `</channel></rss>`;

const cases: { text: string; zone: string; utc: string; why: string }[] = [
  {
    text: "Sep 23, 2024",
    zone: "America/New_York",
    utc: "2024-09-23T04:00:00.000Z",
    why: "Eurasianet's RSS style, read in New York",
  },
  { text: "Sep 23, 2024 - 10:27", zone: "America/New_York", utc: "2024-09-23T14:27:00.000Z", why: "with a time" },
  {
    text: "2024-09-23T10:27:00",
    zone: "Asia/Tbilisi",
    utc: "2024-09-23T06:27:00.000Z",
    why: "ISO 8601 without a zone, in the source's zone",
  },
  {
    text: "2024-09-23 10:27",
    zone: "Asia/Almaty",
    utc: "2024-09-23T05:27:00.000Z",
    why: "ISO with a space, no seconds",
  },
  {
    text: "23 сентября 2024",
    zone: "Europe/Moscow",
    utc: "2024-09-22T21:00:00.000Z",
    why: "Russian month name (genitive)",
  },
  {
    text: "23 сентября 2024, 10:27",
    zone: "Europe/Moscow",
    utc: "2024-09-23T07:27:00.000Z",
    why: "Russian month name with a time",
  },
  {
    text: "5 марта 2025 г., 08:00",
    zone: "Asia/Bishkek",
    utc: "2025-03-05T02:00:00.000Z",
    why: "Russian month with г.",
  },
  {
    text: "Mon, 23 Sep 2024 10:27:00 +0300",
    zone: "UTC",
    utc: "2024-09-23T07:27:00.000Z",
    why: "RFC 822: the zone in the text wins",
  },
  { text: "Mon, 23 Sep 2024 10:27:00 GMT", zone: "Asia/Tbilisi", utc: "2024-09-23T10:27:00.000Z", why: "RFC 822 GMT" },
  { text: "2024-09-23T10:27:00+04:00", zone: "UTC", utc: "2024-09-23T06:27:00.000Z", why: "ISO 8601 with offset" },
  { text: "2024-09-23T10:27:00Z", zone: "Asia/Tbilisi", utc: "2024-09-23T10:27:00.000Z", why: "ISO 8601 UTC" },
];

describe("feed date texts through parseSourceDate", () => {
  const feed = parseFeedDocument(rss(cases.map((c) => c.text)), "https://example.org/rss");

  it("keeps every date text exactly as the feed wrote it", () => {
    expect(feed.entries.map((e) => e.publishedText)).toEqual(cases.map((c) => c.text));
  });

  for (const [i, c] of cases.entries()) {
    it(`${c.why}: "${c.text}" in ${c.zone}`, () => {
      expect(parseSourceDate(feed.entries[i]!.publishedText, c.zone)).toBe(c.utc);
    });
  }

  it("a date that cannot be read is null, not a wrong instant", () => {
    expect(parseSourceDate("sometime last week", "UTC")).toBeNull();
  });
});
