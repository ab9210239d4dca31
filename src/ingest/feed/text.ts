/** Turning the HTML-ish strings feeds put in titles and names into plain text, and back. */
import { decodeEntities } from "../html/entities";

// Only tag-shaped runs are tags: "5 < 6 and 7 > 3" keeps its text.
const TAG = /<\/?[A-Za-z][^<>]*>/g;
const COMMENT = /<!--[\s\S]*?-->/g;
const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

/**
 * Plain text of an HTML fragment: comments, scripts and tags removed, references decoded,
 * whitespace collapsed. Used for titles ("<b>Breaking</b>: A &amp; B"), names and captions.
 */
export function htmlToPlainText(html: string): string {
  const stripped = html
    .replace(COMMENT, "")
    .replace(SCRIPT_OR_STYLE, " ")
    .replace(TAG, (tag) => (isBlockTag(tag) ? " " : ""));
  return decodeEntities(stripped).replace(/\s+/g, " ").trim();
}

// Block-level tags separate words ("<p>one</p><p>two</p>" is "one two"); inline ones do not.
function isBlockTag(tag: string): boolean {
  return /^<\/?(p|div|br|li|ul|ol|h[1-6]|blockquote|tr|td|th|table|section|article|figure|figcaption|hr)\b/i.test(tag);
}

/** Collapses whitespace in text that is already plain (Atom type="text", JSON Feed strings). */
export function collapseText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Plain text as HTML paragraphs (blank lines separate paragraphs, single newlines become <br>). */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((para) => para.trim())
    .filter((para) => para !== "")
    .map((para) => `<p>${escapeHtml(para).replace(/\n/g, "<br>")}</p>`)
    .join("\n");
}

/**
 * A person's name from an RSS <author> or similar field: "jane@example.org (Jane Doe)" and
 * "Jane Doe <jane@example.org>" give "Jane Doe"; a bare address stays as it is.
 */
export function personName(raw: string): string | null {
  // The address in angle brackets must go before tags are stripped: it looks like a tag.
  const squeezed = raw.replace(/\s+/g, " ").trim();
  const withAddress = /^(.+?)\s*<[^<>\s]+@[^<>\s]+>$/.exec(squeezed);
  const text = htmlToPlainText(withAddress ? withAddress[1]! : squeezed).replace(/^"(.*)"$/, "$1");
  if (!text) return null;
  const inParens = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  if (inParens) return inParens[1]!.trim() || null;
  return text;
}

/** Trimmed, non-empty, unique (case-insensitively), in first-seen order. */
export function uniqueStrings(values: Iterable<string | null | undefined>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const t = v?.trim();
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

/** An absolute http(s) URL from a possibly relative reference, or null. */
export function absoluteHttpUrl(raw: string | null | undefined, base: string): string | null {
  const value = raw?.trim();
  if (!value) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
