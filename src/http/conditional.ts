import { identityEtag } from "./compression";

/**
 * Conditional GET (RFC 9110 §13). If-None-Match wins over If-Modified-Since; a date the client
 * sends back is compared with <=, since readers echo Last-Modified verbatim or a later time.
 */
export function isNotModified(request: Request, etag: string, lastModified: string | null): boolean {
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === "*") return true;
    // Every encoding of a representation is a match: a client that got "abc-gzip" has "abc".
    const wanted = identityEtag(stripWeak(etag));
    return ifNoneMatch.split(",").some((tag) => identityEtag(stripWeak(tag.trim())) === wanted);
  }
  const ifModifiedSince = request.headers.get("if-modified-since");
  if (ifModifiedSince !== null && lastModified !== null) {
    const since = Date.parse(ifModifiedSince);
    // A malformed date is ignored, as the RFC says: answer in full.
    if (Number.isNaN(since)) return false;
    return Date.parse(lastModified) <= since;
  }
  return false;
}

function stripWeak(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}
