/**
 * RSS 2.0 (and its 0.9x ancestors) read into RSS's own shape. Extensions that real feeds lean
 * on are read too: content:encoded, dc:creator / dc:date / dc:subject / dc:language, Media RSS,
 * atom:link and feedburner:origLink. Values stay as written; the adapter decides what they mean.
 */
import { type Enclosure, entryImage, rssEnclosures } from "./media";
import { NS } from "./namespaces";
import type { FeedImage } from "./types";
import { attr, childText, elements, first, htmlOf, textOf, type XmlElement } from "./xml";

/** RSS 2.0 elements are in no namespace; two old drafts of RSS 2.0 gave them one. */
export const RSS_CORE = [null, "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss"] as const;

export interface RssLink {
  href: string;
  rel: string | null;
  type: string | null;
}

export interface RssItem {
  /** As written: RSS titles are HTML-ish (entities, sometimes tags). */
  title: string | null;
  link: string | null;
  atomLinks: RssLink[];
  feedburnerOrigLink: string | null;
  guid: { value: string; isPermaLink: boolean } | null;
  /** HTML. */
  description: string | null;
  /** HTML (content:encoded). */
  contentEncoded: string | null;
  pubDate: string | null;
  dcDate: string | null;
  /** atom:updated or dcterms:modified. */
  modified: string | null;
  author: string | null;
  dcCreators: string[];
  categories: string[];
  dcSubjects: string[];
  enclosures: Enclosure[];
  image: FeedImage | null;
  dcLanguage: string | null;
  /** xml:lang written on the item itself. */
  xmlLang: string | null;
  /** The item's xml:base-resolved base, and whether any xml:base applies. */
  base: string;
  explicitBase: boolean;
}

export interface RssChannel {
  version: string | null;
  title: string | null;
  link: string | null;
  description: string | null;
  language: string | null;
  dcLanguage: string | null;
  xmlLang: string | null;
  base: string;
  explicitBase: boolean;
  items: RssItem[];
}

export function readRss(root: XmlElement): RssChannel {
  const channel = first(root, RSS_CORE, "channel") ?? root;
  // RSS 0.9x feeds sometimes put <item> beside <channel>, not inside it.
  const itemElements = [
    ...elements(channel, RSS_CORE, "item"),
    ...(channel === root ? [] : elements(root, RSS_CORE, "item")),
  ];
  return {
    version: attr(root, "version"),
    title: childText(channel, RSS_CORE, "title"),
    link: childText(channel, RSS_CORE, "link"),
    description: childText(channel, RSS_CORE, "description"),
    language: childText(channel, RSS_CORE, "language"),
    dcLanguage: childText(channel, NS.dc, "language"),
    xmlLang: channel.lang,
    base: channel.base,
    explicitBase: channel.explicitBase,
    items: itemElements.map(readItem),
  };
}

function readItem(item: XmlElement): RssItem {
  const guidEl = first(item, RSS_CORE, "guid");
  const guidValue = guidEl ? textOf(guidEl).trim() : "";
  const enclosures = rssEnclosures(item, RSS_CORE);
  return {
    title: htmlText(first(item, RSS_CORE, "title")),
    link: childText(item, RSS_CORE, "link"),
    atomLinks: elements(item, NS.atom, "link").flatMap((l) => {
      const href = attr(l, "href");
      return href ? [{ href, rel: attr(l, "rel"), type: attr(l, "type") }] : [];
    }),
    feedburnerOrigLink: childText(item, NS.feedburner, "origLink"),
    guid: guidValue ? { value: guidValue, isPermaLink: attr(guidEl!, "isPermaLink")?.toLowerCase() !== "false" } : null,
    description: htmlText(first(item, RSS_CORE, "description")),
    contentEncoded: htmlText(first(item, NS.content, "encoded")),
    pubDate: childText(item, RSS_CORE, "pubDate"),
    dcDate: childText(item, NS.dc, "date"),
    modified: childText(item, NS.atom, "updated") ?? childText(item, NS.dcterms, "modified"),
    author: childText(item, RSS_CORE, "author"),
    dcCreators: texts(item, NS.dc, "creator"),
    categories: texts(item, RSS_CORE, "category"),
    dcSubjects: texts(item, NS.dc, "subject"),
    enclosures,
    image: entryImage(item, enclosures),
    dcLanguage: childText(item, NS.dc, "language"),
    xmlLang: attr(item, "xml:lang"),
    base: item.base,
    explicitBase: item.explicitBase,
  };
}

function htmlText(el: XmlElement | null): string | null {
  if (!el) return null;
  const html = htmlOf(el);
  return html.trim() === "" ? null : html;
}

function texts(parent: XmlElement, ns: string | null | readonly (string | null)[], local: string): string[] {
  return elements(parent, ns, local)
    .map((el) => textOf(el).trim())
    .filter((t) => t !== "");
}
