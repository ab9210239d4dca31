import { FeedSource } from "../model/source";

/**
 * OC Media (WordPress): full text in content:encoded, bylines in dc:creator, and categories
 * that name the country or republic, including the North Caucasus republics of Russia.
 */
export const ocMedia = FeedSource.parse({
  id: "oc-media",
  name: "OC Media",
  kind: "feed",
  feedUrl: "https://oc-media.org/feed/",
  baseUrlVar: "OCMEDIA_BASE_URL",
  homepage: "https://oc-media.org",
  language: "en",
  timeZone: "Asia/Tbilisi",
  pollMinutes: 15,
  enrich: false,
  termMap: {
    countries: {
      "north caucasus": "russia",
      chechnya: "russia",
      dagestan: "russia",
      ingushetia: "russia",
      "kabardino-balkaria": "russia",
      "north ossetia": "russia",
      karabakh: "nagorno-karabakh",
      artsakh: "nagorno-karabakh",
    },
    topics: {
      culture: "arts-and-culture",
      business: "economy",
      conflict: "security",
      military: "security",
      "human rights": "society",
      elections: "politics",
    },
  },
  defaultRegions: ["caucasus"],
});
