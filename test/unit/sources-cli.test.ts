import { describe, expect, it } from "vitest";
import { buildRequest, formatAnswer, UsageError } from "../../scripts/sources-lib.mjs";

const files: Record<string, string> = {
  "news.json": JSON.stringify({ id: "example-news", kind: "feed", name: "Example News" }),
  "subs.opml": "<opml version='2.0'><body/></opml>",
  "broken.json": "{ nope",
  "nameless.json": JSON.stringify({ kind: "feed" }),
};
const read = (f: string) => {
  const text = files[f];
  if (text === undefined) throw new UsageError(`no file ${f}`);
  return text;
};

describe("npm run sources: requests", () => {
  it("maps each command onto its admin route", () => {
    expect(buildRequest(["discover", "https://civil.ge"], read)).toEqual({
      method: "POST",
      path: "/admin/sources/discover",
      body: '{"url":"https://civil.ge"}',
    });
    expect(buildRequest(["add", "news.json"], read)).toEqual({
      method: "PUT",
      path: "/admin/sources/example-news",
      body: files["news.json"],
    });
    expect(buildRequest(["preview", "news.json"], read)).toMatchObject({
      method: "POST",
      path: "/admin/sources/preview",
    });
    expect(buildRequest(["import", "subs.opml"], read)).toEqual({
      method: "POST",
      path: "/admin/sources/import",
      body: files["subs.opml"],
      contentType: "text/x-opml",
    });
    expect(buildRequest(["export"], read)).toEqual({ method: "GET", path: "/admin/sources/export" });
    expect(buildRequest(["remove", "example-news", "--purge"], read)).toEqual({
      method: "DELETE",
      path: "/admin/sources/example-news?purge=1",
    });
    expect(buildRequest(["remove", "example-news"], read).path).toBe("/admin/sources/example-news");
  });

  it("says what is missing before sending anything", () => {
    expect(() => buildRequest(["discover"], read)).toThrow("discover needs a URL");
    expect(() => buildRequest(["add", "broken.json"], read)).toThrow("not JSON");
    expect(() => buildRequest(["add", "nameless.json"], read)).toThrow('needs an "id"');
    expect(() => buildRequest(["fly"], read)).toThrow('unknown command "fly"');
  });
});

describe("npm run sources: output", () => {
  it("prints discovery candidates with samples and a definition to start from", () => {
    const lines = formatAnswer("discover", 200, {
      url: "https://civil.ge",
      candidates: [
        {
          url: "https://civil.ge/feed/",
          format: "rss2",
          title: "Civil.ge",
          itemCount: 10,
          language: "en-US",
          foundBy: "link",
          samples: [{ title: "Parliament passes a law", url: "https://civil.ge/archives/1", published: "Wed, 23 Sep" }],
          definition: { id: "civil-ge", kind: "feed" },
        },
      ],
      rejected: [],
    });
    expect(lines.slice(0, 3)).toEqual([
      "1. Civil.ge  https://civil.ge/feed/",
      "   rss2, 10 items, language en-US, found by link",
      "   - Parliament passes a law  (Wed, 23 Sep)",
    ]);
    expect(JSON.parse(lines.slice(lines.findIndex((l) => l.startsWith("{"))).join("\n"))).toEqual({
      id: "civil-ge",
      kind: "feed",
    });
  });

  it("prints every problem of a refused definition with what is valid", () => {
    const lines = formatAnswer("add", 400, {
      error: {
        code: "invalid_definition",
        message: "defaultCountries.0: not a country; nothing was stored",
        details: {
          problems: [
            { field: "defaultCountries.0", problem: '"narnia" is not a country of the taxonomy', valid: ["armenia"] },
            { field: "timeZone", problem: '"Mars" is not an IANA time zone' },
          ],
        },
      },
    });
    expect(lines).toEqual([
      "error 400: defaultCountries.0: not a country; nothing was stored",
      '  defaultCountries.0: "narnia" is not a country of the taxonomy  (valid: armenia)',
      '  timeZone: "Mars" is not an IANA time zone',
    ]);
  });

  it("prints what an import added and skipped", () => {
    expect(
      formatAnswer("import", 200, {
        added: [
          {
            id: "oc-media",
            feedUrl: "https://oc-media.org/feed/",
            terms: { countries: [], regions: ["caucasus"], topics: [] },
          },
        ],
        skipped: [{ feedUrl: "https://x.example/rss", title: "X", reason: "duplicate id: source x already exists" }],
      }),
    ).toEqual([
      "added 1, skipped 1",
      "  + oc-media  https://oc-media.org/feed/  [caucasus]",
      "  - X: duplicate id: source x already exists",
    ]);
  });

  it("prints a preview's items with dates, terms and images, then each warning with its story", () => {
    expect(
      formatAnswer("preview", 200, {
        listing: "https://ex.org/feed/",
        items: [
          {
            publishedAt: "2026-11-26T08:30:00.000Z",
            title: "Tram line returns",
            url: "https://ex.org/tram",
            countries: ["armenia"],
            regions: ["caucasus"],
            topics: [],
            image: { url: "https://ex.org/t.jpg", caption: null },
          },
        ],
        warnings: [{ code: "no_date", url: "https://ex.org/tram", message: "no publication date could be read" }],
      }),
    ).toEqual([
      "1 items from https://ex.org/feed/",
      "  2026-11-26T08:30:00.000Z  Tram line returns",
      "      https://ex.org/tram  [armenia, caucasus]  (image)",
      "1 warnings:",
      "  no_date  https://ex.org/tram",
      "      no publication date could be read",
    ]);
  });
});
