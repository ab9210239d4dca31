import { once } from "../lib/once";
/**
 * Turns what a person types into a search box into an FTS5 MATCH expression for `items_fts`.
 *
 * The user syntax is small and forgiving:
 *   pipeline gas         both words (AND)
 *   "gas pipeline"       the exact phrase
 *   pipe*                any word starting with "pipe" (also "gas pipe"* for a phrase)
 *   gas OR oil           either side; OR binds looser than the implied AND
 *   -russia              leave out stories with the word (or -"a phrase")
 *
 * Every word and phrase is emitted as an FTS5 string ("..."), so nothing the user types can
 * become FTS5 syntax (column filters, NEAR, ^, parentheses): the only operators in the output are
 * the ones written here. Input the grammar cannot make sense of throws SearchSyntaxError naming
 * the problem, so the caller can answer 400 instead of handing FTS5 something it rejects.
 */

export const MAX_SEARCH_LENGTH = 256;
export const MAX_SEARCH_TERMS = 16;
/** Letters or digits a prefix needs before its `*`: "a*" would expand to much of the index. */
export const MIN_PREFIX_CHARS = 2;

export type SearchProblem =
  | "empty"
  | "too_long"
  | "too_many_terms"
  | "unbalanced_quote"
  | "bare_star"
  | "misplaced_star"
  | "prefix_too_short"
  | "dangling_operator"
  | "only_exclusions";

export class SearchSyntaxError extends Error {
  constructor(
    readonly problem: SearchProblem,
    message: string,
  ) {
    super(message);
  }
}

/** One thing to look for: a word or a phrase, optionally a prefix. */
export interface SearchTerm {
  text: string;
  phrase: boolean;
  prefix: boolean;
}

/** OR of clauses, each an AND of terms; `exclude` removes matches of any of its terms. */
export interface SearchQuery {
  anyOf: SearchTerm[][];
  exclude: SearchTerm[];
}

export type FtsColumn = "title" | "summary" | "body";

/** The user syntax, for error details and docs. */
export const SEARCH_SYNTAX: Record<string, string> = {
  "pipeline gas": "stories with both words",
  '"gas pipeline"': "the exact phrase",
  "pipe*": `words starting with pipe (at least ${MIN_PREFIX_CHARS} letters before *)`,
  "gas OR oil": "either word",
  "-russia": "leave out stories with the word",
};

// unicode61 (the items_fts tokenizer) keeps letters, numbers and private-use characters and
// splits on everything else; text without one of these indexes as nothing.
const tokenChar = once(() => /[\p{L}\p{N}\p{Co}]/u);
const tokenRunAtEnd = once(() => /[\p{L}\p{N}\p{Co}\p{M}]+$/u);

/**
 * Text as items_fts holds it and as searches look for it: "ё" as "е". Russian print mostly
 * writes "е" for both (the dots are optional), so a reader typing "всё" must find "все" and the
 * other way round; the unicode61 tokenizer keeps the two apart (its diacritic removal does not
 * cover "ё"). Applied to the indexed title, summary and body text and to every search.
 */
export function foldForSearch(text: string): string {
  // Also the decomposed spelling, "е" followed by a combining diaeresis.
  return text.replace(/ё|Ё|([еЕ])\u0308/g, (c, base: string | undefined) => base ?? (c === "ё" ? "е" : "Е"));
}

/** Reads the user syntax. Throws SearchSyntaxError when it cannot. */
export function parseSearch(input: string): SearchQuery {
  // Control characters are never words, and a NUL would end the FTS5 string early: make them spaces.
  const q = foldForSearch(input)
    .normalize("NFC")
    .replace(/\p{Cc}/gu, " ")
    .trim();
  if (q === "") throw new SearchSyntaxError("empty", "the search is empty");
  if ([...q].length > MAX_SEARCH_LENGTH) {
    throw new SearchSyntaxError("too_long", `the search is longer than ${MAX_SEARCH_LENGTH} characters`);
  }

  const anyOf: SearchTerm[][] = [[]];
  const exclude: SearchTerm[] = [];
  // The last thing read, to catch operators with nothing on one side.
  let last: "start" | "term" | "or" | "and" = "start";
  let count = 0;
  let i = 0;

  while (i < q.length) {
    const ch = q[i]!;
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    let negated = false;
    if (ch === "-" && i + 1 < q.length && !/\s/u.test(q[i + 1]!)) {
      negated = true;
      i++;
    }

    let raw: { text: string; phrase: boolean; prefix: boolean };
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      if (close < 0) {
        throw new SearchSyntaxError("unbalanced_quote", `the quote at character ${i + 1} is never closed`);
      }
      const prefix = q[close + 1] === "*";
      raw = { text: q.slice(i + 1, close), phrase: true, prefix };
      i = close + 1 + (prefix ? 1 : 0);
    } else {
      let end = i;
      while (end < q.length && !/\s/u.test(q[end]!) && q[end] !== '"') end++;
      const word = q.slice(i, end);
      i = end;
      if (!negated && (word === "OR" || word === "AND")) {
        if (last === "start" || last === "or" || last === "and") {
          throw new SearchSyntaxError(
            "dangling_operator",
            `${word} at character ${start + 1} needs a search term before it`,
          );
        }
        if (word === "OR") anyOf.push([]);
        last = word === "OR" ? "or" : "and";
        continue;
      }
      const stem = word.replace(/\*+$/u, "");
      if (stem.includes("*")) {
        throw new SearchSyntaxError("misplaced_star", `"${clip(word)}": * may only end a word, as in pipe*`);
      }
      if (stem === "" || (!tokenChar().test(stem) && word.endsWith("*"))) {
        throw new SearchSyntaxError(
          "bare_star",
          `* at character ${start + 1} must follow the start of a word, as in pipe*`,
        );
      }
      raw = { text: stem, phrase: false, prefix: word.endsWith("*") };
    }

    // Punctuation-only words ("&", "—") index as nothing: skip them rather than fail.
    if (!tokenChar().test(raw.text)) continue;
    if (raw.prefix) {
      const run = tokenRunAtEnd().exec(raw.text.trimEnd())?.[0] ?? "";
      if ([...run].length < MIN_PREFIX_CHARS) {
        throw new SearchSyntaxError(
          "prefix_too_short",
          `"${clip(raw.text)}*": a prefix needs at least ${MIN_PREFIX_CHARS} letters or digits before *`,
        );
      }
    }
    if (++count > MAX_SEARCH_TERMS) {
      throw new SearchSyntaxError("too_many_terms", `the search has more than ${MAX_SEARCH_TERMS} words and phrases`);
    }
    const term: SearchTerm = { text: raw.text.trim(), phrase: raw.phrase, prefix: raw.prefix };
    if (negated) exclude.push(term);
    else anyOf.at(-1)!.push(term);
    last = "term";
  }

  if (last === "or" || last === "and") {
    throw new SearchSyntaxError("dangling_operator", `the search ends with ${last.toUpperCase()}: add a term after it`);
  }
  if (anyOf.every((clause) => clause.length === 0)) {
    if (exclude.length > 0) {
      throw new SearchSyntaxError("only_exclusions", "the search only excludes words: add a word to look for");
    }
    throw new SearchSyntaxError("empty", "the search has no letters or digits to look for");
  }
  // A clause can only be empty here when all its words were punctuation ("a OR &"): say so.
  if (anyOf.some((clause) => clause.length === 0)) {
    throw new SearchSyntaxError("dangling_operator", "OR needs a word or phrase on both sides");
  }
  return { anyOf, exclude };
}

/** FTS5 text for a parsed query, optionally limited to some columns. */
export function toMatchExpression(query: SearchQuery, columns?: FtsColumn[]): string {
  const clauses = query.anyOf.map((clause) => clause.map(ftsString).join(" AND "));
  let expr = clauses.length === 1 ? clauses[0]! : clauses.map((c) => `(${c})`).join(" OR ");
  if (query.exclude.length > 0) {
    expr = `(${expr})${query.exclude.map((t) => ` NOT ${ftsString(t)}`).join("")}`;
  }
  return columns && columns.length > 0 ? `{${columns.join(" ")}} : (${expr})` : expr;
}

/** User search text to an FTS5 MATCH expression. Throws SearchSyntaxError. */
export function buildMatchExpression(input: string, columns?: FtsColumn[]): string {
  return toMatchExpression(parseSearch(input), columns);
}

// An FTS5 string: double quotes doubled inside. The tokenizer splits it into a phrase, so
// "don't" and "al-Assad" still match as their parts do in the index.
function ftsString(t: SearchTerm): string {
  return `"${t.text.replace(/"/g, '""')}"${t.prefix ? "*" : ""}`;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
