import * as z from "zod";
import {
  ApiError,
  FeedEntry,
  FeedsResponse,
  ItemResponse,
  ItemsPage,
  SourceStatus,
  SourcesResponse,
  TaxonomyResponse,
} from "../model/api";
import { Item } from "../model/item";
import { unwrapLazy } from "../model/lazy";
import { Source } from "../model/source";
import { ITEMS_PARAMS, type ParamSpec } from "./api-params";

/**
 * The one place the API's published contract is built from the zod models: GET /openapi.json
 * serves openApiDocument(), and `npm run schemas` writes schemaFiles() to schemas/. A test
 * compares the checked-in files with schemaFiles(), so the code and the files cannot drift.
 */

export const API_VERSION = "1.0.0";

type Json = Record<string, unknown>;

/** Fields of the source definitions, whatever their kind; a field a kind lacks is skipped. */
const SOURCE_FIELDS: Record<string, string> = {
  id: "Stable id; items and feeds are filed under it.",
  name: "Shown to readers.",
  kind: "How the source is read: html (listing and article pages with CSS selectors) or feed (RSS, Atom, JSON Feed).",
  baseUrl: "Default base URL of the site.",
  feedUrl: "The feed to poll.",
  baseUrlVar: "Name of a Worker var that overrides the base URL or origin (mirrors, local copies).",
  homepage: "The site's home page, shown to readers.",
  language: "ISO 639 code of the source's stories.",
  timeZone: "IANA zone for dates the source prints without one.",
  enabled: "A disabled source is not polled; its items stay.",
  pollMinutes: "Minutes between polls of one listing or feed when it succeeds.",
  listings: "Listing pages to poll, with the terms every story on them carries.",
  listingSelectors: "CSS selectors for the teasers on a listing page.",
  enrich: "Fetch each new or changed story's article page for full text and tags.",
  articleSelectors: "CSS selectors for an article page; meta tags and JSON-LD are read regardless.",
  termMap: "The source's own names for countries and topics mapped to taxonomy slugs (case-insensitive).",
};

/**
 * Descriptions of fields of models this module does not own, added to every copy of them.
 * A function, so reading the shapes (which builds the schemas) waits for the first document.
 */
const shapeDocs = (): { keys: string[]; title: string; description: string; fields: Record<string, string> }[] => [
  {
    keys: Object.keys(Item.shape),
    title: "Item",
    description: "One story, whatever source it came from.",
    fields: {
      id: "Stable id: the first 128 bits of SHA-256 of the canonical URL, as 32 hex digits.",
      url: "The story's canonical URL (https, lower-case host, no fragment, no utm_* parameters).",
      title: "Headline, plain text.",
      summary: "The dek or standfirst, plain text.",
      contentHtml: "The story body as sanitized HTML with absolute URLs.",
      authors: "Bylines, in the order the source gives them.",
      publishedAt: "Publication time, UTC.",
      updatedAt: "Last change Caravan saw, UTC; equals publishedAt until the story changes.",
      firstSeenAt: "When Caravan first stored the story, UTC.",
      image: "Lead image, if any.",
      language: "ISO 639 code of the text, e.g. en.",
      sourceId: "Id of the source (GET /api/sources).",
      countries: "Country slugs (GET /api/taxonomy).",
      regions: "Region slugs, including those derived from the countries.",
      topics: "Topic slugs; a sub-topic's parent is listed too.",
      tags: "The source's own names that are not in the taxonomy.",
    },
  },
  // One entry per kind of source, so a kind added to the Source union is described as well.
  ...Source.options.map((option) => ({
    keys: Object.keys(option.shape),
    title: `Source (${String(option.shape.kind.value)})`,
    description:
      "A source definition (src/sources/*.ts): where to read it, how, and how its names map onto the taxonomy.",
    fields: SOURCE_FIELDS,
  })),
];

/** Response schemas that are components of openapi.json and files in schemas/. */
const RESPONSES = { ItemsPage, ItemResponse, FeedsResponse, TaxonomyResponse, SourcesResponse, ApiError };
const COMPONENTS = { Item, FeedEntry, SourceStatus, ...RESPONSES };

/** File name in schemas/ for each standalone JSON Schema. */
const FILES: { file: string; schema: z.ZodType; io: "input" | "output" }[] = [
  { file: "item.schema.json", schema: Item, io: "output" },
  // A source definition is written by people, so its schema is what they may write (defaults optional).
  { file: "source.schema.json", schema: Source, io: "input" },
  { file: "api-error.schema.json", schema: ApiError, io: "output" },
  { file: "items-page.schema.json", schema: ItemsPage, io: "output" },
  { file: "item-response.schema.json", schema: ItemResponse, io: "output" },
  { file: "feeds-response.schema.json", schema: FeedsResponse, io: "output" },
  { file: "taxonomy-response.schema.json", schema: TaxonomyResponse, io: "output" },
  { file: "sources-response.schema.json", schema: SourcesResponse, io: "output" },
];

/** Every file of schemas/, by name: the standalone JSON Schemas and openapi.json. */
export function schemaFiles(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const f of FILES)
    out[f.file] = annotate(z.toJSONSchema(unwrapLazy(f.schema), { target: "draft-2020-12", io: f.io }) as Json);
  out["openapi.json"] = openApiDocument();
  return out;
}

let memo: Json | null = null;

/** The OpenAPI 3.1 document of the API (built once per isolate). */
export function openApiDocument(): Json {
  memo ??= buildOpenApi();
  return memo;
}

function buildOpenApi(): Json {
  const registry = z.registry<{ id: string }>();
  // The schemas themselves, not their lazy stand-ins: the registry and the generator match by identity.
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(unwrapLazy(schema), { id });
  const generated = z.toJSONSchema(registry, { target: "draft-2020-12", uri: (id) => `#/components/schemas/${id}` });
  const schemas: Record<string, Json> = {};
  for (const id of Object.keys(COMPONENTS)) {
    const { $schema: _s, $id: _i, ...schema } = generated.schemas[id] as Json;
    schemas[id] = annotate(schema);
  }

  const ref = (id: keyof typeof COMPONENTS) => ({ $ref: `#/components/schemas/${id}` });
  const json = (schema: Json) => ({ "application/json": { schema } });
  const ok = (description: string, schema: Json, extraHeaders: string[] = []) => ({
    description,
    headers: Object.fromEntries(
      ["ETag", "Cache-Control", "Access-Control-Allow-Origin", ...extraHeaders].map((h) => [
        h,
        { $ref: `#/components/headers/${h}` },
      ]),
    ),
    content: json(schema),
  });
  const errors = (...codes: ("400" | "404")[]) => ({
    ...Object.fromEntries(
      codes.map((code) => [code, { $ref: `#/components/responses/${code === "400" ? "BadRequest" : "NotFound"}` }]),
    ),
    "500": { $ref: "#/components/responses/ServerError" },
  });
  const notModified = { "304": { $ref: "#/components/responses/NotModified" } };
  const noParams = "Takes no query parameters: any parameter is a 400.";

  const op = (operationId: string, summary: string, description: string, parameters: Json[], responses: Json) => ({
    get: { operationId, summary, description, parameters, responses },
  });

  return {
    openapi: "3.1.0",
    info: {
      title: "Caravan API",
      version: API_VERSION,
      description:
        "Read-only JSON over the stories Caravan gathers. Every answer carries Access-Control-Allow-Origin: * and an ETag; " +
        "send it back in If-None-Match for a 304. Every error is an ApiError, whose details list the valid values where that helps. " +
        "Unknown query parameters are refused with a 400, never ignored.",
    },
    paths: {
      "/api/items": op(
        "listItems",
        "Items, newest first, filtered and searched",
        "Filters of one kind are OR-ed (region=caucasus,central-asia), different filters AND-ed. Page with `cursor`: " +
          "keyset paging by (publishedAt, id), so stories that arrive while you page neither repeat nor get skipped.",
        Object.entries(ITEMS_PARAMS).map(([name, spec]) => queryParameter(name, spec)),
        { "200": ok("A page of items.", ref("ItemsPage")), ...notModified, ...errors("400") },
      ),
      "/api/items/{id}": op(
        "getItem",
        "One item, whole",
        noParams,
        [
          {
            name: "id",
            in: "path",
            required: true,
            description: "The item's id (32 hex digits).",
            schema: valueSchema(Item.shape.id, "output"),
          },
        ],
        { "200": ok("The item.", ref("ItemResponse"), ["Last-Modified"]), ...notModified, ...errors("400", "404") },
      ),
      "/api/feeds": op(
        "listFeeds",
        "Every feed with counts and URLs",
        `Feeds in catalog order: all, regions, countries, topics (parents before sub-topics), sources. ${noParams}`,
        [],
        { "200": ok("The feed catalog.", ref("FeedsResponse")), ...notModified, ...errors("400") },
      ),
      "/api/taxonomy": op("getTaxonomy", "Regions with countries, topics with sub-topics", noParams, [], {
        "200": ok("The taxonomy.", ref("TaxonomyResponse")),
        ...notModified,
        ...errors("400"),
      }),
      "/api/sources": op("listSources", "Configured sources and their health", noParams, [], {
        "200": ok("Every configured source.", ref("SourcesResponse")),
        ...notModified,
        ...errors("400"),
      }),
      "/openapi.json": op("getOpenApi", "This document", noParams, [], {
        "200": ok("OpenAPI 3.1.", { type: "object" }),
        ...notModified,
        ...errors("400"),
      }),
      "/docs": {
        get: {
          operationId: "getDocs",
          summary: "This reference as a web page",
          description: noParams,
          parameters: [],
          responses: {
            "200": { description: "HTML, no scripts.", content: { "text/html": { schema: { type: "string" } } } },
            ...notModified,
            ...errors("400"),
          },
        },
      },
    },
    components: {
      schemas,
      responses: {
        NotModified: { description: "The ETag sent in If-None-Match still matches: keep your copy." },
        BadRequest: {
          description:
            "A query parameter is unknown, repeated, or has a value that is not allowed; `details` says what is.",
          content: json(ref("ApiError")),
        },
        NotFound: { description: "No such item.", content: json(ref("ApiError")) },
        ServerError: { description: "The server could not answer.", content: json(ref("ApiError")) },
      },
      headers: {
        ETag: { description: "A hash of the body; send it back in If-None-Match.", schema: { type: "string" } },
        "Last-Modified": { description: "The item's updatedAt.", schema: { type: "string" } },
        "Cache-Control": {
          description: "How long the answer may be reused without asking.",
          schema: { type: "string" },
        },
        "Access-Control-Allow-Origin": {
          description: "Always *: any web page may read the API.",
          schema: { type: "string" },
        },
      },
    },
  };
}

function queryParameter(name: string, spec: ParamSpec): Json {
  const value = valueSchema(spec.value, "input");
  return {
    name,
    in: "query",
    required: false,
    description: spec.description,
    ...(spec.repeatable
      ? { style: "form", explode: true, schema: { type: "array", items: value } }
      : { schema: value }),
  };
}

function valueSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(unwrapLazy(schema), { target: "draft-2020-12", io }) as Json;
  return rest;
}

/** Adds titles and field descriptions to every object schema shaped like one in shapeDocs(). */
function annotate(node: Json): Json {
  const docs = shapeDocs();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const obj = value as Json;
    const props = obj.properties as Record<string, Json> | undefined;
    if (props) {
      const keys = Object.keys(props).sort().join(",");
      const doc = docs.find((d) => [...d.keys].sort().join(",") === keys);
      if (doc) {
        obj.title ??= doc.title;
        obj.description ??= doc.description;
        for (const [field, text] of Object.entries(doc.fields)) if (props[field]) props[field].description ??= text;
      }
    }
    Object.values(obj).forEach(visit);
  };
  visit(node);
  return node;
}
