import { describe, expect, it } from "vitest";
import { parseFeedDocument, type RawEntry } from "../../src/ingest/feed";

const FEED_URL = "https://feeds.example.net/caucasus.xml";

const doc = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
<channel>
  <title>Caucasus &amp; Co</title>
  <link>https://news.example.org/</link>
  <language>en-GB</language>
  <atom:link href="${FEED_URL}" rel="self" type="application/rss+xml"/>
  <item>
    <title><![CDATA[Tbilisi &amp; Baku: <em>new</em> rail link]]></title>
    <link>https://news.example.org/2026/rail-link</link>
    <guid isPermaLink="false">https://news.example.org/?p=101</guid>
    <dc:creator><![CDATA[Nino Beridze]]></dc:creator>
    <dc:creator>Elvin Aliyev</dc:creator>
    <category><![CDATA[Georgia]]></category>
    <category>Azerbaijan</category>
    <category domain="tag">Rail &amp; Roads</category>
    <pubDate>Tue, 22 Sep 2026 09:15:00 +0400</pubDate>
    <description><![CDATA[<p>A short dek.</p>]]></description>
    <content:encoded><![CDATA[<p>Full <a href="/2026/other">text</a>.</p><script>alert(1)</script>]]></content:encoded>
    <media:content url="https://img.example.org/rail-wide.jpg" medium="image" width="1200"><media:description>The new line near Gardabani (photo: press office)</media:description></media:content>
    <media:content url="https://img.example.org/rail-small.jpg" medium="image" width="300"/>
  </item>
  <item>
    <title>&lt;b&gt;Breaking&lt;/b&gt;: A &amp;amp; B</title>
    <link>/2026/relative-story</link>
    <author>jane@example.org (Jane Doe)</author>
    <pubDate>Mon, 21 Sep 2026 18:00:00 GMT</pubDate>
    <description>&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;</description>
    <enclosure url="https://img.example.org/a.jpg" length="0" type="image/jpg"/>
    <dc:language>ka</dc:language>
  </item>
  <item>
    <title>Only a permalink guid</title>
    <guid>https://news.example.org/2026/guid-only</guid>
    <dc:date>2026-09-20T08:00:00+04:00</dc:date>
    <enclosure url="https://cdn.example.org/podcast.mp3" length="123456" type="audio/mpeg"/>
    <enclosure url="https://cdn.example.org/photo.JPG" length="" type=""/>
  </item>
  <item>
    <title>Feedburner wraps the link</title>
    <link>https://feedproxy.example.com/~r/abc/123</link>
    <feedburner:origLink>https://news.example.org/2026/original</feedburner:origLink>
    <media:thumbnail url="https://img.example.org/thumb.png" width="150"/>
  </item>
  <item>
    <title>No link and a guid that is not a URL</title>
    <guid>post-7781</guid>
  </item>
  <item>
    <link>https://news.example.org/2026/no-title</link>
    <description>A story without a title</description>
  </item>
  <item xml:base="https://mirror.example.com/base/">
    <title>   Relative to xml:base   </title>
    <link>stories/based</link>
  </item>
</channel>
</rss>`;

describe("RSS 2.0", () => {
  const feed = parseFeedDocument(doc, FEED_URL);
  const byTitle = (title: string): RawEntry => {
    const e = feed.entries.find((x) => x.title === title);
    if (!e) throw new Error(`no entry "${title}" in ${JSON.stringify(feed.entries.map((x) => x.title))}`);
    return e;
  };

  it("reads the channel", () => {
    expect(feed).toMatchObject({
      format: "rss2",
      title: "Caucasus & Co",
      homePageUrl: "https://news.example.org/",
      language: "en-GB",
    });
  });

  it("skips and counts entries without a usable link or a title", () => {
    expect(feed.skipped).toBe(2);
    expect(feed.entries).toHaveLength(5);
  });

  it("decodes CDATA titles as HTML and strips their tags", () => {
    const e = byTitle("Tbilisi & Baku: new rail link");
    expect(e.url).toBe("https://news.example.org/2026/rail-link");
    expect(e.guid).toBe("https://news.example.org/?p=101");
    expect(byTitle("Breaking: A & B")).toBeTruthy();
    expect(byTitle("Relative to xml:base")).toBeTruthy();
  });

  it("keeps content:encoded and description as unsanitized HTML", () => {
    const e = byTitle("Tbilisi & Baku: new rail link");
    expect(e.summaryHtml).toBe("<p>A short dek.</p>");
    expect(e.contentHtml).toBe('<p>Full <a href="/2026/other">text</a>.</p><script>alert(1)</script>');
    expect(e.baseUrl).toBe("https://news.example.org/2026/rail-link");
    // Escaped markup in a plain (non-CDATA) description is decoded once, to HTML.
    expect(byTitle("Breaking: A & B").summaryHtml).toBe("<p>Escaped <b>HTML</b></p>");
    expect(byTitle("Breaking: A & B").contentHtml).toBeNull();
  });

  it("reads authors from dc:creator, else <author>", () => {
    expect(byTitle("Tbilisi & Baku: new rail link").authors).toEqual(["Nino Beridze", "Elvin Aliyev"]);
    expect(byTitle("Breaking: A & B").authors).toEqual(["Jane Doe"]);
    expect(byTitle("Only a permalink guid").authors).toEqual([]);
  });

  it("reads categories as plain text", () => {
    expect(byTitle("Tbilisi & Baku: new rail link").categories).toEqual(["Georgia", "Azerbaijan", "Rail & Roads"]);
  });

  it("keeps date texts: pubDate, else dc:date", () => {
    expect(byTitle("Tbilisi & Baku: new rail link").publishedText).toBe("Tue, 22 Sep 2026 09:15:00 +0400");
    expect(byTitle("Only a permalink guid").publishedText).toBe("2026-09-20T08:00:00+04:00");
    expect(byTitle("Feedburner wraps the link").publishedText).toBeNull();
  });

  it("resolves relative links against xml:base, else the channel's link", () => {
    expect(byTitle("Breaking: A & B").url).toBe("https://news.example.org/2026/relative-story");
    const based = byTitle("Relative to xml:base");
    expect(based.url).toBe("https://mirror.example.com/base/stories/based");
    expect(based.baseUrl).toBe("https://mirror.example.com/base/");
  });

  it("uses a permalink guid when there is no link, and feedburner's original link over its proxy", () => {
    const g = byTitle("Only a permalink guid");
    expect(g.url).toBe("https://news.example.org/2026/guid-only");
    expect(g.guid).toBe("https://news.example.org/2026/guid-only");
    expect(byTitle("Feedburner wraps the link").url).toBe("https://news.example.org/2026/original");
  });

  it("leaves guid null when the item has none", () => {
    expect(byTitle("Breaking: A & B").guid).toBeNull();
    expect(byTitle("Feedburner wraps the link").guid).toBeNull();
  });

  it("picks the picture: widest media:content with its caption, a thumbnail, image enclosures despite bad types", () => {
    expect(byTitle("Tbilisi & Baku: new rail link").image).toEqual({
      url: "https://img.example.org/rail-wide.jpg",
      caption: "The new line near Gardabani (photo: press office)",
    });
    // media: prefix used without an xmlns declaration still reads as Media RSS.
    expect(byTitle("Feedburner wraps the link").image).toEqual({
      url: "https://img.example.org/thumb.png",
      caption: null,
    });
    expect(byTitle("Breaking: A & B").image).toEqual({ url: "https://img.example.org/a.jpg", caption: null });
    // The audio enclosure is skipped; the typeless one is a picture by its file name.
    expect(byTitle("Only a permalink guid").image).toEqual({ url: "https://cdn.example.org/photo.JPG", caption: null });
  });

  it("reads an item's own language", () => {
    expect(byTitle("Breaking: A & B").language).toBe("ka");
    expect(byTitle("Tbilisi & Baku: new rail link").language).toBeNull();
  });
});

// How fast this parses is the bench's figure ("feed-source parse: 100-item RSS with
// content:encoded" in `npm run bench`), not a test's: a timing bound here failed on a busy machine.
describe("RSS 2.0, a large feed", () => {
  it("parses 100 items with content:encoded, every body whole", () => {
    const paragraph =
      "<p>Officials in Bishkek said on Tuesday that the new rules would take effect in spring, after a consultation with traders &amp; importers.</p>";
    const items = Array.from(
      { length: 100 },
      (_, i) => `<item><title><![CDATA[Story number ${i} &amp; more]]></title><link>https://example.org/s/${i}</link>
<guid isPermaLink="false">id-${i}</guid><dc:creator>Author ${i % 7}</dc:creator><category>Kyrgyzstan</category><category>Economy</category>
<pubDate>Tue, 22 Sep 2026 09:${String(i % 60).padStart(2, "0")}:00 +0600</pubDate><description><![CDATA[<p>Dek ${i}</p>]]></description>
<content:encoded><![CDATA[${paragraph.repeat(20)}]]></content:encoded>
<enclosure url="https://example.org/i/${i}.jpg" length="0" type="image/jpeg"/></item>`,
    ).join("\n");
    const big = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Big</title><link>https://example.org/</link>${items}</channel></rss>`;
    const feed = parseFeedDocument(big, FEED_URL);
    expect(feed.entries).toHaveLength(100);
    expect(feed.entries[99]!.contentHtml!.length).toBe(paragraph.length * 20);
  });
});
