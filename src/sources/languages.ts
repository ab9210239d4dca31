/**
 * The languages Caravan carries: its sources write in them and its tagger reads them (English
 * and Russian lexicons). The `lang` filter of feeds and API takes exactly these; any other value
 * is refused rather than answered with an empty feed, which a reader would take for "no news".
 */
export const LANGUAGES = ["en", "ru"] as const;
