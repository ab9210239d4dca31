/**
 * FeedDocuments for the renderer tests. Items go through the real Item model, so they are items
 * the pipeline could actually produce, and their text is deliberately hostile to XML writers:
 * markup characters, "]]>", both quote kinds, non-ASCII, emoji and characters XML 1.0 forbids.
 */
import { Item } from "../../src/model/item";
import type { FeedDocument } from "../../src/render/document";

/** C0 controls XML 1.0 forbids, a lone high and low surrogate, and the two non-characters. */
// The low surrogate comes first so the two can never pair up into one valid character.
export const XML_ILLEGAL = "\u0000\u0001\u0008\u000B\u000C\u001B\u001F\uDC00\uD800\uFFFE\uFFFF";

/**
 * Text that survives any correct XML round trip unchanged (no entity-like "&x;" sequences, which
 * @rowanmanning/feed-parser decodes a second time as HTML), with every XML-special character.
 */
export const HOSTILE_TEXT =
  `Fish & Chips <b>not a tag</b> "double" 'single' ]]> a>b<c ` + "Ωmega Тбилиси Bakı 🇦🇿😀 tab\tend";

/** The title as stored, illegal characters mixed in; `HOSTILE_TEXT` is what a reader must get back. */
export const HOSTILE_TITLE = `${XML_ILLEGAL.slice(0, 3)}${HOSTILE_TEXT}${XML_ILLEGAL.slice(3)}`;

/** HTML content with no character references, so every parser must hand it back byte for byte. */
export const PLAIN_CONTENT_HTML =
  '<p class="lead">Fish & chips? No: <a href="https://example.com/?a=1&b=2">link</a></p>' +
  "<p>CDATA end ]]> inside,\u0002 emoji 🇦🇿, Cyrillic Тбилиси, quotes \"'</p>";

/**
 * HTML that uses character references as real HTML does. An XML parser must hand these references
 * back unchanged, not decode them: they are part of the HTML, not of the XML around it.
 */
export const ENTITY_CONTENT_HTML = "<p>R&amp;D &lt;script&gt; is text here; &quot;quoted&quot; &nbsp;&#8212; done</p>";

/** Characters XML 1.0 allows, as a reference implementation independent of the renderers' regex. */
export function withoutXmlIllegal(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const legal =
      cp === 0x9 ||
      cp === 0xa ||
      cp === 0xd ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      (cp >= 0x10000 && cp <= 0x10ffff);
    if (legal) out += ch;
  }
  return out;
}

/**
 * A string as JSON, for comparisons whose values may hold lone surrogates: vitest sends a failure
 * message to the host as UTF-8 over a WebSocket, and a lone surrogate there crashes the whole run
 * instead of reporting the failed assertion.
 */
export function printable(text: string | null | undefined): string {
  return JSON.stringify(text) ?? "undefined";
}

/** True when some character of the string is outside the XML 1.0 Char production. */
export function hasXmlIllegal(text: string): boolean {
  return withoutXmlIllegal(text) !== text;
}

export const ID_FULL = "0123456789abcdef0123456789abcdef";
export const ID_NO_AUTHOR = "fedcba9876543210fedcba9876543210";
export const ID_SUMMARY_ONLY = "00112233445566778899aabbccddeeff";
export const ID_BARE = "ffeeddccbbaa99887766554433221100";

/** Four items covering every optional field being present and absent. */
export function sampleItems(): Item[] {
  return [
    Item.parse({
      id: ID_FULL,
      url: "https://eurasianet.org/azerbaijan-military-drills?utm=x&y=%22",
      title: HOSTILE_TITLE,
      summary: `Summary:\u0007 ${HOSTILE_TEXT}\uFFFF`,
      contentHtml: PLAIN_CONTENT_HTML,
      authors: ["Joshua Kucera", "Ağa O'Brien & Co\u0003"],
      publishedAt: "2018-04-18T14:27:00Z",
      updatedAt: "2018-04-19T08:05:30.250Z",
      firstSeenAt: "2018-04-18T15:00:00Z",
      image: {
        url: "https://eurasianet.org/sites/default/files/x.jpg?itok=AbC&w=1",
        caption: "Drills near Baku. (photo: mod.gov.az) <i>&</i>",
      },
      language: "en",
      sourceId: "eurasianet",
      countries: ["azerbaijan", "georgia"],
      regions: ["caucasus"],
      topics: ["security"],
      tags: ["Military", "NATO & partners"],
    }),
    Item.parse({
      id: ID_NO_AUTHOR,
      url: "https://eurasianet.org/kazakhstan-long-read",
      title: "Kazakhstan: a long read",
      summary: null,
      contentHtml: `<p>${"Steppe ".repeat(60)}</p><!-- note > here --><p>${"words ".repeat(400)}</p>${ENTITY_CONTENT_HTML}`,
      authors: [],
      publishedAt: "2024-01-05T23:59:59Z",
      updatedAt: "2024-01-05T23:59:59Z",
      firstSeenAt: "2024-01-06T00:10:00Z",
      image: { url: "https://eurasianet.org/img/kz.png", caption: null },
      language: "en",
      sourceId: "eurasianet",
      countries: ["kazakhstan"],
      regions: ["central-asia"],
      topics: ["kazakhstans-bloody-january-2022"],
      tags: [],
    }),
    Item.parse({
      id: ID_SUMMARY_ONLY,
      url: "https://meduza.io/news/2024/02/01/novost",
      title: "Новость дня — «кавычки»",
      summary: "Краткое содержание & <тег>",
      contentHtml: null,
      authors: ["Автор Один"],
      publishedAt: "2024-02-01T06:00:00Z",
      updatedAt: "2024-02-01T07:30:00Z",
      firstSeenAt: "2024-02-01T06:05:00Z",
      image: null,
      language: "ru",
      sourceId: "meduza",
      countries: ["russia"],
      regions: ["eastern-europe"],
      topics: [],
      tags: ["Russia"],
    }),
    Item.parse({
      id: ID_BARE,
      url: "https://eurasianet.org/bare",
      title: "Bare item",
      summary: null,
      contentHtml: null,
      authors: [],
      publishedAt: "2024-03-01T00:00:00Z",
      updatedAt: "2024-03-01T00:00:00Z",
      firstSeenAt: "2024-03-01T00:00:00Z",
      image: null,
      language: "en",
      sourceId: "eurasianet",
      countries: [],
      regions: [],
      topics: [],
      tags: [],
    }),
  ];
}

export const SOURCES: FeedDocument["sources"] = {
  eurasianet: {
    name: "Eurasianet & Friends",
    homepage: "https://eurasianet.org/",
    feedId: "https://caravan.example/feeds/source/eurasianet",
  },
  meduza: { name: "Meduza", homepage: "https://meduza.io/en", feedId: "https://caravan.example/feeds/source/meduza" },
};

const BASE = "https://caravan.example/feeds/caucasus";

/** A full first page: every optional document field set, sample items newest-change first. */
export function sampleDocument(overrides: Partial<FeedDocument> = {}): FeedDocument {
  return {
    title: `Caravan: Caucasus & "Central" <Asia>`,
    description: "Regional news ]]> from Eurasianet & Meduza",
    selfUrl: `${BASE}.rss?topic=security&lang=en`,
    alternates: [
      { href: `${BASE}.rss?topic=security&lang=en`, mediaType: "application/rss+xml", label: "RSS" },
      { href: `${BASE}.atom?topic=security&lang=en`, mediaType: "application/atom+xml", label: "Atom" },
      { href: `${BASE}.json?topic=security&lang=en`, mediaType: "application/feed+json", label: "JSON Feed" },
    ],
    homePageUrl: "https://caravan.example/caucasus?topic=security&lang=en",
    id: `${BASE}.atom?topic=security&lang=en`,
    language: "en",
    updated: "2024-03-01T00:00:00Z",
    ttlMinutes: 15,
    nextUrl: `${BASE}.rss?topic=security&lang=en&before=abc%3D`,
    hubUrl: "https://hub.example/?x=1&y=2",
    stylesheetUrl: "/feed.xsl?v=1&t=2",
    items: sampleItems(),
    sources: SOURCES,
    ...overrides,
  };
}

/** When an empty feed's catalog entry last changed: the date it carries, having no items. */
export const EMPTY_FEED_DATE = "2026-11-28T00:00:00Z";

/** A feed with nothing in it: no items, dated by its catalog entry, no optional links. */
export function emptyDocument(): FeedDocument {
  return sampleDocument({
    items: [],
    updated: EMPTY_FEED_DATE,
    nextUrl: null,
    hubUrl: null,
    stylesheetUrl: null,
    language: null,
  });
}

/** `count` realistic items with about `contentBytes` of HTML each, for timing the renderers. */
export function largeDocument(count = 50, contentBytes = 5000): FeedDocument {
  const paragraph =
    '<p>Officials in <a href="https://eurasianet.org/azerbaijan">Baku</a> said the drills, held ' +
    "with &quot;partners&quot; near the border, were routine &amp; defensive. " +
    "Критики возразили — «это сигнал». Bakı’da gərginlik artır.</p>\n";
  const contentHtml = paragraph.repeat(Math.ceil(contentBytes / paragraph.length));
  const items = Array.from({ length: count }, (_, i) =>
    Item.parse({
      id: i.toString(16).padStart(32, "0"),
      url: `https://eurasianet.org/story-${i}`,
      title: `Story ${i}: drills & diplomacy in the "Caucasus"`,
      summary: "Azerbaijan held drills; Armenia & Russia watched. A sentence or two of summary.",
      contentHtml,
      authors: ["Joshua Kucera"],
      publishedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
      updatedAt: new Date(Date.UTC(2024, 0, 1, 1, i)).toISOString(),
      firstSeenAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
      image: { url: `https://eurasianet.org/img/${i}.jpg`, caption: "A caption" },
      language: "en",
      sourceId: "eurasianet",
      countries: ["azerbaijan", "armenia"],
      regions: ["caucasus"],
      topics: ["security"],
      tags: ["Military"],
    }),
  );
  // Through JSON and back, like rows read from D1: plain flat strings, not the ropes that template
  // literals build here (V8 serialises those more slowly, which would time the test data).
  const doc = sampleDocument({ items, updated: items.at(-1)?.updatedAt ?? EMPTY_FEED_DATE });
  return JSON.parse(JSON.stringify(doc)) as FeedDocument;
}
