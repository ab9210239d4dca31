/**
 * Composing configured CSS selectors. HTMLRewriter has no scoped queries, so "a title inside a
 * row inside the container" must be spelled as one descendant selector; a configured selector may
 * itself be a list ("h2 a, h3 a"), so lists are split and combined member by member.
 */

/** Splits a selector list on its top-level commas (not those inside quotes, brackets or parens). */
export function splitSelectorList(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "\\") i++;
    else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(selector.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(selector.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** `within("a, b", "c")` is "a c, b c": every member of each list, as descendants of the previous. */
export function within(...levels: string[]): string {
  let combos = [""];
  for (const level of levels) {
    const members = splitSelectorList(level);
    combos = combos.flatMap((prefix) => members.map((m) => (prefix ? `${prefix} ${m}` : m)));
  }
  return combos.join(", ");
}

/** A selector that matches elements whose attribute equals `value` exactly. */
export function attributeEquals(tag: string, attribute: string, value: string): string {
  const escaped = value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\a ").replace(/\r/g, "\\d ");
  return `${tag}[${attribute}="${escaped}"]`;
}
