import { FeedSource } from "../model/source";

/** JAMnews (English edition): the South Caucasus and its neighbours, full text in content:encoded. */
export const jamnews = FeedSource.parse({
  id: "jamnews",
  name: "JAMnews",
  kind: "feed",
  feedUrl: "https://jam-news.net/feed/",
  baseUrlVar: "JAMNEWS_BASE_URL",
  homepage: "https://jam-news.net",
  language: "en",
  timeZone: "Asia/Tbilisi",
  pollMinutes: 15,
  enrich: false,
  termMap: {
    countries: { karabakh: "nagorno-karabakh" },
    topics: { culture: "arts-and-culture", conflicts: "security", business: "economy", "human rights": "society" },
  },
  defaultRegions: ["caucasus"],
});
