import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { enqueueDueListings, type ListingMessage } from "../../src/ingest/queue";
import { shippedSources as sources } from "../../src/sources";
import { fixtureRequests, resetFixture } from "../helpers/fixture";

// The queue path through miniflare's own queue broker: the dispatcher sends to a real local
// queue, and miniflare delivers batches to the Worker's queue() handler.
describe("queue path through the local queue broker", () => {
  it("every enqueued listing is read once by the Worker's consumer", async () => {
    await resetFixture();
    const queue = (env as unknown as { E2E_QUEUE: Queue<ListingMessage> }).E2E_QUEUE;
    const eurasianet = sources.filter((s) => s.id === "eurasianet");
    const { enqueued } = await enqueueDueListings({ ...env, SUBREQUEST_BUDGET: "200" }, queue, { sources: eurasianet });
    expect(enqueued).toBe(16);
    const deadline = Date.now() + 20_000;
    let waiting = 16;
    while (Date.now() < deadline) {
      const row = await env.DB.prepare(
        "SELECT count(*) AS n FROM listings WHERE source_id = 'eurasianet' AND (lease_owner IS NOT NULL OR last_fetched_at IS NULL)",
      ).first<{ n: number }>();
      waiting = row!.n;
      if (waiting === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(waiting).toBe(0);
    const listingReads = (await fixtureRequests()).filter(
      (r) => r.path.startsWith("/region/") || r.path.startsWith("/voices/"),
    );
    expect(listingReads).toHaveLength(16);
    expect(new Set(listingReads.map((r) => r.path)).size).toBe(16);
    const items = await env.DB.prepare("SELECT count(*) AS n FROM items WHERE source_id = 'eurasianet'").first<{
      n: number;
    }>();
    expect(items!.n).toBe(31);
    const runs = await env.DB.prepare("SELECT count(*) AS n FROM runs WHERE trigger = 'queue'").first<{ n: number }>();
    expect(runs!.n).toBeGreaterThanOrEqual(1);
  });
});
