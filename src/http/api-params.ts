import * as z from "zod";
import type { TermKind } from "../model/item";
import { lazy } from "../model/lazy";
import { FEED_KINDS, taxonomySlugsOf } from "../sources/feeds";
import { LANGUAGES } from "../sources/languages";
import type { Cursor } from "../store/items";
import { decodeCursor } from "../store/query";
import { buildMatchExpression, MAX_SEARCH_LENGTH, SEARCH_SYNTAX, SearchSyntaxError } from "../store/search";
import { clip, HttpError } from "./errors";

export const DEFAULT_API_LIMIT = 50;
export const MAX_API_LIMIT = 200;
/** Values one repeatable parameter may carry; the slug lists are shorter than this anyway. */
const MAX_VALUES = 50;

/**
 * One query parameter of the API. `value` is the zod schema of one decoded value: it validates
 * requests here and is the parameter's schema in openapi.json, so the two cannot disagree.
 */
export interface ParamSpec {
  value: z.ZodType;
  /** Given several times or comma-separated; the values are OR-ed. */
  repeatable: boolean;
  /** The text is a whole number, converted before `value` checks its range. */
  integer?: boolean;
  description: string;
  /** Completes "<name> must be …" in an error message. */
  expect: string;
  /** What an error about this parameter lists to help fix the request. */
  details: Record<string, unknown>;
}

const RFC3339_EXAMPLE = "2026-01-31T00:00:00Z";

function termParam(kind: Exclude<TermKind, "source">, what: string): ParamSpec {
  const valid = taxonomySlugsOf(kind);
  return {
    value: z.enum(valid as [string, ...string[]]),
    repeatable: true,
    description: `${what} Repeat the parameter or separate slugs with commas to take several (OR); different filters are AND-ed.`,
    expect: `a ${kind} slug`,
    details: { valid },
  };
}

/** GET /api/items (built on first use: the slug lists come from the catalog; see model/lazy.ts) */
export const ITEMS_PARAMS = lazy(
  () =>
    ({
      region: termParam("region", "Items of any country in the region (slugs: GET /api/taxonomy)."),
      country: termParam("country", "Items tagged with the country."),
      topic: termParam("topic", "Items with the topic; a parent topic includes its sub-topics."),
      // Sources come and go with the registry: the id's shape is checked here, its existence per request.
      source: {
        value: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
        repeatable: true,
        description:
          "Items of the source (ids: GET /api/sources). Repeat the parameter or separate ids with commas to take several (OR); different filters are AND-ed.",
        expect: "a source id",
        details: { list: "/api/sources" },
      },
      // Like sources: the code's shape is checked here, that a registered source writes in it per request.
      lang: {
        value: z.string().regex(/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i),
        repeatable: true,
        description: `Items in the language, an ISO 639 code: ${LANGUAGES.join(" or ")}, or that of any registered source (GET /api/sources). Repeatable (OR).`,
        expect: "an ISO 639 language code",
        details: { valid: [...LANGUAGES], list: "/api/sources" },
      },
      since: {
        value: z.iso.datetime({ offset: true }),
        repeatable: false,
        description: "Items published at or after this time (RFC 3339 with a zone).",
        expect: "an RFC 3339 date-time with a zone",
        details: { example: RFC3339_EXAMPLE },
      },
      until: {
        value: z.iso.datetime({ offset: true }),
        repeatable: false,
        description: "Items published at or before this time (RFC 3339 with a zone).",
        expect: "an RFC 3339 date-time with a zone",
        details: { example: RFC3339_EXAMPLE },
      },
      q: {
        value: z.string().min(1).max(MAX_SEARCH_LENGTH),
        repeatable: false,
        description:
          'Full-text search over title, summary and body: words (all must match), "exact phrases", prefix* (2+ letters), OR between alternatives, -word to exclude.',
        expect: `1 to ${MAX_SEARCH_LENGTH} characters of search words`,
        details: { syntax: SEARCH_SYNTAX },
      },
      limit: {
        value: z.int().min(1).max(MAX_API_LIMIT).default(DEFAULT_API_LIMIT),
        repeatable: false,
        integer: true,
        description: `Items per page, 1 to ${MAX_API_LIMIT}.`,
        expect: `a whole number from 1 to ${MAX_API_LIMIT}`,
        details: { allowed: `1..${MAX_API_LIMIT}`, default: DEFAULT_API_LIMIT },
      },
      cursor: {
        value: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        repeatable: false,
        description: "Opaque: the next_cursor of the previous page. Keep the other parameters the same.",
        expect: "the next_cursor of a previous page",
        details: {},
      },
    }) satisfies Record<string, ParamSpec>,
);

export type ItemsParamName = keyof typeof ITEMS_PARAMS;

/** A validated GET /api/items query. */
export interface ItemsQuery {
  terms: Partial<Record<TermKind, string[]>>;
  languages: string[];
  /** Inclusive bounds on publishedAt, ms. */
  since: number | null;
  until: number | null;
  /** The FTS5 expression built from q, or null without q. */
  match: string | null;
  limit: number;
  cursor: Cursor | null;
}

/**
 * Reads GET /api/items' query; `sourceIds` are the registered sources a `source` filter may name,
 * `languages` the values `lang` takes (the catalog's).
 */
export function parseItemsQuery(url: URL, sourceIds: readonly string[], languages: readonly string[]): ItemsQuery {
  const v = validate(url, ITEMS_PARAMS) as Partial<Record<ItemsParamName, unknown[]>>;
  const strings = (name: ItemsParamName) => [...new Set((v[name] ?? []) as string[])].sort();
  const unknownSource = strings("source").find((id) => !sourceIds.includes(id));
  if (unknownSource !== undefined) {
    throw new HttpError(400, "invalid_source", `source must be a source id, got "${clip(unknownSource)}"`, {
      valid: [...sourceIds],
    });
  }
  const unknownLang = strings("lang").find((l) => !languages.includes(l));
  if (unknownLang !== undefined) {
    throw new HttpError(400, "invalid_lang", `unknown lang "${clip(unknownLang)}": one of ${languages.join(", ")}`, {
      valid: [...languages],
    });
  }
  const one = <T>(name: ItemsParamName): T | null => ((v[name] ?? [])[0] as T | undefined) ?? null;

  const terms: Partial<Record<TermKind, string[]>> = {};
  for (const kind of FEED_KINDS) {
    const slugs = strings(kind);
    if (slugs.length > 0) terms[kind] = slugs;
  }
  const sinceText = one<string>("since");
  const untilText = one<string>("until");
  const since = sinceText === null ? null : Date.parse(sinceText);
  const until = untilText === null ? null : Date.parse(untilText);
  if (since !== null && until !== null && since > until) {
    throw new HttpError(400, "invalid_range", `since (${sinceText}) is later than until (${untilText})`, {
      example: { since: "2026-01-01T00:00:00Z", until: RFC3339_EXAMPLE },
    });
  }

  const q = one<string>("q");
  let match: string | null = null;
  if (q !== null) {
    try {
      match = buildMatchExpression(q);
    } catch (err) {
      if (!(err instanceof SearchSyntaxError)) throw err;
      throw new HttpError(400, "invalid_q", `q: ${err.message}`, { problem: err.problem, syntax: SEARCH_SYNTAX });
    }
  }

  const cursorText = one<string>("cursor");
  const cursor = cursorText === null ? null : decodeCursor(cursorText);
  if (cursorText !== null && cursor === null) {
    throw new HttpError(
      400,
      "invalid_cursor",
      "cursor is not one this API gave out: pass the next_cursor of the previous page",
      {},
    );
  }

  return {
    terms,
    languages: strings("lang"),
    since,
    until,
    match,
    limit: one<number>("limit") ?? DEFAULT_API_LIMIT,
    cursor,
  };
}

/** For routes that take no query parameters: any parameter is a 400 rather than ignored. */
export function rejectQueryParams(url: URL): void {
  validate(url, {});
}

/**
 * Checks a query against its parameter table with one strict zod object: unknown names, a
 * single-valued parameter given twice, and values the specs refuse all become a 400 naming the
 * parameter. Returns each given parameter's decoded values.
 */
function validate(url: URL, specs: Record<string, ParamSpec>): Record<string, unknown[]> {
  const raw: Record<string, string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    raw[name] = specs[name]?.repeatable
      ? values
          .flatMap((x) => x.split(","))
          .map((x) => x.trim())
          .filter((x) => x !== "")
      : values;
  }
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const one = spec.integer
      ? z
          .string()
          .regex(/^\d{1,6}$/)
          .transform(Number)
          .pipe(spec.value as z.ZodType<unknown, number>)
      : spec.value;
    shape[name] = z
      .array(one)
      .max(spec.repeatable ? MAX_VALUES : 1)
      .optional();
  }
  const result = z.strictObject(shape).safeParse(raw);
  if (result.success) return result.data as Record<string, unknown[]>;

  const issues = result.error.issues;
  const unknownKeys = issues.find((i) => i.code === "unrecognized_keys");
  if (unknownKeys) {
    const name = unknownKeys.keys[0] ?? "";
    throw new HttpError(400, "unknown_parameter", `unknown query parameter "${clip(name)}"`, {
      valid: Object.keys(specs),
    });
  }
  const issue = issues[0]!;
  const name = String(issue.path[0]);
  const spec = specs[name]!;
  if (issue.path.length === 1 && issue.code === "too_big") {
    const message = spec.repeatable ? `${name} may take at most ${MAX_VALUES} values` : `${name} may be given once`;
    throw new HttpError(400, `invalid_${name}`, message, spec.details);
  }
  const given = raw[name]?.[Number(issue.path[1])] ?? "";
  throw new HttpError(400, `invalid_${name}`, `${name} must be ${spec.expect}, got "${clip(given)}"`, spec.details);
}
