import { z } from "zod";

const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "a lower-case slug such as central-asia");
/** A CSS selector as HTMLRewriter accepts it. */
const Selector = z.string().min(1);

/** Selectors for one teaser on a listing page (relative to the item element where noted). */
export const ListingSelectors = z.object({
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
export type ListingSelectors = z.infer<typeof ListingSelectors>;

/** Selectors for an article page. Meta tags (OpenGraph, article:*, JSON-LD) are read regardless. */
export const ArticleSelectors = z.object({
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
export type ArticleSelectors = z.infer<typeof ArticleSelectors>;

/** One listing to poll: a path under the source's base URL and what it says about its stories. */
export const ListingDef = z.object({
  path: z.string().regex(/^\/[^\s]*$/, "a path starting with /"),
  /** Pages to poll, counted from 0 (`?page=N`). */
  pages: z.number().int().min(1).max(20).default(1),
  /** Terms every story on this listing carries (e.g. a country listing names its country). */
  countries: z.array(Slug).default([]),
  regions: z.array(Slug).default([]),
  topics: z.array(Slug).default([]),
});
export type ListingDef = z.infer<typeof ListingDef>;

export const HtmlSource = z.object({
  id: Slug,
  name: z.string().min(1),
  kind: z.literal("html"),
  /** Default base URL; `baseUrlVar` names a Worker var that overrides it (mirrors, fixtures). */
  baseUrl: z.url({ protocol: /^https?$/ }),
  baseUrlVar: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional(),
  homepage: z.url(),
  language: z.string().min(2),
  /** IANA zone for dates the source prints without a zone. */
  timeZone: z.string().min(1),
  enabled: z.boolean().default(true),
  /** Minutes between polls of one listing when it succeeds. */
  pollMinutes: z.number().int().min(5).default(15),
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
export type HtmlSource = z.infer<typeof HtmlSource>;

export const Source = z.discriminatedUnion("kind", [HtmlSource]);
export type Source = z.infer<typeof Source>;
