import * as z from "zod";

/** A taxonomy term's or a source's id in URLs and data: lower-case words joined by hyphens. */
export const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "a lower-case slug such as central-asia");
