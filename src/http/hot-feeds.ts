import { type CachedFeed, peekCachedFeed, peekFeedVersions, versionOf } from "../store/feed-cache";
import { isNotModified } from "./conditional";

/**
 * The hot path of a feed reader's poll: a URL this isolate already served, whose rendering is
 * still current in the memo, is answered before routing, parsing or any I/O. Only URLs that went
 * once through the full path (and its validation) are remembered, with what that path worked out
 * for them; anything not remembered, or stale, takes the full path again.
 */
interface HotRoute {
  feedKey: string;
  cacheKey: string;
  /** Content-Type, Cache-Control and CORS headers of the full path. */
  headers: Record<string, string>;
}

const MAX_ROUTES = 500;
const routes = new Map<string, HotRoute>();

export function rememberFeedRoute(url: string, route: HotRoute): void {
  routes.delete(url);
  routes.set(url, route);
  if (routes.size > MAX_ROUTES) routes.delete(routes.keys().next().value!);
}

/** A response from memory, or null when the full path must answer. */
export function hotFeedResponse(request: Request): Response | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const route = routes.get(request.url);
  if (!route) return null;
  const versions = peekFeedVersions();
  if (!versions) return null;
  const cached = peekCachedFeed(route.cacheKey, versionOf(versions, route.feedKey));
  if (!cached) return null;
  return feedResponse(request, cached, route.headers, "hit");
}

/** The answer to a feed request from a rendering: 304 when the client has it, else the body. */
export function feedResponse(
  request: Request,
  cached: CachedFeed,
  base: Record<string, string>,
  state: string,
): Response {
  const headers: Record<string, string> = { ...base, etag: cached.etag, "x-caravan-cache": state };
  if (cached.lastModified) headers["last-modified"] = cached.lastModified;
  if (isNotModified(request, cached.etag, cached.lastModified)) return new Response(null, { status: 304, headers });
  return new Response(request.method === "HEAD" ? null : cached.body, { status: 200, headers });
}
