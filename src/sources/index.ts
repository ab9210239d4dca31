import type { Env } from "../env";
import { ConfigError } from "../env";
import type { ListingDef, Source } from "../model/source";
import { eurasianet } from "./eurasianet";

/** Every configured source. Add a source by adding its definition here. */
export const sources: Source[] = [eurasianet];

export interface ResolvedListing {
  /** Stable key in D1: source, path and page. */
  id: string;
  url: string;
  def: ListingDef;
  page: number;
}

export interface ResolvedSource {
  source: Source;
  baseUrl: string;
  listings: ResolvedListing[];
}

/** Sources with their base URL taken from the Worker var that overrides it (mirrors, fixtures). */
export function resolveSources(env: Env): ResolvedSource[] {
  return sources.map((source) => {
    // Source definitions name their own var, so it is looked up by name.
    const override = source.baseUrlVar ? (env as unknown as Record<string, unknown>)[source.baseUrlVar] : undefined;
    const baseUrl = typeof override === "string" && override.trim() ? override.trim() : source.baseUrl;
    if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
      throw new ConfigError(`${source.baseUrlVar ?? source.id}: "${baseUrl}" is not an http(s) URL`);
    }
    return { source, baseUrl: baseUrl.replace(/\/+$/, ""), listings: listingsOf(source, baseUrl.replace(/\/+$/, "")) };
  });
}

function listingsOf(source: Source, baseUrl: string): ResolvedListing[] {
  return source.listings.flatMap((def) =>
    Array.from({ length: def.pages }, (_, page) => ({
      id: `${source.id}:${def.path}?page=${page}`,
      url: `${baseUrl}${def.path}${page > 0 ? `?page=${page}` : ""}`,
      def,
      page,
    })),
  );
}

export function sourceById(id: string): Source | undefined {
  return sources.find((s) => s.id === id);
}
