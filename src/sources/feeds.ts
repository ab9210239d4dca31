import type { TermKind } from "../store/items";
import { sources } from ".";
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
}

export const FEED_FORMATS = ["rss", "atom", "json"] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** Every feed Caravan publishes, derived from the taxonomy and the configured sources. */
export const feedCatalog: FeedDef[] = [
  { key: "all", kind: "all", slug: "all", title: "All stories", path: "/feeds/all", parent: null },
  ...taxonomy.regions.map((r) => def("region", r.slug, r.name, null)),
  ...taxonomy.regions.flatMap((r) => r.countries.map((c) => def("country", c.slug, c.name, r.slug))),
  ...taxonomy.topics.flatMap((t) => [
    def("topic", t.slug, t.name, null),
    ...t.subtopics.map((s) => def("topic", s.slug, s.name, t.slug)),
  ]),
  ...sources.map((s) => def("source", s.id, s.name, null)),
];

function def(kind: TermKind, slug: string, title: string, parent: string | null): FeedDef {
  return { key: `${kind}:${slug}`, kind, slug, title, path: `/feeds/${kind}/${slug}`, parent };
}

const byKey = new Map(feedCatalog.map((f) => [f.key, f]));

export function findFeed(kind: string, slug: string): FeedDef | undefined {
  return kind === "all" ? byKey.get("all") : byKey.get(`${kind}:${slug}`);
}

export function slugsOf(kind: TermKind): string[] {
  return feedCatalog.filter((f) => f.kind === kind).map((f) => f.slug);
}

export const FEED_KINDS: TermKind[] = ["region", "country", "topic", "source"];
