import { ConfigError, readConfig, userAgent, type Config, type Env } from "../env";
import type { HtmlSource } from "../model/source";
import { resolveSources, type ResolvedListing, type ResolvedSource } from "../sources";
import { invalidateFeeds } from "../store/feed-cache";
import { getItem, getItemStates, setTeaserHashes, writeItems, type ItemWrite } from "../store/items";
import { dueListings, recordListingOutcome, syncConfiguredSources, type ListingOutcome, type ListingRow } from "../store/listings";
import { finishRun, recordSourceHealth, startRun, type RunCounters, type RunError } from "../store/runs";
import { itemIdFor } from "./canonical";
import { BudgetExhausted, FetchError, politeFetch, SubrequestBudget, type FetchOptions } from "./fetcher";
import { extractArticle } from "./html/article";
import { parseListing } from "./html/listing";
import type { RawArticle, RawTeaser } from "./html/types";
import { normalizeStory, teaserHash, termsOf, withListingTerms, type ListingTerms } from "./normalize";
import { htmlToText, sanitizeHtml } from "./sanitize";

export interface IngestOptions {
  trigger: "cron" | "admin";
  /** The run's clock, in ms; tests move it forward to make listings due again. */
  now?: number;
  /** Poll every listing whatever its schedule. */
  force?: boolean;
  sourceId?: string;
}

export interface RunSummary extends RunCounters {
  runId: number;
  startedAt: string;
  finishedAt: string;
  errorMessages: RunError[];
  /** Feeds whose content changed (and whose cache was invalidated). */
  changedFeeds: string[];
}

/** Why a listing could not be finished this run; its old validators are kept so it is read again. */
type Incomplete = "budget" | "article-failed" | null;

/**
 * One ingest run: take the due listings (most overdue first) within the subrequest budget,
 * fetch each politely, fetch the articles of new or changed teasers, write what changed, and
 * invalidate the feeds it touched. A failing listing or article is recorded and skipped; it
 * never stops the run or loses stored data.
 */
export async function runIngest(env: Env, options: IngestOptions): Promise<RunSummary> {
  const realStart = Date.now();
  const now = options.now ?? realStart;
  const nowIso = new Date(now).toISOString();
  const config = readConfig(env);
  const resolved = resolveSources(env);
  await syncConfiguredSources(
    env.DB,
    resolved.map((r) => ({
      id: r.source.id,
      name: r.source.name,
      kind: r.source.kind,
      enabled: r.source.enabled,
      listings: r.listings.map((l) => ({ id: l.id, url: l.url })),
    })),
  );

  const runId = await startRun(env.DB, options.trigger, now);
  const budget = new SubrequestBudget(config.SUBREQUEST_BUDGET);
  const ctx: RunContext = {
    env,
    config,
    now,
    nowIso,
    budget,
    fetchOptions: { userAgent: userAgent(config), timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.MAX_RESPONSE_BYTES },
    counters: { listingsFetched: 0, notModified: 0, articlesFetched: 0, itemsNew: 0, itemsUpdated: 0, errors: 0, subrequests: 0 },
    errors: [],
    changedFeeds: new Set(),
    sourceOk: new Map(),
  };

  const listingsById = new Map<string, { resolved: ResolvedSource; listing: ResolvedListing }>();
  for (const r of resolved) for (const l of r.listings) listingsById.set(l.id, { resolved: r, listing: l });

  const due = await dueListings(env.DB, options.force ? Number.MAX_SAFE_INTEGER : now, budget.limit, options.sourceId);
  for (const row of due) {
    if (budget.remaining <= 0) break;
    const entry = listingsById.get(row.id);
    if (!entry) continue;
    await ingestListing(ctx, entry.resolved, entry.listing, row);
  }

  ctx.counters.subrequests = budget.used;
  // On the run's own clock, so a run with a given `now` ends after it started.
  const finishedAt = now + (Date.now() - realStart);
  await finishRun(env.DB, runId, finishedAt, ctx.counters, ctx.errors);
  await recordSourceHealth(
    env.DB,
    [...ctx.sourceOk].map(([sourceId, error]) => ({ sourceId, ok: error === null, error })),
    now,
  );
  if (ctx.changedFeeds.size > 0) {
    ctx.changedFeeds.add("index");
    await invalidateFeeds(env.CACHE, ctx.changedFeeds, `${now.toString(36)}-${runId}`);
  }
  const summary: RunSummary = {
    runId,
    startedAt: nowIso,
    finishedAt: new Date(finishedAt).toISOString(),
    ...ctx.counters,
    errorMessages: ctx.errors,
    changedFeeds: [...ctx.changedFeeds].sort(),
  };
  console.log(JSON.stringify({ event: "ingest.run", ...summary, errorMessages: undefined }));
  return summary;
}

interface RunContext {
  env: Env;
  config: Config;
  now: number;
  nowIso: string;
  budget: SubrequestBudget;
  fetchOptions: FetchOptions;
  counters: RunCounters;
  errors: RunError[];
  changedFeeds: Set<string>;
  /** Per source: null when everything it did this run succeeded, else the last error. */
  sourceOk: Map<string, string | null>;
}

async function ingestListing(ctx: RunContext, resolved: ResolvedSource, listing: ResolvedListing, row: ListingRow) {
  const source = resolved.source as HtmlSource;
  const nextFetchAt = ctx.now + source.pollMinutes * 60_000;
  let outcome: ListingOutcome;
  try {
    const result = await politeFetch(listing.url, ctx.budget, {
      ...ctx.fetchOptions,
      etag: row.etag,
      lastModified: row.last_modified,
    });
    if (result.kind === "not-modified") {
      ctx.counters.notModified++;
      outcome = { kind: "not-modified", nextFetchAt };
    } else {
      ctx.counters.listingsFetched++;
      const page = await parseListing(result.body, result.url, source.listingSelectors);
      if (!page.containerFound) {
        throw new FetchError(
          `listing container "${source.listingSelectors.container}" not found: the page layout may have changed`,
          listing.url,
          result.status,
        );
      }
      const terms: ListingTerms = { countries: listing.def.countries, regions: listing.def.regions, topics: listing.def.topics };
      const incomplete = await ingestTeasers(ctx, source, listing, page.teasers, terms);
      if (incomplete === "budget") return; // keeps its schedule and validators: first in line next run
      outcome = {
        kind: "fetched",
        nextFetchAt,
        itemCount: page.teasers.length,
        status: result.status,
        validators: incomplete ? null : { etag: result.etag, lastModified: result.lastModified },
      };
    }
    if (!ctx.sourceOk.has(source.id)) ctx.sourceOk.set(source.id, null);
  } catch (err) {
    if (err instanceof BudgetExhausted) return;
    const message = errorMessage(err);
    recordError(ctx, source.id, listing.id, listing.url, message);
    outcome = { kind: "failed", nextFetchAt, status: err instanceof FetchError ? err.status : null, error: message };
  }
  await recordListingOutcome(ctx.env.DB, listing.id, ctx.now, outcome);
}

/** Fetches the articles of new or changed teasers and writes what changed. */
async function ingestTeasers(
  ctx: RunContext,
  source: HtmlSource,
  listing: ResolvedListing,
  teasers: RawTeaser[],
  listingTerms: ListingTerms,
): Promise<Incomplete> {
  const withIds = await Promise.all(teasers.map(async (t) => ({ teaser: t, id: await itemIdFor(t.url) })));
  const unique = [...new Map(withIds.map((w) => [w.id, w])).values()];
  const states = await getItemStates(ctx.env.DB, unique.map((u) => u.id));
  const writes: ItemWrite[] = [];
  const teaserOnly: { id: string; teaserHash: string }[] = [];
  let incomplete: Incomplete = null;

  for (const { teaser, id } of unique) {
    const previous = states.get(id) ?? null;
    const hash = await teaserHash(teaser);
    if (previous && previous.teaserHash === hash) {
      // Seen before, unchanged: only a new listing's terms can add anything.
      const stored = await getItem(ctx.env.DB, id);
      const merged = stored && withListingTerms(stored, listingTerms);
      if (merged) writes.push({ item: merged, terms: termsOf(merged), contentHash: previous.contentHash, teaserHash: hash });
      continue;
    }
    let article: RawArticle | null = null;
    let contentHtml: string | null = null;
    if (source.enrich) {
      try {
        const page = await politeFetch(teaser.url, ctx.budget, ctx.fetchOptions);
        if (page.kind !== "ok") throw new FetchError("unexpected 304 for an unconditional request", teaser.url, 304);
        ctx.counters.articlesFetched++;
        article = await extractArticle(page.body, page.url, source.articleSelectors);
        contentHtml = article.bodyHtml ? await sanitizeHtml(article.bodyHtml, page.url) : null;
      } catch (err) {
        if (err instanceof BudgetExhausted) {
          incomplete = "budget";
          break;
        }
        recordError(ctx, source.id, listing.id, teaser.url, `article: ${errorMessage(err)}`);
        incomplete = "article-failed";
        // A stored item keeps what it has; a new one is stored from its teaser and retried later.
        if (previous) continue;
      }
    }
    const story = await normalizeStory({ source, teaser, listingTerms, article, contentHtml, previous, now: ctx.nowIso });
    // No teaser hash for a teaser-only fallback, so the next read of the listing retries the article.
    const storedTeaserHash = source.enrich && !article ? null : story.teaserHash;
    if (story.changed) {
      const bodyText = contentHtml ? await htmlToText(contentHtml) : "";
      writes.push({ ...story, teaserHash: storedTeaserHash, bodyText });
      if (previous) ctx.counters.itemsUpdated++;
      else ctx.counters.itemsNew++;
    } else if (storedTeaserHash && storedTeaserHash !== previous?.teaserHash) {
      teaserOnly.push({ id, teaserHash: storedTeaserHash });
    }
  }

  await writeItems(ctx.env.DB, writes);
  await setTeaserHashes(ctx.env.DB, teaserOnly);
  for (const w of writes) {
    ctx.changedFeeds.add("all");
    for (const t of w.terms) ctx.changedFeeds.add(`${t.kind}:${t.slug}`);
  }
  return incomplete;
}

function recordError(ctx: RunContext, sourceId: string, listingId: string | null, url: string, message: string) {
  ctx.counters.errors++;
  ctx.errors.push({ sourceId, listingId, url, message, at: ctx.now });
  ctx.sourceOk.set(sourceId, message);
  console.log(JSON.stringify({ event: "ingest.error", sourceId, listingId, url, message }));
}

function errorMessage(err: unknown): string {
  if (err instanceof FetchError) return `${err.message} (${err.url})`;
  if (err instanceof ConfigError) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
