/**
 * The listing reader: one claimed listing of any kind through the same stages, in order:
 *
 *   fetch      src/ingest/fetch/pages.ts    conditional GET through the polite client
 *   parse      src/ingest/kinds/<kind>.ts   the listing into stories (drift checks)
 *   compare    src/ingest/compare.ts        each story against what is stored; a story seen
 *              src/ingest/merge.ts          before only adds its terms
 *   enrich     src/ingest/enrich.ts         the story's own page, when its kind reads it
 *   (draft     src/ingest/kinds/<kind>.ts   story + page as one StoryDraft)
 *   sanitize   src/ingest/sanitize.ts       body HTML made safe, summary as text
 *   normalize  src/ingest/normalize.ts      one Item's fields
 *   tag        src/ingest/tagger.ts         terms the source did not give
 *   commit     src/ingest/commit.ts         merged with the stored item, hashed, written
 *
 * The orchestrators (src/ingest/run.ts, src/ingest/queue.ts) call readListing and record its
 * outcome; nothing here or there switches on the kind.
 */
import type { Source } from "../model/source";
import type { ItemWrite, StoredItemState } from "../store/items";
import type { ListingOutcome, ListingRow } from "../store/listings";
import type { SourceRunStats } from "../store/runs";
import { commitWrites, toWrite } from "./commit";
import { isSeen, withStoredState } from "./compare";
import { countItem, type RunContext } from "./context";
import { enrichStory } from "./enrich";
import { fetchListing } from "./fetch/pages";
import { kindOf } from "./kinds";
import type { Article, ResolvedListing, SourceKind } from "./kinds/kind";
import { mergeSeenStory } from "./merge";
import { normalizeStory } from "./normalize";
import { sanitizeStory } from "./sanitize";
import { onHosts, sourceHosts } from "./scope";
import type { StoryWrite } from "./story";
import { tagItem } from "./tagger";

/** Why a listing could not be finished this run; its old validators are kept so it is read again. */
type Incomplete = "deferred" | "article-failed" | null;

/**
 * Reads one listing and writes what changed; null when the run must leave it for later (it
 * keeps its schedule and validators and is first in line next run). Fetch failures and drift
 * throw (FetchError, DriftError, Deferred) for the orchestrator to record.
 */
export async function readListing(
  ctx: RunContext,
  source: Source,
  listing: ResolvedListing,
  row: Pick<ListingRow, "etag" | "last_modified">,
  stats: SourceRunStats,
): Promise<ListingOutcome | null> {
  const kind = kindOf(source);
  const nextFetchAt = ctx.now + source.pollMinutes * 60_000;
  const fetched = await fetchListing(ctx, listing.url, row, stats, kind.accept);
  if (fetched.kind === "not-modified") return { kind: "not-modified", nextFetchAt };
  const { page, bodyBytes } = fetched;

  const parsed = await kind.parse(source, listing, page, bodyBytes);
  stats.itemsSeen += parsed.stories.length;

  const { writes, teaserOnly, incomplete } = await readStories(ctx, kind, source, listing, parsed.stories, stats);
  await commitWrites(ctx, writes, teaserOnly);
  if (incomplete === "deferred") return null;
  return {
    kind: "fetched",
    nextFetchAt,
    itemCount: parsed.stories.length,
    status: page.status,
    validators: incomplete ? null : { etag: page.etag, lastModified: page.lastModified },
    shape: { bodyBytes, rowsMatched: parsed.rowsMatched, drift: parsed.drift },
    next: parsed.next ?? null,
  };
}

/** Compares, enriches and builds the writes of a listing's stories (nothing is written here). */
async function readStories<S extends Source, Story extends { url: string }>(
  ctx: RunContext,
  kind: SourceKind<S, Story>,
  source: S,
  listing: ResolvedListing,
  stories: Story[],
  stats: SourceRunStats,
): Promise<{ writes: ItemWrite[]; teaserOnly: { id: string; teaserHash: string }[]; incomplete: Incomplete }> {
  const writes: ItemWrite[] = [];
  const teaserOnly: { id: string; teaserHash: string }[] = [];
  let incomplete: Incomplete = null;
  const hosts = sourceHosts(source, [listing.url]);

  for (const { story, id, previous } of await withStoredState(ctx, stories)) {
    const hash = await kind.hash(story);
    if (previous && isSeen(previous, hash, source.id)) {
      const merged = await mergeSeenStory(ctx, previous, source.id, kind.listingTerms(source, listing, story));
      if (merged) writes.push(merged);
      continue;
    }

    let article: Article | null = null;
    let retryPage = false;
    const wanted = kind.enrichment(source, previous);
    // A story on another host is stored from the listing alone: its page is not Caravan's to read.
    const enrichment = wanted && onHosts(story.url, hosts) ? wanted : null;
    if (wanted && !enrichment) warnOffHost(ctx, source.id, listing.id, story.url, stats);
    if (enrichment) {
      const got = await enrichStory(ctx, { sourceId: source.id, listingId: listing.id }, story.url, enrichment, stats);
      if (got.kind === "deferred") {
        incomplete = "deferred";
        break;
      }
      if (got.kind === "read") article = got.article;
      else if (got.retry) {
        incomplete = "article-failed";
        retryPage = true;
      }
      // A stored item keeps what it has; a new one is stored from the listing.
      if (got.kind === "failed" && enrichment.retryOnFailure && previous) continue;
    }

    // No change hash for a story stored without the page it should have, so the next read of
    // the listing tries the page again.
    const write = await storyWrite(
      kind,
      source,
      listing,
      story,
      article,
      previous,
      retryPage ? null : hash,
      ctx.nowIso,
    );
    if (write.dateUnread) warnDateUnread(ctx, source.id, listing.id, story.url, stats);
    if (write.changed) {
      writes.push(write);
      countItem(ctx, stats, !previous);
    } else if (write.teaserHash && write.teaserHash !== previous?.teaserHash) {
      teaserOnly.push({ id, teaserHash: write.teaserHash });
    }
  }
  return { writes, teaserOnly, incomplete };
}

/** Counted per source (health reports it) and logged; not an error of the run. */
function warnOffHost(ctx: RunContext, sourceId: string, listingId: string, url: string, stats: SourceRunStats): void {
  stats.offHostLinks++;
  logWarning(ctx, sourceId, listingId, url, "links to a host the source may not fetch: stored from the listing alone");
}

function warnDateUnread(
  ctx: RunContext,
  sourceId: string,
  listingId: string,
  url: string,
  stats: SourceRunStats,
): void {
  stats.datesUnread++;
  logWarning(ctx, sourceId, listingId, url, "no publication date could be read: stored with the time first seen");
}

function logWarning(ctx: RunContext, sourceId: string, listingId: string, url: string, message: string): void {
  console.log(
    JSON.stringify({ event: "ingest.warning", level: "warn", runId: ctx.runId, sourceId, listingId, url, message }),
  );
}

/** One story through draft, sanitize, normalize and tag, as the write it would make. */
export async function storyWrite<S extends Source, Story extends { url: string }>(
  kind: SourceKind<S, Story>,
  source: S,
  listing: ResolvedListing,
  story: Story,
  article: Article | null,
  previous: StoredItemState | null,
  hash: string | null,
  now: string,
): Promise<StoryWrite & { dateUnread: boolean }> {
  const draft = kind.draft(source, listing, story, article);
  const parts = await sanitizeStory(draft);
  const normal = await normalizeStory(parts, source, now);
  const tagged = tagItem(normal);
  return { ...(await toWrite(tagged, previous, hash, now)), dateUnread: normal.dateUnread };
}
