import { FeedSource } from "../model/source";

/**
 * The Diplomat, Central Asia region feed (WordPress). Items carry a description, Media RSS
 * pictures, dc:creator and categories. The site is behind a bot challenge at times: that
 * answer is an HTML page, recorded as "not a feed: the document is HTML" and retried at the
 * next poll, which is hourly to stay polite.
 */
export const diplomatCentralAsia = FeedSource.parse({
  id: "diplomat-central-asia",
  name: "The Diplomat: Central Asia",
  kind: "feed",
  feedUrl: "https://thediplomat.com/regions/central-asia/feed",
  baseUrlVar: "DIPLOMAT_BASE_URL",
  homepage: "https://thediplomat.com/regions/central-asia/",
  language: "en",
  // WordPress writes RFC 822 dates with a zone; this only matters for a date without one.
  timeZone: "UTC",
  pollMinutes: 60,
  enrich: false,
  termMap: {
    topics: { diplomacy: "politics", business: "economy", "human rights": "society", culture: "arts-and-culture" },
  },
  defaultRegions: ["central-asia"],
});
