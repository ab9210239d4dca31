/**
 * XML namespaces feeds use. Elements are matched by namespace URI and local name, never by the
 * prefix a feed happens to write, so `<dc:creator>` and `<dublin:creator>` bound to the same URI
 * read the same. Prefixes a feed uses without declaring them (a common mistake: `media:content`
 * with no `xmlns:media`) fall back to the conventional binding below, as lenient readers do.
 */
export const NS = {
  atom: "http://www.w3.org/2005/Atom",
  atom03: "http://purl.org/atom/ns#",
  content: "http://purl.org/rss/1.0/modules/content/",
  dc: "http://purl.org/dc/elements/1.1/",
  dcterms: "http://purl.org/dc/terms/",
  media: "http://search.yahoo.com/mrss/",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rss1: "http://purl.org/rss/1.0/",
  rss090: "http://my.netscape.com/rdf/simple/0.9/",
  feedburner: "http://rssnamespace.org/feedburner/ext/1.0",
  xhtml: "http://www.w3.org/1999/xhtml",
  xml: "http://www.w3.org/XML/1998/namespace",
} as const;

/** Conventional prefix bindings, used only for prefixes the document does not declare. */
export const WELL_KNOWN_PREFIXES: Readonly<Record<string, string>> = {
  xml: NS.xml,
  atom: NS.atom,
  content: NS.content,
  dc: NS.dc,
  dcterms: NS.dcterms,
  media: NS.media,
  rdf: NS.rdf,
  feedburner: NS.feedburner,
  xhtml: NS.xhtml,
};

/**
 * Some feeds bind Media RSS to the URI without its trailing slash (and a few to other spellings);
 * namespace URIs are compared after this normalization so those read as Media RSS too.
 */
export function normalizeNamespace(uri: string): string {
  if (uri === "http://search.yahoo.com/mrss" || uri === "https://search.yahoo.com/mrss/") return NS.media;
  if (uri === "http://purl.org/dc/elements/1.1") return NS.dc;
  return uri;
}
