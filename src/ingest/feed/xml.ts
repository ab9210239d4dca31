/**
 * A safe, lenient XML reader for feeds, on fast-xml-parser.
 *
 * Safety: a DOCTYPE that declares entities is refused before parsing, so neither an
 * entity-expansion bomb nor an external entity (`SYSTEM "file:///etc/passwd"`) is ever looked
 * at, and the parser runs with entity processing off (references are decoded here, once, with a
 * fixed table; nothing is ever fetched or expanded recursively).
 *
 * Leniency, as real feed readers have: a byte-order mark, invalid control characters and bare
 * ampersands (`AT&T`, `?a=1&b=2`) are repaired; HTML named references (`&nbsp;`, `&eacute;`) that
 * XML does not define are decoded. What cannot be repaired (a truncated document, mismatched
 * tags) is a FeedParseError naming the line.
 *
 * The parser's ordered output is turned into a small tree whose elements carry their namespace
 * URI, their effective `xml:base` and `xml:lang`, so the format readers never see prefixes.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { decodeEntities, escapeAttribute } from "../html/entities";
import { VOID_ELEMENTS } from "../html/spec";
import { FeedParseError } from "./errors";
import { NS, normalizeNamespace, WELL_KNOWN_PREFIXES } from "./namespaces";

export interface XmlText {
  kind: "text";
  /** Character data with references decoded (CDATA content as written). */
  text: string;
  cdata: boolean;
}

export interface XmlElement {
  kind: "element";
  /** The name as written, e.g. "dc:creator". */
  name: string;
  local: string;
  /** Namespace URI, or null for an element in no namespace (RSS 2.0 core). */
  ns: string | null;
  /** Attribute values with references decoded, keyed by the name as written. */
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Absolute base URL for relative references inside this element (xml:base chain, else the document URL). */
  base: string;
  /** True when this element or an ancestor set xml:base. */
  explicitBase: boolean;
  /** Effective xml:lang, or null. */
  lang: string | null;
}

export type XmlNode = XmlElement | XmlText;

/** What precedes the root element. */
export interface Prolog {
  /** The root element's name as written, or null when the document has none. */
  root: string | null;
  doctype: string | null;
  /** Offset of the root start tag (or of the first unexpected character). */
  rootAt: number;
}

/**
 * Finds the root element's name, skipping the XML declaration, processing instructions,
 * comments and the DOCTYPE (with its internal subset). Linear in the prolog's length.
 */
export function scanProlog(xml: string): Prolog {
  let doctype: string | null = null;
  let i = 0;
  const n = xml.length;
  while (i < n) {
    while (i < n && isXmlSpace(xml.charCodeAt(i))) i++;
    if (i >= n) break;
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i + 2);
      if (end < 0) break;
      i = end + 2;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end < 0) break;
      i = end + 3;
    } else if (xml.slice(i, i + 9).toUpperCase() === "<!DOCTYPE") {
      const end = doctypeEnd(xml, i + 9);
      doctype = xml.slice(i, end);
      i = end;
    } else if (xml[i] === "<") {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(i, i + 256));
      return { root: m ? m[1]! : null, doctype, rootAt: i };
    } else {
      return { root: null, doctype, rootAt: i };
    }
  }
  return { root: null, doctype, rootAt: i };
}

// End of a DOCTYPE: the first ">" outside quotes and outside the [...] internal subset.
function doctypeEnd(xml: string, from: number): number {
  let quote: string | null = null;
  let depth = 0;
  for (let i = from; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]") depth = Math.max(0, depth - 1);
    else if (c === ">" && depth === 0) return i + 1;
  }
  return xml.length;
}

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Refuses a DOCTYPE that declares entities: the only way entity bombs and XXE get in. */
export function refuseEntityDeclarations(doctype: string | null): void {
  if (!doctype || !/<!ENTITY/i.test(doctype)) return;
  const external = /<!ENTITY\s+(?:%\s*)?[^\s>]+\s+(SYSTEM|PUBLIC)\s+(?:"[^"]*"\s+|'[^']*'\s+)?("[^"]*"|'[^']*')/i.exec(
    doctype,
  );
  if (external) {
    throw new FeedParseError(
      "refused",
      `refused: the feed declares an external entity (${external[1]!.toUpperCase()} ${external[2]}); external entities are never loaded`,
    );
  }
  throw new FeedParseError(
    "refused",
    "refused: the feed declares a DOCTYPE with entities (possible entity-expansion attack)",
  );
}

// Characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/U+FFFF). Feeds exported from
// word processors carry them; readers drop them rather than refuse the feed.
const INVALID_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
// CDATA sections and comments are left alone when repairing ampersands.
const VERBATIM = /(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/;
const BARE_AMPERSAND = /&(?!(?:#\d{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][\w.-]{0,31});)/g;

/** Drops forbidden characters and escapes ampersands that start no reference. */
export function repairXml(xml: string): string {
  const cleaned = xml.replace(INVALID_CHARS, "");
  if (!cleaned.includes("&")) return cleaned;
  const parts = cleaned.split(VERBATIM);
  // split() with a capturing group puts the verbatim sections at the odd indexes.
  for (let i = 0; i < parts.length; i += 2) parts[i] = parts[i]!.replace(BARE_AMPERSAND, "&amp;");
  return parts.join("");
}

// Made by the first parse rather than at module load, which every cold start pays.
let parser: XMLParser | null = null;
function xmlParser(): XMLParser {
  parser ??= new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    allowBooleanAttributes: true,
    // References are decoded by decodeXmlText below; DOCTYPE entities are never expanded.
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: "#cdata",
    commentPropName: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: false,
    maxNestedTags: 200,
  });
  return parser;
}

/**
 * Parses a feed document into a tree. The caller has already checked the prolog (root name,
 * DOCTYPE) with scanProlog and refuseEntityDeclarations.
 */
export function parseXmlTree(xml: string, documentUrl: string): XmlElement {
  const repaired = repairXml(xml);
  const verdict = XMLValidator.validate(repaired, { allowBooleanAttributes: true });
  if (verdict !== true) throw new FeedParseError("malformed", describeXmlError(verdict.err));
  let ordered: unknown;
  try {
    ordered = xmlParser().parse(repaired);
  } catch (err) {
    throw new FeedParseError(
      "malformed",
      `XML is not well formed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const top = Array.isArray(ordered) ? ordered : [];
  const rootNode = top.find((node) => elementName(node) !== null);
  if (!rootNode) throw new FeedParseError("malformed", "XML is not well formed: no root element");
  const scope: Scope = { namespaces: new Map(), base: documentUrl, explicitBase: false, lang: null };
  return buildElement(rootNode as RawNode, scope);
}

interface ValidationErr {
  code: string;
  msg: string;
  line: number;
  col: number;
}

function describeXmlError(err: ValidationErr): string {
  // Unclosed elements at the end of the input: the validator lists them, at "line 1".
  if (err.code === "InvalidXml" && err.msg.startsWith("Invalid '[")) {
    const open = [...err.msg.matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    return `XML is not well formed: the document ends before ${open.join(", ")} ${open.length === 1 ? "is" : "are"} closed (truncated?)`;
  }
  return `XML is not well formed: line ${err.line}, column ${err.col}: ${err.msg}`;
}

type RawNode = Record<string, unknown>;

interface Scope {
  namespaces: Map<string, string>;
  base: string;
  explicitBase: boolean;
  lang: string | null;
}

function elementName(node: unknown): string | null {
  if (!node || typeof node !== "object") return null;
  for (const key of Object.keys(node)) if (key !== ":@" && key !== "#text" && key !== "#cdata") return key;
  return null;
}

function buildElement(node: RawNode, parent: Scope): XmlElement {
  const name = elementName(node)!;
  const rawAttrs = (node[":@"] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  let namespaces = parent.namespaces;
  for (const [key, value] of Object.entries(rawAttrs)) {
    const decoded = typeof value === "string" ? decodeEntities(value) : "";
    attrs[key] = decoded;
    if (key === "xmlns" || key.startsWith("xmlns:")) {
      if (namespaces === parent.namespaces) namespaces = new Map(parent.namespaces);
      namespaces.set(key === "xmlns" ? "" : key.slice(6), normalizeNamespace(decoded.trim()));
    }
  }
  const colon = name.indexOf(":");
  const prefix = colon > 0 ? name.slice(0, colon) : "";
  const local = colon > 0 ? name.slice(colon + 1) : name;
  const ns = namespaces.get(prefix) ?? (prefix ? (WELL_KNOWN_PREFIXES[prefix] ?? null) : null) ?? null;

  const scope: Scope = { namespaces, base: parent.base, explicitBase: parent.explicitBase, lang: parent.lang };
  const xmlBase = attrs["xml:base"];
  if (xmlBase !== undefined) {
    try {
      scope.base = new URL(xmlBase.trim(), parent.base).href;
      scope.explicitBase = true;
    } catch {
      // An unusable xml:base is ignored; the inherited base still applies.
    }
  }
  const xmlLang = attrs["xml:lang"];
  if (xmlLang !== undefined) scope.lang = xmlLang.trim() || null;

  const children: XmlNode[] = [];
  const rawChildren = node[name];
  if (Array.isArray(rawChildren)) {
    for (const child of rawChildren as RawNode[]) {
      if (typeof child["#text"] === "string") {
        children.push({ kind: "text", text: decodeEntities(child["#text"] as string), cdata: false });
      } else if (Array.isArray(child["#cdata"])) {
        const text = (child["#cdata"] as RawNode[])
          .map((t) => (typeof t["#text"] === "string" ? t["#text"] : ""))
          .join("");
        children.push({ kind: "text", text, cdata: true });
      } else if (elementName(child) !== null) {
        children.push(buildElement(child, scope));
      }
    }
  }
  return {
    kind: "element",
    name,
    local,
    ns,
    attrs,
    children,
    base: scope.base,
    explicitBase: scope.explicitBase,
    lang: scope.lang,
  };
}

// ---------- reading the tree ----------

/** A namespace to match: a URI, null for "no namespace", or a list of those. */
export type NsSpec = string | null | readonly (string | null)[];

function nsMatches(el: XmlElement, spec: NsSpec): boolean {
  return Array.isArray(spec) ? spec.includes(el.ns) : el.ns === spec;
}

/** Child elements with this namespace and local name, in document order. */
export function elements(parent: XmlElement, ns: NsSpec, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of parent.children) if (c.kind === "element" && c.local === local && nsMatches(c, ns)) out.push(c);
  return out;
}

export function first(parent: XmlElement, ns: NsSpec, local: string): XmlElement | null {
  for (const c of parent.children) if (c.kind === "element" && c.local === local && nsMatches(c, ns)) return c;
  return null;
}

/** All character data inside the element (CDATA as written, other text with references decoded). */
export function textOf(el: XmlElement): string {
  let out = "";
  for (const c of el.children) out += c.kind === "text" ? c.text : textOf(c);
  return out;
}

/** Trimmed text of the first matching child, or null when it is missing or blank. */
export function childText(parent: XmlElement, ns: NsSpec, local: string): string | null {
  const el = first(parent, ns, local);
  if (!el) return null;
  const text = textOf(el).trim();
  return text === "" ? null : text;
}

/** An attribute by its name as written ("href", "xml:base"), trimmed; null when absent or blank. */
export function attr(el: XmlElement, name: string): string | null {
  const v = el.attrs[name];
  if (v === undefined) return null;
  const t = v.trim();
  return t === "" ? null : t;
}

/** An attribute by local name whatever its prefix (rdf:about, rdf:resource). */
export function attrByLocal(el: XmlElement, local: string): string | null {
  for (const [key, value] of Object.entries(el.attrs)) {
    const colon = key.indexOf(":");
    if ((colon >= 0 ? key.slice(colon + 1) : key) === local && !key.startsWith("xmlns")) {
      const t = value.trim();
      return t === "" ? null : t;
    }
  }
  return null;
}

/**
 * An element's content as HTML. Text-only content (CDATA or escaped markup, the usual feed
 * forms) is the HTML itself; content with child elements (inline XHTML) is serialized.
 */
export function htmlOf(el: XmlElement): string {
  return el.children.some((c) => c.kind === "element") ? serializeChildren(el, true) : textOf(el);
}

/**
 * Serializes an element's children as HTML. `cdataIsMarkup`: whether CDATA sections hold markup
 * (RSS descriptions with stray inline elements) or text (XHTML content, where CDATA is text).
 */
export function serializeChildren(el: XmlElement, cdataIsMarkup: boolean): string {
  let out = "";
  for (const c of el.children) {
    if (c.kind === "text") out += c.cdata && cdataIsMarkup ? c.text : escapeText(c.text);
    else out += serializeElement(c, cdataIsMarkup);
  }
  return out;
}

function serializeElement(el: XmlElement, cdataIsMarkup: boolean): string {
  // XHTML elements lose their prefix (<xhtml:p> is a <p>); others keep the name as written.
  const tag = el.ns === NS.xhtml ? el.local : el.name;
  let attrs = "";
  for (const [key, value] of Object.entries(el.attrs)) {
    if (key === "xmlns" || key.startsWith("xmlns:") || key === "xml:base" || key === "xml:lang") continue;
    attrs += ` ${key}="${escapeAttribute(value)}"`;
  }
  if (VOID_ELEMENTS.has(tag.toLowerCase())) return `<${tag}${attrs}>`;
  return `<${tag}${attrs}>${serializeChildren(el, cdataIsMarkup)}</${tag}>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
