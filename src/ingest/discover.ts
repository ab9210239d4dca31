/**
 * Feed discovery from a homepage or a feed URL, as feed readers do it: the page's
 * `<link rel="alternate">` feeds (RSS, Atom, JSON Feed, RDF), else the paths most sites use.
 * Each candidate is fetched and parsed, so what is offered is a feed that reads, with its title,
 * item count, language and a few sample items. Nothing is stored.
 */
import { FEED_ACCEPT, type FeedDialect, FeedParseError, parseFeedDocument } from "./feed";
import { SubrequestBudget } from "./fetch/budget";
import { FetchError, type FetchOptions, type FetchResult, politeFetch } from "./fetch/http";
import { primaryLanguage } from "./normalize";
import { refusedTarget } from "./url-guard";

/** Paths tried when a page names no feed (WordPress, most generators, static site tools). */
export const USUAL_FEED_PATHS = ["/feed/", "/rss", "/atom.xml", "/feed.json"];
/** Requests one discovery may make: the page, the feeds it names (up to a few), the usual paths. */
const DISCOVERY_BUDGET = 12;
const MAX_LINKED_FEEDS = 6;
const FEED_TYPES = new Set([
  "application/rss+xml",
  "application/atom+xml",
  "application/feed+json",
  "application/rdf+xml",
  "application/json",
  "application/xml",
  "text/xml",
]);

export interface FeedCandidate {
  url: string;
  format: FeedDialect;
  title: string | null;
  itemCount: number;
  language: string | null;
  homePageUrl: string | null;
  /** How it was found: named by the page, the URL itself, or a usual path. */
  foundBy: "link" | "url" | "usual-path";
  samples: { title: string; url: string; published: string | null }[];
}

export interface DiscoveryResult {
  url: string;
  candidates: FeedCandidate[];
  /** URLs tried that gave no feed, and why. */
  rejected: { url: string; reason: string }[];
}

export interface DiscoveryOptions {
  fetch: Omit<FetchOptions, "accept">;
  allowLoopback: boolean;
}

type Fetched = Extract<FetchResult, { kind: "ok" }>;

export async function discoverFeeds(url: string, options: DiscoveryOptions): Promise<DiscoveryResult> {
  const budget = new SubrequestBudget(DISCOVERY_BUDGET);
  const result: DiscoveryResult = { url, candidates: [], rejected: [] };
  const get = async (target: string, accept: string): Promise<Fetched | string> => {
    const refused = refusedTarget(target, options.allowLoopback);
    if (refused) return `refused: ${refused}`;
    try {
      const r = await politeFetch(target, budget, { ...options.fetch, accept });
      if (r.kind !== "ok") return `HTTP ${r.status}`;
      const refusedFinal = refusedTarget(r.url, options.allowLoopback);
      return refusedFinal ? `refused after a redirect: ${refusedFinal}` : r;
    } catch (err) {
      return err instanceof FetchError || err instanceof Error ? err.message : String(err);
    }
  };

  const page = await get(url, `text/html;q=0.9, ${FEED_ACCEPT}`);
  let linked: string[] = [];
  if (typeof page === "string") {
    // A page that cannot be read may still sit on a site with a feed at a usual path.
    result.rejected.push({ url, reason: page });
    if (page.startsWith("refused")) return result;
  } else {
    // The URL may itself be a feed.
    const direct = candidateFrom(page, "url");
    if (typeof direct !== "string") {
      result.candidates.push(direct);
      return result;
    }
    linked = (await alternateLinks(page.body, page.url)).slice(0, MAX_LINKED_FEEDS);
  }
  const origin = typeof page === "string" ? url : page.url;
  const tries: [string, FeedCandidate["foundBy"]][] =
    linked.length > 0
      ? linked.map((u) => [u, "link"])
      : USUAL_FEED_PATHS.map((p) => [new URL(p, origin).toString(), "usual-path"]);
  for (const [feedUrl, foundBy] of tries) {
    if (result.candidates.some((c) => c.url === feedUrl)) continue;
    const fetched = await get(feedUrl, FEED_ACCEPT);
    const candidate = typeof fetched === "string" ? fetched : candidateFrom(fetched, foundBy);
    if (typeof candidate === "string") result.rejected.push({ url: feedUrl, reason: candidate });
    else result.candidates.push(candidate);
  }
  return result;
}

function candidateFrom(fetched: Fetched, foundBy: FeedCandidate["foundBy"]): FeedCandidate | string {
  try {
    const feed = parseFeedDocument(fetched.body, fetched.url);
    return {
      url: fetched.url,
      format: feed.format,
      title: feed.title,
      itemCount: feed.entries.length,
      language: feed.language ?? feed.entries.find((e) => e.language)?.language ?? null,
      homePageUrl: feed.homePageUrl,
      foundBy,
      samples: feed.entries.slice(0, 3).map((e) => ({ title: e.title, url: e.url, published: e.publishedText })),
    };
  } catch (err) {
    if (err instanceof FeedParseError) return err.message;
    throw err;
  }
}

/** The feeds a page names with <link rel="alternate" type="…feed type…" href>, absolute, in order. */
export async function alternateLinks(html: string, pageUrl: string): Promise<string[]> {
  const found: string[] = [];
  let base = pageUrl;
  await new HTMLRewriter()
    .on("base[href]", {
      element(el) {
        const href = el.getAttribute("href");
        if (href && URL.canParse(href, pageUrl)) base = new URL(href, pageUrl).toString();
      },
    })
    .on("link[rel][href]", {
      element(el) {
        const rel = (el.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
        const type = (el.getAttribute("type") ?? "").toLowerCase().split(";")[0]!.trim();
        const href = el.getAttribute("href") ?? "";
        if (!rel.includes("alternate") || !FEED_TYPES.has(type)) return;
        const absolute = URL.parse(href, base);
        if (absolute && /^https?:$/.test(absolute.protocol) && !found.includes(absolute.toString())) {
          found.push(absolute.toString());
        }
      },
    })
    .transform(new Response(html))
    .text();
  return found;
}

/** A feed source definition for a candidate, ready to preview, edit and add. */
export function suggestDefinition(candidate: FeedCandidate, pageUrl: string): Record<string, unknown> {
  const home = candidate.homePageUrl ?? new URL(pageUrl).origin;
  return {
    id: slugFromTitle(candidate.title) ?? slugFromHost(candidate.url),
    name: candidate.title ?? new URL(candidate.url).host,
    kind: "feed",
    feedUrl: candidate.url,
    homepage: URL.canParse(home) ? home : new URL(pageUrl).origin,
    language: primaryLanguage(candidate.language) ?? "en",
    timeZone: "UTC",
  };
}

/** "www.civil.ge" → "civil-ge": a source id from a URL's host. */
export function slugFromHost(url: string): string {
  const host = URL.parse(url)?.hostname.replace(/^www\./, "") ?? "";
  const slug = host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "source";
}

/** "OC Media" → "oc-media"; null when the title has no Latin letters or digits to make one of. */
export function slugFromTitle(title: string | null): string | null {
  const slug = (title ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || null;
}
