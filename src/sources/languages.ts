/**
 * The languages Caravan's own tagger reads (English and Russian lexicons) and its shipped sources
 * write in. The `lang` filter of feeds and API takes these and the language of every registered
 * source (an operator may add one in Georgian); any other value is refused rather than answered
 * with an empty feed, which a reader would take for "no news".
 */
export const LANGUAGES = ["en", "ru"] as const;

/** The values `lang` takes: the languages above and those of the registered sources, sorted. */
export function filterLanguages(sources: readonly { language?: string }[]): string[] {
  const all = new Set<string>(LANGUAGES);
  for (const s of sources) if (s.language) all.add(s.language);
  return [...all].sort();
}
