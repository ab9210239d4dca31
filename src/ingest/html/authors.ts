/**
 * Author names as pages give them are often more than a name: "By Jane Doe and John Roe",
 * "Jane Doe, a senior correspondent", or a JSON-LD name that carries the author's whole
 * affiliation ("Povilas Aleksandravičius, Mykolo Romerio universiteto ... profesorius, Lrt.lt").
 * A byline is split on commas, semicolons and "and"/"&", and the parts that read as a person's
 * or organisation's name are kept. When no part does, the whole byline is kept as given.
 */

/** Lower-case words that may appear inside a name ("Ursula von der Leyen", "Abd al-Rahman"). */
const NAME_PARTICLES = new Set([
  "al",
  "bin",
  "ibn",
  "da",
  "das",
  "de",
  "del",
  "della",
  "der",
  "den",
  "di",
  "do",
  "dos",
  "du",
  "el",
  "la",
  "le",
  "ter",
  "van",
  "von",
  "y",
  "zu",
  "ben",
  "bint",
  "af",
  "av",
  "st",
]);

const BY_PREFIX = /^(?:by|from|von|par|por|autor(?:ius|ė)?|автор)\s*:?\s+/i;

/** Whether a piece of a byline reads as a name: 1 to 5 words, each capitalised or a particle. */
export function looksLikeName(part: string): boolean {
  if (/[@/]|https?:/i.test(part) || /\.[a-z]{2,}$/.test(part)) return false; // e-mail, URL, domain ("Lrt.lt")
  const words = part.split(" ");
  if (words.length > 5) return false;
  return words.every((w) => /^[\p{Lu}\p{Lt}]/u.test(w) || NAME_PARTICLES.has(w.toLowerCase()));
}

/** Splits bylines into names, de-duplicated case-insensitively, in the order given. */
export function cleanAuthorNames(bylines: readonly string[]): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    const key = name.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      names.push(name);
    }
  };
  for (const byline of bylines) {
    const whole = byline.replace(/\s+/g, " ").trim().replace(BY_PREFIX, "");
    // Profile links given instead of a name (article:author often is one).
    if (whole === "" || /^(?:https?:)?\/\//i.test(whole) || /^[\w.-]+\.[a-z]{2,}(?:\/\S*)?$/.test(whole)) continue;
    const parts = whole
      .split(/\s*[,;|]\s*|\s+(?:and|&)\s+/i)
      .map((p) => p.replace(BY_PREFIX, "").trim())
      .filter((p) => p.length > 0);
    const named = parts.filter(looksLikeName);
    if (named.length > 0) named.forEach(add);
    else add(whole);
  }
  return names;
}
