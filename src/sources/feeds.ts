import type { TermKind } from "../model/item";
import { lazyArray } from "../model/lazy";
import { filterLanguages } from "./languages";
import { taxonomy } from "./taxonomy";

/** One published feed: every format of it shares this identity. */
export interface FeedDef {
  /** "all" or "<kind>:<slug>"; also the cache-invalidation key. */
  key: string;
  kind: "all" | TermKind;
  slug: string;
  title: string;
  /** URL path without extension, e.g. /feeds/region/caucasus. */
  path: string;
  /** For grouping on the index page: the region of a country, the parent of a sub-topic. */
  parent: string | null;
  /**
   * When this catalog entry last changed (ISO 8601 UTC): the date an empty feed carries as its
   * <updated>, lastBuildDate and Last-Modified, since it has no item to date it by.
   */
  changedAt: string;
}

/**
 * When the taxonomy last changed, so its feeds with it. Bump it with the taxonomy: it dates the
 * taxonomy's feeds that have no items yet (a source's feed is dated by its registry row).
 */
export const CATALOG_CHANGED_AT = "2026-11-28T00:00:00Z";

/** Every feed Caravan publishes: the taxonomy's, then one per registered source. */
export interface FeedCatalog {
  feeds: FeedDef[];
  find(kind: string, slug: string): FeedDef | undefined;
  slugsOf(kind: TermKind): string[];
  /** The values the `lang` filter takes (sources/languages.ts). */
  languages: string[];
}

/** The feeds of the taxonomy (fixed at deploy time; derived on first use, see model/lazy.ts). */
const taxonomyFeeds: FeedDef[] = lazyArray(() => [
  {
    key: "all",
    kind: "all",
    slug: "all",
    title: "All stories",
    path: "/feeds/all",
    parent: null,
    changedAt: CATALOG_CHANGED_AT,
  },
  ...taxonomy.regions.map((r) => def("region", r.slug, r.name, null)),
  ...taxonomy.regions.flatMap((r) => r.countries.map((c) => def("country", c.slug, c.name, r.slug))),
  ...taxonomy.topics.flatMap((t) => [
    def("topic", t.slug, t.name, null),
    ...t.subtopics.map((s) => def("topic", s.slug, s.name, t.slug)),
  ]),
]);

/** The catalog for a list of sources (the registered ones, in registration order). */
export function buildFeedCatalog(
  sources: readonly { id: string; name: string; language?: string; changedAt?: string | null }[],
): FeedCatalog {
  const feeds = [...taxonomyFeeds, ...sources.map((s) => def("source", s.id, s.name, null, s.changedAt))];
  const byKey = new Map(feeds.map((f) => [f.key, f]));
  const slugs = new Map<TermKind, string[]>(
    FEED_KINDS.map((k) => [k, feeds.filter((f) => f.kind === k).map((f) => f.slug)]),
  );
  return {
    feeds,
    find: (kind, slug) => (kind === "all" ? byKey.get("all") : byKey.get(`${kind}:${slug}`)),
    slugsOf: (kind) => slugs.get(kind) ?? [],
    languages: filterLanguages(sources),
  };
}

function def(kind: TermKind, slug: string, title: string, parent: string | null, changedAt?: string | null): FeedDef {
  const path = `/feeds/${kind}/${slug}`;
  return { key: `${kind}:${slug}`, kind, slug, title, path, parent, changedAt: changedAt ?? CATALOG_CHANGED_AT };
}

/** The slugs of a taxonomy kind (regions, countries, topics: fixed at deploy time). */
export function taxonomySlugsOf(kind: Exclude<TermKind, "source">): string[] {
  return taxonomyFeeds.filter((f) => f.kind === kind).map((f) => f.slug);
}

export const FEED_KINDS: TermKind[] = ["region", "country", "topic", "source"];
