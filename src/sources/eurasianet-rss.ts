import { FeedSource } from "../model/source";

/**
 * Eurasianet's site feed, https://eurasianet.org/rss (the one most other projects use). Its
 * dates are reported as non-standard ("Sep 23, 2024"), read in New York like the site's.
 * Its stories are the same URLs the `html` source reads (so the same item ids): this source
 * brings them in fast, the html source adds tags and full text. Its own categories are not
 * known offline; headline slugs usually open with the country, which urlTermMap uses as a hint.
 */
export const eurasianetRss = FeedSource.parse({
  id: "eurasianet-rss",
  name: "Eurasianet (RSS)",
  kind: "feed",
  feedUrl: "https://eurasianet.org/rss",
  baseUrlVar: "EURASIANET_RSS_BASE_URL",
  homepage: "https://eurasianet.org",
  language: "en",
  timeZone: "America/New_York",
  pollMinutes: 15,
  enrich: false,
  termMap: { countries: { "nagorno-karabakh": "nagorno-karabakh", karabakh: "nagorno-karabakh" } },
  urlTermMap: [
    { pattern: "/kazakh", countries: ["kazakhstan"] },
    { pattern: "/kyrgyz", countries: ["kyrgyzstan"] },
    { pattern: "/tajik", countries: ["tajikistan"] },
    { pattern: "/turkmen", countries: ["turkmenistan"] },
    { pattern: "/uzbek", countries: ["uzbekistan"] },
    { pattern: "/armenia", countries: ["armenia"] },
    { pattern: "/azerbaijan", countries: ["azerbaijan"] },
    { pattern: "/georgia", countries: ["georgia"] },
    { pattern: "/belarus", countries: ["belarus"] },
    { pattern: "/moldova", countries: ["moldova"] },
    { pattern: "/ukrain", countries: ["ukraine"] },
    { pattern: "/mongolia", countries: ["mongolia"] },
  ],
});
