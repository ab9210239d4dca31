import * as z from "zod";
import { lazy, unwrapLazy } from "./lazy";
import { Slug as SlugSchema } from "./slug";

/**
 * The schemas are built together on first use (a source definition parsed or checked), not at
 * module load, which every cold start pays (see lazy.ts). They refer to each other directly
 * inside the builder, so zod (and the JSON Schema of source.schema.json) sees real schemas.
 */
const schemas = lazy(() => {
  const Slug = unwrapLazy(SlugSchema);
  /** A CSS selector as HTMLRewriter accepts it. */
  const Selector = z.string().min(1);

  /** Selectors for one teaser on a listing page (relative to the item element where noted). */
  const ListingSelectors = z.object({
    /** The list container; rows outside it are ignored (so sidebars do not leak in). */
    container: Selector,
    /** One teaser, inside the container. */
    item: Selector,
    /** Title element inside an item; its first <a href> is the story link unless `link` is set. */
    title: Selector,
    link: Selector.optional(),
    summary: Selector.optional(),
    author: Selector.optional(),
    date: Selector.optional(),
    /** An <img> inside an item; its src (relative allowed) is the teaser image. */
    image: Selector.optional(),
  });

  /** Selectors for an article page. Meta tags (OpenGraph, article:*, JSON-LD) are read regardless. */
  const ArticleSelectors = z.object({
    title: Selector.optional(),
    summary: Selector.optional(),
    authors: Selector.optional(),
    date: Selector.optional(),
    /** Links or elements whose text names a country (the tags line). */
    countries: Selector.optional(),
    topics: Selector.optional(),
    tags: Selector.optional(),
    body: Selector.optional(),
    image: Selector.optional(),
    imageCaption: Selector.optional(),
    /** Blocks inside the body that are not the story (related lists, newsletter boxes, bios). */
    exclude: z.array(Selector).default([]),
  });

  /** Taxonomy terms a whole listing, feed or URL pattern gives every story under it. */
  const StoryTerms = {
    countries: z.array(Slug).default([]),
    regions: z.array(Slug).default([]),
    topics: z.array(Slug).default([]),
  };

  /**
   * How a listing's further pages are reached: a query parameter counted from 0 (Drupal, as
   * Eurasianet) or 1, a path template (`/news/page/{n}/`, WordPress), or the page's own "next"
   * link. Without it, `?page=N` from 0.
   */
  const Paging = z.discriminatedUnion("style", [
    z.object({
      style: z.literal("query"),
      param: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+$/, "a query parameter name such as page")
        .default("page"),
      /** The number of the first page; the first page is the listing's path with the parameter set (unless 0). */
      first: z.union([z.literal(0), z.literal(1)]).default(0),
    }),
    z.object({
      style: z.literal("path"),
      /** The path of page n ≥ 2 (n counted from `first`); the first page is the listing's path. */
      template: z.string().regex(/^\/\S*\{n\}\S*$/, "a path with {n}, such as /news/page/{n}/"),
      first: z.union([z.literal(0), z.literal(1)]).default(1),
    }),
    z.object({
      style: z.literal("next"),
      /** The link to the next page (its href), e.g. "a[rel=next]"; the listing stops where there is none. */
      selector: Selector,
    }),
  ]);

  /** One listing to poll: a path under the source's base URL and what it says about its stories. */
  const ListingDef = z.object({
    path: z.string().regex(/^\/[^\s]*$/, "a path starting with /"),
    /** Pages to poll at most (the cap); a 404 past the last page ends the listing and is no failure. */
    pages: z.number().int().min(1).max(20).default(1),
    paging: Paging.optional(),
    /** Terms every story on this listing carries (e.g. a country listing names its country). */
    ...StoryTerms,
  });

  /** What every kind of source has. */
  const SourceBasics = {
    id: Slug,
    name: z.string().min(1),
    homepage: z.url(),
    language: z.string().min(2),
    /** IANA zone for dates the source writes without a zone ("Apr 18, 2018"). */
    timeZone: z.string().min(1),
    /** A disabled source is not read; its stored items stay and its feeds keep serving them. */
    enabled: z.boolean().default(true),
    /** Minutes between polls of one listing or feed when it succeeds. */
    pollMinutes: z.number().int().min(5).default(15),
    /**
     * Further hosts whose pages the source may read (its stories live on another host than its
     * feed, e.g. a CDN-served feed). Its feed or base URL's host is always allowed.
     */
    hosts: z
      .array(
        z
          .string()
          .regex(
            /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/,
            "a lower-case host name such as www.example.org",
          ),
      )
      .default([]),
  };

  const HtmlSource = z.object({
    ...SourceBasics,
    kind: z.literal("html"),
    /** Default base URL; `baseUrlVar` names a Worker var that overrides it (mirrors, fixtures). */
    baseUrl: z.url({ protocol: /^https?$/ }),
    baseUrlVar: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .optional(),
    listings: z.array(ListingDef).min(1),
    listingSelectors: ListingSelectors,
    /** Fetch each new or changed story's page for full text and tags. */
    enrich: z.boolean().default(true),
    articleSelectors: ArticleSelectors,
    /** The source's own names for countries and topics, mapped to canonical slugs (case-insensitive). */
    termMap: z
      .object({ countries: z.record(z.string(), Slug).default({}), topics: z.record(z.string(), Slug).default({}) })
      .default({ countries: {}, topics: {} }),
  });

  /** The source's own names (categories, tags) mapped to canonical slugs; keys match case-insensitively. */
  const TermMap = z
    .object({
      countries: z.record(z.string(), Slug).default({}),
      regions: z.record(z.string(), Slug).default({}),
      topics: z.record(z.string(), Slug).default({}),
    })
    .default({ countries: {}, regions: {}, topics: {} });

  /**
   * A URL path pattern: a path prefix ("/news/georgia/") or, starting with "^", a regular
   * expression tested against the path ("^/(en|ru)/georgia/"). Matched against the story URL's
   * path only (no host, no query), case-insensitively.
   */
  const UrlPattern = z
    .string()
    .min(1)
    .refine((p) => p.startsWith("/") || (p.startsWith("^") && compiles(p)), {
      message: 'a path prefix starting with "/" or a regular expression starting with "^"',
    });

  function compiles(pattern: string): boolean {
    try {
      new RegExp(pattern, "i");
      return true;
    } catch {
      return false;
    }
  }

  /** Terms every story whose URL path matches the pattern carries. */
  const UrlTermRule = z.object({
    pattern: UrlPattern,
    ...StoryTerms,
  });

  /** A further feed of the same source (RFE/RL's per-country zone feeds) and what its stories are about. */
  const ExtraFeed = z.object({
    url: z.url({ protocol: /^https?$/ }),
    ...StoryTerms,
  });

  /** A source read from its RSS 2.0, RSS 1.0, Atom or JSON Feed feed(s). */
  const FeedSource = z.object({
    ...SourceBasics,
    kind: z.literal("feed"),
    feedUrl: z.url({ protocol: /^https?$/ }),
    /**
     * A Worker var whose value (an origin, optionally with a path prefix) replaces the origin of
     * feedUrl and of every extra feed, keeping their paths: mirrors, fixtures, the demo.
     */
    baseUrlVar: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .optional(),
    /** Fetch each new item's page for full content (with articleSelectors); off for full-text feeds. */
    enrich: z.boolean().default(false),
    articleSelectors: ArticleSelectors.optional(),
    termMap: TermMap,
    urlTermMap: z.array(UrlTermRule).default([]),
    /** Terms every story of the source carries (a feed that is only about Georgia). */
    defaultCountries: z.array(Slug).default([]),
    defaultRegions: z.array(Slug).default([]),
    defaultTopics: z.array(Slug).default([]),
    /** A 200 answer smaller than this is a failure, not an empty feed (RFE/RL answered 11 bytes). */
    minBodyBytes: z.number().int().min(0).max(1_000_000).default(64),
    extraFeeds: z.array(ExtraFeed).default([]),
  });

  const Source = z.discriminatedUnion("kind", [HtmlSource, FeedSource]);
  return {
    ListingSelectors,
    ArticleSelectors,
    Paging,
    ListingDef,
    HtmlSource,
    UrlPattern,
    UrlTermRule,
    ExtraFeed,
    FeedSource,
    Source,
  };
});

export const ListingSelectors = lazy(() => schemas.ListingSelectors);
export const ArticleSelectors = lazy(() => schemas.ArticleSelectors);
export const Paging = lazy(() => schemas.Paging);
export const ListingDef = lazy(() => schemas.ListingDef);
export const HtmlSource = lazy(() => schemas.HtmlSource);
export const UrlPattern = lazy(() => schemas.UrlPattern);
export const UrlTermRule = lazy(() => schemas.UrlTermRule);
export const ExtraFeed = lazy(() => schemas.ExtraFeed);
export const FeedSource = lazy(() => schemas.FeedSource);
export const Source = lazy(() => schemas.Source);

export type ListingSelectors = z.infer<typeof ListingSelectors>;
export type ArticleSelectors = z.infer<typeof ArticleSelectors>;
export type Paging = z.infer<typeof Paging>;
export type ListingDef = z.infer<typeof ListingDef>;
export type HtmlSource = z.infer<typeof HtmlSource>;
export type UrlTermRule = z.infer<typeof UrlTermRule>;
export type ExtraFeed = z.infer<typeof ExtraFeed>;
export type FeedSource = z.infer<typeof FeedSource>;
export type Source = z.infer<typeof Source>;
