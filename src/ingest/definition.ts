/**
 * Checks a source definition written by an operator (admin API, OPML import) before it reaches
 * the registry: the zod model first, then what the model cannot see but would break a run: a term
 * slug the taxonomy lacks, a CSS selector HTMLRewriter cannot parse, a time zone that does not
 * exist, a field the model does not know (a typo would otherwise be dropped in silence).
 */
import { lazyArray } from "../model/lazy";
import { type ArticleSelectors, type ListingSelectors, Source } from "../model/source";
import { countrySlugs, regionSlugs, topicSlugs } from "../sources/taxonomy";

/** One thing wrong with a definition: the field (zod's path, dotted), what is wrong, what is valid. */
export interface DefinitionProblem {
  field: string;
  problem: string;
  valid?: unknown;
}

export type DefinitionCheck = { ok: true; source: Source } | { ok: false; problems: DefinitionProblem[] };

const KINDS = lazyArray(() => Source.options.map((o) => String(o.shape.kind.value)));

/** Every problem of a definition, or the definition as the model reads it (defaults filled in). */
export function checkDefinition(input: unknown): DefinitionCheck {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return fail([{ field: "(definition)", problem: "must be a JSON object", valid: "schemas/source.schema.json" }]);
  }
  const problems: DefinitionProblem[] = [];
  const kind = (input as { kind?: unknown }).kind;
  const option = Source.options.find((o) => o.shape.kind.value === kind);
  if (option) {
    const known = new Set(["$schema", ...Object.keys(option.shape)]);
    for (const key of Object.keys(input)) {
      if (!known.has(key)) {
        problems.push({
          field: key,
          problem: `is not a field of a ${String(kind)} source`,
          valid: [...known].filter((k) => k !== "$schema"),
        });
      }
    }
  }
  const parsed = Source.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join(".") || "(definition)";
      const valid =
        issue.path.length === 1 && issue.path[0] === "kind"
          ? KINDS
          : "values" in issue && Array.isArray(issue.values)
            ? issue.values
            : undefined;
      problems.push({ field, problem: issue.message, ...(valid === undefined ? {} : { valid }) });
    }
    return fail(problems);
  }
  const source = parsed.data;
  problems.push(...termProblems(source), ...selectorProblems(source), ...zoneProblems(source));
  return problems.length > 0 ? fail(problems) : { ok: true, source };
}

function fail(problems: DefinitionProblem[]): DefinitionCheck {
  return { ok: false, problems };
}

const VALID = { countries: countrySlugs, regions: regionSlugs, topics: topicSlugs } as const;
interface TermField {
  /** The dotted path of the value (with the index appended for lists). */
  field: string;
  kind: keyof typeof VALID;
  slugs: string[];
  list: boolean;
}

/** Every place a definition names taxonomy slugs. */
function termFields(source: Source): TermField[] {
  const out: TermField[] = [];
  const terms = (prefix: string, t: { countries: string[]; regions: string[]; topics: string[] }) => {
    for (const kind of KINDS_OF_TERMS) out.push({ field: `${prefix}${kind}`, kind, slugs: t[kind], list: true });
  };
  const map = (m: Partial<Record<keyof typeof VALID, Record<string, string>>>) => {
    for (const kind of KINDS_OF_TERMS) {
      for (const [name, slug] of Object.entries(m[kind] ?? {})) {
        out.push({ field: `termMap.${kind}.${name}`, kind, slugs: [slug], list: false });
      }
    }
  };
  map(source.termMap);
  if (source.kind === "html") {
    for (const [i, l] of source.listings.entries()) terms(`listings.${i}.`, l);
    return out;
  }
  out.push(
    { field: "defaultCountries", kind: "countries", slugs: source.defaultCountries, list: true },
    { field: "defaultRegions", kind: "regions", slugs: source.defaultRegions, list: true },
    { field: "defaultTopics", kind: "topics", slugs: source.defaultTopics, list: true },
  );
  for (const [i, r] of source.urlTermMap.entries()) terms(`urlTermMap.${i}.`, r);
  for (const [i, f] of source.extraFeeds.entries()) terms(`extraFeeds.${i}.`, f);
  return out;
}

const KINDS_OF_TERMS = ["countries", "regions", "topics"] as const;
const SINGULAR = { countries: "country", regions: "region", topics: "topic" } as const;

function termProblems(source: Source): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  for (const { field, kind, slugs, list } of termFields(source)) {
    slugs.forEach((slug, i) => {
      if ((VALID[kind] as readonly string[]).includes(slug)) return;
      problems.push({
        field: list ? `${field}.${i}` : field,
        problem: `"${slug}" is not a ${SINGULAR[kind]} of the taxonomy`,
        valid: VALID[kind],
      });
    });
  }
  return problems;
}

/** Whether HTMLRewriter accepts a selector (it parses selectors when a handler is attached). */
export function selectorParses(selector: string): boolean {
  try {
    new HTMLRewriter().on(selector, {});
    return true;
  } catch {
    return false;
  }
}

function selectorProblems(source: Source): DefinitionProblem[] {
  const selectors: [string, string][] = [];
  const add = (prefix: string, fields: Record<string, unknown> | undefined) => {
    for (const [name, value] of Object.entries(fields ?? {})) {
      if (typeof value === "string") selectors.push([`${prefix}.${name}`, value]);
      else if (Array.isArray(value))
        value.forEach((v, i) => void selectors.push([`${prefix}.${name}.${i}`, String(v)]));
    }
  };
  if (source.kind === "html") add("listingSelectors", source.listingSelectors as ListingSelectors);
  add("articleSelectors", source.articleSelectors as ArticleSelectors | undefined);
  return selectors
    .filter(([, selector]) => !selectorParses(selector))
    .map(([field, selector]) => ({
      field,
      problem: `"${selector}" is not a CSS selector HTMLRewriter can parse`,
      valid: "type, .class, #id, [attr], [attr=value], descendant and child combinators, :nth-child, :not(…)",
    }));
}

function zoneProblems(source: Source): DefinitionProblem[] {
  try {
    new Intl.DateTimeFormat("en", { timeZone: source.timeZone });
    return [];
  } catch {
    return [
      {
        field: "timeZone",
        problem: `"${source.timeZone}" is not an IANA time zone`,
        valid: "e.g. Asia/Tbilisi, Europe/Moscow, UTC",
      },
    ];
  }
}
