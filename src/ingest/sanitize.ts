import { stripBoilerplate } from "./boilerplate";
import { cleanText, escapeAttribute, escapeRawAttribute, escapeRawText } from "./html/entities";
import { onElementEnd, VOID_ELEMENTS } from "./html/spec";
import { HTTP_SCHEMES, imageUrl, LINK_SCHEMES, resolveUrl } from "./html/urls";
import type { StoryDraft, StoryParts } from "./story";

/**
 * An allowlist HTML sanitizer on HTMLRewriter, for article bodies before they are stored and
 * served in feeds. One policy (`decide`), two ways to write its result:
 * - the fast path (`sanitizeByRewriting`) lets HTMLRewriter apply the policy in place and
 *   serialize natively: one JavaScript call per element and none per text chunk, which matters
 *   because each call from the rewriter into JavaScript is far more expensive than the parsing;
 * - the careful path (`sanitizeByRebuilding`) rebuilds the output from the parse events with its
 *   own element stack. It is used when the input has a stray `<` or bogus markup, or when the fast
 *   output would not be strictly nested (unclosed or mis-nested tags in the source).
 * Guarantees of both:
 * - Only allowed elements come out, with only their allowed attributes. Elements whose content is
 *   code, UI or metadata (script, style, iframe, svg, math, form...) are dropped with all their
 *   content; any other element is unwrapped (its content kept). h1 becomes h2 (the feed item's
 *   title is the h1), and sectioning elements (section, article, aside...) become div so their
 *   blocks stay apart.
 * - Text can never join with the rest of a removed tag into a new tag: the careful path escapes
 *   `<` and `>` in text, the fast path only takes inputs where no text contains `<`. Character
 *   references stay as written (they only ever produce text).
 * - URL attributes (a href, img src, q/blockquote cite) are decoded, resolved against the page URL
 *   by the URL parser (which strips the tabs, newlines and control characters used to disguise a
 *   scheme), and kept only when the scheme is http(s) (or mailto: for links); the absolute URL is
 *   written back fully escaped. A link without a usable href is unwrapped (its text kept), an
 *   image without one is dropped. Lazy-loaded images get their real URL from data-src.
 * - Comments, doctypes, and every on* handler, style, class, id, srcset are gone.
 * - The output is balanced: every element is closed, in order.
 * Links get no rel/target: they open in the same window, so there is no window.opener to protect,
 * and the referrer is left to the reader's browser and the publisher.
 */

/** Allowed elements and, for each, its allowed attributes. */
const ALLOWED: Record<string, readonly string[]> = {
  p: [],
  br: [],
  a: ["href", "title"],
  em: [],
  strong: [],
  b: [],
  i: [],
  u: [],
  s: [],
  sub: [],
  sup: [],
  blockquote: ["cite"],
  q: ["cite"],
  cite: [],
  ul: [],
  ol: [],
  li: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  figure: [],
  figcaption: [],
  img: ["src", "alt", "title", "width", "height"],
  pre: [],
  code: [],
  table: [],
  caption: [],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ["colspan", "rowspan"],
  td: ["colspan", "rowspan"],
  hr: [],
  span: [],
  div: [],
  abbr: ["title"],
  time: ["datetime"],
  small: [],
  mark: [],
  dl: [],
  dt: [],
  dd: [],
};

/** Elements emitted under another allowed name. */
const RENAMED: Record<string, string> = {
  h1: "h2",
  section: "div",
  article: "div",
  aside: "div",
  header: "div",
  footer: "div",
  main: "div",
  nav: "div",
  address: "div",
  center: "div",
  details: "div",
  summary: "div",
  hgroup: "div",
  strike: "s",
  tt: "code",
};

/** Elements dropped together with everything inside them. */
const DROPPED = new Set([
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "form",
  "input",
  "button",
  "select",
  "option",
  "textarea",
  "noscript",
  "template",
  "svg",
  "math",
  "frame",
  "frameset",
  "applet",
  "base",
  "meta",
  "link",
  "title",
  "head",
  "noembed",
  "noframes",
  "xmp",
  "plaintext",
  "canvas",
  "audio",
  "video",
  "dialog",
]);

const URL_ATTRIBUTES: Record<string, readonly string[]> = { href: LINK_SCHEMES, src: HTTP_SCHEMES, cite: HTTP_SCHEMES };
const NUMBER_ATTRIBUTES = new Set(["width", "height", "colspan", "rowspan"]);

/** Starting one of these closes an open <p> (the HTML parser does the same). */
const CLOSES_P = new Set([
  "p",
  "div",
  "ul",
  "ol",
  "dl",
  "table",
  "blockquote",
  "pre",
  "figure",
  "figcaption",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
]);
/** Starting the key closes the nearest open element of the listed names, unless a boundary comes first. */
const IMPLIED_END: Record<string, { closes: readonly string[]; boundaries: readonly string[] }> = {
  li: { closes: ["li"], boundaries: ["ul", "ol", "table", "td", "th", "blockquote", "figure"] },
  dt: { closes: ["dt", "dd"], boundaries: ["dl", "table", "td", "th", "blockquote", "figure"] },
  dd: { closes: ["dt", "dd"], boundaries: ["dl", "table", "td", "th", "blockquote", "figure"] },
  td: { closes: ["td", "th"], boundaries: ["tr", "table"] },
  th: { closes: ["td", "th"], boundaries: ["tr", "table"] },
  tr: { closes: ["tr"], boundaries: ["table", "thead", "tbody", "tfoot"] },
  thead: { closes: ["thead", "tbody", "tfoot"], boundaries: ["table"] },
  tbody: { closes: ["thead", "tbody", "tfoot"], boundaries: ["table"] },
  tfoot: { closes: ["thead", "tbody", "tfoot"], boundaries: ["table"] },
};
const P_BOUNDARIES = ["td", "th", "table", "caption"];

/** What the policy does with one element. */
type Decision =
  | { kind: "drop" }
  | { kind: "unwrap" }
  | { kind: "keep"; tag: string; attributes: [name: string, value: string][] };

/**
 * Applies the policy to an element. Kept attribute values come back ready to write between double
 * quotes (`&`, `"`, `<`, `>` escaped or, for raw values, references kept and the rest escaped).
 */
function decide(el: Element, baseUrl: string): Decision {
  const source = el.tagName;
  if (DROPPED.has(source)) return { kind: "drop" };
  const tag = RENAMED[source] ?? source;
  const allowed = ALLOWED[tag];
  if (!allowed) return { kind: "unwrap" };
  const attributes: [string, string][] = [];
  let hasUrl = false;
  for (const name of allowed) {
    const value = attributeValue(el, tag, name, baseUrl);
    if (value === null) continue;
    attributes.push([name, value]);
    if (name === "href" || name === "src") hasUrl = true;
  }
  if (tag === "a" && !hasUrl) return { kind: "unwrap" }; // a dead link is just its text
  if (tag === "img" && !hasUrl) return { kind: "drop" };
  return { kind: "keep", tag, attributes };
}

/** An allowed attribute's value, escaped for double quotes, or null to leave the attribute out. */
function attributeValue(el: Element, tag: string, name: string, baseUrl: string): string | null {
  if (tag === "img" && name === "src") {
    const url = imageUrl(el, baseUrl);
    return url === null ? null : escapeAttribute(url);
  }
  const raw = el.getAttribute(name);
  if (raw === null) return null;
  const schemes = URL_ATTRIBUTES[name];
  if (schemes) {
    const url = resolveUrl(raw, baseUrl, schemes);
    return url === null ? null : escapeAttribute(url);
  }
  if (NUMBER_ATTRIBUTES.has(name)) return /^\s*\d{1,5}\s*$/.test(raw) ? raw.trim() : null;
  return escapeRawAttribute(raw);
}

interface OpenElement {
  tag: string;
  closed: boolean;
}

/**
 * The careful path: rebuilds the output from parse events, so it copes with any input. Text is
 * re-emitted with `<` and `>` escaped, and the writer keeps its own stack of open elements to
 * close what the source left open.
 */
class RebuildingWriter {
  private readonly out: string[] = [];
  private readonly stack: OpenElement[] = [];
  private dropDepth = 0;

  constructor(private readonly baseUrl: string) {}

  element(el: Element): void {
    if (this.dropDepth > 0) return; // inside a dropped element: only its end matters
    const decision = decide(el, this.baseUrl);
    if (decision.kind === "drop") {
      if (onElementEnd(el, () => this.dropDepth--)) this.dropDepth++;
      return;
    }
    if (decision.kind === "unwrap") return; // the content comes through, the tag does not
    const { tag, attributes } = decision;
    this.closeImplied(tag);
    this.out.push(`<${tag}${attributes.map(([name, value]) => ` ${name}="${value}"`).join("")}>`);
    if (VOID_ELEMENTS.has(tag)) return;
    const open: OpenElement = { tag, closed: false };
    if (onElementEnd(el, () => this.close(open))) this.stack.push(open);
    else this.out.push(`</${tag}>`);
  }

  text(chunk: Text): void {
    if (this.dropDepth === 0 && chunk.text) this.out.push(escapeRawText(chunk.text.replace(/\0/g, "")));
  }

  result(): string {
    while (this.stack.length > 0) this.close(this.stack[this.stack.length - 1]!);
    return this.out.join("");
  }

  private closeImplied(tag: string): void {
    if (CLOSES_P.has(tag)) this.closeNearest(["p"], P_BOUNDARIES);
    const rule = IMPLIED_END[tag];
    if (rule) this.closeNearest(rule.closes, rule.boundaries);
  }

  /** Closes the nearest open element named in `names`, unless a boundary element is open above it. */
  private closeNearest(names: readonly string[], boundaries: readonly string[]): void {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const tag = this.stack[i]!.tag;
      if (names.includes(tag)) {
        this.close(this.stack[i]!);
        return;
      }
      if (boundaries.includes(tag)) return;
    }
  }

  /** Closes `open` and whatever is still open inside it. */
  private close(open: OpenElement): void {
    if (open.closed) return;
    open.closed = true;
    const at = this.stack.lastIndexOf(open);
    if (at < 0) return;
    for (let i = this.stack.length - 1; i >= at; i--) {
      const element = this.stack[i]!;
      element.closed = true;
      this.out.push(`</${element.tag}>`);
    }
    this.stack.length = at;
  }
}

/** Sanitizes any fragment by rebuilding it (see RebuildingWriter). */
export async function sanitizeByRebuilding(html: string, baseUrl: string): Promise<string> {
  const writer = new RebuildingWriter(baseUrl);
  await new HTMLRewriter()
    .on("*", { element: (el) => writer.element(el) })
    .onDocument({ text: (chunk) => writer.text(chunk) })
    .transform(new Response(html))
    .arrayBuffer();
  return writer.result();
}

/**
 * Input the fast path refuses, because HTMLRewriter would pass part of it through as written:
 * - a `<` that does not open a tag or comment: it stays in a text chunk, and could meet the rest
 *   of a tag once an element between them is removed;
 * - bogus comments, CDATA and doctypes (`<!x`, `<?x`, `</ x`);
 * - end tags with anything after the name (`</p title="...">`): browsers ignore it, but it would be
 *   copied into the output;
 * - a tag left unterminated at the end, and NUL characters.
 */
const NEEDS_REBUILD =
  /<(?![A-Za-z/!])|<\/(?![A-Za-z])|<!(?!--)|<\/[A-Za-z][^\t\n\f\r />]*[\t\n\f\r /][\t\n\f\r ]*[^\t\n\f\r >]|<[^>]*$|\0/;

/** An output tag; in fast-path output no `>` occurs inside attribute values (all are re-set, escaped). */
const OUTPUT_TAG = /<(\/?)([a-z][a-z0-9]*)[^>]*>/gi;

/**
 * Whether fast-path output is strictly nested: every end tag closes the innermost open element,
 * nothing stays open, void elements have no end tag, and no block starts inside an open <p>
 * (which a browser would re-arrange).
 */
function isStrictlyNested(html: string): boolean {
  const stack: string[] = [];
  for (const [, slash, tag] of html.matchAll(OUTPUT_TAG)) {
    const name = tag!.toLowerCase();
    if (slash) {
      if (stack.pop() !== name) return false;
    } else {
      if (CLOSES_P.has(name) && stack.includes("p")) return false;
      if (!VOID_ELEMENTS.has(name)) stack.push(name);
    }
  }
  return stack.length === 0;
}

/**
 * The fast path: HTMLRewriter applies the policy in place (drops, unwraps, renames, replaces each
 * kept element's attributes with the allowed ones, removes comments) and serializes natively, with
 * one JavaScript call per element and none per text chunk. Text goes out exactly as written, which
 * is safe because inputs with a stray `<` are refused beforehand and every element whose content
 * the tokenizer reads as raw text (script, style, textarea, title, xmp, iframe, noembed, noframes,
 * noscript, plaintext) is dropped with its content. Returns null when the input is refused or the
 * output is not strictly nested; the careful path then does the work.
 */
export async function sanitizeByRewriting(html: string, baseUrl: string): Promise<string | null> {
  if (NEEDS_REBUILD.test(html)) return null;
  const out = await new HTMLRewriter()
    .on("*", {
      element: (el) => {
        if (el.removed) return; // inside a dropped element
        const decision = decide(el, baseUrl);
        if (decision.kind === "drop") el.remove();
        else if (decision.kind === "unwrap") el.removeAndKeepContent();
        else {
          if (decision.tag !== el.tagName) el.tagName = decision.tag;
          const names = [...el.attributes].map(([name]) => name!);
          for (const name of names) el.removeAttribute(name);
          // Values are escaped already; HTMLRewriter only adds quotes (and would escape `"`).
          for (const [name, value] of decision.attributes) el.setAttribute(name, value);
        }
      },
    })
    .onDocument({
      comments: (comment) => {
        comment.remove();
      },
    })
    .transform(new Response(html))
    .text();
  return isStrictlyNested(out) ? out : null;
}

/**
 * Sanitizes an HTML fragment (see the module comment); relative URLs resolve against `baseUrl`.
 * Well-formed input takes the fast path; anything else is rebuilt. Both apply the same policy.
 */
export async function sanitizeHtml(html: string, baseUrl: string): Promise<string> {
  return (await sanitizeByRewriting(html, baseUrl)) ?? (await sanitizeByRebuilding(html, baseUrl));
}

/** Elements that separate words: text on either side of them must not run together. */
const BREAKS = new Set([
  "p",
  "div",
  "br",
  "hr",
  "li",
  "dt",
  "dd",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "figure",
  "figcaption",
  "pre",
  "table",
  "tr",
  "td",
  "th",
  "caption",
  "ul",
  "ol",
  "dl",
  "section",
  "article",
  "aside",
  "header",
  "footer",
  "main",
  "nav",
  "address",
  "img",
]);

/**
 * A start or end tag left in the rewritten markup. Quoted attribute values may hold `>`; a bare `<`
 * ends the attempt, so text full of `<` without `>` cannot make the scan quadratic.
 */
const ANY_TAG = /<\/?([A-Za-z][^\s/<>]*)(?:[^<>"']|"[^"]*"|'[^']*')*>/g;

/**
 * Plain text of an HTML fragment, for summaries and search: the content of dropped elements
 * (scripts, styles, forms...) left out, block boundaries turned into spaces, references decoded,
 * whitespace collapsed. HTMLRewriter removes the dropped elements and comments natively (one call
 * per such element, none per text chunk); the tags that remain are then cut out of its output.
 */
export async function htmlToText(html: string): Promise<string> {
  const out = await new HTMLRewriter()
    .on([...DROPPED].join(", "), {
      element: (el) => {
        el.remove();
      },
    })
    .onDocument({
      comments: (comment) => {
        comment.remove();
      },
    })
    .transform(new Response(html))
    .text();
  return cleanText(out.replace(ANY_TAG, (_tag, name: string) => (BREAKS.has(name.toLowerCase()) ? " " : "")));
}

// Plain-text summaries read from HTML longer than this are cut at a word: a feed's description
// is sometimes the whole article.
const MAX_SUMMARY_CHARS = 600;

/**
 * The sanitize stage of the listing reader, the one place a story's HTML is made safe: the
 * body through the allowlist, a summary given as HTML read as plain text.
 */
export async function sanitizeStory(draft: StoryDraft): Promise<StoryParts> {
  const { summary, body, ...rest } = draft;
  const contentHtml = body ? await sanitizeHtml(body.html, body.baseUrl) : null;
  // Site boilerplate goes before the cut, so a long excerpt cannot leave half a footer behind.
  const fromHtml = !summary.text && summary.html ? clipSummary(stripBoilerplate(await htmlToText(summary.html))) : null;
  return { ...rest, contentHtml, summary: summary.text || fromHtml || summary.fallback || null };
}

function clipSummary(text: string): string | null {
  if (!text) return null;
  if (text.length <= MAX_SUMMARY_CHARS) return text;
  const cut = text.lastIndexOf(" ", MAX_SUMMARY_CHARS);
  return `${text.slice(0, cut > 0 ? cut : MAX_SUMMARY_CHARS)}…`;
}
