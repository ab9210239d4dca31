/**
 * A story already stored, seen again without a change worth reading (an unchanged teaser or
 * feed entry), or linked by a source that does not own it: only its terms can grow (the union
 * with what this listing or source says) and the linking source's feed gains it. The owner's
 * content is never replaced.
 */
import type { Item } from "../model/item";
import { getItem, type ItemWrite, type StoredItemState, type Term } from "../store/items";
import { contentHashOf } from "./compare";
import type { RunContext } from "./context";
import type { ListingTerms } from "./story";
import { termsOf, withListingTerms } from "./terms";

/** The write that adds what the listing says to a stored story; null when nothing would change. */
export async function mergeSeenStory(
  ctx: RunContext,
  previous: StoredItemState,
  sourceId: string,
  terms: ListingTerms,
): Promise<ItemWrite | null> {
  const needsSourceTerm = !previous.sources.includes(sourceId);
  const covered = (have: string[], add: string[]) => add.every((v) => have.includes(v));
  if (
    !needsSourceTerm &&
    covered(previous.countries, terms.countries) &&
    covered(previous.regions, terms.regions) &&
    covered(previous.topics, terms.topics)
  ) {
    return null;
  }
  const stored = await getItem(ctx.env.DB, previous.id);
  if (!stored) return null;
  const merged: Item = withListingTerms(stored, terms) ?? stored;
  const extra: Term[] = needsSourceTerm ? [{ kind: "source", slug: sourceId, origin: "source" }] : [];
  return {
    item: merged,
    terms: [...termsOf(merged), ...extra],
    contentHash: merged === stored ? previous.contentHash : await contentHashOf(merged),
    teaserHash: previous.teaserHash,
  };
}
