import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import migration0005 from "../../migrations/0005_search_fold.sql?raw";
import { termsOf } from "../../src/ingest/terms";
import type { Item } from "../../src/model/item";
import { writeItems } from "../../src/store/items";
import { NO_FILTER, queryItems } from "../../src/store/query";
import {
  buildMatchExpression,
  foldForSearch,
  MAX_SEARCH_LENGTH,
  MAX_SEARCH_TERMS,
  type SearchProblem,
  SearchSyntaxError,
} from "../../src/store/search";
import { storyItem } from "../helpers/items";
import { REAL_DATA_MISSING, realFile, realTitle } from "../helpers/real-data";

const meduzaRss = realFile("meduza/meduza-rss.xml");

function problemOf(q: string): SearchProblem | "no error" {
  try {
    buildMatchExpression(q);
    return "no error";
  } catch (err) {
    if (err instanceof SearchSyntaxError) return err.problem;
    throw err;
  }
}

describe("buildMatchExpression: user text to FTS5", () => {
  it("ANDs words, keeps phrases and prefixes, and quotes every term", () => {
    expect(buildMatchExpression("pipeline gas")).toBe('"pipeline" AND "gas"');
    expect(buildMatchExpression('  "gas pipeline"  ')).toBe('"gas pipeline"');
    expect(buildMatchExpression("pipe*")).toBe('"pipe"*');
    expect(buildMatchExpression('"gas pipe"*')).toBe('"gas pipe"*');
    expect(buildMatchExpression("Москва газ*")).toBe('"Москва" AND "газ"*');
  });

  it("OR binds looser than the implied AND; exclusions apply to the whole search", () => {
    expect(buildMatchExpression("gas OR oil")).toBe('("gas") OR ("oil")');
    expect(buildMatchExpression("gas pipeline OR oil AND tanker")).toBe(
      '("gas" AND "pipeline") OR ("oil" AND "tanker")',
    );
    expect(buildMatchExpression('gas -russia -"black sea"')).toBe('("gas") NOT "russia" NOT "black sea"');
    // Lower-case "or" and a dash inside a word are plain text.
    expect(buildMatchExpression("war or peace")).toBe('"war" AND "or" AND "peace"');
    expect(buildMatchExpression("al-Assad")).toBe('"al-Assad"');
  });

  it("turns FTS5 syntax typed by a user into plain text", () => {
    expect(buildMatchExpression("title:x NEAR(a b) ^c {body}:d")).toBe(
      '"title:x" AND "NEAR(a" AND "b)" AND "^c" AND "{body}:d"',
    );
    expect(buildMatchExpression('say"hi"')).toBe('"say" AND "hi"');
    // Punctuation-only words index as nothing and are dropped rather than refused.
    expect(buildMatchExpression("rock & roll —")).toBe('"rock" AND "roll"');
    // A NUL would end the FTS5 string early ("unterminated string"): control characters split words.
    expect(buildMatchExpression("gas\u0000pipe\tline")).toBe('"gas" AND "pipe" AND "line"');
  });

  it("limits to columns when asked", () => {
    expect(buildMatchExpression("gas -oil", ["title", "summary"])).toBe('{title summary} : (("gas") NOT "oil")');
  });

  it("names the problem with input it cannot read", () => {
    const cases: [string, SearchProblem][] = [
      ["", "empty"],
      ["   ", "empty"],
      ["& — ...", "empty"],
      ['"gas pipeline', "unbalanced_quote"],
      ['gas "pipe" "line', "unbalanced_quote"],
      ["*", "bare_star"],
      ["gas *", "bare_star"],
      ["-*", "bare_star"],
      ["pi*pe", "misplaced_star"],
      ["*pipe", "misplaced_star"],
      ["a*", "prefix_too_short"],
      ['"gas p"*', "prefix_too_short"],
      ["OR gas", "dangling_operator"],
      ["gas OR", "dangling_operator"],
      ["gas OR OR oil", "dangling_operator"],
      ["AND gas", "dangling_operator"],
      ["gas OR &", "dangling_operator"],
      ["-gas", "only_exclusions"],
      ['-gas -"oil price"', "only_exclusions"],
      ["x".repeat(MAX_SEARCH_LENGTH + 1), "too_long"],
      [Array.from({ length: MAX_SEARCH_TERMS + 1 }, (_, i) => `w${i}`).join(" "), "too_many_terms"],
    ];
    for (const [q, problem] of cases) expect(problemOf(q), JSON.stringify(q)).toBe(problem);
    // Just inside the limits.
    expect(problemOf("x".repeat(MAX_SEARCH_LENGTH))).toBe("no error");
    expect(problemOf(Array.from({ length: MAX_SEARCH_TERMS }, (_, i) => `w${i}`).join(" "))).toBe("no error");
    expect(problemOf("ab*")).toBe("no error");
  });

  it("error messages say where and what", () => {
    expect(() => buildMatchExpression('gas "pipeline')).toThrow(/quote at character 5 is never closed/);
    expect(() => buildMatchExpression("a*")).toThrow(/at least 2 letters or digits before \*/);
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real FTS5 table (migration 0002, unicode61 remove_diacritics 2) through queryItems.

function item(n: number, over: Partial<Item>): Item {
  return storyItem(n, new Date(Date.UTC(2026, 8, 1) + n * 3600_000).toISOString(), over);
}

/** Title and description of each item of the real Meduza feed (Russian), tags stripped. */
function meduzaStories(): { title: string; summary: string }[] {
  const cdata = (block: string, tag: string) =>
    new RegExp(`<${tag}><!\\[CDATA\\[([\\s\\S]*?)\\]\\]></${tag}>`).exec(block)?.[1] ?? "";
  return [...meduzaRss.matchAll(/<item>([\s\S]*?)<\/item>/g)].map((m) => ({
    title: cdata(m[1]!, "title").trim(),
    summary: cdata(m[1]!, "description")
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  }));
}

const english: { n: number; title: string; summary: string | null; body: string }[] = [
  {
    n: 1,
    title: "Azerbaijan signs gas pipeline deal",
    summary: "A new pipeline to Europe.",
    body: "Officials in Baku said the pipeline opens in 2027.",
  },
  {
    n: 2,
    title: "Pipeline politics in the Caspian",
    summary: null,
    body: "Gas exports and oil prices dominate talks.",
  },
  {
    n: 3,
    title: "Oil tanker seized",
    summary: "Tanker held off the coast.",
    body: "No pipeline was involved; Russia denied it.",
  },
  {
    n: 4,
    title: "Café culture in Tbilisi",
    summary: "Coffee houses multiply.",
    body: "Pipelines are not the story here: cafés are.",
  },
  { n: 5, title: "Piped water reaches villages", summary: null, body: "A water project, not gas." },
  { n: 6, title: "Новогодняя ёлка в Ташкенте", summary: null, body: "Ёлку поставили на площади." },
];

describe("search against items_fts", () => {
  const ids = new Map<number, string>();
  const ru = meduzaStories();

  beforeAll(async () => {
    expect(ru).toHaveLength(REAL_DATA_MISSING ? 0 : 4);
    const writes = [
      ...english.map((e) => ({ it: item(e.n, { title: e.title, summary: e.summary }), body: e.body })),
      ...ru.map((s, i) => ({ it: item(10 + i, { title: s.title, summary: s.summary, language: "ru" }), body: "" })),
    ];
    for (const w of writes) ids.set(parseInt(w.it.id, 16), w.it.id);
    await writeItems(
      env.DB,
      writes.map((w) => ({ item: w.it, terms: termsOf(w.it), contentHash: "x", teaserHash: null, bodyText: w.body })),
    );
  });

  async function search(q: string): Promise<number[]> {
    const found = await queryItems(env.DB, { ...NO_FILTER, match: buildMatchExpression(q) }, 100, null);
    return found.map((i) => parseInt(i.id, 16)).sort((a, b) => a - b);
  }

  it("matches words in title, summary and body, all words required", async () => {
    expect(await search("pipeline")).toEqual([1, 2, 3]);
    expect(await search("gas pipeline")).toEqual([1, 2]);
    expect(await search("BAKU")).toEqual([1]); // case-insensitive, found in the body
    expect(await search("coffee")).toEqual([4]); // summary
  });

  it("matches prefixes and exact phrases", async () => {
    expect(await search("pipe*")).toEqual([1, 2, 3, 4, 5]);
    expect(await search("pipeline*")).toEqual([1, 2, 3, 4]);
    expect(await search('"gas pipeline"')).toEqual([1]);
    expect(await search('"pipeline gas"')).toEqual([]);
    expect(await search('"oil pri"*')).toEqual([2]);
  });

  it("ORs and excludes", async () => {
    expect(await search("tanker OR coffee")).toEqual([3, 4]);
    expect(await search("pipeline -russia")).toEqual([1, 2]);
    expect(await search("pipe* -gas -water")).toEqual([3, 4]);
  });

  it("folds Latin diacritics both ways", async () => {
    expect(await search("cafe")).toEqual([4]);
    expect(await search("cafés")).toEqual([4]);
  });

  it.skipIf(REAL_DATA_MISSING)(
    realTitle("finds Russian words and prefixes in any case (real Meduza stories)"),
    async () => {
      expect(ru[0]!.title).toContain("Макрон");
      expect(await search("Макрон")).toEqual([10]);
      expect(await search("макрон")).toEqual([10]);
      expect(await search("МАКРОН Франции")).toEqual([10]);
      // "В Германии ..." and "Прокуратура Германии ...": a prefix reaches the inflected form.
      expect(await search("Герман*")).toEqual([11]);
      expect(await search("германия")).toEqual([]); // no stemming: inflections need a prefix
      expect(await search('"рост тарифов"')).toEqual([13]);
      expect(await search('"тарифов рост"')).toEqual([]);
      expect(await search("Президент")).toEqual([10, 12]);
      expect(await search("Президент -Макрон")).toEqual([12]);
      expect(await search("Зеленск* OR Макрон")).toEqual([10, 12]);
      // "ё" is searched as "е", both ways: the story says "все более"; a reader may type "всё".
      expect(await search("все")).toEqual([10]);
      expect(await search("всё")).toEqual([10]);
      expect(await search("ВСЁ")).toEqual([10]);
      expect(await search("все\u0308")).toEqual([10]); // "ё" typed as "е" + combining diaeresis
    },
  );

  it('finds a stored "ё" from "е" and from "ё", in title and body', async () => {
    expect(await search("елка")).toEqual([6]);
    expect(await search("ёлка")).toEqual([6]);
    expect(await search('"Елку поставили"')).toEqual([6]);
    expect(await search("Ёлк*")).toEqual([6]);
  });

  it("never hands FTS5 an expression it rejects, whatever the input", async () => {
    // Deterministic pseudo-random queries built from every piece of syntax, valid or not.
    const pieces = [
      '"',
      "*",
      "-",
      "OR",
      "AND",
      "NOT",
      "NEAR",
      "(",
      ")",
      ":",
      "^",
      "{",
      "}",
      "+",
      ",",
      "'",
      "\\",
      "gas",
      "pi",
      "Моск",
      "é",
      " ",
      " ",
      " ",
      "title:",
      "a",
      "x*",
      "\u0000",
      "\u0007",
      "\uD800",
      "😀",
    ];
    let seed = 42;
    // High bits of a linear congruential generator: its low bits cycle too fast to mix pieces well.
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    let accepted = 0;
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      const q = Array.from({ length: 1 + rand(8) }, () => pieces[rand(pieces.length)]).join("");
      let match: string;
      try {
        match = buildMatchExpression(q);
      } catch (err) {
        expect(err, JSON.stringify(q)).toBeInstanceOf(SearchSyntaxError);
        refused++;
        continue;
      }
      await expect(queryItems(env.DB, { ...NO_FILTER, match }, 5, null), JSON.stringify(q)).resolves.toBeInstanceOf(
        Array,
      );
      accepted++;
    }
    // Both branches were exercised.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });
});

describe("search folding of stored rows", () => {
  it("foldForSearch turns every spelling of ё into е and leaves other text alone", () => {
    expect(foldForSearch("Ёлка и всё, и все\u0308, и ВСЕ\u0308")).toBe("Елка и все, и все, и ВСЕ");
    expect(foldForSearch("Bakı, café, Тбилиси")).toBe("Bakı, café, Тбилиси");
  });

  it("migration 0005 folds rows indexed before search folded them", async () => {
    const id = "5".repeat(32);
    await writeItems(env.DB, [
      {
        item: item(0x55, { id, title: "Story about a plain thing", language: "ru" }),
        terms: [],
        contentHash: "x",
        teaserHash: null,
        bodyText: "plain",
      },
    ]);
    // As an older release indexed it: the letter as written.
    await env.DB.prepare(
      "UPDATE items_fts SET title = ?, body = ? WHERE rowid = (SELECT rowid FROM items WHERE id = ?)",
    )
      .bind("Старый Ёж", "Тёплый день", id)
      .run();
    const found = async (q: string) =>
      (await queryItems(env.DB, { ...NO_FILTER, match: buildMatchExpression(q) }, 100, null)).map((i) => i.id);
    expect(await found("теплый")).not.toContain(id);
    await env.DB.exec(migration0005.replace(/--[^\n]*\n/g, "").replace(/\s+/g, " "));
    expect(await found("теплый")).toContain(id);
    expect(await found("ёж")).toContain(id);
  });
});
