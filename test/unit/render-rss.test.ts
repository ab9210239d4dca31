import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Item } from "../../src/model/item";
import { rfc822 } from "../../src/render/dates";
import { EXCERPT_LENGTH, htmlExcerpt, renderRss } from "../../src/render/rss";
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
  isArray: (name) => ["item", "category", "dc:creator", "atom:link", "source", "media:content"].includes(name),
});

interface Node {
  "#text"?: string;
  [key: string]: unknown;
}

function channelOf(xml: string): Node {
  return (tree.parse(xml) as { rss: { channel: Node } }).rss.channel;
}

function itemsOf(xml: string): Node[] {
  return (channelOf(xml).item as Node[] | undefined) ?? [];
}

function text(node: unknown): string | undefined {
  return (node as Node | undefined)?.["#text"];
}

function itemById(items: Item[], id: string): Item {
  const item = items.find((i) => i.id === id);
  if (!item) throw new Error(`no sample item ${id}`);
  return item;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("renderRss: document", () => {
  it("is well-formed XML starting with the declaration and the stylesheet instruction", () => {
    const xml = renderRss(sampleDocument());
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
    expect(xml.split("\n")[1]).toBe('<?xml-stylesheet type="text/xsl" href="/feed.xsl?v=1&amp;t=2"?>');
    expect(xml).toContain(
      '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    );
  });

  it("has no stylesheet instruction when no stylesheet is set", () => {
    const xml = renderRss(sampleDocument({ stylesheetUrl: null }));
    expect(xml).not.toContain("xml-stylesheet");
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it("gives the channel fields back through an independent feed reader", () => {
    const doc = sampleDocument();
    const feed = parseFeed(renderRss(doc));
    expect(feed.meta).toEqual({ type: "rss", version: "2.0" });
    expect(feed.title).toBe(doc.title);
    expect(feed.url).toBe(doc.homePageUrl);
    expect(feed.description).toBe(doc.description);
    expect(feed.language).toBe("en");
    expect(feed.self).toBe(doc.selfUrl);
    expect(feed.updated?.toISOString()).toBe(new Date(doc.updated ?? "").toISOString());
    expect(feed.generator?.label).toBe("Caravan");
    expect(feed.items.map((i) => i.id)).toEqual(doc.items.map((i) => `urn:caravan:item:${i.id}`));
  });

  it("writes lastBuildDate in RFC 822 GMT and ttl in minutes", () => {
    const channel = channelOf(renderRss(sampleDocument({ updated: "2018-04-18T14:27:00Z", ttlMinutes: 30 })));
    expect(text(channel.lastBuildDate)).toBe("Wed, 18 Apr 2018 14:27:00 GMT");
    expect(text(channel.ttl)).toBe("30");
  });

  it("links self, next and hub with atom:link, next and hub only when set", () => {
    const doc = sampleDocument();
    const links = channelOf(renderRss(doc))["atom:link"] as Node[];
    expect(links.map((l) => [l["@rel"], l["@type"], l["@href"]])).toEqual([
      ["self", "application/rss+xml", doc.selfUrl],
      ["next", "application/rss+xml", doc.nextUrl],
      ["hub", undefined, doc.hubUrl],
    ]);

    const bare = channelOf(renderRss(sampleDocument({ nextUrl: null, hubUrl: null })));
    expect((bare["atom:link"] as Node[]).map((l) => l["@rel"])).toEqual(["self"]);
  });

  it("renders an empty feed as a valid channel with no items, built at its catalog entry's date", () => {
    const doc = emptyDocument();
    const xml = renderRss(doc);
    expect(XMLValidator.validate(xml)).toBe(true);
    const channel = channelOf(xml);
    expect(channel.item).toBeUndefined();
    expect(text(channel.lastBuildDate)).toBe(rfc822(EMPTY_FEED_DATE));
    expect(channel.language).toBeUndefined();
    expect((channel["atom:link"] as Node[]).map((l) => l["@rel"])).toEqual(["self"]);
    const feed = parseFeed(xml);
    expect(feed.title).toBe(doc.title);
    expect(feed.items).toEqual([]);
  });

  it("is deterministic: equal documents give the same bytes whatever the clock says", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2001-02-03T04:05:06Z"));
    const first = renderRss(sampleDocument());
    const firstEmpty = renderRss(emptyDocument());
    vi.setSystemTime(new Date("2031-12-31T23:59:59Z"));
    expect(renderRss(structuredClone(sampleDocument()))).toBe(first);
    expect(renderRss(emptyDocument())).toBe(firstEmpty);
  });
});

describe("renderRss: items", () => {
  const doc = sampleDocument();
  const xml = renderRss(doc);
  const feed = parseFeed(xml);
  const parsedItems = itemsOf(xml);
  const items = sampleItems();
  const byGuid = (id: string) => {
    const found = feed.items.find((i) => i.id === `urn:caravan:item:${id}`);
    if (!found) throw new Error(`item ${id} missing`);
    return found;
  };

  it("gives title, link, guid, dates and authors back field by field", () => {
    for (const item of items) {
      const parsed = byGuid(item.id);
      expect(printable(parsed.title)).toBe(printable(withoutXmlIllegal(item.title).trim()));
      expect(parsed.url).toBe(item.url);
      expect(parsed.published?.toISOString()).toBe(new Date(item.publishedAt).toISOString());
      expect(parsed.authors.map((a) => a.name)).toEqual(item.authors.map(withoutXmlIllegal));
    }
  });

  it("uses the stable item id as a non-permalink guid", () => {
    for (const node of parsedItems) {
      const guid = node.guid as Node;
      expect(guid["@isPermaLink"]).toBe("false");
      expect(text(guid)).toMatch(/^urn:caravan:item:[0-9a-f]{32}$/);
    }
  });

  it("writes pubDate as RFC 822 in GMT", () => {
    const full = parsedItems.find((n) => text(n.guid) === `urn:caravan:item:${ID_FULL}`);
    expect(text(full!.pubDate)).toBe("Wed, 18 Apr 2018 14:27:00 GMT");
    for (const node of parsedItems) {
      expect(text(node.pubDate)).toMatch(
        /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/,
      );
    }
  });

  it("names authors with one dc:creator each and never a bare-name <author>", () => {
    expect(xml).not.toContain("<author>");
    const full = parsedItems.find((n) => text(n.guid) === `urn:caravan:item:${ID_FULL}`);
    expect((full!["dc:creator"] as Node[]).map(text)).toEqual(["Joshua Kucera", "Ağa O'Brien & Co"]);
    const bare = parsedItems.find((n) => text(n.guid) === `urn:caravan:item:${ID_BARE}`);
    expect(bare!["dc:creator"]).toBeUndefined();
  });

  it("puts the HTML content in content:encoded, exactly", () => {
    expect(byGuid(ID_FULL).content).toBe(withoutXmlIllegal(PLAIN_CONTENT_HTML));
    // feed-parser decodes HTML entities a second time, so the literal reader checks references.
    const long = parsedItems.find((n) => text(n.guid) === `urn:caravan:item:${ID_NO_AUTHOR}`);
    const content = text(long?.["content:encoded"]);
    expect(content).toBe(itemById(items, ID_NO_AUTHOR).contentHtml);
    expect(content?.endsWith(ENTITY_CONTENT_HTML)).toBe(true);
    expect(byGuid(ID_SUMMARY_ONLY).content).toBeNull();
  });

  it("uses the summary as description, shown literally by HTML-rendering readers", () => {
    const full = itemById(items, ID_FULL);
    expect(byGuid(ID_FULL).description).toBe(withoutXmlIllegal(full.summary ?? ""));
    // Plain text is HTML-escaped, then XML-escaped: "&" becomes "&amp;amp;" in the bytes.
    expect(xml).toContain("<description>Краткое содержание &amp;amp; &amp;lt;тег&amp;gt;</description>");
    expect(byGuid(ID_SUMMARY_ONLY).description).toBe("Краткое содержание & <тег>");
  });

  it("falls back to a short text excerpt of the content when there is no summary", () => {
    const description = byGuid(ID_NO_AUTHOR).description ?? "";
    expect(description.startsWith("Steppe Steppe")).toBe(true);
    expect(description.endsWith("…")).toBe(true);
    expect(description.length).toBeLessThanOrEqual(EXCERPT_LENGTH + 1);
    expect(description).not.toMatch(/[<>]/);
    const bare = parsedItems.find((n) => text(n.guid) === `urn:caravan:item:${ID_BARE}`);
    expect(bare!.description).toBeUndefined();
  });

  it("writes no description for content without text, rather than an empty one", () => {
    const bare = itemById(sampleItems(), ID_BARE);
    const imageOnly = { ...bare, contentHtml: '<p><img src="https://eurasianet.org/x.jpg" alt="x"></p>' };
    const [node] = itemsOf(renderRss(sampleDocument({ items: [imageOnly] })));
    expect(node?.description).toBeUndefined();
    expect(text(node?.["content:encoded"])).toBe(imageOnly.contentHtml);
  });

  it("lists countries, regions and topics by name with a vocabulary domain, then tags", () => {
    expect(byGuid(ID_FULL).categories.map((c) => c.term)).toEqual([
      "Azerbaijan",
      "Georgia",
      "Caucasus",
      "Security",
      "Military",
      "NATO & partners",
    ]);
    const full = parsedItems.find((n) => text(n.guid) === `urn:caravan:item:${ID_FULL}`);
    expect((full!.category as Node[]).map((c) => c["@domain"])).toEqual([
      "urn:caravan:country",
      "urn:caravan:country",
      "urn:caravan:region",
      "urn:caravan:topic",
      undefined,
      undefined,
    ]);
    expect(byGuid(ID_NO_AUTHOR).categories.map((c) => c.term)).toContain("Kazakhstan's Bloody January 2022");
  });

  it("credits the origin with <source url> and shows the image as media:content, never <enclosure>", () => {
    expect(xml).not.toContain("<enclosure");
    const full = parsedItems.find((n) => text(n.guid) === `urn:caravan:item:${ID_FULL}`);
    const source = (full!.source as Node[])[0];
    expect(source?.["@url"]).toBe("https://eurasianet.org/");
    expect(text(source)).toBe("Eurasianet & Friends");
    const meduza = parsedItems.find((n) => text(n.guid) === `urn:caravan:item:${ID_SUMMARY_ONLY}`);
    expect((meduza!.source as Node[])[0]?.["@url"]).toBe("https://meduza.io/en");

    const image = itemById(items, ID_FULL).image;
    expect(byGuid(ID_FULL).image).toEqual({ url: image?.url, title: image?.caption });
    const media = (full!["media:content"] as Node[])[0];
    expect(media?.["@medium"]).toBe("image");
    expect(byGuid(ID_SUMMARY_ONLY).media).toEqual([]);
  });

  it("marks an item's language only when it differs from the channel's", () => {
    const languages = parsedItems.map((n) => text(n["dc:language"]));
    expect(languages).toEqual([undefined, undefined, "ru", undefined]);
  });

  it("leaves <source> out, but keeps the item, when the document does not know the source", () => {
    const [first] = sampleItems();
    if (!first) throw new Error("no sample item");
    const orphan = { ...first, sourceId: "constructor" };
    const out = renderRss(sampleDocument({ items: [orphan] }));
    expect(XMLValidator.validate(out)).toBe(true);
    expect(itemsOf(out)[0]?.source).toBeUndefined();
    expect(parseFeed(out).items).toHaveLength(1);
  });
});

describe("renderRss: hostile text", () => {
  const xml = renderRss(sampleDocument());

  it("contains no character XML 1.0 forbids and no CDATA section left open by ']]>'", () => {
    expect(hasXmlIllegal(xml)).toBe(false);
    // Every "]]>" in the output closes a CDATA section that was opened.
    const closes = xml.split("]]>").length - 1;
    const opens = xml.split("<![CDATA[").length - 1;
    expect(closes).toBe(opens);
  });

  it("round-trips &, <, >, quotes, ']]>', non-ASCII and emoji with only forbidden characters lost", () => {
    const feed = parseFeed(xml);
    const full = feed.items.find((i) => i.id === `urn:caravan:item:${ID_FULL}`);
    expect(printable(full!.title)).toBe(printable(HOSTILE_TEXT));
    expect(full!.description).toBe(`Summary: ${HOSTILE_TEXT}`);
    expect(full!.content).toContain("CDATA end ]]> inside, emoji 🇦🇿");
    expect(full!.authors[1]?.name).toBe("Ağa O'Brien & Co");
    expect(feed.title).toBe(`Caravan: Caucasus & "Central" <Asia>`);
    expect(feed.description).toBe("Regional news ]]> from Eurasianet & Meduza");
  });

  it("escapes markup in text rather than passing it through", () => {
    expect(xml).toContain("Fish &amp; Chips &lt;b&gt;not a tag&lt;/b&gt;");
    expect(xml).not.toContain("<b>not a tag");
  });
});

describe("htmlExcerpt", () => {
  it("returns short text whole, without tags or an ellipsis", () => {
    expect(htmlExcerpt("<p>Short <b>bold</b>\n text &amp; more</p>", 300)).toBe("Short bold text &amp; more");
  });

  it("cuts long text at a word boundary and adds an ellipsis", () => {
    const excerpt = htmlExcerpt(`<p>${"alpha beta ".repeat(100)}</p>`, 50);
    // 50 characters reach into the 5th "alpha beta"; the cut falls before the word it would split.
    expect(excerpt).toBe(`${"alpha beta ".repeat(4)}alpha…`);
  });

  it("never splits a character reference when it has to cut inside a word", () => {
    expect(htmlExcerpt(`<p>${"x".repeat(48)}&amp;${"y".repeat(100)}</p>`, 50)).toBe(`${"x".repeat(48)}…`);
  });

  it("drops a tag cut off at the end of the slice it reads", () => {
    const html = `<p>${"word ".repeat(20)}<a href="${"h".repeat(400)}">link</a></p>`;
    expect(htmlExcerpt(html, 50)).toBe(`${"word ".repeat(10).trimEnd()}…`);
  });
});

// Render time is a benchmark figure (`npm run bench`), not a test: a timed test on a shared machine
// either flakes or bounds nothing. This checks the large bench document renders correctly.
describe("renderRss: the bench document", () => {
  it("renders 50 items of ~5 KB HTML as well-formed XML with one <item> per item", () => {
    const doc = largeDocument(50, 5000);
    const out = renderRss(doc);
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out.match(/<item>/g)).toHaveLength(50);
  });
});
