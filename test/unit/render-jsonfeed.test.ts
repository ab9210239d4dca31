import { type Schema, Validator } from "@cfworker/json-schema";
import { parseFeed } from "@rowanmanning/feed-parser";
import schemaV11 from "jsonfeed-schema/schema-v1.1.json";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAtom } from "../../src/render/atom";
import { JSON_FEED_VERSION, renderJsonFeed } from "../../src/render/jsonfeed";
import { renderRss } from "../../src/render/rss";
import {
  emptyDocument,
  ID_BARE,
  ID_FULL,
  ID_NO_AUTHOR,
  ID_SUMMARY_ONLY,
  largeDocument,
  PLAIN_CONTENT_HTML,
  printable,
  sampleDocument,
  sampleItems,
} from "../helpers/sample-document";

interface JsonItem {
  id: unknown;
  url?: string;
  title?: string;
  summary?: string;
  content_html?: string;
  content_text?: string;
  image?: string;
  date_published?: string;
  date_modified?: string;
  authors?: { name: string }[];
  language?: string;
  tags?: string[];
  _caravan?: {
    source: { id: string; name: string; homepage?: string };
    countries: string[];
    regions: string[];
    topics: string[];
    image_caption?: string;
  };
}

interface JsonFeed {
  version: string;
  title: string;
  home_page_url?: string;
  feed_url?: string;
  description?: string;
  language?: string;
  next_url?: string;
  hubs?: { type: string; url: string }[];
  authors?: unknown;
  items: JsonItem[];
}

const validator = new Validator(schemaV11 as Schema, "7", false);

/** The schema, plus what it cannot say: ids are strings and unique within the feed. */
function expectValidJsonFeed(json: string): JsonFeed {
  const feed = JSON.parse(json) as JsonFeed;
  const result = validator.validate(feed);
  expect(result.errors).toEqual([]);
  expect(result.valid).toBe(true);
  const ids = feed.items.map((item) => item.id);
  for (const id of ids) expect(typeof id).toBe("string");
  expect(new Set(ids).size).toBe(ids.length);
  return feed;
}

function itemFor(feed: JsonFeed, id: string): JsonItem {
  const item = feed.items.find((i) => i.id === `urn:caravan:item:${id}`);
  if (!item) throw new Error(`no item ${id}`);
  return item;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("renderJsonFeed: feed", () => {
  it("validates against the JSON Feed 1.1 schema, with string and unique ids", () => {
    expectValidJsonFeed(renderJsonFeed(sampleDocument()));
    expectValidJsonFeed(renderJsonFeed(emptyDocument()));
  });

  it("the validator really rejects feeds that break the schema", () => {
    const feed = JSON.parse(renderJsonFeed(sampleDocument())) as JsonFeed;
    const noContent = structuredClone(feed);
    const first = noContent.items[0];
    if (!first) throw new Error("no item");
    delete first.content_html;
    delete first.content_text;
    expect(validator.validate(noContent).valid).toBe(false);
    expect(validator.validate({ ...feed, next_url: 42 }).valid).toBe(false);
  });

  it("writes the feed fields, 1.1 version, next_url and a WebSub hub", () => {
    const doc = sampleDocument();
    const feed = expectValidJsonFeed(renderJsonFeed(doc));
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(JSON_FEED_VERSION).toBe(feed.version);
    expect(feed.title).toBe(doc.title);
    expect(feed.home_page_url).toBe(doc.homePageUrl);
    expect(feed.feed_url).toBe(doc.selfUrl);
    expect(feed.description).toBe(doc.description);
    expect(feed.language).toBe("en");
    expect(feed.next_url).toBe(doc.nextUrl);
    expect(feed.hubs).toEqual([{ type: "WebSub", url: doc.hubUrl }]);
    expect(Object.keys(feed)).toEqual([
      "version",
      "title",
      "home_page_url",
      "feed_url",
      "description",
      "language",
      "next_url",
      "hubs",
      "items",
    ]);
  });

  it("leaves out language, next_url and hubs when they are not set, and has no items when empty", () => {
    const feed = expectValidJsonFeed(renderJsonFeed(emptyDocument()));
    expect(Object.keys(feed)).toEqual(["version", "title", "home_page_url", "feed_url", "description", "items"]);
    expect(feed.items).toEqual([]);
  });

  it("is compact and deterministic: equal documents give the same bytes whatever the clock says", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2001-02-03T04:05:06Z"));
    const first = renderJsonFeed(sampleDocument());
    vi.setSystemTime(new Date("2031-12-31T23:59:59Z"));
    expect(renderJsonFeed(structuredClone(sampleDocument()))).toBe(first);
    expect(first).toBe(JSON.stringify(JSON.parse(first)));
  });
});

describe("renderJsonFeed: items", () => {
  const doc = sampleDocument();
  const json = renderJsonFeed(doc);
  const feed = expectValidJsonFeed(json);
  const items = sampleItems();

  it("writes every field of a full item, in a fixed key order", () => {
    const source = items[0];
    const item = itemFor(feed, ID_FULL);
    expect(item).toEqual({
      id: `urn:caravan:item:${ID_FULL}`,
      url: source?.url,
      title: source?.title,
      summary: source?.summary,
      content_html: PLAIN_CONTENT_HTML,
      image: source?.image?.url,
      date_published: "2018-04-18T14:27:00Z",
      date_modified: "2018-04-19T08:05:30.25Z",
      authors: [{ name: "Joshua Kucera" }, { name: "Ağa O'Brien & Co\u0003" }],
      language: "en",
      tags: ["Azerbaijan", "Georgia", "Caucasus", "Security", "Military", "NATO & partners"],
      _caravan: {
        source: { id: "eurasianet", name: "Eurasianet & Friends", homepage: "https://eurasianet.org/" },
        countries: ["azerbaijan", "georgia"],
        regions: ["caucasus"],
        topics: ["security"],
        image_caption: "Drills near Baku. (photo: mod.gov.az) <i>&</i>",
      },
    });
    expect(Object.keys(item)).toEqual([
      "id",
      "url",
      "title",
      "summary",
      "content_html",
      "image",
      "date_published",
      "date_modified",
      "authors",
      "language",
      "tags",
      "_caravan",
    ]);
  });

  it("uses content_text = summary when there is no HTML, and never leaves an item without content", () => {
    const summaryOnly = itemFor(feed, ID_SUMMARY_ONLY);
    expect(summaryOnly.content_html).toBeUndefined();
    expect(summaryOnly.content_text).toBe("Краткое содержание & <тег>");
    const bare = itemFor(feed, ID_BARE);
    expect(bare.content_text).toBe("");
    expect(bare.summary).toBeUndefined();
    for (const item of feed.items) {
      expect(item.content_html !== undefined || item.content_text !== undefined).toBe(true);
    }
  });

  it("omits absent optional fields rather than writing null", () => {
    expect(json).not.toContain("null");
    const bare = itemFor(feed, ID_BARE);
    expect(bare.image).toBeUndefined();
    expect(bare.authors).toBeUndefined();
    expect(bare.tags).toBeUndefined();
    expect(bare._caravan).toEqual({
      source: { id: "eurasianet", name: "Eurasianet & Friends", homepage: "https://eurasianet.org/" },
      countries: [],
      regions: [],
      topics: [],
    });
    const noAuthor = itemFor(feed, ID_NO_AUTHOR);
    expect(noAuthor.authors).toBeUndefined();
    expect(noAuthor._caravan?.image_caption).toBeUndefined();
    expect(noAuthor.tags).toEqual(["Kazakhstan", "Central Asia", "Kazakhstan's Bloody January 2022"]);
  });

  it("lists a tag only once even when a source tag repeats a taxonomy name", () => {
    expect(itemFor(feed, ID_SUMMARY_ONLY).tags).toEqual(["Russia", "Eastern Europe"]);
  });

  it("carries HTML and hostile text unchanged, because JSON can", () => {
    for (const source of items) {
      const item = itemFor(feed, source.id);
      expect(printable(item.title)).toBe(printable(source.title));
      expect(item.url).toBe(source.url);
      expect(item.content_html ?? null).toBe(source.contentHtml);
      expect(item.language).toBe(source.language);
    }
  });

  it("names an unknown source by its slug, without a home page", () => {
    const [first] = sampleItems();
    if (!first) throw new Error("no sample item");
    const out = expectValidJsonFeed(renderJsonFeed(sampleDocument({ items: [{ ...first, sourceId: "constructor" }] })));
    expect(out.items[0]?._caravan?.source).toEqual({ id: "constructor", name: "constructor" });
  });
});

describe("one identity across formats", () => {
  it("gives each item the same id in RSS <guid>, Atom <id> and JSON Feed id", () => {
    const doc = sampleDocument();
    const rssIds = parseFeed(renderRss(doc)).items.map((i) => i.id);
    const atomIds = parseFeed(renderAtom(doc)).items.map((i) => i.id);
    const jsonIds = (JSON.parse(renderJsonFeed(doc)) as JsonFeed).items.map((i) => i.id);
    expect(rssIds).toEqual(jsonIds);
    expect(atomIds).toEqual(jsonIds);
    expect(jsonIds).toEqual(doc.items.map((i) => `urn:caravan:item:${i.id}`));
  });
});

// Render time is a benchmark figure (`npm run bench`), not a test: a timed test on a shared machine
// either flakes or bounds nothing. This checks the large bench document renders correctly.
describe("renderJsonFeed: the bench document", () => {
  it("renders 50 items of ~5 KB HTML as a valid feed with every item's content", () => {
    const doc = largeDocument(50, 5000);
    const out = renderJsonFeed(doc);
    expectValidJsonFeed(out);
    const feed = JSON.parse(out) as { items: { id: string; content_html: string }[] };
    expect(feed.items).toHaveLength(50);
    expect(feed.items.map((i) => i.content_html)).toEqual(doc.items.map((i) => i.contentHtml));
  });
});
