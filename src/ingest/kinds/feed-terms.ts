/**
 * A feed story's terms from the source's own signals, as the source definition maps them:
 * its categories (termMap, then the taxonomy's own names), its URL path (urlTermMap), the feed
 * it came from (an RFE/RL zone feed names its country) and the source's defaults. Regions
 * implied by countries are not added here: normalizing derives them for every source alike.
 */
import { lazy } from "../../model/lazy";
import type { FeedSource, UrlTermRule } from "../../model/source";
import { countryFromName, taxonomy, topicFromName } from "../../sources/taxonomy";
import type { ListingTerms } from "../story";

export interface FeedTerms {
  countries: string[];
  regions: string[];
  topics: string[];
  /** Category names that map to nothing: they become the item's free tags. */
  unmapped: string[];
}

export function mapFeedTerms(
  source: FeedSource,
  entry: { url: string; categories: string[] },
  feedTerms: ListingTerms = { countries: [], regions: [], topics: [] },
): FeedTerms {
  const countries = [...source.defaultCountries, ...feedTerms.countries];
  const regions = [...source.defaultRegions, ...feedTerms.regions];
  const topics = [...source.defaultTopics, ...feedTerms.topics];
  const unmapped: string[] = [];
  const maps = termMapsOf(source);

  for (const raw of entry.categories) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (!key) continue;
    const country = maps.countries.get(key);
    const region = maps.regions.get(key);
    const topic = maps.topics.get(key);
    if (country || region || topic) {
      // A source may file one of its names under several kinds ("Karabakh war": country + topic).
      if (country) countries.push(country);
      if (region) regions.push(region);
      if (topic) topics.push(topic);
      continue;
    }
    const byName = countryFromName(name);
    const regionByName = byName ? null : regionFromName(name);
    const topicByName = byName || regionByName ? null : topicFromName(name);
    if (byName) countries.push(byName);
    else if (regionByName) regions.push(regionByName);
    else if (topicByName) topics.push(topicByName);
    else unmapped.push(name);
  }

  const path = pathOf(entry.url);
  if (path !== null) {
    for (const rule of source.urlTermMap) {
      if (!urlRuleMatches(rule, path)) continue;
      countries.push(...rule.countries);
      regions.push(...rule.regions);
      topics.push(...rule.topics);
    }
  }
  return {
    countries: unique(countries),
    regions: unique(regions),
    topics: unique(topics),
    unmapped: uniqueCaseless(unmapped),
  };
}

/** A prefix rule matches the path's start; a "^" rule is a regular expression; both ignore case. */
export function urlRuleMatches(rule: Pick<UrlTermRule, "pattern">, path: string): boolean {
  if (rule.pattern.startsWith("^")) return compiled(rule.pattern).test(path);
  return path.toLowerCase().startsWith(rule.pattern.toLowerCase());
}

const regexCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, "i");
    regexCache.set(pattern, re);
  }
  return re;
}

interface TermMaps {
  countries: Map<string, string>;
  regions: Map<string, string>;
  topics: Map<string, string>;
}

const mapsCache = new WeakMap<FeedSource, TermMaps>();
function termMapsOf(source: FeedSource): TermMaps {
  let maps = mapsCache.get(source);
  if (!maps) {
    const lower = (record: Record<string, string>) =>
      new Map(Object.entries(record).map(([k, v]) => [k.trim().toLowerCase(), v]));
    maps = {
      countries: lower(source.termMap.countries),
      regions: lower(source.termMap.regions),
      topics: lower(source.termMap.topics),
    };
    mapsCache.set(source, maps);
  }
  return maps;
}

const regionByName = lazy(() => new Map(taxonomy.regions.map((r) => [squash(r.name), r.slug])));
/** A region by its taxonomy name ("Central Asia", "central-asia"), or null. */
function regionFromName(name: string): string | null {
  return regionByName.get(squash(name)) ?? null;
}

function squash(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

function pathOf(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function uniqueCaseless(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => !seen.has(v.toLowerCase()) && seen.add(v.toLowerCase()));
}
