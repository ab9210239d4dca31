import { describe, expect, it } from "vitest";
import { parseFeedDocument, type RawEntry } from "../../src/ingest/feed";

const FEED_URL = "https://blog.example.org/atom.xml";

const doc = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="en" xml:base="https://blog.example.org/en/">
  <title type="html">Steppe &lt;i&gt;Notes&lt;/i&gt;</title>
  <id>tag:blog.example.org,2026:feed</id>
  <updated>2026-09-22T10:00:00Z</updated>
  <link rel="self" href="/atom.xml"/>
  <link rel="alternate" type="text/html" href="./"/>
  <author><name>Desk Editor</name></author>
  <entry>
    <title type="text">Almaty &amp; the &lt;new&gt; metro line</title>
    <id>tag:blog.example.org,2026:1</id>
    <link rel="alternate" type="text/html" href="posts/metro"/>
    <link rel="enclosure" type="image/jpg" length="0" href="/img/metro.jpg"/>
    <published>2026-09-21T08:30:00+05:00</published>
    <updated>2026-09-22T09:00:00+05:00</updated>
    <author><name>Aigerim S.</name><email>a@example.org</email></author>
    <author><name>Daniyar K.</name></author>
    <category term="kazakhstan" label="Kazakhstan"/>
    <category term="Transport"/>
    <summary>Plain &lt;text&gt; summary</summary>
    <content type="html">&lt;p&gt;Escaped &lt;a href="gallery"&gt;HTML&lt;/a&gt;&lt;/p&gt;</content>
  </entry>
  <entry xml:base="https://cdn.example.net/archive/" xml:lang="ru">
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <b>XHTML</b> title</div></title>
    <id>https://blog.example.org/en/posts/xhtml</id>
    <link href="2026/xhtml-story"/>
    <updated>2026-09-20T12:00:00Z</updated>
    <content type="xhtml" xml:base="https://media.example.net/c/"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para with <a href="rel/link">a link</a> &amp; an <img src="pic.png" alt="x"/></p></div></content>
    <media:thumbnail url="thumbs/t1.jpg"/>
  </entry>
  <entry>
    <title>No alternate link, id is a URL</title>
    <id>https://blog.example.org/en/posts/by-id</id>
    <updated>2026-09-19T12:00:00Z</updated>
    <source><author><name>Syndicated Writer</name></author></source>
    <content type="text">Line one.

Line two &amp; three.</content>
  </entry>
  <entry>
    <title>Tag id and no link</title>
    <id>tag:blog.example.org,2026:no-link</id>
    <updated>2026-09-18T12:00:00Z</updated>
  </entry>
  <entry>
    <title type="html"></title>
    <id>tag:blog.example.org,2026:no-title</id>
    <link href="posts/untitled"/>
    <updated>2026-09-17T12:00:00Z</updated>
  </entry>
  <entry>
    <title>Out-of-line content</title>
    <id>tag:blog.example.org,2026:src</id>
    <link href="posts/pdf"/>
    <updated>2026-09-16T12:00:00Z</updated>
    <content type="application/pdf" src="/files/report.pdf"/>
  </entry>
</feed>`;

describe("Atom 1.0", () => {
  const feed = parseFeedDocument(doc, FEED_URL);
  const byTitle = (title: string): RawEntry => {
    const e = feed.entries.find((x) => x.title === title);
    if (!e) throw new Error(`no entry "${title}" in ${JSON.stringify(feed.entries.map((x) => x.title))}`);
    return e;
  };

  it("reads the feed: html title as text, alternate link resolved against xml:base, xml:lang", () => {
    expect(feed).toMatchObject({
      format: "atom",
      title: "Steppe Notes",
      homePageUrl: "https://blog.example.org/en/",
      language: "en",
    });
    expect(feed.skipped).toBe(2);
    expect(feed.entries).toHaveLength(4);
  });

  it("keeps a text title's angle brackets as text", () => {
    const e = byTitle("Almaty & the <new> metro line");
    expect(e.url).toBe("https://blog.example.org/en/posts/metro");
    expect(e.guid).toBe("tag:blog.example.org,2026:1");
  });

  it("reads text, html and xhtml constructs as HTML", () => {
    const e = byTitle("Almaty & the <new> metro line");
    expect(e.summaryHtml).toBe("<p>Plain &lt;text&gt; summary</p>");
    expect(e.contentHtml).toBe('<p>Escaped <a href="gallery">HTML</a></p>');
    const x = byTitle("An XHTML title");
    expect(x.contentHtml).toBe('<p>Para with <a href="rel/link">a link</a> &amp; an <img src="pic.png" alt="x"></p>');
    expect(byTitle("No alternate link, id is a URL").contentHtml).toBe(
      "<p>Line one.</p>\n<p>Line two &amp; three.</p>",
    );
    expect(byTitle("Out-of-line content").contentHtml).toBeNull();
  });

  it("resolves links with the xml:base in effect where they are written", () => {
    const x = byTitle("An XHTML title");
    expect(x.url).toBe("https://cdn.example.net/archive/2026/xhtml-story");
    // Relative references inside the content resolve against the content's own xml:base.
    expect(x.baseUrl).toBe("https://media.example.net/c/");
    expect(x.image).toEqual({ url: "https://cdn.example.net/archive/thumbs/t1.jpg", caption: null });
    // The feed-level xml:base applies to entries that set none.
    expect(byTitle("Almaty & the <new> metro line").baseUrl).toBe("https://blog.example.org/en/");
  });

  it("uses an http(s) id as the link when there is no alternate link; a tag: id is not a link", () => {
    expect(byTitle("No alternate link, id is a URL").url).toBe("https://blog.example.org/en/posts/by-id");
    expect(feed.entries.some((e) => e.guid === "tag:blog.example.org,2026:no-link")).toBe(false);
  });

  it("takes published, else updated, as the publication date", () => {
    const e = byTitle("Almaty & the <new> metro line");
    expect(e.publishedText).toBe("2026-09-21T08:30:00+05:00");
    expect(e.updatedText).toBe("2026-09-22T09:00:00+05:00");
    expect(byTitle("An XHTML title").publishedText).toBe("2026-09-20T12:00:00Z");
  });

  it("reads authors from the entry, else its source, else the feed", () => {
    expect(byTitle("Almaty & the <new> metro line").authors).toEqual(["Aigerim S.", "Daniyar K."]);
    expect(byTitle("No alternate link, id is a URL").authors).toEqual(["Syndicated Writer"]);
    expect(byTitle("An XHTML title").authors).toEqual(["Desk Editor"]);
  });

  it("reads categories (label, else term) and the enclosure link with a wrong image type", () => {
    const e = byTitle("Almaty & the <new> metro line");
    expect(e.categories).toEqual(["Kazakhstan", "Transport"]);
    expect(e.image).toEqual({ url: "https://blog.example.org/img/metro.jpg", caption: null });
  });

  it("inherits xml:lang", () => {
    expect(byTitle("Almaty & the <new> metro line").language).toBe("en");
    expect(byTitle("An XHTML title").language).toBe("ru");
  });

  it("reads Atom elements under a prefix too", () => {
    const prefixed = `<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title><a:entry><a:title>One</a:title><a:id>urn:x:1</a:id><a:link href="https://example.org/one"/><a:updated>2026-01-01T00:00:00Z</a:updated></a:entry></a:feed>`;
    const parsed = parseFeedDocument(prefixed, FEED_URL);
    expect(parsed.entries.map((e) => [e.title, e.url])).toEqual([["One", "https://example.org/one"]]);
  });
});
