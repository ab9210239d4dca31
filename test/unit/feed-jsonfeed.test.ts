import { describe, expect, it } from "vitest";
import { parseFeedDocument } from "../../src/ingest/feed";

const FEED_URL = "https://example.org/feed.json";

const v11 = {
  version: "https://jsonfeed.org/version/1.1",
  title: "Bazaar &amp; Border",
  home_page_url: "https://example.org/",
  feed_url: FEED_URL,
  language: "en-US",
  authors: [{ name: "Feed Desk" }],
  items: [
    {
      id: "2026-09-22-1",
      url: "https://example.org/posts/1",
      title: "Two <em>authors</em>",
      summary: "Plain summary with <angle> brackets & an ampersand",
      content_html: "<p>HTML body</p>",
      date_published: "2026-09-22T10:00:00+06:00",
      date_modified: "2026-09-22T12:00:00+06:00",
      authors: [
        { name: "Timur S." },
        { name: "Lola K.", url: "https://example.org/lola" },
        { url: "https://example.org/nameless" },
      ],
      tags: ["Kyrgyzstan", "Economy", "Kyrgyzstan"],
      image: "/images/1.jpg",
      language: "ru",
    },
    {
      id: 42,
      url: "posts/2",
      title: "Text only, feed authors",
      content_text: "First paragraph.\n\nSecond <paragraph> & more.",
      date_published: "2026-09-21T10:00:00Z",
      attachments: [
        { url: "https://example.org/a.mp3", mime_type: "audio/mpeg" },
        { url: "https://example.org/a.jpg", mime_type: "image/jpg" },
      ],
    },
    { id: "no-url", title: "No URL", content_text: "x" },
    { id: "no-title", url: "https://example.org/posts/untitled", content_html: "<p>microblog post</p>" },
    { id: "external", external_url: "https://elsewhere.example.net/story", title: "Link post" },
  ],
};

const v10 = {
  version: "https://jsonfeed.org/version/1",
  title: "Old style",
  home_page_url: "https://example.org/",
  author: { name: "Old Feed Author" },
  items: [
    {
      id: "a",
      url: "https://example.org/a",
      title: "Single author",
      author: { name: "Ana V." },
      date_published: "2018-04-18T10:27:00-04:00",
      content_html: "<p>a</p>",
    },
    {
      id: "b",
      url: "https://example.org/b",
      title: "Feed author",
      content_html: "<p>b</p>",
      banner_image: "https://example.org/banner.png",
    },
  ],
};

describe("JSON Feed 1.1", () => {
  const feed = parseFeedDocument(JSON.stringify(v11, null, 2), FEED_URL);

  it("reads the feed", () => {
    expect(feed).toMatchObject({
      format: "jsonfeed",
      title: "Bazaar & Border",
      homePageUrl: "https://example.org/",
      language: "en-US",
      skipped: 2,
    });
    expect(feed.entries.map((e) => e.title)).toEqual(["Two authors", "Text only, feed authors", "Link post"]);
  });

  it("reads an item with authors, tags, image and language", () => {
    expect(feed.entries[0]).toEqual({
      url: "https://example.org/posts/1",
      guid: "2026-09-22-1",
      title: "Two authors",
      summaryHtml: "Plain summary with &lt;angle&gt; brackets &amp; an ampersand",
      contentHtml: "<p>HTML body</p>",
      authors: ["Timur S.", "Lola K."],
      publishedText: "2026-09-22T10:00:00+06:00",
      updatedText: "2026-09-22T12:00:00+06:00",
      categories: ["Kyrgyzstan", "Economy"],
      image: { url: "https://example.org/images/1.jpg", caption: null },
      language: "ru",
      baseUrl: "https://example.org/posts/1",
    });
  });

  it("turns content_text into HTML, keeps numeric ids as strings, falls back to the feed's authors", () => {
    const e = feed.entries[1]!;
    expect(e.url).toBe("https://example.org/posts/2");
    expect(e.guid).toBe("42");
    expect(e.contentHtml).toBe("<p>First paragraph.</p>\n<p>Second &lt;paragraph&gt; &amp; more.</p>");
    expect(e.authors).toEqual(["Feed Desk"]);
    expect(e.image).toEqual({ url: "https://example.org/a.jpg", caption: null });
  });

  it("uses external_url when there is no url", () => {
    expect(feed.entries[2]!.url).toBe("https://elsewhere.example.net/story");
  });
});

describe("JSON Feed 1.0", () => {
  const feed = parseFeedDocument(JSON.stringify(v10), FEED_URL);

  it("reads the single author object, and the feed's author as the fallback", () => {
    expect(feed.entries.map((e) => e.authors)).toEqual([["Ana V."], ["Old Feed Author"]]);
    expect(feed.entries[1]!.image).toEqual({ url: "https://example.org/banner.png", caption: null });
  });

  it("reads a 1.1 feed that still writes the 1.0 author (1.1 readers must)", () => {
    const mixed = {
      ...v10,
      version: "https://jsonfeed.org/version/1.1",
      items: [{ ...v10.items[0], authors: undefined }],
    };
    expect(parseFeedDocument(JSON.stringify(mixed), FEED_URL).entries[0]!.authors).toEqual(["Ana V."]);
  });

  it("prefers 1.1 authors over 1.0 author when an item has both", () => {
    const both = { ...v10, items: [{ ...v10.items[0], authors: [{ name: "New A." }, { name: "New B." }] }] };
    expect(parseFeedDocument(JSON.stringify(both), FEED_URL).entries[0]!.authors).toEqual(["New A.", "New B."]);
  });
});
