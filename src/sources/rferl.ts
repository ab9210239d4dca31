import { FeedSource } from "../model/source";

/**
 * RFE/RL (Pangea CMS) zone feeds, https://www.rferl.org/api/<zone>. The zone codes are NOT
 * confirmed: the official list is at https://www.rferl.org/rssfeeds, which was not reachable
 * offline. The codes below are the ones third-party feed lists label "RFE/RL Central Asia",
 * "… Kazakhstan", "… Uzbekistan", "… Tajikistan" and "… Kyrgyzstan"; check them against
 * /rssfeeds before relying on them. One RFE/RL zone feed was seen answering 200 with an 11-byte
 * body: minBodyBytes makes such an answer a recorded failure, not a quiet news day.
 * Items carry a description only, so each new story's page is read (same CMS as VOA:
 * h1.title, time[datetime], #article-content .wsw, JSON-LD).
 */
export const rferl = FeedSource.parse({
  id: "rferl",
  name: "RFE/RL",
  kind: "feed",
  feedUrl: "https://www.rferl.org/api/zrqpurqp", // unconfirmed: "Central Asia"
  baseUrlVar: "RFERL_BASE_URL",
  homepage: "https://www.rferl.org",
  language: "en",
  timeZone: "Europe/Prague",
  pollMinutes: 30,
  enrich: true,
  articleSelectors: {
    title: "h1.title",
    date: "time[datetime]",
    body: "#article-content .wsw",
    exclude: [".media-block-wrap", ".wsw__embed", "aside"],
  },
  termMap: { countries: { karakalpakstan: "uzbekistan", "gorno-badakhshan": "tajikistan" } },
  // The main zone is the Central Asia one; each country zone adds its country.
  defaultRegions: ["central-asia"],
  minBodyBytes: 64,
  extraFeeds: [
    { url: "https://www.rferl.org/api/zvqeoykmruy", countries: ["kazakhstan"] }, // unconfirmed
    { url: "https://www.rferl.org/api/ztoytlurvm", countries: ["uzbekistan"] }, // unconfirmed
    { url: "https://www.rferl.org/api/ztrizkuopvy", countries: ["tajikistan"] }, // unconfirmed
    { url: "https://www.rferl.org/api/zruykyvzpq", countries: ["kyrgyzstan"] }, // unconfirmed
  ],
});
