/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) read into its own shape. Fields of
 * the wrong JSON type are treated as absent rather than failing the feed; 1.0's single `author`
 * and 1.1's `authors` array are both kept (1.1 readers must still read `author`).
 */
import { FeedParseError } from "./errors";

export interface JsonFeedAuthor {
  name: string | null;
  url: string | null;
  avatar: string | null;
}

export interface JsonFeedAttachment {
  url: string;
  mimeType: string | null;
}

export interface JsonFeedItem {
  /** Required by the spec; some 1.0 feeds write a number, which is kept as its string. */
  id: string | null;
  url: string | null;
  externalUrl: string | null;
  title: string | null;
  contentHtml: string | null;
  contentText: string | null;
  summary: string | null;
  image: string | null;
  bannerImage: string | null;
  datePublished: string | null;
  dateModified: string | null;
  author: JsonFeedAuthor | null;
  authors: JsonFeedAuthor[];
  tags: string[];
  language: string | null;
  attachments: JsonFeedAttachment[];
}

export interface JsonFeedDocument {
  /** "1" or "1.1" when the version URL says so; null for a feed that omits it. */
  version: string | null;
  title: string | null;
  homePageUrl: string | null;
  feedUrl: string | null;
  language: string | null;
  author: JsonFeedAuthor | null;
  authors: JsonFeedAuthor[];
  items: JsonFeedItem[];
}

const VERSION = /^https?:\/\/jsonfeed\.org\/version\/(\d+(?:\.\d+)?)\/?$/;

export function readJsonFeed(text: string): JsonFeedDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FeedParseError("malformed", `JSON is not valid: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(doc)) throw new FeedParseError("not-a-feed", "not a feed: the JSON document is not an object");
  const versionUrl = str(doc.version);
  const version = versionUrl ? (VERSION.exec(versionUrl)?.[1] ?? null) : null;
  if (versionUrl && !version) {
    throw new FeedParseError(
      "not-a-feed",
      `not a feed: JSON with version "${versionUrl.slice(0, 80)}", not a JSON Feed version URL`,
    );
  }
  if (!Array.isArray(doc.items)) {
    throw new FeedParseError(
      "not-a-feed",
      versionUrl
        ? "not a feed: the JSON Feed has no items array"
        : "not a feed: JSON without a JSON Feed version or items",
    );
  }
  return {
    version,
    title: str(doc.title),
    homePageUrl: str(doc.home_page_url),
    feedUrl: str(doc.feed_url),
    language: str(doc.language),
    author: author(doc.author),
    authors: authors(doc.authors),
    items: doc.items.filter(isObject).map(readItem),
  };
}

function readItem(item: Record<string, unknown>): JsonFeedItem {
  const id = typeof item.id === "number" && Number.isFinite(item.id) ? String(item.id) : str(item.id);
  return {
    id,
    url: str(item.url),
    externalUrl: str(item.external_url),
    title: str(item.title),
    contentHtml: str(item.content_html),
    contentText: str(item.content_text),
    summary: str(item.summary),
    image: str(item.image),
    bannerImage: str(item.banner_image),
    datePublished: str(item.date_published),
    dateModified: str(item.date_modified),
    author: author(item.author),
    authors: authors(item.authors),
    tags: Array.isArray(item.tags) ? item.tags.map(str).filter((t): t is string => t !== null) : [],
    language: str(item.language),
    attachments: Array.isArray(item.attachments)
      ? item.attachments.filter(isObject).flatMap((a) => {
          const url = str(a.url);
          return url ? [{ url, mimeType: str(a.mime_type) }] : [];
        })
      : [],
  };
}

function author(value: unknown): JsonFeedAuthor | null {
  if (!isObject(value)) return null;
  const a = { name: str(value.name), url: str(value.url), avatar: str(value.avatar) };
  return a.name || a.url || a.avatar ? a : null;
}

function authors(value: unknown): JsonFeedAuthor[] {
  return Array.isArray(value) ? value.map(author).filter((a): a is JsonFeedAuthor => a !== null) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-blank string, trimmed; anything else is null. */
function str(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const t = value.trim();
  return t === "" ? null : t;
}
