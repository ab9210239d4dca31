/**
 * The output formats, in the order pages and documents list them. Everything that names a
 * format (routes, the API's feed URLs, OPML, the index page, alternate links, the HTML
 * rendition, WebSub topics) reads this list; a new format is its module plus one line here.
 */
import { atomFormat } from "./atom";
import type { OutputFormat } from "./format";
import { jsonFeedFormat } from "./jsonfeed";
import { rssFormat } from "./rss";

export const OUTPUT_FORMATS: readonly OutputFormat[] = [rssFormat, atomFormat, jsonFeedFormat];

/** The format OPML and the HTML pages offer first to people subscribing in a reader. */
export const SUBSCRIPTION_FORMAT: OutputFormat = atomFormat;

const byExtension = new Map(OUTPUT_FORMATS.map((f) => [f.extension, f]));

export function formatByExtension(extension: string): OutputFormat | undefined {
  return byExtension.get(extension);
}

export function formatExtensions(): string[] {
  return OUTPUT_FORMATS.map((f) => f.extension);
}

/** A feed's URL in one format: `<origin><path>.<extension>` plus the query, if any. */
export function feedUrl(origin: string, path: string, format: OutputFormat, query = ""): string {
  return `${origin}${path}.${format.extension}${query ? `?${query}` : ""}`;
}
