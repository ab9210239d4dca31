import * as z from "zod";
import { lazy, unwrapLazy } from "./lazy";
import { Slug as SlugSchema } from "./slug";

/**
 * Built on first use, not at module load (see lazy.ts): only the OpenAPI document and the schema
 * files read these schemas, and zod's JSON Schema generation needs the schemas themselves, so the
 * builder nests unwrapped ones.
 */
const schemas = lazy(() => {
  const Slug = unwrapLazy(SlugSchema);
  const TermOrigin = z.enum(["source", "tagger"]);
  const ItemImage = z.object({
    url: z.url({ protocol: /^https?$/ }),
    caption: z.string().nullable(),
  });
  const Item = z.object({
    id: z.string().regex(/^[0-9a-f]{32}$/, "32 hex digits: the first 128 bits of SHA-256 of the canonical URL"),
    url: z.url({ protocol: /^https?$/ }),
    title: z.string().min(1),
    summary: z.string().nullable(),
    contentHtml: z.string().nullable(),
    authors: z.array(z.string().min(1)),
    publishedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    firstSeenAt: z.iso.datetime(),
    image: ItemImage.nullable(),
    language: z.string().min(2),
    sourceId: Slug,
    countries: z.array(Slug),
    regions: z.array(Slug),
    topics: z.array(Slug),
    tags: z.array(z.string().min(1)),
  });
  return { TermOrigin, ItemImage, Item };
});

/** Where a taxonomy term on an item came from: the source said so, or Caravan's tagger inferred it. */
export const TermOrigin = lazy(() => schemas.TermOrigin);
export type TermOrigin = z.infer<typeof TermOrigin>;

/** What a term names, and so which feeds an item is in: /feeds/{kind}/{slug}. */
export type TermKind = "region" | "country" | "topic" | "source";

export const ItemImage = lazy(() => schemas.ItemImage);
export type ItemImage = z.infer<typeof ItemImage>;

/**
 * One story, whatever source it came from. Every stage after parsing speaks only this shape.
 * Dates are ISO 8601 strings in UTC so the same value goes to D1, JSON and the feeds unchanged.
 */
export const Item = lazy(() => schemas.Item);
export type Item = z.infer<typeof Item>;
