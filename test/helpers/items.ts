import type { Item } from "../../src/model/item";

/**
 * A bare stored item for query and search tests: story `n`, published (and updated, and first
 * seen) at `at`, in English from Eurasianet, with no text, image or terms; `over` sets the rest.
 */
export function storyItem(n: number, at: string, over: Partial<Item> = {}): Item {
  return {
    id: n.toString(16).padStart(32, "0"),
    url: `https://example.org/${n}`,
    title: `Story ${n}`,
    summary: null,
    contentHtml: null,
    authors: [],
    publishedAt: at,
    updatedAt: at,
    firstSeenAt: at,
    image: null,
    language: "en",
    sourceId: "eurasianet",
    countries: [],
    regions: [],
    topics: [],
    tags: [],
    ...over,
  };
}
