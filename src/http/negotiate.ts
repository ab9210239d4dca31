/**
 * Content negotiation for feed URLs: one URL, two representations. A browser navigating to a
 * feed gets an HTML page of it; every other client (readers, curl, apps, `*\/*`) gets the feed.
 * Readers vary a lot in what they send, so the rule leans towards the feed: HTML only on a
 * document navigation, or when text/html is the client's first choice and it likes the feed
 * (or XML/JSON at large) less.
 */

/** Request headers the representation depends on: the Vary of every feed answer. */
export const NEGOTIATION_VARY = "Accept, Sec-Fetch-Dest";

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(",")) {
    const [range = "", ...params] = part.split(";");
    const slash = range.indexOf("/");
    if (slash < 1) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split("=").map((s) => s.trim());
      if (name?.toLowerCase() === "q") {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : 0;
      }
    }
    ranges.push({
      type: range.slice(0, slash).trim().toLowerCase(),
      subtype: range
        .slice(slash + 1)
        .trim()
        .toLowerCase(),
      q,
    });
  }
  return ranges;
}

/**
 * The q the client gives a media type: its most specific matching range (RFC 9110 §12.5.1),
 * 0 when nothing matches.
 */
function qualityOf(ranges: MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.split("/");
  let best = -1;
  let q = 0;
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === "*" ? 1 : r.type === "*" ? 0 : -1;
    if (specificity > best) {
      best = specificity;
      q = r.q;
    } else if (specificity === best && specificity >= 0) {
      q = Math.max(q, r.q);
    }
  }
  return q;
}

/**
 * Media types that stand for the feed: its own, and the generic type of its syntax (a client
 * that takes application/xml or text/xml takes RSS and Atom; one that takes application/json
 * takes JSON Feed).
 */
function feedTypes(mediaType: string): string[] {
  if (mediaType.endsWith("+xml")) return [mediaType, "application/xml", "text/xml"];
  if (mediaType.endsWith("+json")) return [mediaType, "application/json"];
  return [mediaType];
}

/** Whether this request to a feed URL should get the HTML page instead of the feed's bytes. */
export function wantsHtml(request: Request, feedMediaType: string): boolean {
  // Only a browser's top-level navigation says "document"; fetch() and readers never do.
  if (request.headers.get("sec-fetch-dest") === "document") return true;
  const accept = request.headers.get("accept");
  if (accept === null || !accept.includes("html")) return false;
  const ranges = parseAccept(accept);
  const html = qualityOf(ranges, "text/html");
  if (html === 0) return false;
  // text/html must be a first choice (SimplePie lists it at 0.7 under the feed types)…
  if (ranges.some((r) => r.q > html)) return false;
  // …and strictly preferred to the feed (Miniflux lists text/html next to the feed types at 1).
  const feed = Math.max(...feedTypes(feedMediaType).map((t) => qualityOf(ranges, t)));
  return html > feed;
}
