/**
 * An item's terms: the union of what each listing and source says, regions derived from
 * countries, and the feed memberships (with their origin) the store indexes. Shared by the merge
 * of a story seen again and the commit of a new or changed one.
 */
import type { Item, TermOrigin } from "../model/item";
import { regionOf, topicWithParents } from "../sources/taxonomy";
import type { Term } from "../store/items";
import type { ListingTerms } from "./story";

/**
 * A stored item seen again on another listing with an unchanged teaser: the union of its terms
 * with the listing's, or null when the listing adds nothing (so nothing is written).
 */
export function withListingTerms(item: Item, listing: ListingTerms): Item | null {
  const countries = union(item.countries, listing.countries);
  const regions = union(item.regions, listing.regions, regionsOf(countries));
  const topics = union(item.topics, listing.topics);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (
    same(countries, [...item.countries].sort()) &&
    same(regions, [...item.regions].sort()) &&
    same(topics, [...item.topics].sort())
  ) {
    return null;
  }
  return { ...item, countries, regions, topics };
}

/**
 * Feed memberships of an item: its source, countries, regions, and topics with their parents.
 * A term is marked "tagger" when only the tagger gave it: a country it inferred, a region known
 * only through such countries, a topic it inferred and that topic's parent.
 */
export function termsOf(
  item: Item,
  inferred: { countries: string[]; topics: string[] } = { countries: [], topics: [] },
): Term[] {
  const inferredCountries = new Set(inferred.countries);
  const sourceCountries = item.countries.filter((c) => !inferredCountries.has(c));
  const sourceRegions = new Set(sourceCountries.map(regionOf));
  const inferredTopics = new Set(inferred.topics);
  const sourceTopics = new Set(item.topics.filter((t) => !inferredTopics.has(t)).flatMap(topicWithParents));
  const origin = (fromSource: boolean): TermOrigin => (fromSource ? "source" : "tagger");
  return [
    { kind: "source", slug: item.sourceId, origin: "source" },
    ...item.countries.map((slug) => ({ kind: "country" as const, slug, origin: origin(!inferredCountries.has(slug)) })),
    ...item.regions.map((slug) => ({
      kind: "region" as const,
      slug,
      // A region the listing named, or one of a country the source named, is the source's.
      origin: origin(
        sourceRegions.has(slug) || !item.countries.some((c) => inferredCountries.has(c) && regionOf(c) === slug),
      ),
    })),
    ...dedupe(item.topics.flatMap(topicWithParents)).map((slug) => ({
      kind: "topic" as const,
      slug,
      origin: origin(sourceTopics.has(slug)),
    })),
  ];
}

/** The regions of these countries (a country outside every region has none). */
export function regionsOf(countries: string[]): string[] {
  return countries.map(regionOf).filter((r): r is string => r !== null);
}

/** Every value of the lists once, sorted. */
export function union(...lists: (string[] | undefined)[]): string[] {
  return dedupe(lists.flatMap((l) => l ?? [])).sort();
}

export function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}
