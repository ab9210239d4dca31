import type { Env } from "../env";
import { ConfigError } from "../env";
import { resolveFeeds } from "../ingest/feed/resolve";
import type { HtmlSource, ListingDef, Source } from "../model/source";
import { civilGe } from "./civil-ge";
import { diplomatCentralAsia } from "./diplomat-central-asia";
import { eurasianet } from "./eurasianet";
import { eurasianetRss } from "./eurasianet-rss";
import { jamnews } from "./jamnews";
import { meduzaEn } from "./meduza-en";
import { ocMedia } from "./oc-media";
import { rferl } from "./rferl";

/** Every configured source. Add a source by writing its definition and listing it here. */
export const sources: Source[] = [
  eurasianet,
  eurasianetRss,
  ocMedia,
  civilGe,
  jamnews,
  rferl,
  meduzaEn,
  diplomatCentralAsia,
];

/** One URL to poll: a page of an HTML source's listing, or one feed of a feed source. */
export interface ResolvedListing {
  /** Stable key in D1: source, path and page. */
  id: string;
  url: string;
  /** The listing (for a feed: its path, one page, and the terms its stories carry). */
  def: ListingDef;
  page: number;
}

export interface ResolvedSource {
  source: Source;
  /** An HTML source's base URL (listing and backfill pages hang off it); null for a feed source. */
  baseUrl: string | null;
  listings: ResolvedListing[];
}

/** Sources with their URLs taken from the Worker vars that override them (mirrors, fixtures). */
export function resolveSources(env: Env, list: Source[] = sources): ResolvedSource[] {
  return list.map((source) => {
    if (source.kind === "feed") return { source, baseUrl: null, listings: feedListings(source, env) };
    const baseUrl = htmlBaseUrl(source, env);
    return { source, baseUrl, listings: htmlListings(source, baseUrl) };
  });
}

function htmlBaseUrl(source: HtmlSource, env: Env): string {
  // Source definitions name their own var, so it is looked up by name.
  const override = source.baseUrlVar ? (env as unknown as Record<string, unknown>)[source.baseUrlVar] : undefined;
  const baseUrl = typeof override === "string" && override.trim() ? override.trim() : source.baseUrl;
  if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
    throw new ConfigError(`${source.baseUrlVar ?? source.id}: "${baseUrl}" is not an http(s) URL`);
  }
  return baseUrl.replace(/\/+$/, "");
}

function htmlListings(source: HtmlSource, baseUrl: string): ResolvedListing[] {
  return source.listings.flatMap((def) =>
    Array.from({ length: def.pages }, (_, page) => ({
      id: `${source.id}:${def.path}?page=${page}`,
      url: `${baseUrl}${def.path}${page > 0 ? `?page=${page}` : ""}`,
      def,
      page,
    })),
  );
}

function feedListings(source: Extract<Source, { kind: "feed" }>, env: Env): ResolvedListing[] {
  return resolveFeeds(source, env).map((feed) => ({
    id: feed.id,
    url: feed.url,
    def: { path: new URL(feed.url).pathname, pages: 1, ...feed.terms },
    page: 0,
  }));
}

export function sourceById(id: string): Source | undefined {
  return sources.find((s) => s.id === id);
}
