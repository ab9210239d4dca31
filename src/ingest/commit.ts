/**
 * The commit stage: a tagged story merged with what is stored of it (terms only grow, an
 * unchanged story keeps its dates), hashed for change, and a listing's writes sent to D1 in one
 * go, noting the feeds they touch (for cache invalidation and WebSub).
 */
import type { Item } from "../model/item";
import { type ItemWrite, type StoredItemState, setTeaserHashes, writeItems } from "../store/items";
import { contentHashOf } from "./compare";
import type { RunContext } from "./context";
import type { StoryWrite, TaggedStory } from "./story";
import { regionsOf, termsOf, union } from "./terms";

/** The item a tagged story makes, against what is stored of it; `changed` false when they are equal. */
export async function toWrite(
  story: TaggedStory,
  previous: StoredItemState | null,
  teaserHash: string | null,
  now: string,
): Promise<StoryWrite> {
  const { content: given, inferred } = story;
  const countries = union(previous?.countries, given.countries, inferred.countries);
  const topics = union(previous?.topics, given.topics, inferred.topics);
  const regions = union(previous?.regions, given.regions, regionsOf(countries));
  const content: Omit<Item, "updatedAt" | "firstSeenAt"> = { ...given, countries, regions, topics };
  const contentHash = await contentHashOf(content);
  const changed = previous?.contentHash !== contentHash;

  const { publishedAt } = content;
  const modified = story.modifiedAt;
  let updatedAt: string;
  if (!previous) updatedAt = modified && modified > publishedAt ? modified : publishedAt;
  else if (!changed) updatedAt = previous.updatedAt;
  else updatedAt = modified && modified > previous.updatedAt ? modified : now;

  const item: Item = { ...content, updatedAt, firstSeenAt: previous?.firstSeenAt ?? now };
  return { item, terms: termsOf(item, inferred), contentHash, teaserHash, changed, bodyText: story.bodyText };
}

/** Writes a listing's changes and notes the feeds they touch (for cache invalidation and WebSub). */
export async function commitWrites(
  ctx: RunContext,
  writes: ItemWrite[],
  teaserOnly: { id: string; teaserHash: string }[],
): Promise<void> {
  await writeItems(ctx.env.DB, writes);
  await setTeaserHashes(ctx.env.DB, teaserOnly);
  for (const w of writes) {
    ctx.changedFeeds.add("all");
    for (const t of w.terms) ctx.changedFeeds.add(`${t.kind}:${t.slug}`);
  }
}
