import { buildMatchExpression, SEARCH_SYNTAX, SearchSyntaxError } from "../store/search";
import { HttpError } from "./errors";

/**
 * `q` on a feed URL: the same search syntax as the JSON API, limited to the title and the
 * summary (a feed filter is about what a story is, not every word of its body).
 */
export function feedMatchExpression(q: string): string {
  try {
    return buildMatchExpression(q, ["title", "summary"]);
  } catch (err) {
    if (err instanceof SearchSyntaxError)
      throw new HttpError(400, "invalid_q", err.message, { problem: err.problem, syntax: SEARCH_SYNTAX });
    throw err;
  }
}
