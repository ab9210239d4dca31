import * as z from "zod";
import { Slug } from "./slug";

export const Country = z.object({ slug: Slug, name: z.string().min(1) });
export const Region = z.object({ slug: Slug, name: z.string().min(1), countries: z.array(Country).min(1) });
export const Topic = z.object({
  slug: Slug,
  name: z.string().min(1),
  subtopics: z.array(z.object({ slug: Slug, name: z.string().min(1) })),
});
export const Taxonomy = z.object({ regions: z.array(Region).min(1), topics: z.array(Topic).min(1) });

export type Country = z.infer<typeof Country>;
export type Region = z.infer<typeof Region>;
export type Topic = z.infer<typeof Topic>;
export type Taxonomy = z.infer<typeof Taxonomy>;
