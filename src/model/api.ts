import * as z from "zod";
import { Item as ItemSchema } from "./item";
import { lazy, unwrapLazy } from "./lazy";
import { Slug as SlugSchema } from "./slug";
import { Taxonomy as TaxonomySchema } from "./taxonomy";

/**
 * The JSON API's answers. These schemas are the contract: the routes build values of these
 * types, and schemas/*.json and openapi.json are generated from them (npm run schemas).
 * Field names follow Item (camelCase); the paging fields keep the names the API was specified
 * with (next_cursor, next_url).
 */

/**
 * Built on first use, not at module load (see lazy.ts): only the OpenAPI document and the schema
 * files read these schemas. zod's JSON Schema generation recognises a shared schema by identity,
 * so the builder nests the schemas themselves (unwrapLazy), not their stand-ins.
 */
const schemas = lazy(() => {
  const Slug = unwrapLazy(SlugSchema);
  const Item = unwrapLazy(ItemSchema);
  const Taxonomy = unwrapLazy(TaxonomySchema);
  const Timestamp = z.iso.datetime();
  const ApiError = z
    .object({
      error: z.object({
        code: z
          .string()
          .regex(/^[a-z0-9_]+$/)
          .meta({ description: "Machine-readable reason, e.g. invalid_limit or unknown_parameter." }),
        message: z.string().meta({ description: "What was wrong, for people." }),
        details: z
          .record(z.string(), z.unknown())
          .meta({ description: "Help to fix the request, e.g. `valid` (the accepted values) or `allowed` (a range)." }),
      }),
    })
    .meta({ title: "ApiError", description: "The body of every 4xx and 5xx JSON answer." });

  const ItemsPage = z
    .object({
      items: z.array(Item).meta({ description: "Newest first by publishedAt, ties broken by id (descending)." }),
      next_cursor: z
        .string()
        .nullable()
        .meta({ description: "Pass as `cursor` with the same filters for the next page; null on the last page." }),
      next_url: z
        .url()
        .nullable()
        .meta({ description: "This request's URL with `cursor` set to next_cursor; null on the last page." }),
    })
    .meta({ title: "ItemsPage", description: "One page of items." });

  const ItemResponse = z.object({ item: Item }).meta({ title: "ItemResponse", description: "One item, whole." });

  const FeedKind = z.enum(["all", "region", "country", "topic", "source"]);

  const FeedEntry = z
    .object({
      kind: FeedKind,
      slug: Slug,
      title: z.string().min(1),
      parent: Slug.nullable().meta({ description: "The region of a country, the parent of a sub-topic, else null." }),
      items: z.int().min(0).meta({ description: "Items in the feed." }),
      newest: Timestamp.nullable().meta({ description: "Publication date of the newest item; null when empty." }),
      // The output formats are a registry in src/render/formats.ts, above this layer: the schema
      // takes any extension rather than repeating the list.
      urls: z
        .object({ api: z.url().meta({ description: "The same items from GET /api/items." }) })
        .catchall(z.url())
        .meta({
          description: "The feed in every output format, keyed by its file extension (rss, atom, json), and `api`.",
        }),
    })
    .meta({ title: "FeedEntry", description: "One published feed." });

  const FeedsResponse = z
    .object({ feeds: z.array(FeedEntry) })
    .meta({ title: "FeedsResponse", description: "Every feed Caravan publishes." });

  const TaxonomyResponse = Taxonomy.meta({
    title: "TaxonomyResponse",
    description: "Regions with their countries, topics with their sub-topics: the slugs the filters take.",
  });

  const SourceStatus = z
    .object({
      id: Slug,
      name: z.string().min(1),
      kind: z.string().meta({ description: "How the source is read, e.g. html (listing and article pages)." }),
      language: z.string().min(2),
      homepage: z.url(),
      enabled: z.boolean(),
      lastSuccessAt: Timestamp.nullable().meta({
        description: "End of the last run in which the source was read without error.",
      }),
      lastError: z.object({ message: z.string(), at: Timestamp.nullable() }).nullable().meta({
        description: "The last error recorded; compare `at` with lastSuccessAt to see whether it is current.",
      }),
      consecutiveFailures: z.int().min(0),
      items: z.int().min(0),
      newest: Timestamp.nullable(),
      listings: z
        .object({ total: z.int().min(0), failing: z.int().min(0) })
        .meta({ description: "Listing pages polled, and how many failed at their last poll." }),
    })
    .meta({ title: "SourceStatus", description: "One configured source and its health." });

  const SourcesResponse = z
    .object({ sources: z.array(SourceStatus) })
    .meta({ title: "SourcesResponse", description: "Every configured source." });
  return {
    ApiError,
    ItemsPage,
    ItemResponse,
    FeedKind,
    FeedEntry,
    FeedsResponse,
    TaxonomyResponse,
    SourceStatus,
    SourcesResponse,
  };
});

export const ApiError = lazy(() => schemas.ApiError);
export type ApiError = z.infer<typeof ApiError>;
export const ItemsPage = lazy(() => schemas.ItemsPage);
export type ItemsPage = z.infer<typeof ItemsPage>;
export const ItemResponse = lazy(() => schemas.ItemResponse);
export type ItemResponse = z.infer<typeof ItemResponse>;
export const FeedKind = lazy(() => schemas.FeedKind);
export const FeedEntry = lazy(() => schemas.FeedEntry);
export type FeedEntry = z.infer<typeof FeedEntry>;
export const FeedsResponse = lazy(() => schemas.FeedsResponse);
export type FeedsResponse = z.infer<typeof FeedsResponse>;
export const TaxonomyResponse = lazy(() => schemas.TaxonomyResponse);
export type TaxonomyResponse = z.infer<typeof TaxonomyResponse>;
export const SourceStatus = lazy(() => schemas.SourceStatus);
export type SourceStatus = z.infer<typeof SourceStatus>;
export const SourcesResponse = lazy(() => schemas.SourcesResponse);
export type SourcesResponse = z.infer<typeof SourcesResponse>;
