import * as z from "zod";
import { lazy } from "./lazy";

/**
 * A taxonomy term's or a source's id in URLs and data: lower-case words joined by hyphens.
 * Built on first use (see lazy.ts); schemas that contain it take unwrapLazy(Slug), the schema
 * itself, so their JSON Schema can be generated.
 */
export const Slug = lazy(() =>
  z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "a lower-case slug such as central-asia"),
);
