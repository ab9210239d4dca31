import { describe, expect, it } from "vitest";
import { extractArticle } from "../../src/ingest/html/article";
import { htmlToText, sanitizeHtml } from "../../src/ingest/sanitize";
import { ArticleSelectors } from "../../src/model/source";
import { REAL_DATA_MISSING, realFile, realTitle } from "../helpers/real-data";

const voaHtml = realFile("articles/us_VoiceOfAmerica_2024_04_28.html");
const voaJson = realFile("articles/us_VoiceOfAmerica.json") || "{}";
const lrtHtml = realFile("articles/lt_LRT_2024_03_31.html");
const lrtJson = realFile("articles/lt_LRT.json") || "{}";

/** The reference extraction's fields this test compares against. */
interface Reference {
  title: string;
  authors: string[];
  publishing_date: string;
  body: { summary: string[]; sections: { paragraphs: string[] }[] };
}

const normalize = (s: string) => s.replace(/\s+/g, " ").trim();

const pages = [
  {
    name: "VOA",
    html: voaHtml,
    reference: (JSON.parse(voaJson) as { V1: Reference }).V1,
    url: "https://www.voanews.com/a/america-s-child-care-crisis-is-holding-back-moms-without-college-degrees-/7585813.html",
  },
  {
    name: "LRT",
    html: lrtHtml,
    reference: (JSON.parse(lrtJson) as { V1: Reference }).V1,
    url: "https://www.lrt.lt/naujienos/nuomones/3/2235273/povilas-aleksandravicius-kodel-judas-isdave-jezu",
  },
];

describe.skipIf(REAL_DATA_MISSING)(realTitle("extractArticle on real pages with no configured selectors"), () => {
  for (const { name, html, reference, url } of pages) {
    describe(name, async () => {
      it("agrees with the reference on title, authors and date", async () => {
        const article = await extractArticle(html, url, ArticleSelectors.parse({}));
        expect(article.title).toBe(normalize(reference.title));
        expect(new Set(article.authors)).toEqual(new Set(reference.authors));
        expect(article.publishedText).not.toBeNull();
        // The reference writes "2024-04-28 07:00:00+00:00": compare instants, not spellings.
        expect(new Date(article.publishedText!).toISOString()).toBe(
          new Date(reference.publishing_date.replace(" ", "T")).toISOString(),
        );
      });

      it("has every reference paragraph in the sanitized body text", async () => {
        const article = await extractArticle(html, url, ArticleSelectors.parse({}));
        expect(article.bodyHtml).not.toBeNull();
        const text = await htmlToText(await sanitizeHtml(article.bodyHtml!, url));
        const paragraphs = [...reference.body.summary, ...reference.body.sections.flatMap((s) => s.paragraphs)].map(
          normalize,
        );
        expect(paragraphs.length).toBeGreaterThan(5);
        const missing = paragraphs.filter((p) => !text.includes(p));
        expect(missing).toEqual([]);
        // Nor the page's list of other stories (LRT: "Taip pat skaitykite", "also read").
        expect(text).not.toContain("Taip pat skaitykite");
      });
    });
  }
});
