/**
 * The URLs a feed source is polled at, with the Worker var that re-points them (fixtures, the
 * demo, a mirror): the var's value replaces the origin, and any path prefix it has goes before
 * each feed's own path. Each feed gets a stable key that does not depend on the origin, so its
 * row in D1 (validators, schedule, failures) survives re-pointing.
 */
import { ConfigError } from "../../env";
import type { FeedSource } from "../../model/source";
import type { FeedLevelTerms } from "./terms";

export interface ResolvedFeed {
  /** Stable key: "<source id>:<path and query>", e.g. "oc-media:/feed/". */
  id: string;
  url: string;
  terms: FeedLevelTerms;
}

export function resolveFeeds(source: FeedSource, env: object): ResolvedFeed[] {
  const override = source.baseUrlVar ? (env as Record<string, unknown>)[source.baseUrlVar] : undefined;
  const base = typeof override === "string" && override.trim() ? override.trim().replace(/\/+$/, "") : null;
  if (base !== null && !isHttpUrl(base)) {
    throw new ConfigError(`${source.baseUrlVar}: "${base}" is not an http(s) URL`);
  }
  const feeds = [{ url: source.feedUrl, countries: [], regions: [], topics: [] }, ...source.extraFeeds];
  return feeds.map((feed) => {
    const u = new URL(feed.url);
    const pathAndQuery = `${u.pathname}${u.search}`;
    return {
      id: `${source.id}:${pathAndQuery}`,
      url: base === null ? u.href : `${base}${pathAndQuery}`,
      terms: { countries: feed.countries, regions: feed.regions, topics: feed.topics },
    };
  });
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
