import { lazy, lazyArray } from "../model/lazy";
import type { Taxonomy } from "../model/taxonomy";

/**
 * Regions → countries and topics → sub-topics, taken from Eurasianet's own navigation menu
 * (see shared/reference/seed-article-page.txt). Fixed at build time, so it is checked then: the
 * type here, the zod model (slugs, non-empty names and lists) in test/unit/taxonomy.test.ts,
 * which every deploy's tests run. A new isolate serving its first feed does not check it again.
 */
export const taxonomy: Taxonomy = {
  regions: [
    {
      slug: "caucasus",
      name: "Caucasus",
      countries: [
        { slug: "armenia", name: "Armenia" },
        { slug: "azerbaijan", name: "Azerbaijan" },
        { slug: "georgia", name: "Georgia" },
      ],
    },
    {
      slug: "central-asia",
      name: "Central Asia",
      countries: [
        { slug: "kazakhstan", name: "Kazakhstan" },
        { slug: "kyrgyzstan", name: "Kyrgyzstan" },
        { slug: "tajikistan", name: "Tajikistan" },
        { slug: "turkmenistan", name: "Turkmenistan" },
        { slug: "uzbekistan", name: "Uzbekistan" },
      ],
    },
    {
      slug: "conflict-zones",
      name: "Conflict Zones",
      countries: [
        { slug: "abkhazia", name: "Abkhazia" },
        { slug: "nagorno-karabakh", name: "Nagorno Karabakh" },
        { slug: "south-ossetia", name: "South Ossetia" },
      ],
    },
    {
      slug: "eastern-europe",
      name: "Eastern Europe",
      countries: [
        { slug: "belarus", name: "Belarus" },
        { slug: "moldova", name: "Moldova" },
        { slug: "russia", name: "Russia" },
        { slug: "the-baltics", name: "The Baltics" },
        { slug: "ukraine", name: "Ukraine" },
      ],
    },
    {
      slug: "eurasian-fringe",
      name: "Eurasian Fringe",
      countries: [
        { slug: "afghanistan", name: "Afghanistan" },
        { slug: "china", name: "China" },
        { slug: "eu", name: "EU" },
        { slug: "iran", name: "Iran" },
        { slug: "mongolia", name: "Mongolia" },
        { slug: "turkey", name: "Turkey" },
        { slug: "united-kingdom", name: "United Kingdom" },
        { slug: "united-states", name: "United States" },
      ],
    },
  ],
  topics: [
    { slug: "environment", name: "Environment", subtopics: [] },
    { slug: "economy", name: "Economy", subtopics: [] },
    {
      slug: "politics",
      name: "Politics",
      subtopics: [
        { slug: "kazakhstans-bloody-january-2022", name: "Kazakhstan's Bloody January 2022" },
        { slug: "kyrgyzstan-2020-unrest", name: "Kyrgyzstan 2020 unrest" },
      ],
    },
    { slug: "security", name: "Security", subtopics: [] },
    {
      slug: "society",
      name: "Society",
      subtopics: [
        { slug: "american-diplomats-in-central-asia", name: "American diplomats in Central Asia" },
        { slug: "arts-and-culture", name: "Arts and Culture" },
        { slug: "coronavirus", name: "Coronavirus" },
        { slug: "student-spotlight", name: "Student spotlight" },
      ],
    },
  ],
};

/** Look-ups derived from the taxonomy, built with it. */
const index = lazy(() => {
  const regionOfCountry = new Map<string, string>();
  const countryByName = new Map<string, string>();
  for (const region of taxonomy.regions) {
    for (const country of region.countries) {
      regionOfCountry.set(country.slug, region.slug);
      countryByName.set(normalizeName(country.name), country.slug);
    }
  }
  /** Parent topic of each sub-topic; a parent feed includes its sub-topics' items. */
  const parentOfTopic = new Map<string, string>();
  const topicByName = new Map<string, string>();
  for (const topic of taxonomy.topics) {
    topicByName.set(normalizeName(topic.name), topic.slug);
    for (const sub of topic.subtopics) {
      parentOfTopic.set(sub.slug, topic.slug);
      topicByName.set(normalizeName(sub.name), sub.slug);
    }
  }
  return { regionOfCountry, countryByName, parentOfTopic, topicByName };
});

export const regionSlugs = lazyArray(() => taxonomy.regions.map((r) => r.slug));
export const countrySlugs = lazyArray(() => taxonomy.regions.flatMap((r) => r.countries.map((c) => c.slug)));
export const topicSlugs = lazyArray(() => taxonomy.topics.flatMap((t) => [t.slug, ...t.subtopics.map((s) => s.slug)]));

function normalizeName(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[’'`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Canonical country slug for a name as a page prints it ("Nagorno-Karabakh", "the baltics"), or null. */
export function countryFromName(name: string): string | null {
  return index.countryByName.get(normalizeName(name)) ?? null;
}

export function topicFromName(name: string): string | null {
  return index.topicByName.get(normalizeName(name)) ?? null;
}

export function regionOf(countrySlug: string): string | null {
  return index.regionOfCountry.get(countrySlug) ?? null;
}

/** A topic and its parent (if a sub-topic), so a parent feed gathers its sub-topics. */
export function topicWithParents(topicSlug: string): string[] {
  const parent = index.parentOfTopic.get(topicSlug);
  return parent ? [topicSlug, parent] : [topicSlug];
}

export function regionName(slug: string): string | null {
  return taxonomy.regions.find((r) => r.slug === slug)?.name ?? null;
}

export function countryName(slug: string): string | null {
  for (const r of taxonomy.regions) for (const c of r.countries) if (c.slug === slug) return c.name;
  return null;
}

export function topicName(slug: string): string | null {
  for (const t of taxonomy.topics) {
    if (t.slug === slug) return t.name;
    for (const s of t.subtopics) if (s.slug === slug) return s.name;
  }
  return null;
}
