/**
 * A definition's first listing page through the stages a run uses (fetch, parse, enrich,
 * sanitize, normalize, tag) without the commit: the items as they would be stored, and what
 * looks wrong. Nothing of the source is stored (the polite client still keeps the host's
 * robots.txt and pace, as for any fetch).
 */
import type { Env } from "../env";
import type { Item } from "../model/item";
import type { Source } from "../model/source";
import { errorMessage, statsFor } from "./context";
import { DriftError } from "./drift";
import { enrichStory } from "./enrich";
import { fetchListing } from "./fetch/pages";
import { kindOf } from "./kinds";
import type { Article } from "./kinds/kind";
import { runClock } from "./progress";
import { storyWrite } from "./reader";
import { newContext } from "./run";
import { onHosts, sourceHosts } from "./scope";

/** Stories of the first page previewed at most (each may cost a page fetch). */
export const PREVIEW_STORIES = 10;
const PREVIEW_BUDGET = PREVIEW_STORIES + 4;

export type PreviewWarningCode =
  | "listing_failed"
  | "selector_matched_nothing"
  | "no_items"
  | "no_date"
  | "no_image"
  | "body_empty"
  | "off_host_link"
  | "page_failed"
  | "budget";

export interface PreviewWarning {
  code: PreviewWarningCode;
  /** The story (or listing) it is about. */
  url: string;
  message: string;
}

export interface Preview {
  source: string;
  listing: string | null;
  /** Stories the first page listed; `items` holds the first PREVIEW_STORIES of them. */
  stories: number;
  items: Item[];
  warnings: PreviewWarning[];
}

export async function previewSource(env: Env, source: Source, now = Date.now()): Promise<Preview> {
  const kind = kindOf(source);
  const resolved = { source, ...kind.resolve(source, env) };
  const listing = resolved.listings[0];
  const preview: Preview = { source: source.id, listing: listing?.url ?? null, stories: 0, items: [], warnings: [] };
  if (!listing) return preview;
  const warn = (code: PreviewWarningCode, url: string, message: string) =>
    void preview.warnings.push({ code, url, message });

  const realStart = Date.now();
  const ctx = await newContext(env, {
    runId: 0,
    now,
    clock: runClock(now, realStart),
    realStart,
    budget: PREVIEW_BUDGET,
    interrupted: [],
  });
  const stats = statsFor(ctx, source.id);
  let parsed: Awaited<ReturnType<typeof kind.parse>>;
  try {
    const fetched = await fetchListing(ctx, listing.url, { etag: null, last_modified: null }, stats, kind.accept);
    if (fetched.kind !== "ok") return preview;
    parsed = await kind.parse(source, listing, fetched.page, fetched.bodyBytes);
  } catch (err) {
    const code =
      err instanceof DriftError && err.shape.drift?.code === "selector_miss"
        ? "selector_matched_nothing"
        : "listing_failed";
    warn(code, listing.url, errorMessage(err));
    return preview;
  }
  preview.stories = parsed.stories.length;
  if (parsed.stories.length === 0) warn("no_items", listing.url, parsed.drift?.message ?? "the page listed no stories");
  else if (parsed.rowsMatched === 0) warn("selector_matched_nothing", listing.url, "the item selector matched 0 rows");

  const hosts = sourceHosts(
    source,
    resolved.listings.map((l) => l.url),
  );
  for (const story of parsed.stories.slice(0, PREVIEW_STORIES)) {
    let article: Article | null = null;
    const enrichment = kind.enrichment(source, null);
    if (enrichment && !onHosts(story.url, hosts)) {
      warn(
        "off_host_link",
        story.url,
        "links to a host the source may not fetch: stored from the listing alone (add the host to `hosts` if it is the source's own)",
      );
    } else if (enrichment) {
      const errorsBefore = ctx.errors.length;
      const got = await enrichStory(ctx, { sourceId: source.id, listingId: listing.id }, story.url, enrichment, stats);
      if (got.kind === "read") article = got.article;
      else if (got.kind === "deferred") {
        warn("budget", story.url, "the preview's request budget ran out before this story's page");
        break;
      } else
        warn("page_failed", story.url, ctx.errors.slice(errorsBefore).at(-1)?.message ?? "its page could not be read");
    }
    const write = await storyWrite(kind, source, listing, story, article, null, await kind.hash(story), ctx.nowIso);
    const item = write.item;
    preview.items.push(item);
    if (write.dateUnread)
      warn("no_date", item.url, "no publication date could be read: it would be stored with the time first seen");
    if (!item.image)
      warn("no_image", item.url, "no image: none in the feed or listing, the page's og:image or the body");
    if (!item.contentHtml) warn("body_empty", item.url, "no body: only the title and summary would be stored");
  }
  return preview;
}
