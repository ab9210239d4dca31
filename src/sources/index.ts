import type { Env } from "../env";
import { ConfigError } from "../env";
import { resolveFeeds } from "../ingest/feed/resolve";
import { type HtmlSource, type ListingDef, Source } from "../model/source";
import civilGe from "./shipped/civil-ge.json";
import diplomatCentralAsia from "./shipped/diplomat-central-asia.json";
import eurasianet from "./shipped/eurasianet.json";
import eurasianetRss from "./shipped/eurasianet-rss.json";
import jamnews from "./shipped/jamnews.json";
import meduzaEn from "./shipped/meduza-en.json";
import ocMedia from "./shipped/oc-media.json";
import rferl from "./shipped/rferl.json";

/**
 * The source definitions shipped with a deployment: one JSON file per source in
 * src/sources/shipped/, each valid against schemas/source.schema.json. They seed the source
 * registry in D1 (src/ingest/registry.ts); the registry, not this list, is what runs read.
 */
export const shippedFiles: Record<string, unknown> = {
  "eurasianet.json": eurasianet,
  "eurasianet-rss.json": eurasianetRss,
  "oc-media.json": ocMedia,
  "civil-ge.json": civilGe,
  "jamnews.json": jamnews,
  "rferl.json": rferl,
  "meduza-en.json": meduzaEn,
  "diplomat-central-asia.json": diplomatCentralAsia,
};

/** The shipped definitions, checked by the zod model at startup (a broken file stops the deploy's tests). */
export const shippedSources: Source[] = Object.entries(shippedFiles).map(([file, json]) => {
  const parsed = Source.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`src/sources/shipped/${file}: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
});

/** One shipped definition by id and kind (tests and fixtures name them). */
export function shippedSource<K extends Source["kind"]>(id: string, kind: K): Extract<Source, { kind: K }> {
  const source = shippedSources.find((s) => s.id === id);
  if (!source || source.kind !== kind) throw new Error(`no shipped ${kind} source "${id}"`);
  return source as Extract<Source, { kind: K }>;
}

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
export function resolveSources(env: Env, list: Source[]): ResolvedSource[] {
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
