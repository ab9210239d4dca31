/**
 * The compare stage: a listing's stories, one per item id (a story linked twice on a page is
 * read once), each with what is stored of it (one D1 read for the whole listing), whether it
 * needs reading again, and the content hash a new reading is compared with.
 */
import { sha256Hex } from "../lib/hash";
import type { Item } from "../model/item";
import { getItemStates, type StoredItemState } from "../store/items";
import { itemIdFor } from "./canonical";
import type { RunContext } from "./context";

export async function withStoredState<T extends { url: string }>(
  ctx: RunContext,
  stories: T[],
): Promise<{ story: T; id: string; previous: StoredItemState | null }[]> {
  const withIds = await Promise.all(stories.map(async (story) => ({ story, id: await itemIdFor(story.url) })));
  const unique = [...new Map(withIds.map((w) => [w.id, w])).values()];
  const states = await getItemStates(
    ctx.env.DB,
    unique.map((u) => u.id),
  );
  return unique.map((u) => ({ ...u, previous: states.get(u.id) ?? null }));
}

/**
 * A story stored before needs no reading when it is unchanged since (its kind's hash is the one
 * stored) or when another source stored it first (one story, one item: the owner's content is
 * kept); only its terms can grow then (src/ingest/merge.ts).
 */
export function isSeen(previous: StoredItemState, hash: string, sourceId: string): boolean {
  return previous.teaserHash === hash || previous.sourceId !== sourceId;
}

/** Hash of everything a reader sees of an item (not its dates of change), in a fixed field order. */
export async function contentHashOf(item: Omit<Item, "updatedAt" | "firstSeenAt">): Promise<string> {
  return sha256Hex(
    JSON.stringify([
      item.id,
      item.url,
      item.title,
      item.summary,
      item.contentHtml,
      item.authors,
      item.publishedAt,
      item.image,
      item.language,
      item.sourceId,
      item.countries,
      item.regions,
      item.topics,
      item.tags,
    ]),
  );
}
