/** What kind of failure a feed document is, so the pipeline can record and schedule it. */
export type FeedErrorKind =
  | "empty" // a 200 with nothing in it
  | "too-small" // a 200 smaller than the source's minBodyBytes (RFE/RL's 11-byte answers)
  | "html" // a web page (error page, bot challenge, parked domain) instead of a feed
  | "not-a-feed" // well-formed, but neither RSS, RDF, Atom nor JSON Feed
  | "malformed" // XML that is not well formed, JSON that does not parse
  | "refused"; // hostile input: DOCTYPE entities, external entities

/**
 * A feed that cannot be read. The message is written for an operator reading a run log: it says
 * what the document was and, where it helps, where the problem is.
 */
export class FeedParseError extends Error {
  override readonly name = "FeedParseError";
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
  ) {
    super(message);
  }
}
