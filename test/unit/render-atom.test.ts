import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Item } from "../../src/model/item";
import { renderAtom } from "../../src/render/atom";
import { rfc822, rfc3339 } from "../../src/render/dates";
import {
  EMPTY_FEED_DATE,
  ENTITY_CONTENT_HTML,
  emptyDocument,
  HOSTILE_TEXT,
  hasXmlIllegal,
  ID_BARE,
  ID_FULL,
  ID_NO_AUTHOR,
  ID_SUMMARY_ONLY,
  largeDocument,
  PLAIN_CONTENT_HTML,
  printable,
  sampleDocument,
  sampleItems,
  withoutXmlIllegal,
} from "../helpers/sample-document";

/** A second, literal reader: fast-xml-parser decodes XML once and nothing more. */
const tree = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  trimValues: false,
  alwaysCreateTextNode: true,
  isArray: (name) => ["entry", "link", "author", "category", "media:content"].includes(name),
});

interface Node {
  "#text"?: string;
  [key: string]: unknown;
}

function feedOf(xml: string): Node {
  return (tree.parse(xml) as { feed: Node }).feed;
}

function entriesOf(xml: string): Node[] {
  return (feedOf(xml).entry as Node[] | undefined) ?? [];
}

function text(node: unknown): string | undefined {
  return (node as Node | undefined)?.["#text"];
}

function entryFor(entries: Node[], id: string): Node {
  const entry = entries.find((e) => text(e.id) === `urn:caravan:item:${id}`);
  if (!entry) throw new Error(`no entry ${id}`);
  return entry;
}

function itemById(items: Item[], id: string): Item {
  const item = items.find((i) => i.id === id);
  if (!item) throw new Error(`no sample item ${id}`);
  return item;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("renderAtom: document", () => {
  it("is well-formed XML in the Atom namespace with the declaration and stylesheet instruction", () => {
    const xml = renderAtom(sampleDocument());
    expect(XMLValidator.validate(xml)).toBe(true);
    const lines = xml.split("\n");
    expect(lines[0]).toBe('<?xml version="1.0" encoding="utf-8"?>');
    expect(lines[1]).toBe('<?xml-stylesheet type="text/xsl" href="/feed.xsl?v=1&amp;t=2"?>');
    expect(lines[2]).toBe(
      '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="en">',
    );
    expect(renderAtom(sampleDocument({ stylesheetUrl: null }))).not.toContain("xml-stylesheet");
  });

  it("gives the feed fields back through an independent feed reader", () => {
    const doc = sampleDocument();
    const feed = parseFeed(renderAtom(doc));
    expect(feed.meta).toEqual({ type: "atom", version: "1.0" });
    expect(feed.title).toBe(doc.title);
    expect(feed.description).toBe(doc.description);
    expect(feed.url).toBe(doc.homePageUrl);
    expect(feed.self).toBe(doc.selfUrl);
    expect(feed.language).toBe("en");
    expect(feed.updated?.toISOString()).toBe(new Date(doc.updated ?? "").toISOString());
    expect(feed.generator?.label).toBe("Caravan");
    const raw = feedOf(renderAtom(doc));
    expect(text(raw.id)).toBe(doc.id);
    expect(text(raw.updated)).toBe("2024-03-01T00:00:00Z");
  });

  it("links the HTML page first, the other formats, self, and next and hub only when set", () => {
    const doc = sampleDocument();
    const links = feedOf(renderAtom(doc)).link as Node[];
    expect(links.map((l) => [l["@rel"], l["@type"], l["@href"]])).toEqual([
      ["alternate", "text/html", doc.homePageUrl],
      ["alternate", "application/rss+xml", doc.alternates[0]!.href],
      ["alternate", "application/feed+json", doc.alternates[2]!.href],
      ["self", "application/atom+xml", doc.selfUrl],
      ["next", "application/atom+xml", doc.nextUrl],
      ["hub", undefined, doc.hubUrl],
    ]);
    const bare = feedOf(renderAtom(sampleDocument({ nextUrl: null, hubUrl: null }))).link as Node[];
    expect(bare.map((l) => l["@rel"])).toEqual(["alternate", "alternate", "alternate", "self"]);
  });

  it("gives an empty feed its document's date (its catalog entry's) as <updated>, never the clock or 1970", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-06-01T12:00:00Z"));
    const xml = renderAtom(emptyDocument());
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = feedOf(xml);
    expect(text(feed.updated)).toBe(EMPTY_FEED_DATE);
    expect(feed.entry).toBeUndefined();
    expect(feed["@xml:lang"]).toBeUndefined();
    const parsed = parseFeed(xml);
    expect(parsed.items).toEqual([]);
    expect(parsed.updated?.toISOString()).toBe(new Date(EMPTY_FEED_DATE).toISOString());
  });

  it("is deterministic: equal documents give the same bytes whatever the clock says", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2001-02-03T04:05:06Z"));
    const first = renderAtom(sampleDocument());
    vi.setSystemTime(new Date("2031-12-31T23:59:59Z"));
    expect(renderAtom(structuredClone(sampleDocument()))).toBe(first);
  });
});

describe("renderAtom: entries", () => {
  const doc = sampleDocument();
  const xml = renderAtom(doc);
  const feed = parseFeed(xml);
  const entries = entriesOf(xml);
  const items = sampleItems();
  const parsedFor = (id: string) => {
    const found = feed.items.find((i) => i.id === `urn:caravan:item:${id}`);
    if (!found) throw new Error(`entry ${id} missing`);
    return found;
  };

  it("gives id, title, link and dates back field by field", () => {
    expect(feed.items.map((i) => i.id)).toEqual(items.map((i) => `urn:caravan:item:${i.id}`));
    for (const item of items) {
      const parsed = parsedFor(item.id);
      expect(printable(parsed.title)).toBe(printable(withoutXmlIllegal(item.title).trim()));
      expect(parsed.url).toBe(item.url);
      expect(parsed.published?.toISOString()).toBe(new Date(item.publishedAt).toISOString());
      expect(parsed.updated?.toISOString()).toBe(new Date(item.updatedAt).toISOString());
    }
    const full = entryFor(entries, ID_FULL);
    expect((full.title as Node)["@type"]).toBe("text");
    expect(text(full.updated)).toBe("2018-04-19T08:05:30.25Z");
    expect(text(full.published)).toBe("2018-04-18T14:27:00Z");
  });

  it("names each author, and credits the source when an item has none", () => {
    expect(parsedFor(ID_FULL).authors.map((a) => a.name)).toEqual(["Joshua Kucera", "Ağa O'Brien & Co"]);
    expect(parsedFor(ID_NO_AUTHOR).authors.map((a) => a.name)).toEqual(["Eurasianet & Friends"]);
    expect(parsedFor(ID_SUMMARY_ONLY).authors.map((a) => a.name)).toEqual(["Автор Один"]);
    for (const entry of entries) expect((entry.author as Node[]).length).toBeGreaterThan(0);
  });

  it("puts the plain summary in <summary type=text> and the HTML in <content type=html>, exactly", () => {
    const full = itemById(items, ID_FULL);
    expect(parsedFor(ID_FULL).description).toBe(withoutXmlIllegal(full.summary ?? ""));
    expect(parsedFor(ID_FULL).content).toBe(withoutXmlIllegal(PLAIN_CONTENT_HTML));
    const long = entryFor(entries, ID_NO_AUTHOR);
    expect((long.content as Node)["@type"]).toBe("html");
    // feed-parser decodes HTML entities a second time, so the literal reader checks references.
    expect(text(long.content)).toBe(itemById(items, ID_NO_AUTHOR).contentHtml);
    expect(text(long.content)?.endsWith(ENTITY_CONTENT_HTML)).toBe(true);
    expect(long.summary).toBeUndefined();
    const summaryOnly = entryFor(entries, ID_SUMMARY_ONLY);
    expect(summaryOnly.content).toBeUndefined();
    expect((summaryOnly.summary as Node)["@type"]).toBe("text");
    expect(text(summaryOnly.summary)).toBe("Краткое содержание & <тег>");
  });

  it("writes categories with the slug as term, the name as label and a vocabulary scheme", () => {
    const full = entryFor(entries, ID_FULL);
    expect((full.category as Node[]).map((c) => [c["@term"], c["@label"], c["@scheme"]])).toEqual([
      ["azerbaijan", "Azerbaijan", "urn:caravan:country"],
      ["georgia", "Georgia", "urn:caravan:country"],
      ["caucasus", "Caucasus", "urn:caravan:region"],
      ["security", "Security", "urn:caravan:topic"],
      ["Military", "Military", undefined],
      ["NATO & partners", "NATO & partners", undefined],
    ]);
    expect(parsedFor(ID_FULL).categories.map((c) => c.label)).toEqual([
      "Azerbaijan",
      "Georgia",
      "Caucasus",
      "Security",
      "Military",
      "NATO & partners",
    ]);
    expect(entryFor(entries, ID_BARE).category).toBeUndefined();
  });

  it("names the origin in a <source> child with its feed id, title, home page and updated", () => {
    const source = entryFor(entries, ID_SUMMARY_ONLY).source as Node;
    expect(text(source.title)).toBe("Meduza");
    expect(text(source.id)).toBe("https://caravan.example/feeds/source/meduza");
    expect(text(source.updated)).toBe(rfc3339(itemById(items, ID_SUMMARY_ONLY).updatedAt));
    expect((source.link as Node[]).map((l) => [l["@rel"], l["@href"]])).toEqual([
      ["alternate", "https://meduza.io/en"],
    ]);
    expect(text((entryFor(entries, ID_FULL).source as Node).title)).toBe("Eurasianet & Friends");
  });

  it("shows the image as media:content and marks an entry's language only when it differs", () => {
    const image = itemById(items, ID_FULL).image;
    expect(parsedFor(ID_FULL).image).toEqual({ url: image?.url, title: image?.caption });
    expect((entryFor(entries, ID_FULL)["media:content"] as Node[])[0]?.["@medium"]).toBe("image");
    expect(entries.map((e) => e["@xml:lang"])).toEqual([undefined, undefined, "ru", undefined]);
    const mixed = entriesOf(renderAtom(sampleDocument({ language: null })));
    expect(mixed.map((e) => e["@xml:lang"])).toEqual(["en", "en", "ru", "en"]);
  });

  it("still credits an author and stays valid when the document does not know the source", () => {
    const bare = itemById(sampleItems(), ID_BARE);
    const out = renderAtom(sampleDocument({ items: [{ ...bare, sourceId: "constructor" }] }));
    expect(XMLValidator.validate(out)).toBe(true);
    const [entry] = entriesOf(out);
    expect(text(((entry!.author as Node[])[0] as Node).name)).toBe("constructor");
    // A <source> without the source feed's id would be incomplete (RFC 4287 §4.2.11): none at all.
    expect(entry!.source).toBeUndefined();
  });
});

describe("renderAtom: hostile text", () => {
  const xml = renderAtom(sampleDocument());

  it("contains no character XML 1.0 forbids and closes every CDATA section it opens", () => {
    expect(hasXmlIllegal(xml)).toBe(false);
    expect(xml.split("]]>").length - 1).toBe(xml.split("<![CDATA[").length - 1);
  });

  it("round-trips &, <, >, quotes, ']]>', non-ASCII and emoji with only forbidden characters lost", () => {
    const feed = parseFeed(xml);
    const full = feed.items.find((i) => i.id === `urn:caravan:item:${ID_FULL}`);
    expect(printable(full!.title)).toBe(printable(HOSTILE_TEXT));
    expect(full!.description).toBe(`Summary: ${HOSTILE_TEXT}`);
    expect(full!.content).toContain("CDATA end ]]> inside, emoji 🇦🇿");
    expect(feed.title).toBe(`Caravan: Caucasus & "Central" <Asia>`);
    const caption = (entryFor(entriesOf(xml), ID_FULL)["media:content"] as Node[])[0]?.["media:description"];
    expect(text(caption)).toBe("Drills near Baku. (photo: mod.gov.az) <i>&</i>");
  });
});

describe("dates", () => {
  it("formats RFC 822 exactly as Date.prototype.toUTCString does, across years and weekdays", () => {
    const start = Date.UTC(1969, 11, 25, 23, 59, 59);
    for (let day = 0; day < 25_000; day += 37) {
      const instant = new Date(start + day * 86_400_000 + day * 61_000);
      const iso = instant.toISOString();
      expect(rfc822(iso)).toBe(instant.toUTCString());
      expect(rfc3339(iso)).toBe(iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso);
    }
    expect(rfc822("2024-02-29T00:00:00Z")).toBe("Thu, 29 Feb 2024 00:00:00 GMT");
  });

  it("keeps a non-zero fraction without trailing zeros and drops a zero one", () => {
    expect(rfc3339("2018-04-19T08:05:30.250Z")).toBe("2018-04-19T08:05:30.25Z");
    expect(rfc3339("2018-04-19T08:05:30.000Z")).toBe("2018-04-19T08:05:30Z");
    expect(rfc3339("2018-04-19T08:05:30.123456Z")).toBe("2018-04-19T08:05:30.123456Z");
    expect(rfc822("2018-04-19T08:05:30.999Z")).toBe("Thu, 19 Apr 2018 08:05:30 GMT");
  });

  it("refuses strings that are not ISO 8601 UTC date-times or name no real day", () => {
    for (const bad of ["2018-04-19", "2018-04-19T08:05:30+02:00", "2023-02-29T00:00:00Z", "yesterday"]) {
      expect(() => rfc3339(bad)).toThrow(RangeError);
      expect(() => rfc822(bad)).toThrow(RangeError);
    }
  });
});

// Render time is a benchmark figure (`npm run bench`), not a test: a timed test on a shared machine
// either flakes or bounds nothing. This checks the large bench document renders correctly.
describe("renderAtom: the bench document", () => {
  it("renders 50 items of ~5 KB HTML as well-formed XML with one <entry> per item", () => {
    const doc = largeDocument(50, 5000);
    const out = renderAtom(doc);
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out.match(/<entry[ >]/g)).toHaveLength(50);
  });
});

describe("RFC 3339 dates on the common path", () => {
  it("drop zero milliseconds, keep a fraction, and refuse impossible days either way", () => {
    expect(rfc3339("2018-04-18T14:27:00.000Z")).toBe("2018-04-18T14:27:00Z");
    expect(rfc3339("2018-04-18T14:27:00.250Z")).toBe("2018-04-18T14:27:00.25Z");
    expect(() => rfc3339("2018-02-30T00:00:00.000Z")).toThrow(RangeError);
    expect(rfc3339("2024-02-29T00:00:00.000Z")).toBe("2024-02-29T00:00:00Z");
    // Leap years: every fourth, but not centuries unless divisible by 400.
    expect(rfc3339("2000-02-29T00:00:00.000Z")).toBe("2000-02-29T00:00:00Z");
    expect(() => rfc3339("1900-02-29T00:00:00.000Z")).toThrow(RangeError);
    expect(() => rfc3339("2023-02-29T00:00:00.000Z")).toThrow(RangeError);
    expect(() => rfc3339("2024-04-31T00:00:00.000Z")).toThrow(RangeError);
    expect(rfc3339("2024-12-31T23:59:59.000Z")).toBe("2024-12-31T23:59:59Z");
    expect(rfc3339("2024-01-31T00:00:00.000Z")).toBe("2024-01-31T00:00:00Z");
  });
});
