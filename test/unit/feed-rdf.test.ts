import { describe, expect, it } from "vitest";
import { parseFeedDocument } from "../../src/ingest/feed";

const FEED_URL = "https://archive.example.org/index.rdf";

const doc = `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel rdf:about="https://archive.example.org/">
    <title>Archive &amp; Notes</title>
    <link>https://archive.example.org/</link>
    <description>An RSS 1.0 feed</description>
    <dc:language>en</dc:language>
    <items><rdf:Seq><rdf:li rdf:resource="https://archive.example.org/a"/><rdf:li rdf:resource="https://archive.example.org/b"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://archive.example.org/a">
    <title>Dushanbe&#8217;s teahouse</title>
    <link>https://archive.example.org/a</link>
    <description>Short &lt;em&gt;dek&lt;/em&gt;</description>
    <content:encoded><![CDATA[<p>Body A</p>]]></content:encoded>
    <dc:creator>Farrukh N.</dc:creator>
    <dc:date>2026-09-19T14:00:00+05:00</dc:date>
    <dc:subject>Tajikistan</dc:subject>
    <dc:subject>Arts and Culture</dc:subject>
  </item>
  <item rdf:about="https://archive.example.org/b">
    <title>Linked only by rdf:about</title>
    <dc:date>2026-09-18</dc:date>
  </item>
  <item>
    <title>No link at all</title>
  </item>
</rdf:RDF>`;

describe("RSS 1.0 (RDF)", () => {
  const feed = parseFeedDocument(doc, FEED_URL);

  it("reads the channel", () => {
    expect(feed).toMatchObject({
      format: "rss1",
      title: "Archive & Notes",
      homePageUrl: "https://archive.example.org/",
      language: "en",
      skipped: 1,
    });
  });

  it("reads items beside the channel, with Dublin Core metadata", () => {
    expect(feed.entries).toHaveLength(2);
    const [a, b] = feed.entries;
    expect(a).toMatchObject({
      url: "https://archive.example.org/a",
      guid: "https://archive.example.org/a",
      title: "Dushanbe’s teahouse",
      summaryHtml: "Short <em>dek</em>",
      contentHtml: "<p>Body A</p>",
      authors: ["Farrukh N."],
      publishedText: "2026-09-19T14:00:00+05:00",
      categories: ["Tajikistan", "Arts and Culture"],
    });
    expect(b).toMatchObject({
      url: "https://archive.example.org/b",
      guid: "https://archive.example.org/b",
      publishedText: "2026-09-18",
      summaryHtml: null,
    });
  });
});
