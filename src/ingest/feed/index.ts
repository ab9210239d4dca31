/**
 * The `feed` source kind: RSS 2.0, RSS 1.0 (RDF), Atom 1.0 and JSON Feed 1.0/1.1 documents read
 * into one ParsedFeed. The body arrives decoded (src/ingest/fetch/decode.ts decodeBody: Content-Type
 * charset, else the XML declaration); a body that cannot be read throws a FeedParseError whose
 * message an operator can act on. Nothing here throws anything else for bad input.
 */
import { adaptAtom, adaptJsonFeed, adaptRdf, adaptRss } from "./adapters";
import { readAtom } from "./atom";
import { FeedParseError } from "./errors";
import { readJsonFeed } from "./jsonfeed";
import { NS } from "./namespaces";
import { readRdf } from "./rdf";
import { readRss } from "./rss";
import type { ParsedFeed } from "./types";
import { parseXmlTree, refuseEntityDeclarations, scanProlog } from "./xml";

export { type FeedErrorKind, FeedParseError } from "./errors";
export type { FeedDialect, FeedImage, ParsedFeed, RawEntry } from "./types";

/** Smaller 200 answers are failures, not empty feeds (RFE/RL was seen answering 11 bytes). */
export const DEFAULT_MIN_BODY_BYTES = 64;

/** Accept header for feed requests: feed types first, any XML or JSON after. */
export const FEED_ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, */*;q=0.1";

export interface ParseFeedOptions {
  /** Bodies smaller than this many bytes (UTF-8) are refused; default 64. */
  minBodyBytes?: number;
}

/**
 * Detects the format (JSON by a leading "{"; XML by its root: rss, rdf:RDF, feed) and reads the
 * document. `feedUrl` is the URL the body came from: relative links resolve against it.
 */
export function parseFeedDocument(body: string, feedUrl: string, options: ParseFeedOptions = {}): ParsedFeed {
  checkSize(body, options.minBodyBytes ?? DEFAULT_MIN_BODY_BYTES);
  // A BOM the decoder left in place, and blank lines some generators emit before <?xml.
  const text = body.replace(/^\uFEFF/, "").trimStart();

  if (text.startsWith("{")) return adaptJsonFeed(readJsonFeed(text), feedUrl);
  if (!text.startsWith("<")) {
    throw new FeedParseError(
      "not-a-feed",
      `not a feed: the document is neither XML nor JSON (it starts with "${preview(text)}")`,
    );
  }

  const prolog = scanProlog(text);
  refuseEntityDeclarations(prolog.doctype);
  if (/^<!DOCTYPE\s+html\b/i.test(prolog.doctype ?? "") || prolog.root?.toLowerCase() === "html") {
    throw new FeedParseError(
      "html",
      `not a feed: the document is HTML (${prolog.root ? `<${prolog.root}> root` : "<!DOCTYPE html>"})`,
    );
  }
  if (!prolog.root) {
    throw new FeedParseError(
      "malformed",
      `XML is not well formed: no root element (the document starts with "${preview(text)}")`,
    );
  }
  const rootLocal = prolog.root.slice(prolog.root.indexOf(":") + 1);
  if (rootLocal !== "rss" && rootLocal !== "RDF" && rootLocal !== "feed") {
    throw new FeedParseError(
      "not-a-feed",
      `not a feed: the XML root element is <${prolog.root}> (a feed has <rss>, <rdf:RDF> or <feed>)`,
    );
  }

  const root = parseXmlTree(text, feedUrl);
  if (root.local === "rss") return adaptRss(readRss(root), feedUrl);
  if (root.local === "RDF" && root.ns === NS.rdf) return adaptRdf(readRdf(root), feedUrl);
  if (root.local === "feed" && (root.ns === NS.atom || root.ns === NS.atom03 || root.ns === null))
    return adaptAtom(readAtom(root));
  throw new FeedParseError(
    "not-a-feed",
    `not a feed: the XML root element is <${root.name}> in namespace ${root.ns ?? "(none)"}`,
  );
}

function checkSize(body: string, minBytes: number): void {
  if (body.trim() === "") throw new FeedParseError("empty", "the feed answered with an empty body");
  // A UTF-8 byte count is only needed for short bodies: every character is at least one byte.
  if (body.length >= minBytes) return;
  const bytes = new TextEncoder().encode(body).byteLength;
  if (bytes < minBytes) {
    throw new FeedParseError(
      "too-small",
      `the feed answered with only ${bytes} bytes ("${preview(body)}"), fewer than the ${minBytes} a feed needs`,
    );
  }
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 40 ? `${flat.slice(0, 40).trimEnd()}…` : flat;
}
