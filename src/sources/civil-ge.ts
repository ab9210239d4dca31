import { FeedSource } from "../model/source";

/** Civil.ge (WordPress, English edition): Georgian news, full text in content:encoded. */
export const civilGe = FeedSource.parse({
  id: "civil-ge",
  name: "Civil.ge",
  kind: "feed",
  feedUrl: "https://civil.ge/feed/",
  baseUrlVar: "CIVILGE_BASE_URL",
  homepage: "https://civil.ge",
  language: "en",
  timeZone: "Asia/Tbilisi",
  pollMinutes: 15,
  enrich: false,
  termMap: {
    countries: { abkhazia: "abkhazia", tskhinvali: "south-ossetia", "tskhinvali region": "south-ossetia" },
    topics: {
      elections: "politics",
      "foreign policy": "politics",
      business: "economy",
      defense: "security",
      culture: "arts-and-culture",
    },
  },
  // Every story is about Georgia, whatever else it names.
  defaultCountries: ["georgia"],
});
