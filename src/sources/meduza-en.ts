import { FeedSource } from "../model/source";

/**
 * Meduza in English. The Russian feed (/rss/all; a real copy is in shared/data/real/meduza)
 * has CDATA titles, content:encoded, +0300 dates and an image/png enclosure with length 0 per
 * item; the English one is assumed to have the same generator. No categories: everything is
 * filed under Russia.
 */
export const meduzaEn = FeedSource.parse({
  id: "meduza-en",
  name: "Meduza (English)",
  kind: "feed",
  feedUrl: "https://meduza.io/rss/en/all",
  baseUrlVar: "MEDUZA_BASE_URL",
  homepage: "https://meduza.io/en",
  language: "en",
  timeZone: "Europe/Moscow",
  pollMinutes: 15,
  enrich: false,
  defaultCountries: ["russia"],
});
