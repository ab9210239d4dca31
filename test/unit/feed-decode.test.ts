import { describe, expect, it } from "vitest";
import { parseFeedDocument } from "../../src/ingest/feed";
import { decodeBody } from "../../src/ingest/fetch/decode";

/**
 * Cyrillic single-byte code pages inside workerd. The runtime's TextDecoder is checked against
 * known bytes first; the encoder used to build test documents is then derived from it.
 */
const PRIVET = "Привет";
const KNOWN: Record<string, number[]> = {
  "windows-1251": [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2],
  "koi8-r": [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4],
};

/** Inverse of the runtime's single-byte decoder for `label` (checked above against known bytes). */
function encoderFor(label: string): (text: string) => Uint8Array {
  const decoder = new TextDecoder(label);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(new Uint8Array([b])), b);
  return (text) =>
    Uint8Array.from([...text], (ch) => {
      const byte = table.get(ch);
      if (byte === undefined) throw new Error(`${label} cannot encode ${ch}`);
      return byte;
    });
}

// Only letters both code pages have (KOI8-R has no guillemets or dashes).
const cyrillicFeed = (encoding: string) => `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0"><channel><title>Новости Бишкека</title><link>https://example.kg/</link><language>ru</language>
<item><title>Ёлка на площади Ала-Тоо: &quot;праздник&quot; начался</title><link>https://example.kg/news/1</link>
<pubDate>23 сентября 2026 10:27</pubDate><description>Жители съезжаются - щедрая ярмарка</description></item>
</channel></rss>`;

describe("Cyrillic code pages in workerd", () => {
  for (const [label, bytes] of Object.entries(KNOWN)) {
    it(`TextDecoder("${label}") decodes known bytes`, () => {
      expect(new TextDecoder(label).decode(new Uint8Array(bytes))).toBe(PRIVET);
      expect([...encoderFor(label)(PRIVET)]).toEqual(bytes);
    });
  }

  it("accepts the usual aliases (cp1251, koi8)", () => {
    expect(new TextDecoder("cp1251").encoding).toBe("windows-1251");
    expect(new TextDecoder("koi8").encoding).toBe("koi8-r");
  });

  for (const label of ["windows-1251", "koi8-r"]) {
    describe(label, () => {
      const bytes = encoderFor(label)(cyrillicFeed(label));

      it("is decoded by the XML declaration alone (no charset in Content-Type)", () => {
        const text = decodeBody(bytes, "application/rss+xml");
        const feed = parseFeedDocument(text, "https://example.kg/rss");
        expect(feed.title).toBe("Новости Бишкека");
        expect(feed.entries[0]!.title).toBe('Ёлка на площади Ала-Тоо: "праздник" начался');
        expect(feed.entries[0]!.summaryHtml).toBe("Жители съезжаются - щедрая ярмарка");
        expect(feed.entries[0]!.publishedText).toBe("23 сентября 2026 10:27");
      });

      it("is decoded by the Content-Type charset", () => {
        const text = decodeBody(bytes, `text/xml; charset=${label}`);
        expect(parseFeedDocument(text, "https://example.kg/rss").entries[0]!.title).toBe(
          'Ёлка на площади Ала-Тоо: "праздник" начался',
        );
      });
    });
  }

  it("a UTF-8 BOM survives decoding and parsing", () => {
    const utf8 = new TextEncoder().encode(cyrillicFeed("utf-8"));
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    expect(parseFeedDocument(decodeBody(withBom, "application/xml"), "https://example.kg/rss").title).toBe(
      "Новости Бишкека",
    );
    // A BOM left in the string by a decoder that keeps it is skipped by the parser.
    const kept = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(withBom);
    expect(kept.charCodeAt(0)).toBe(0xfeff);
    expect(parseFeedDocument(kept, "https://example.kg/rss").title).toBe("Новости Бишкека");
  });
});
