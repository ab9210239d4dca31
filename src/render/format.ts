import type { FeedDocument } from "./document";

/**
 * One output format of Caravan's feeds (RSS, Atom, JSON Feed). A format module declares one of
 * these next to its renderer, and formats.ts lists them: routes, the catalog's URLs, OPML, the
 * index page, alternate links, the HTML rendition and the API all read the list, so adding a
 * format is one module and one line there (docs/adding-a-format.md).
 */
export interface OutputFormat {
  /** The URL's file extension, which is also the format's id: /feeds/all.<extension>. */
  extension: string;
  /** The media type without parameters: Content-Type, <link type>, autodiscovery. */
  mediaType: string;
  /** The name people read ("RSS", "JSON Feed"). */
  label: string;
  /** Whether the document is XML that can carry an xml-stylesheet instruction for browsers. */
  xml: boolean;
  render(doc: FeedDocument): string;
}

/** Every text answer is UTF-8: the Content-Type header of a format. */
export function contentTypeOf(format: Pick<OutputFormat, "mediaType">): string {
  return `${format.mediaType}; charset=utf-8`;
}
