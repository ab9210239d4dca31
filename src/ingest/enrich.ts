/**
 * The enrich stage: a story's own page, fetched and read with the kind's article selectors
 * (full text, tags, dates, image). A page that cannot be read is recorded and never stops the
 * listing; what happens to the story then is the kind's Enrichment.retryOnFailure.
 */
import type { SourceRunStats } from "../store/runs";
import { errorMessage, type RunContext, recordError } from "./context";
import { Deferred } from "./fetch/budget";
import { FetchError } from "./fetch/http";
import { fetchArticlePage } from "./fetch/pages";
import { extractArticle } from "./html/article";
import type { Article, Enrichment } from "./kinds/kind";

export type Enriched =
  | { kind: "read"; article: Article }
  /** The page could not be read: the story goes on from the listing alone. */
  | { kind: "failed"; retry: boolean }
  /** The run must stop reading pages (budget, time, host waiting). */
  | { kind: "deferred" };

export async function enrichStory(
  ctx: RunContext,
  where: { sourceId: string; listingId: string },
  url: string,
  enrichment: Enrichment,
  stats: SourceRunStats,
): Promise<Enriched> {
  try {
    const page = await fetchArticlePage(ctx, url, stats);
    return {
      kind: "read",
      article: { raw: await extractArticle(page.body, page.url, enrichment.selectors), url: page.url },
    };
  } catch (err) {
    if (err instanceof Deferred) return { kind: "deferred" };
    recordError(ctx, where.sourceId, where.listingId, url, `article: ${errorMessage(err)}`);
    // A page robots.txt forbids is never asked for again.
    const forbidden = err instanceof FetchError && err.code === "robots";
    return { kind: "failed", retry: enrichment.retryOnFailure && !forbidden };
  }
}
