/**
 * RSS 1.0 (RDF Site Summary) and RSS 0.90 read into their own shape. Items are siblings of the
 * channel under rdf:RDF, each naming itself with rdf:about; metadata comes from Dublin Core.
 */
import { entryImage } from "./media";
import { NS } from "./namespaces";
import type { FeedImage } from "./types";
import { attrByLocal, childText, elements, first, htmlOf, textOf, type XmlElement } from "./xml";

/** RSS 1.0 and 0.90 element namespaces; no namespace is accepted from sloppy generators. */
export const RDF_CORE = [NS.rss1, NS.rss090, null] as const;

export interface RdfItem {
  about: string | null;
  title: string | null;
  link: string | null;
  description: string | null;
  contentEncoded: string | null;
  dcDate: string | null;
  dcCreators: string[];
  dcSubjects: string[];
  dcLanguage: string | null;
  image: FeedImage | null;
  base: string;
  explicitBase: boolean;
}

export interface RdfDocument {
  about: string | null;
  title: string | null;
  link: string | null;
  description: string | null;
  dcLanguage: string | null;
  xmlLang: string | null;
  base: string;
  explicitBase: boolean;
  items: RdfItem[];
}

export function readRdf(root: XmlElement): RdfDocument {
  const channel = first(root, RDF_CORE, "channel");
  // Items belong beside the channel; a few generators nest them inside it.
  const items = [...elements(root, RDF_CORE, "item"), ...(channel ? elements(channel, RDF_CORE, "item") : [])];
  return {
    about: channel ? attrByLocal(channel, "about") : null,
    title: channel ? childText(channel, RDF_CORE, "title") : null,
    link: channel ? childText(channel, RDF_CORE, "link") : null,
    description: channel ? childText(channel, RDF_CORE, "description") : null,
    dcLanguage: channel ? childText(channel, NS.dc, "language") : null,
    xmlLang: root.lang,
    base: (channel ?? root).base,
    explicitBase: (channel ?? root).explicitBase,
    items: items.map(readItem),
  };
}

function readItem(item: XmlElement): RdfItem {
  const title = first(item, RDF_CORE, "title");
  const description = first(item, RDF_CORE, "description");
  const content = first(item, NS.content, "encoded");
  return {
    about: attrByLocal(item, "about"),
    title: title ? htmlOf(title) : null,
    link: childText(item, RDF_CORE, "link"),
    description: description && htmlOf(description).trim() ? htmlOf(description) : null,
    contentEncoded: content && htmlOf(content).trim() ? htmlOf(content) : null,
    dcDate: childText(item, NS.dc, "date"),
    dcCreators: elements(item, NS.dc, "creator")
      .map((el) => textOf(el).trim())
      .filter(Boolean),
    dcSubjects: elements(item, NS.dc, "subject")
      .map((el) => textOf(el).trim())
      .filter(Boolean),
    dcLanguage: childText(item, NS.dc, "language"),
    image: entryImage(item, []),
    base: item.base,
    explicitBase: item.explicitBase,
  };
}
