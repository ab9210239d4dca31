import { type CachedFeed, peekCachedFeed, peekFeedVersions, versionOf } from "../store/feed-cache";
import { chooseCoding, clientAcceptEncoding, encodedEtag } from "./compression";
import { isNotModified } from "./conditional";
import { wantsHtml } from "./negotiate";

/**
 * The hot path of a feed reader's poll: a URL this isolate already served, whose rendering is
 * still current in the memo, is answered before routing, parsing or any I/O. Only URLs that went
 * once through the full path (and its validation) are remembered, with what that path worked out
 * for them; anything not remembered, or stale, takes the full path again.
 */
/** One representation of a feed URL (the feed, or the HTML page a browser gets). */
export interface HotRepresentation {
  cacheKey: string;
  /** Content-Type, Cache-Control, Vary and CORS headers of the full path. */
  headers: Record<string, string>;
}

interface HotRoute {
  feedKey: string;
  /** The feed's media type, which the negotiation weighs against text/html. */
  mediaType: string;
  feed: HotRepresentation | null;
  html: HotRepresentation | null;
}

const MAX_ROUTES = 500;
const routes = new Map<string, HotRoute>();

/** Remembers what the full path worked out for one representation of a URL. */
export function rememberFeedRoute(
  url: string,
  feedKey: string,
  mediaType: string,
  html: boolean,
  representation: HotRepresentation,
): void {
  const known = routes.get(url);
  const route: HotRoute = known && known.feedKey === feedKey ? known : { feedKey, mediaType, feed: null, html: null };
  if (html) route.html = representation;
  else route.feed = representation;
  routes.delete(url);
  routes.set(url, route);
  if (routes.size > MAX_ROUTES) routes.delete(routes.keys().next().value!);
}

/** A response from memory, or null when the full path must answer. */
export function hotFeedResponse(request: Request): Response | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const route = routes.get(request.url);
  if (!route) return null;
  const representation = wantsHtml(request, route.mediaType) ? route.html : route.feed;
  if (!representation) return null;
  const versions = peekFeedVersions();
  if (!versions) return null;
  const cached = peekCachedFeed(representation.cacheKey, versionOf(versions, route.feedKey));
  if (!cached) return null;
  return feedResponse(request, cached, representation.headers, "hit");
}

/**
 * The answer to a feed request from a rendering: 304 when the client has it, else the body in
 * the encoding the client takes best (already compressed: sent as is, `encodeBody: "manual"`).
 */
export function feedResponse(
  request: Request,
  cached: CachedFeed,
  base: Record<string, string>,
  state: string,
): Response {
  const coding = chooseCoding(clientAcceptEncoding(request));
  const headers: Record<string, string> = { ...base, etag: encodedEtag(cached.etag, coding), "x-caravan-cache": state };
  if (cached.lastModified) headers["last-modified"] = cached.lastModified;
  if (isNotModified(request, cached.etag, cached.lastModified)) return new Response(null, { status: 304, headers });
  if (coding === null) return new Response(request.method === "HEAD" ? null : cached.body, { status: 200, headers });
  headers["content-encoding"] = coding;
  const body = coding === "br" ? cached.br : cached.gzip;
  return new Response(request.method === "HEAD" ? null : body, { status: 200, headers, encodeBody: "manual" });
}
