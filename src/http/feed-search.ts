import { HttpError } from "./errors";

/**
 * `q` on a feed URL: every word must appear in the title or the summary. Each word is quoted, so
 * user text can never become FTS5 syntax; a trailing `*` keeps prefix matching.
 */
export function feedMatchExpression(q: string): string {
  const words = q
    .split(/\s+/)
    .map((w) => w.replace(/["*]+$/g, (tail) => (tail.includes("*") ? "*" : "")).replace(/^"+/, ""))
    .filter((w) => w.replace(/\*$/, "").trim() !== "");
  if (words.length === 0) {
    throw new HttpError(400, "invalid_q", "q has no words to search for", { example: "q=pipeline gas" });
  }
  const terms = words.map((w) => (w.endsWith("*") ? `"${w.slice(0, -1).replace(/"/g, '""')}"*` : `"${w.replace(/"/g, '""')}"`));
  return `{title summary} : (${terms.join(" AND ")})`;
}
