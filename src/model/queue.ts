import * as z from "zod";

/** The body of a Queues message: one due listing for a consumer to read (src/ingest/queue.ts). */
export const ListingMessage = z.object({ listingId: z.string().min(1).max(500), enqueuedAt: z.number().int() });
export type ListingMessage = z.infer<typeof ListingMessage>;
