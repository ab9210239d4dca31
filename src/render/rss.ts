/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification) as one string, built in a single pass.
 *
 * Choices the RSS spec leaves open, made here on purpose:
 * - <guid isPermaLink="false"> carries the same stable identifier as Atom <id> and JSON Feed `id`
 *   (see itemIdentifier): it is not the item URL, so it must not claim to be a permalink.
 * - Authors are `dc:creator`, one per name: RSS <author> must be an e-mail address and we only
 *   know names.
 * - The image is `media:content medium="image"` (Media RSS), not <enclosure>: RSS requires an
 *   enclosure's byte length and MIME type, which we do not know and will not invent.
 * - <description> is HTML (RSS readers render it), so the plain-text summary is HTML-escaped
 *   before XML escaping. Without a summary it is a short excerpt of the content.
 * - Categories carry display names (readers show the text) with a `domain` naming the vocabulary.
 */
import type { Item } from "../model/item";
import { itemCategories, itemIdentifier, sourceCredit } from "./common";
import { rfc822 } from "./dates";
import type { FeedDocument } from "./document";
import type { OutputFormat } from "./format";
import { cdata, escapeAttribute, escapePlainTextAsHtml, escapeText, mediaImage, textElement, xmlProlog } from "./xml";

const RSS_OPEN =
  '<rss version="2.0"' +
  ' xmlns:atom="http://www.w3.org/2005/Atom"' +
  ' xmlns:dc="http://purl.org/dc/elements/1.1/"' +
  ' xmlns:content="http://purl.org/rss/1.0/modules/content/"' +
  ' xmlns:media="http://search.yahoo.com/mrss/">';

/** Longest description excerpt taken from the content, in characters, before the ellipsis. */
export const EXCERPT_LENGTH = 300;

export const rssFormat: OutputFormat = {
  extension: "rss",
  mediaType: "application/rss+xml",
  label: "RSS",
  xml: true,
  render: renderRss,
};

export function renderRss(doc: FeedDocument): string {
  const out = xmlProlog(doc.stylesheetUrl);
  out.push(RSS_OPEN, "<channel>");
  out.push(textElement("title", doc.title));
  out.push(textElement("link", doc.homePageUrl));
  out.push(textElement("description", doc.description));
  if (doc.language !== null) out.push(textElement("language", doc.language));
  out.push(`<lastBuildDate>${rfc822(doc.updated)}</lastBuildDate>`);
  out.push(`<ttl>${doc.ttlMinutes}</ttl>`);
  out.push("<generator>Caravan</generator>");
  out.push(atomLink("self", doc.selfUrl, rssFormat.mediaType));
  if (doc.nextUrl !== null) out.push(atomLink("next", doc.nextUrl, rssFormat.mediaType));
  if (doc.hubUrl !== null) out.push(atomLink("hub", doc.hubUrl, null));
  const context: ItemContext = { doc, categoryXml: new Map(), sourceXml: new Map() };
  for (const item of doc.items) renderItem(out, context, item);
  out.push("</channel>", "</rss>");
  return out.join("\n");
}

function atomLink(rel: string, href: string, type: string | null): string {
  const typeAttribute = type === null ? "" : ` type="${type}"`;
  return `<atom:link rel="${rel}"${typeAttribute} href="${escapeAttribute(href)}"/>`;
}

/**
 * Per-render memo of the XML for categories and sources: a feed is usually about one region or
 * topic, so most items repeat the same few of each, and escaping them again for every item was
 * a measurable share of the render. Scoped to one call, so nothing outlives it.
 */
interface ItemContext {
  doc: FeedDocument;
  categoryXml: Map<string, string>;
  sourceXml: Map<string, string>;
}

function renderItem(out: string[], context: ItemContext, item: Item): void {
  const { doc } = context;
  out.push("<item>");
  out.push(textElement("title", item.title));
  out.push(textElement("link", item.url));
  out.push(`<guid isPermaLink="false">${escapeText(itemIdentifier(item))}</guid>`);
  const description = descriptionXml(item);
  if (description !== null) out.push(`<description>${description}</description>`);
  if (item.contentHtml !== null) {
    out.push(`<content:encoded>${cdata(item.contentHtml)}</content:encoded>`);
  }
  out.push(`<pubDate>${rfc822(item.publishedAt)}</pubDate>`);
  for (const author of item.authors) out.push(textElement("dc:creator", author));
  if (doc.language === null || item.language !== doc.language) {
    out.push(textElement("dc:language", item.language));
  }
  for (const category of itemCategories(item)) {
    const key = `${category.scheme ?? ""} ${category.term}`;
    let xml = context.categoryXml.get(key);
    if (xml === undefined) {
      // The scheme is one of our own URN constants: nothing in it needs escaping.
      const domain = category.scheme === null ? "" : ` domain="${category.scheme}"`;
      xml = `<category${domain}>${escapeText(category.label)}</category>`;
      context.categoryXml.set(key, xml);
    }
    out.push(xml);
  }
  if (item.image !== null) out.push(mediaImage(item.image.url, item.image.caption));
  let sourceXml = context.sourceXml.get(item.sourceId);
  if (sourceXml === undefined) {
    const source = sourceCredit(doc, item);
    // RSS requires <source url>; without a known home page the element is left out.
    sourceXml =
      source.homepage === null
        ? ""
        : `<source url="${escapeAttribute(source.homepage)}">${escapeText(source.name)}</source>`;
    context.sourceXml.set(item.sourceId, sourceXml);
  }
  if (sourceXml !== "") out.push(sourceXml);
  out.push("</item>");
}

/**
 * The item's <description>, ready to insert: HTML (readers render it) of the summary, else an
 * excerpt of the content's text, else none (content with no text, such as a lone image, too).
 */
function descriptionXml(item: Item): string | null {
  if (item.summary !== null) return escapePlainTextAsHtml(item.summary);
  if (item.contentHtml === null) return null;
  const excerpt = htmlExcerpt(item.contentHtml, EXCERPT_LENGTH);
  return excerpt === "" ? null : escapeText(excerpt);
}

const TAG_OR_COMMENT = /<!--[\s\S]*?-->|<[^>]*>/g;
const WHITESPACE_RUN = /\s+/g;
const TRAILING_ENTITY_PREFIX = /&#?[a-z0-9]*$/i;

/**
 * The first `limit` characters of the text of some HTML, cut at a word boundary, as HTML text
 * (entities from the source stay as they are, and a cut never splits one). Tags are dropped, not
 * parsed: an excerpt only has to be readable, and the full content is in content:encoded.
 */
export function htmlExcerpt(html: string, limit: number): string {
  // Only the head of the document can reach the excerpt. Markup makes the HTML longer than its
  // text, so take a generous slice rather than stripping tags from all of a long article.
  const sliceLength = limit * 8;
  const sliced = html.length > sliceLength;
  let text = (sliced ? html.slice(0, sliceLength) : html)
    .replace(TAG_OR_COMMENT, " ")
    .replace(WHITESPACE_RUN, " ")
    .trim();
  if (sliced) {
    // The slice may end inside a tag ("<a hre"), which the pattern above cannot match.
    const openTag = text.lastIndexOf("<");
    if (openTag !== -1) text = text.slice(0, openTag).trimEnd();
  } else if (text.length <= limit) {
    return text;
  }
  const space = text.lastIndexOf(" ", limit);
  // No space to cut at (one enormous word): cut mid-word, but never inside an entity.
  const excerpt = space > 0 ? text.slice(0, space) : text.slice(0, limit).replace(TRAILING_ENTITY_PREFIX, "");
  return `${excerpt.trimEnd()}…`;
}
