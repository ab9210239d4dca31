import * as z from "zod";
import { lazy, unwrapLazy } from "./lazy";
import { Slug as SlugSchema } from "./slug";

/** Built on first use, not at module load (see lazy.ts and source.ts). */
const schemas = lazy(() => {
  const Slug = unwrapLazy(SlugSchema);
  const Country = z.object({ slug: Slug, name: z.string().min(1) });
  const Region = z.object({ slug: Slug, name: z.string().min(1), countries: z.array(Country).min(1) });
  const Topic = z.object({
    slug: Slug,
    name: z.string().min(1),
    subtopics: z.array(z.object({ slug: Slug, name: z.string().min(1) })),
  });
  const Taxonomy = z.object({ regions: z.array(Region).min(1), topics: z.array(Topic).min(1) });
  return { Country, Region, Topic, Taxonomy };
});

export const Country = lazy(() => schemas.Country);
export const Region = lazy(() => schemas.Region);
export const Topic = lazy(() => schemas.Topic);
export const Taxonomy = lazy(() => schemas.Taxonomy);

export type Country = z.infer<typeof Country>;
export type Region = z.infer<typeof Region>;
export type Topic = z.infer<typeof Topic>;
export type Taxonomy = z.infer<typeof Taxonomy>;
