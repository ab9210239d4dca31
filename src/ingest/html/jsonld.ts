import { cleanText } from "./entities";

/** What the article node of a page's JSON-LD says, as plain strings (not yet validated). */
export interface JsonLdArticle {
  headline: string | null;
  description: string | null;
  authors: string[];
  datePublished: string | null;
  dateModified: string | null;
  images: { url: string; caption: string | null }[];
  inLanguage: string | null;
  url: string | null;
  sections: string[];
  keywords: string[];
}

/** schema.org types that describe a story (Article and the subtypes news sites use). */
const ARTICLE_TYPES = new Set([
  "Article",
  "NewsArticle",
  "ReportageNewsArticle",
  "AnalysisNewsArticle",
  "OpinionNewsArticle",
  "BackgroundNewsArticle",
  "ReviewNewsArticle",
  "AskPublicNewsArticle",
  "BlogPosting",
  "LiveBlogPosting",
  "Report",
  "SatiricalArticle",
  "TechArticle",
]);

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: JsonValue | undefined): JsonValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function hasArticleType(node: JsonObject): boolean {
  return asArray(node["@type"]).some((t) => typeof t === "string" && ARTICLE_TYPES.has(t.replace(/^.*[/#:]/, "")));
}

/** Parses one script's text; pages wrap it in comments or CDATA markers at times. */
function parseScript(text: string): JsonValue | undefined {
  const cleaned = text
    .trim()
    .replace(/^(?:<!--|\/\/\s*<!\[CDATA\[|<!\[CDATA\[)/, "")
    .replace(/(?:-->|\/\/\s*\]\]>|\]\]>)$/, "")
    .trim();
  if (cleaned === "") return undefined;
  try {
    return JSON.parse(cleaned) as JsonValue;
  } catch {
    return undefined;
  }
}

/** Every object in the document, walking arrays and `@graph` lists, for `@id` look-ups. */
function collectNodes(root: JsonValue, into: JsonObject[]): void {
  for (const item of asArray(root)) {
    if (!isObject(item)) continue;
    into.push(item);
    if (item["@graph"] !== undefined) collectNodes(item["@graph"], into);
  }
}

function text(value: JsonValue | undefined): string | null {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return null;
  const cleaned = cleanText(value);
  return cleaned === "" ? null : cleaned;
}

/** Builds the reader for a set of scripts' texts; the first article node found wins. */
export function readJsonLd(scripts: readonly string[]): JsonLdArticle | null {
  const nodes: JsonObject[] = [];
  for (const script of scripts) {
    const parsed = parseScript(script);
    if (parsed !== undefined) collectNodes(parsed, nodes);
  }
  const article = nodes.find(hasArticleType);
  if (!article) return null;

  const byId = new Map<string, JsonObject>();
  for (const node of nodes) if (typeof node["@id"] === "string") byId.set(node["@id"], node);
  /** A `{"@id": ...}` reference is replaced by the node it names, when the page has it. */
  const deref = (value: JsonValue): JsonValue => {
    if (isObject(value) && typeof value["@id"] === "string" && Object.keys(value).length === 1) {
      return byId.get(value["@id"]) ?? value;
    }
    return value;
  };

  const authors: string[] = [];
  for (const raw of asArray(article.author ?? article.creator)) {
    const author = deref(raw);
    const name = typeof author === "string" ? text(author) : isObject(author) ? text(author.name) : null;
    if (name) authors.push(name);
  }

  const images: { url: string; caption: string | null }[] = [];
  for (const raw of asArray(article.image)) {
    const image = deref(raw);
    if (typeof image === "string") images.push({ url: image.trim(), caption: null });
    else if (isObject(image)) {
      const url =
        typeof image.url === "string" ? image.url : typeof image.contentUrl === "string" ? image.contentUrl : null;
      if (url) images.push({ url: url.trim(), caption: text(image.caption) ?? null });
    }
  }

  const mainEntity = deref(article.mainEntityOfPage ?? null);
  const url =
    text(article.url) ??
    (typeof mainEntity === "string" ? text(mainEntity) : isObject(mainEntity) ? text(mainEntity["@id"]) : null);

  return {
    headline: text(article.headline) ?? text(article.name),
    description: text(article.description),
    authors,
    datePublished: text(article.datePublished),
    dateModified: text(article.dateModified),
    images,
    inLanguage: isObject(article.inLanguage) ? text(article.inLanguage.alternateName) : text(article.inLanguage),
    url,
    sections: asArray(article.articleSection)
      .map((s) => text(s))
      .filter((s): s is string => s !== null),
    keywords: asArray(article.keywords)
      .flatMap((k) => (typeof k === "string" ? k.split(",") : []))
      .map((k) => cleanText(k))
      .filter((k) => k.length > 0),
  };
}
