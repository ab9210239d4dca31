/**
 * Decisions every feed format shares, kept in one place so RSS, Atom and JSON Feed agree on
 * item identity, credit to the origin source and category naming.
 */
import type { Item } from "../model/item";
import { countryName, regionName, topicName } from "../sources/taxonomy";
import type { FeedDocument } from "./document";

const ITEM_URN_PREFIX = "urn:caravan:item:";

/**
 * The identifier of an item in every format: RSS <guid isPermaLink="false">, Atom <id>, JSON
 * Feed `id`. Readers key read state on it, so it is built only from Item.id (a hash of the
 * canonical URL at first sight), never from the URL itself or the host serving the feed: moving
 * the service or changing URL canonicalisation later must not make old stories look new. The
 * same value in all three formats lets a reader that switches format keep read state.
 *
 * `urn:caravan:item:<32 hex>` is an absolute URI (RFC 3986) and so a valid IRI, which is all Atom
 * asks of an id. It has URN syntax, but "caravan" is not an IANA-registered URN namespace (RFC 8141
 * expects one); that only matters to software resolving URNs, and nothing resolves a feed id.
 *
 * Built with join rather than a template literal on purpose: V8 represents a concatenation of
 * 13+ characters as a rope ("cons string"), and one rope anywhere in the object makes
 * JSON.stringify leave its fast path for the whole feed (the JSON Feed render figure in
 * `npm run bench` shows the difference). join always returns a flat string.
 */
export function itemIdentifier(item: Item): string {
  return [ITEM_URN_PREFIX, item.id].join("");
}

export interface SourceCredit {
  id: string;
  name: string;
  /** The source's home page; null when the document does not describe the source. */
  homepage: string | null;
  /** The id (URL) of Caravan's own feed of the source; null when the document does not describe it. */
  feedId: string | null;
}

/**
 * Where an item came from. A document built by the HTTP layer always lists every source its
 * items use; if one is missing anyway the slug still names it rather than failing the feed.
 * `Object.hasOwn` matters: slugs such as "constructor" would otherwise hit Object.prototype.
 */
export function sourceCredit(doc: FeedDocument, item: Item): SourceCredit {
  const source = Object.hasOwn(doc.sources, item.sourceId) ? doc.sources[item.sourceId] : undefined;
  return source
    ? { id: item.sourceId, name: source.name, homepage: source.homepage, feedId: source.feedId }
    : { id: item.sourceId, name: item.sourceId, homepage: null, feedId: null };
}

/**
 * One category of an item. `scheme` is a URI naming the vocabulary (Atom scheme, RSS domain),
 * null for the source's free-text tags; `term` is the stable slug (or tag text) and `label` the
 * name people read.
 */
export interface Category {
  scheme: string | null;
  term: string;
  label: string;
}

export const COUNTRY_SCHEME = "urn:caravan:country";
export const REGION_SCHEME = "urn:caravan:region";
export const TOPIC_SCHEME = "urn:caravan:topic";

/** Countries, regions, topics (with taxonomy names; the slug when a name is unknown), then tags. */
export function itemCategories(item: Item): Category[] {
  const categories: Category[] = [];
  for (const slug of item.countries) {
    categories.push({ scheme: COUNTRY_SCHEME, term: slug, label: countryName(slug) ?? slug });
  }
  for (const slug of item.regions) {
    categories.push({ scheme: REGION_SCHEME, term: slug, label: regionName(slug) ?? slug });
  }
  for (const slug of item.topics) {
    categories.push({ scheme: TOPIC_SCHEME, term: slug, label: topicName(slug) ?? slug });
  }
  for (const tag of item.tags) {
    categories.push({ scheme: null, term: tag, label: tag });
  }
  return categories;
}
