/**
 * A source kind as a plug-in. A kind says what its listings are, how a fetched listing becomes
 * stories, how a story is hashed for change, whether and how a story is enriched from its own
 * page, and how a story (with that page) is drafted into the one StoryDraft shape. Everything
 * else (fetching, comparing with what is stored, sanitizing, normalizing, tagging, committing)
 * is the listing reader's (src/ingest/reader.ts), the same for every kind.
 *
 * Adding a kind: a definition schema in src/model/source.ts, one module here implementing
 * SourceKind, and one line in src/ingest/kinds/index.ts (docs/adding-a-kind.md).
 */
import { ConfigError } from "../../env";
import type { ArticleSelectors, ListingDef, Source } from "../../model/source";
import type { StoredItemState } from "../../store/items";
import type { Drift } from "../../store/listings";
import type { FetchedPage } from "../fetch/pages";
import type { RawArticle } from "../html/types";
import type { ListingTerms, StoryDraft } from "../story";

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
  /** The base URL listing and backfill pages hang off (Worker var applied); null when the kind has none. */
  baseUrl: string | null;
  listings: ResolvedListing[];
}

/** A page further down a listing, to be queued for a backfill walk. */
export interface BackfillPage {
  id: string;
  url: string;
  page: number;
}

/** What the parse stage made of one fetched listing. */
export interface ParsedListing<Story> {
  stories: Story[];
  /** Rows the listing had (stories without a usable link included), for drift warnings. */
  rowsMatched: number | null;
  /** A warning that does not make the read useless (zero items); a useless read throws DriftError. */
  drift: Drift | null;
  /** The next page of the listing, for a listing paged by its "next" links. */
  next?: string | null;
}

/** How a story is enriched from its own page. */
export interface Enrichment {
  selectors: ArticleSelectors;
  /**
   * When the page cannot be read: true keeps a stored story as it is and stores a new one from
   * the listing without its change hash, so the next read of the listing tries the page again;
   * false stores the story from the listing as it is and does not try the page again.
   */
  retryOnFailure: boolean;
}

/** A story's own page, read with the kind's article selectors. */
export interface Article {
  raw: RawArticle;
  /** The URL the page was answered from (after redirects). */
  url: string;
}

export interface SourceKind<S extends Source = Source, Story extends { url: string } = { url: string }> {
  readonly name: S["kind"];
  /** What its listings are: the URLs of one source to poll, with the Worker var that re-points them applied. */
  resolve(source: S, env: object): Omit<ResolvedSource, "source">;
  /**
   * A claimed listing id the configuration does not list (a queued backfill page, a page found by
   * a "next" link), or null; `url` is the one its row holds.
   */
  listingById?(resolved: ResolvedSource & { source: S }, id: string, url: string): ResolvedListing | null;
  /** The pages past the polled ones, up to `pages` per listing, for a backfill walk; absent when the kind is not paged. */
  backfillPages?(resolved: ResolvedSource & { source: S }, pages: number): BackfillPage[];
  /** Accept header of a listing request (else src/ingest/fetch/http.ts asks for HTML). */
  readonly accept?: string;
  /** The parse stage: a fetched listing into stories; throws DriftError or FetchError when it is not one. */
  parse(source: S, listing: ResolvedListing, page: FetchedPage, bodyBytes: number): Promise<ParsedListing<Story>>;
  /** Change detection: a story whose hash equals the stored one did not change. */
  hash(story: Story): Promise<string>;
  /** The terms the listing (and source) give a story: what a story seen again can add to its item. */
  listingTerms(source: S, listing: ResolvedListing, story: Story): ListingTerms;
  /** Whether a story's own page is read, and how; null when it is not. */
  enrichment(source: S, previous: StoredItemState | null): Enrichment | null;
  /** The story, with its page when read, as one StoryDraft. */
  draft(source: S, listing: ResolvedListing, story: Story, article: Article | null): StoryDraft;
}

/**
 * The origin (and path prefix) a source's `baseUrlVar` Worker var re-points it to, without a
 * trailing slash; null when the var is unset or blank. Mirrors, fixtures and the demo use it.
 */
export function baseUrlOverride(source: { baseUrlVar?: string | undefined }, env: object): string | null {
  const value = source.baseUrlVar ? (env as Record<string, unknown>)[source.baseUrlVar] : undefined;
  if (typeof value !== "string" || !value.trim()) return null;
  const base = value.trim().replace(/\/+$/, "");
  if (!isHttpUrl(base)) throw new ConfigError(`${source.baseUrlVar}: "${base}" is not an http(s) URL`);
  return base;
}

/** The terms a listing's definition gives every story on it. */
export function termsOfListing(listing: ResolvedListing): ListingTerms {
  return { countries: listing.def.countries, regions: listing.def.regions, topics: listing.def.topics };
}

export function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}
