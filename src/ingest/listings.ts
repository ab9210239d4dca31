/**
 * What to poll: each configured source's listings, as its kind resolves them against the Worker
 * vars, and a claimed listing row matched back to its source and listing.
 */
import type { Source } from "../model/source";
import type { ListingRow } from "../store/listings";
import { kindOf } from "./kinds";
import type { ResolvedListing, ResolvedSource } from "./kinds/kind";

export type { ResolvedListing, ResolvedSource } from "./kinds/kind";

/** Sources with their URLs taken from the Worker vars that override them (mirrors, fixtures). */
export function resolveSources(env: object, list: Source[]): ResolvedSource[] {
  return list.map((source) => ({ source, ...kindOf(source).resolve(source, env) }));
}

/** A claimed row as a listing of the configuration: a configured page, or a queued backfill page. */
export function resolveListing(
  resolved: ResolvedSource[],
  row: Pick<ListingRow, "id" | "source_id" | "backfill" | "url">,
): { source: ResolvedSource; listing: ResolvedListing } | null {
  const source = resolved.find((r) => r.source.id === row.source_id);
  if (!source) return null;
  const configured = source.listings.find((l) => l.id === row.id);
  if (configured) return { source, listing: configured };
  const listing = kindOf(source.source).listingById?.(source, row.id, row.url) ?? null;
  return listing ? { source, listing } : null;
}
