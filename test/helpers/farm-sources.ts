import { FeedSource, HtmlSource, type Source } from "../../src/model/source";

/**
 * Sources that read hosts of a fixture farm (test/fixtures/farm.mjs): per host, one feed source
 * (its feeds /feed/0..n-1) and one HTML source (its /list page). Each names a var
 * `<PREFIX>_<h>_BASE_URL` that points it at the host; `vars` gives their values.
 */
export function farmSources(prefix: string, origins: string[], feedsPerHost: number) {
  const sources: Source[] = [];
  const vars: Record<string, string> = {};
  for (const [h, origin] of origins.entries()) {
    const slug = prefix.toLowerCase();
    const feedVar = `${prefix}_FEED_${h}_BASE_URL`;
    const pageVar = `${prefix}_PAGE_${h}_BASE_URL`;
    vars[feedVar] = origin;
    vars[pageVar] = origin;
    sources.push(
      FeedSource.parse({
        id: `${slug}-feed-${h}`,
        name: `${prefix} feeds ${h}`,
        kind: "feed",
        feedUrl: `https://${slug}${h}.example/feed/0`,
        extraFeeds: Array.from({ length: feedsPerHost - 1 }, (_, f) => ({
          url: `https://${slug}${h}.example/feed/${f + 1}`,
        })),
        baseUrlVar: feedVar,
        homepage: `https://${slug}${h}.example/`,
        language: "en",
        timeZone: "UTC",
        minBodyBytes: 64,
      }),
      HtmlSource.parse({
        id: `${slug}-page-${h}`,
        name: `${prefix} listing ${h}`,
        kind: "html",
        baseUrl: `https://${slug}${h}.example`,
        baseUrlVar: pageVar,
        homepage: `https://${slug}${h}.example/`,
        language: "en",
        timeZone: "UTC",
        listings: [{ path: "/list" }],
        listingSelectors: {
          container: "div.stories",
          item: "article.story",
          title: "h2.story__title",
          summary: "p.story__dek",
          date: "time.story__date",
        },
        enrich: false,
        articleSelectors: {},
      }),
    );
  }
  return { sources, vars };
}

/** The farm host's control endpoints (see farm.mjs). */
export async function farmControl(origin: string, path: string, method = "PUT"): Promise<unknown> {
  const r = await fetch(`${origin}/__farm/${path}`, { method });
  if (!r.ok) throw new Error(`farm ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
