import * as z from "zod";
import { lazy } from "./lazy";

/** The body of a Queues message: one due listing for a consumer to read (src/ingest/queue.ts). */
export const ListingMessage = lazy(() =>
  z.object({ listingId: z.string().min(1).max(500), enqueuedAt: z.number().int() }),
);
export type ListingMessage = z.infer<typeof ListingMessage>;
