/**
 * Atom 1.0 (RFC 4287) as one string, built in a single pass.
 *
 * - <id> of an entry is the same stable identifier RSS and JSON Feed use (see itemIdentifier).
 * - Every entry needs an author (the feed has none of its own): an item without named authors is
 *   credited to its source, e.g. <author><name>Eurasianet</name></author>.
 * - The feed's <updated> is the document's date: the newest item change, or for an empty feed the
 *   date its catalog entry last changed (never the clock, never 1970).
 * - <source> on each entry names the origin (id of Caravan's feed of that source, title, home page
 *   link, updated), as RFC 4287 §4.2.11 intends for aggregated entries.
 * - The image is `media:content medium="image"`, the same Media RSS element as in RSS.
 */
import type { Item } from "../model/item";
import { itemCategories, itemIdentifier, sourceCredit } from "./common";
import { rfc3339 } from "./dates";
import type { FeedDocument } from "./document";
import type { OutputFormat } from "./format";
import { cdata, escapeAttribute, escapeText, mediaImage, textElement, xmlProlog } from "./xml";

const ATOM_NAMESPACE = "http://www.w3.org/2005/Atom";
const MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/";

export const atomFormat: OutputFormat = {
  extension: "atom",
  mediaType: "application/atom+xml",
  label: "Atom",
  xml: true,
  render: renderAtom,
};

export function renderAtom(doc: FeedDocument): string {
  const out = xmlProlog(doc.stylesheetUrl);
  const lang = doc.language === null ? "" : ` xml:lang="${escapeAttribute(doc.language)}"`;
  out.push(`<feed xmlns="${ATOM_NAMESPACE}" xmlns:media="${MEDIA_NAMESPACE}"${lang}>`);
  out.push(textElement("id", doc.id));
  out.push(`<title type="text">${escapeText(doc.title)}</title>`);
  if (doc.description !== "") out.push(`<subtitle type="text">${escapeText(doc.description)}</subtitle>`);
  out.push(`<updated>${rfc3339(doc.updated)}</updated>`);
  // The HTML page comes first: readers that take "the first alternate" get the page for people.
  out.push(link("alternate", doc.homePageUrl, "text/html"));
  for (const alternate of doc.alternates) {
    if (alternate.mediaType !== atomFormat.mediaType) out.push(link("alternate", alternate.href, alternate.mediaType));
  }
  out.push(link("self", doc.selfUrl, atomFormat.mediaType));
  if (doc.nextUrl !== null) out.push(link("next", doc.nextUrl, atomFormat.mediaType));
  if (doc.hubUrl !== null) out.push(link("hub", doc.hubUrl, null));
  out.push("<generator>Caravan</generator>");
  const context: EntryContext = { doc, categoryXml: new Map(), sourceXml: new Map() };
  for (const item of doc.items) renderEntry(out, context, item);
  out.push("</feed>");
  return out.join("\n");
}

function link(rel: string, href: string, type: string | null): string {
  const typeAttribute = type === null ? "" : ` type="${type}"`;
  return `<link rel="${rel}"${typeAttribute} href="${escapeAttribute(href)}"/>`;
}

/**
 * Per-render memo of the XML for categories and for each source's fallback author and <source>
 * element: items of one feed mostly share them, and escaping them again for every entry was a
 * measurable share of the render. Scoped to one call, so nothing outlives it.
 */
interface EntryContext {
  doc: FeedDocument;
  categoryXml: Map<string, string>;
  sourceXml: Map<string, SourceXml>;
}

interface SourceXml {
  author: string;
  /** <source> up to its <updated>, which is the entry's own; null when no <source> is written. */
  sourceHead: string | null;
}

function renderEntry(out: string[], context: EntryContext, item: Item): void {
  const { doc } = context;
  const lang =
    doc.language === null || item.language !== doc.language ? ` xml:lang="${escapeAttribute(item.language)}"` : "";
  out.push(`<entry${lang}>`);
  out.push(textElement("id", itemIdentifier(item)));
  out.push(`<title type="text">${escapeText(item.title)}</title>`);
  out.push(link("alternate", item.url, "text/html"));
  out.push(`<published>${rfc3339(item.publishedAt)}</published>`);
  const updated = rfc3339(item.updatedAt);
  out.push(`<updated>${updated}</updated>`);
  const sourceXml = sourceElements(context, item);
  if (item.authors.length === 0) out.push(sourceXml.author);
  for (const name of item.authors) out.push(`<author><name>${escapeText(name)}</name></author>`);
  if (item.summary !== null) out.push(`<summary type="text">${escapeText(item.summary)}</summary>`);
  if (item.contentHtml !== null) {
    out.push(`<content type="html">${cdata(item.contentHtml)}</content>`);
  }
  for (const category of itemCategories(item)) {
    const key = `${category.scheme ?? ""} ${category.term}`;
    let xml = context.categoryXml.get(key);
    if (xml === undefined) {
      // The scheme is one of our own URN constants: nothing in it needs escaping.
      const scheme = category.scheme === null ? "" : ` scheme="${category.scheme}"`;
      xml = `<category term="${escapeAttribute(category.term)}"${scheme} label="${escapeAttribute(category.label)}"/>`;
      context.categoryXml.set(key, xml);
    }
    out.push(xml);
  }
  if (item.image !== null) out.push(mediaImage(item.image.url, item.image.caption));
  // The source feed last changed when it last carried this entry: the entry's own date keeps
  // the bytes a function of the items alone.
  if (sourceXml.sourceHead !== null) out.push(sourceXml.sourceHead, `<updated>${updated}</updated>`, "</source>");
  out.push("</entry>");
}

/** The author element crediting the source (for entries without authors) and the <source> element. */
function sourceElements(context: EntryContext, item: Item): SourceXml {
  let xml = context.sourceXml.get(item.sourceId);
  if (xml === undefined) {
    const source = sourceCredit(context.doc, item);
    const name = escapeText(source.name);
    xml = { author: `<author><name>${name}</name></author>`, sourceHead: null };
    // RFC 4287 §4.2.11: a <source> should carry the source feed's id and updated; without a feed
    // id for the source (the document does not describe it) the element is left out.
    if (source.feedId !== null && source.homepage !== null) {
      xml.sourceHead = [
        "<source>",
        textElement("id", source.feedId),
        `<title type="text">${name}</title>`,
        link("alternate", source.homepage, "text/html"),
      ].join("\n");
    }
    context.sourceXml.set(item.sourceId, xml);
  }
  return xml;
}
