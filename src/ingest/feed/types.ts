/**
 * The one shape every feed format is adapted into (as Miniflux does: format-specific readers,
 * then adapters). Text fields are plain text; HTML fields are UNSANITIZED (the pipeline runs
 * src/ingest/sanitize.ts over them with `baseUrl`); dates stay as the feed wrote them (the
 * pipeline reads them with parseSourceDate in the source's time zone).
 */
/** Which feed format a fetched document was written in (the output formats are src/sources/feeds.ts). */
export type FeedDialect = "rss2" | "rss1" | "atom" | "jsonfeed";

export interface FeedImage {
  url: string;
  caption: string | null;
}

/** One entry of a fetched feed, whatever its dialect: the `feed` kind's story. */
export interface RawEntry {
  /** Absolute http(s) link to the story. */
  url: string;
  /** The feed's own id (RSS guid, Atom id, RDF rdf:about, JSON Feed id), or null when it gives none. */
  guid: string | null;
  /** Plain text: references decoded, tags stripped, whitespace collapsed. Never empty. */
  title: string;
  summaryHtml: string | null;
  contentHtml: string | null;
  authors: string[];
  /** Publication date text; for Atom, <published>, else <updated>. */
  publishedText: string | null;
  updatedText: string | null;
  /** The source's own category / tag names, as written (plain text, unique). */
  categories: string[];
  image: FeedImage | null;
  /** The entry's language (dc:language, xml:lang, JSON Feed language), or null. */
  language: string | null;
  /** Base URL for relative references inside summaryHtml / contentHtml (xml:base aware). */
  baseUrl: string;
}

export interface ParsedFeed {
  format: FeedDialect;
  title: string | null;
  /** The site the feed belongs to (RSS channel link, Atom alternate link, JSON home_page_url). */
  homePageUrl: string | null;
  language: string | null;
  entries: RawEntry[];
  /** Entries dropped because they had no usable link or no title. */
  skipped: number;
}
