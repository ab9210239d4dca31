import { once } from "../lib/once";
import { foldTerm, gazetteer, gazetteerKinds, KIND_WEIGHT, type TermSpec } from "../sources/gazetteer";
import { topicWithParents } from "../sources/taxonomy";
import { topicLexicon } from "../sources/topic-lexicon";
import type { NormalStory, TaggedStory } from "./story";

/**
 * Automatic country and topic tags for a story, from its title, dek and (optionally) body text.
 * Pure and synchronous; the gazetteer and topic lexicon are compiled once, by the first call.
 *
 * Precision before recall: a tag is only given on clear evidence, and a story that only mentions
 * a country in passing (an Armenia story naming Russia once) is not tagged with it.
 *
 * Countries. Every mention scores ZONE (title 3, dek 2, body 1) × KIND weight of the term
 * (name/capital 1; city, demonym, leader, institution 0.8; weak phrases like "pro-Russian" 0.4).
 * A country is kept when all of:
 *  - it is named in the title or the dek, or at least twice in the body;
 *  - its score is at least 1.5 (one demonym in the dek passes, one weak phrase does not);
 *  - its score is at least half the leading country's (the passing mention rule);
 *  - it is among the 3 highest scores.
 * Topics. Every cue scores ZONE (title 2, dek 1.5, body 0.5, at most 3 body hits a cue) × cue
 * weight. A topic is kept when its score is at least 1.5 (one full-weight cue in the dek) and at
 * least 0.6 of the leading topic's, and it is among the 2 highest; a sub-topic that needs a
 * country (Kazakhstan's January 2022) needs a mention of it; a kept sub-topic stands for its
 * parent, so the parent is not kept too.
 *
 * The thresholds were tuned on the tuning part of test/data/tagger-labelled.json; the figures on
 * both parts are printed by test/unit/tagger.test.ts. Each candidate's hits and the reason it was
 * kept or dropped are returned as `evidence`.
 */

export type Zone = "title" | "summary" | "body";

export interface TagInput {
  title: string;
  summary: string | null;
  bodyText?: string | null;
  /**
   * The story's language, if known. Not needed for matching: the English and Russian lexicons
   * are in different scripts and always both run, since a story in one language often quotes
   * names in the other.
   */
  language?: string;
}

export interface Hit {
  /** The text as it appears in the story. */
  text: string;
  zone: Zone;
  /** What this one hit added to the score. */
  score: number;
}

export interface Candidate {
  slug: string;
  score: number;
  kept: boolean;
  /** Why the candidate was kept or dropped (for debugging a tag, and for the evidence log). */
  reason: string;
  hits: Hit[];
}

export interface TagResult {
  countries: string[];
  topics: string[];
  evidence: { countries: Candidate[]; topics: Candidate[] };
}

export const COUNTRY_RULES = {
  zoneWeight: { title: 3, summary: 2, body: 1 } as Record<Zone, number>,
  minScore: 1.5,
  minShareOfLeader: 0.5,
  minBodyMentions: 2,
  max: 3,
};

export const TOPIC_RULES = {
  zoneWeight: { title: 2, summary: 1.5, body: 0.5 } as Record<Zone, number>,
  maxBodyHitsPerCue: 3,
  minScore: 1.5,
  minShareOfLeader: 0.6,
  max: 2,
};

/** Body text beyond this is not read: the title, dek and first pages say what a story is about. */
const MAX_BODY_CHARS = 50_000;

// ---------------------------------------------------------------------------------------------
// Term matching. Terms are indexed by their first two folded characters; the text is read once,
// and at each word start only the terms indexed under its first two characters are tried, by a
// plain character comparison (no regular expressions: a thousand Unicode regexes are slow to
// build at start-up, which every new isolate pays, and slower to run).

interface Word {
  /** Folded (case-insensitive terms) or as written (case-sensitive ones). */
  literal: string;
  /** A stem: any letters may follow. */
  stem: boolean;
}

interface CompiledTerm {
  /** Country, topic, or context id; null for a non-mention phrase that only swallows what it covers. */
  owner: string | null;
  weight: number;
  text: string;
  words: Word[];
  caseSensitive: boolean;
  /** English plural: an optional "s" after the last word. */
  plural: boolean;
  /** Id of the context phrases that make this term mean something else, if any. */
  unlessId: string | null;
}

interface TermMatch {
  term: CompiledTerm;
  text: string;
}

const latinOnly = once(() => /^[\p{Script=Latin}\p{N} .'-]+$/u);

/** ё as е, curly apostrophes as straight: one-for-one, so offsets stay those of the input. */
function normalizeText(text: string): string {
  return text
    .replace(/ё/g, "е")
    .replace(/Ё/g, "Е")
    .replace(/[’‘ʼ`]/g, "'");
}

/**
 * Lower-cased with ё as е, keeping every offset: a character whose lower case is longer
 * (rare, e.g. "İ") is kept as it is.
 */
function foldSameLength(text: string): string {
  const lower = foldTerm(text);
  if (lower.length === text.length) return lower;
  let out = "";
  for (const ch of text) {
    const l = foldTerm(ch);
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/** Two UTF-16 units as one number: the key of the term index. */
function pairKey(s: string, i: number): number {
  return s.charCodeAt(i) * 65536 + (i + 1 < s.length ? s.charCodeAt(i + 1) : 0);
}

const letterOrDigit = once(() => /[\p{L}\p{N}]/u);
/** Letter or digit, by ranges for Latin and Cyrillic (nearly all text here), by regex otherwise. */
function isWordChar(code: number): boolean {
  if (code < 0x80)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
  if ((code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) || (code >= 0x400 && code <= 0x4ff))
    return true;
  return !Number.isNaN(code) && letterOrDigit().test(String.fromCharCode(code));
}

/** Space, no-break space, hyphen and dashes: what joins the words of a term. */
function isSeparator(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x2d ||
    (code >= 0x2010 && code <= 0x2014) ||
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d
  );
}

/** Length of the match of `term` at `start`, or -1. `folded` is `text` folded, same offsets. */
function matchAt(term: CompiledTerm, text: string, folded: string, start: number): number {
  const src = term.caseSensitive ? text : folded;
  let i = start;
  for (let w = 0; w < term.words.length; w++) {
    const word = term.words[w]!;
    if (w > 0) {
      const sepStart = i;
      while (i < src.length && isSeparator(src.charCodeAt(i))) i++;
      if (i === sepStart) return -1;
    }
    if (!src.startsWith(word.literal, i)) return -1;
    i += word.literal.length;
    if (word.stem) while (i < src.length && isWordChar(src.charCodeAt(i))) i++;
  }
  if (term.plural && folded.charCodeAt(i) === 0x73 && !isWordChar(folded.charCodeAt(i + 1))) return i + 1 - start;
  return isWordChar(src.charCodeAt(i)) ? -1 : i - start;
}

class TermMatcher {
  private readonly byKey = new Map<number, CompiledTerm[]>();

  add(
    text: string,
    owner: string | null,
    weight: number,
    options: { caseSensitive?: boolean; unlessId?: string } = {},
  ): void {
    const caseSensitive = options.caseSensitive === true;
    const normalized = normalizeText(text);
    const words = (caseSensitive ? normalized : foldTerm(normalized))
      .split(/[ -]+/)
      .map((w) => (w.endsWith("*") ? { literal: w.slice(0, -1), stem: true } : { literal: w, stem: false }));
    // English plurals (Armenians, Kazakhs) without listing them; never for case-sensitive acronyms.
    const plural = !caseSensitive && !text.includes("*") && latinOnly().test(text) && /\p{L}$/u.test(text);
    const term: CompiledTerm = {
      owner,
      weight,
      text,
      words,
      caseSensitive,
      plural,
      unlessId: options.unlessId ?? null,
    };
    const key = pairKey(foldTerm(normalized), 0);
    const list = this.byKey.get(key) ?? [];
    list.push(term);
    this.byKey.set(key, list);
  }

  /** Of two matches of equal length the longer (more specific) term wins: try those first. */
  seal(): this {
    for (const list of this.byKey.values()) list.sort((a, b) => b.text.length - a.text.length);
    return this;
  }

  /**
   * Matches left to right, the longest at each word start; they never overlap. Where terms of
   * several owners match the same span ("sanctions": politics and economy), each owner gets one
   * match (its longest term, as candidates are sorted).
   */
  find(text: string): TermMatch[] {
    const folded = foldSameLength(text);
    const out: TermMatch[] = [];
    let coveredTo = 0;
    let prevWord = false;
    for (let start = 0; start < folded.length; start++) {
      const word = isWordChar(folded.charCodeAt(start));
      const wordStart = word && !prevWord;
      prevWord = word;
      if (!wordStart || start < coveredTo) continue;
      const candidates = this.byKey.get(pairKey(folded, start));
      if (!candidates) continue;
      let best: TermMatch[] = [];
      let bestLength = 0;
      for (const term of candidates) {
        const length = matchAt(term, text, folded, start);
        if (length <= 0) continue;
        if (length > bestLength) {
          best = [{ term, text: text.slice(start, start + length) }];
          bestLength = length;
        } else if (length === bestLength && !best.some((b) => b.term.owner === term.owner)) {
          best.push({ term, text: text.slice(start, start + length) });
        }
      }
      if (bestLength > 0) {
        out.push(...best);
        coveredTo = start + bestLength;
      }
    }
    return out;
  }
}

/** Context phrases of `unless` lists, each list under its own id, looked for only when needed. */
const contextMatcher = new TermMatcher();
let contextLists = 0;

function addGazetteerTerm(matcher: TermMatcher, spec: TermSpec, owner: string, weight: number): void {
  if (typeof spec === "string") {
    matcher.add(spec, owner, weight);
    return;
  }
  let unlessId: string | undefined;
  if (spec.unless) {
    unlessId = `context-${contextLists++}`;
    for (const phrase of spec.unless) contextMatcher.add(phrase, unlessId, 0);
  }
  matcher.add(spec.text, owner, weight, { caseSensitive: spec.caseSensitive, unlessId });
}

function compileGazetteer(): TermMatcher {
  const matcher = new TermMatcher();
  for (const [slug, terms] of Object.entries(gazetteer.countries)) {
    for (const kind of gazetteerKinds)
      for (const spec of terms[kind]) addGazetteerTerm(matcher, spec, slug, KIND_WEIGHT[kind]);
  }
  for (const text of gazetteer.nonMentions) matcher.add(text, null, 0);
  return matcher.seal();
}

function compileTopics(): TermMatcher {
  const matcher = new TermMatcher();
  for (const [slug, entry] of Object.entries(topicLexicon)) {
    for (const [cue, weight] of Object.entries(entry.cues)) matcher.add(cue, slug, weight);
  }
  return matcher.seal();
}

/**
 * The matchers, compiled from the gazetteer and topic lexicon by the first story tagged: a
 * Worker isolate that only answers feeds never pays for them (see model/lazy.ts).
 */
let compiled: { country: TermMatcher; topic: TermMatcher } | null = null;
function matchers(): { country: TermMatcher; topic: TermMatcher } {
  if (!compiled) {
    const country = compileGazetteer();
    const topic = compileTopics();
    contextMatcher.seal();
    compiled = { country, topic };
  }
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Scoring

interface Tally {
  score: number;
  hits: Hit[];
  zones: Record<Zone, number>;
}

function tallyOf(map: Map<string, Tally>, slug: string): Tally {
  let t = map.get(slug);
  if (!t) {
    t = { score: 0, hits: [], zones: { title: 0, summary: 0, body: 0 } };
    map.set(slug, t);
  }
  return t;
}

export function tagStory(input: TagInput): TagResult {
  const { country: countryMatcher, topic: topicMatcher } = matchers();
  const zones: [Zone, string][] = [
    ["title", normalizeText(input.title ?? "")],
    ["summary", normalizeText(input.summary ?? "")],
    ["body", normalizeText((input.bodyText ?? "").slice(0, MAX_BODY_CHARS))],
  ];
  // Context phrases (is this Georgia the US state?) are looked for once, and only if needed.
  let contexts: Set<string> | null = null;
  const isOverruled = (term: CompiledTerm) => {
    if (!term.unlessId) return false;
    contexts ??= new Set(zones.flatMap(([, text]) => contextMatcher.find(text).map((m) => m.term.owner!)));
    return contexts.has(term.unlessId);
  };

  const countryTallies = new Map<string, Tally>();
  const topicTallies = new Map<string, Tally>();
  const bodyCueHits = new Map<CompiledTerm, number>();
  for (const [zone, text] of zones) {
    if (!text) continue;
    for (const m of countryMatcher.find(text)) {
      if (m.term.owner === null || isOverruled(m.term)) continue;
      const score = COUNTRY_RULES.zoneWeight[zone] * m.term.weight;
      const t = tallyOf(countryTallies, m.term.owner);
      t.score += score;
      t.zones[zone] += 1;
      t.hits.push({ text: m.text, zone, score });
    }
    for (const m of topicMatcher.find(text)) {
      if (m.term.owner === null) continue;
      if (zone === "body") {
        const n = (bodyCueHits.get(m.term) ?? 0) + 1;
        bodyCueHits.set(m.term, n);
        if (n > TOPIC_RULES.maxBodyHitsPerCue) continue;
      }
      const score = TOPIC_RULES.zoneWeight[zone] * m.term.weight;
      const t = tallyOf(topicTallies, m.term.owner);
      t.score += score;
      t.zones[zone] += 1;
      t.hits.push({ text: m.text, zone, score });
    }
  }

  const countryCandidates = pickCountries(countryTallies);
  const countries = countryCandidates.filter((c) => c.kept).map((c) => c.slug);
  const topicCandidates = pickTopics(topicTallies, new Set(countryTallies.keys()));
  const topics = topicCandidates.filter((c) => c.kept).map((c) => c.slug);
  return { countries, topics, evidence: { countries: countryCandidates, topics: topicCandidates } };
}

function byScore(tallies: Map<string, Tally>): [string, Tally][] {
  return [...tallies].sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function pickCountries(tallies: Map<string, Tally>): Candidate[] {
  const ranked = byScore(tallies);
  const leader = ranked[0]?.[1].score ?? 0;
  let kept = 0;
  return ranked.map(([slug, t]) => {
    let reason = "kept";
    if (t.zones.title === 0 && t.zones.summary === 0 && t.zones.body < COUNTRY_RULES.minBodyMentions)
      reason = "a single mention, in the body";
    else if (t.score < COUNTRY_RULES.minScore) reason = `score below ${COUNTRY_RULES.minScore}`;
    else if (t.score < leader * COUNTRY_RULES.minShareOfLeader)
      reason = `score below ${COUNTRY_RULES.minShareOfLeader} of the leading country's`;
    else if (kept >= COUNTRY_RULES.max) reason = `beyond the ${COUNTRY_RULES.max} highest`;
    if (reason === "kept") kept++;
    return { slug, score: round(t.score), kept: reason === "kept", reason, hits: t.hits };
  });
}

function pickTopics(tallies: Map<string, Tally>, mentionedCountries: Set<string>): Candidate[] {
  const ranked = byScore(tallies);
  // The leader is the best topic that may be given at all (not one lacking its country).
  const eligible = (slug: string) => {
    const needs = topicLexicon[slug]?.requiresCountry;
    return !needs || needs.some((c) => mentionedCountries.has(c));
  };
  const leader = ranked.find(([slug]) => eligible(slug))?.[1].score ?? 0;
  const candidates: Candidate[] = ranked.map(([slug, t]) => {
    let reason = "kept";
    if (!eligible(slug)) reason = `needs a mention of ${topicLexicon[slug]?.requiresCountry?.join(" or ")}`;
    else if (t.score < TOPIC_RULES.minScore) reason = `score below ${TOPIC_RULES.minScore}`;
    else if (t.score < leader * TOPIC_RULES.minShareOfLeader)
      reason = `score below ${TOPIC_RULES.minShareOfLeader} of the leading topic's`;
    return { slug, score: round(t.score), kept: reason === "kept", reason, hits: t.hits };
  });
  // A kept sub-topic stands for its parent (feeds file it under the parent anyway).
  const keptSubtopicParents = new Set(
    candidates.filter((c) => c.kept).flatMap((c) => topicWithParents(c.slug).slice(1)),
  );
  let kept = 0;
  for (const c of candidates) {
    if (!c.kept) continue;
    if (keptSubtopicParents.has(c.slug)) {
      c.kept = false;
      c.reason = "a kept sub-topic stands for it";
    } else if (kept >= TOPIC_RULES.max) {
      c.kept = false;
      c.reason = `beyond the ${TOPIC_RULES.max} highest`;
    } else kept++;
  }
  return candidates;
}

/**
 * The tag stage of the listing reader: the tagger fills a kind of term only where the source
 * said nothing of that kind: precision before recall, and the source knows its stories better
 * than word counts do.
 */
export function tagItem(story: NormalStory): TaggedStory {
  const { content } = story;
  const tagged = tagStory({ title: story.tagText.title, summary: story.tagText.summary, bodyText: story.bodyText });
  return {
    ...story,
    inferred: {
      countries: content.countries.length === 0 ? tagged.countries : [],
      topics: content.topics.length === 0 ? tagged.topics : [],
    },
  };
}
