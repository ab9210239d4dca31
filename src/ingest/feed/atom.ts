/**
 * Atom 1.0 (RFC 4287) read into Atom's own shape, with Atom 0.3 names where they differ
 * (issued/modified, mode="escaped"). Text constructs keep their type; links are resolved
 * against the xml:base in effect where they are written (RFC 4287 §2, RFC 3986).
 */
import { type Enclosure, entryImage } from "./media";
import type { FeedImage } from "./types";
import { attr, childText, elements, first, serializeChildren, textOf, type XmlElement } from "./xml";

export interface AtomText {
  type: "text" | "html" | "xhtml";
  /** Plain text for "text"; HTML for "html" and "xhtml" (the xhtml div's content, serialized). */
  value: string;
  /** Base for relative references inside the value. */
  base: string;
  explicitBase: boolean;
}

export interface AtomLink {
  /** Absolute, resolved against the link's xml:base. */
  href: string;
  rel: string;
  type: string | null;
  length: string | null;
}

export interface AtomPerson {
  name: string | null;
  email: string | null;
  uri: string | null;
}

export interface AtomCategory {
  term: string | null;
  label: string | null;
  scheme: string | null;
}

export interface AtomEntry {
  id: string | null;
  title: AtomText | null;
  links: AtomLink[];
  published: string | null;
  updated: string | null;
  summary: AtomText | null;
  /** Null when absent or out of line (content src="…") or not text (a media type, base64). */
  content: AtomText | null;
  authors: AtomPerson[];
  /** Authors of the feed an entry was copied from (atom:source). */
  sourceAuthors: AtomPerson[];
  categories: AtomCategory[];
  image: FeedImage | null;
  lang: string | null;
  base: string;
  explicitBase: boolean;
}

export interface AtomFeed {
  id: string | null;
  title: AtomText | null;
  links: AtomLink[];
  updated: string | null;
  authors: AtomPerson[];
  lang: string | null;
  entries: AtomEntry[];
}

/** Reads a <feed>; `ns` is the namespace its Atom elements are in (Atom 1.0, 0.3, or none). */
export function readAtom(root: XmlElement): AtomFeed {
  const ns = root.ns;
  return {
    id: childText(root, ns, "id"),
    title: textConstruct(first(root, ns, "title")),
    links: links(root, ns),
    updated: childText(root, ns, "updated") ?? childText(root, ns, "modified"),
    authors: people(root, ns, "author"),
    lang: root.lang,
    entries: elements(root, ns, "entry").map((entry) => readEntry(entry, ns)),
  };
}

function readEntry(entry: XmlElement, ns: string | null): AtomEntry {
  const entryLinks = links(entry, ns);
  const enclosures: Enclosure[] = entryLinks
    .filter((l) => l.rel === "enclosure")
    .map((l) => ({ url: l.href, type: l.type, length: l.length }));
  const contentEl = first(entry, ns, "content");
  const source = first(entry, ns, "source");
  return {
    id: childText(entry, ns, "id"),
    title: textConstruct(first(entry, ns, "title")),
    links: entryLinks,
    published: childText(entry, ns, "published") ?? childText(entry, ns, "issued") ?? childText(entry, ns, "created"),
    updated: childText(entry, ns, "updated") ?? childText(entry, ns, "modified"),
    summary: textConstruct(first(entry, ns, "summary")),
    content: contentEl && !attr(contentEl, "src") ? textConstruct(contentEl) : null,
    authors: people(entry, ns, "author"),
    sourceAuthors: source ? people(source, ns, "author") : [],
    categories: elements(entry, ns, "category").map((c) => ({
      term: attr(c, "term"),
      label: attr(c, "label"),
      scheme: attr(c, "scheme"),
    })),
    image: entryImage(entry, enclosures),
    lang: entry.lang,
    base: entry.base,
    explicitBase: entry.explicitBase,
  };
}

function links(parent: XmlElement, ns: string | null): AtomLink[] {
  const out: AtomLink[] = [];
  for (const l of elements(parent, ns, "link")) {
    const raw = attr(l, "href");
    if (!raw) continue;
    let href: string;
    try {
      href = new URL(raw, l.base).href;
    } catch {
      continue;
    }
    out.push({
      href,
      rel: attr(l, "rel")?.toLowerCase() ?? "alternate",
      type: attr(l, "type"),
      length: attr(l, "length"),
    });
  }
  return out;
}

function people(parent: XmlElement, ns: string | null, local: string): AtomPerson[] {
  return elements(parent, ns, local).map((p) => ({
    name: childText(p, ns, "name"),
    email: childText(p, ns, "email"),
    uri: childText(p, ns, "uri"),
  }));
}

/**
 * An Atom text construct. type "text" (the default), "html" and "xhtml"; Atom 0.3 spells them as
 * media types with mode="escaped" for HTML. Any other media type, or base64, is not text: null.
 */
function textConstruct(el: XmlElement | null): AtomText | null {
  if (!el) return null;
  const declared = (attr(el, "type") ?? "text").toLowerCase();
  const mode = attr(el, "mode")?.toLowerCase() ?? null;
  if (mode === "base64") return null;
  let type: AtomText["type"];
  if (declared === "html" || declared === "text/html" || mode === "escaped") type = "html";
  else if (declared === "xhtml" || declared === "application/xhtml+xml") type = "xhtml";
  else if (declared === "text" || declared === "text/plain") type = "text";
  else return null;

  let value: string;
  if (type === "xhtml") {
    // The content is one xhtml <div> wrapper (RFC 4287 §3.1.1.3) whose children are the markup.
    const div = el.children.find((c): c is XmlElement => c.kind === "element" && c.local === "div");
    value = serializeChildren(div ?? el, false);
  } else {
    value = textOf(el);
  }
  return { type, value, base: el.base, explicitBase: el.explicitBase };
}
