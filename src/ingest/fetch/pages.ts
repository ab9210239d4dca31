/**
 * The fetch stage as the listing reader uses it: a listing's conditional GET and a story's own
 * page, through the run's polite client, counted in the run's and the source's figures.
 * Failures throw FetchError (or Deferred) for the reader to record.
 */
import type { ListingRow } from "../../store/listings";
import type { SourceRunStats } from "../../store/runs";
import type { RunContext } from "../context";
import { FetchError, type FetchResult } from "./http";

/** A 200 answer: the body and what came with it. */
export type FetchedPage = Extract<FetchResult, { kind: "ok" }>;

/** The conditional GET of one listing or feed, counted: a 304 (nothing to read) or the body. */
export async function fetchListing(
  ctx: RunContext,
  url: string,
  row: Pick<ListingRow, "etag" | "last_modified">,
  stats: SourceRunStats,
  accept?: string,
): Promise<{ kind: "not-modified" } | { kind: "ok"; page: FetchedPage; bodyBytes: number }> {
  const result = await ctx.client.get(url, {
    etag: row.etag,
    lastModified: row.last_modified,
    ...(accept ? { accept } : {}),
  });
  if (result.kind === "not-modified") {
    ctx.counters.notModified++;
    stats.notModified++;
    return { kind: "not-modified" };
  }
  ctx.counters.listingsFetched++;
  stats.listingsFetched++;
  return { kind: "ok", page: result, bodyBytes: new TextEncoder().encode(result.body).byteLength };
}

/** A story's own page (unconditional), counted as an article fetch. */
export async function fetchArticlePage(ctx: RunContext, url: string, stats: SourceRunStats): Promise<FetchedPage> {
  const page = await ctx.client.get(url);
  if (page.kind !== "ok") throw new FetchError("unexpected 304 for an unconditional request", url, 304);
  ctx.counters.articlesFetched++;
  stats.articlesFetched++;
  return page;
}
