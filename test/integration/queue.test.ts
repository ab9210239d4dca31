import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { consumeListingBatch, enqueueDueListings, type ListingMessage } from "../../src/ingest/queue";
import { FeedSource } from "../../src/model/source";

// 30 hosts × 10 feeds = 300 listings (test/fixtures/farm.mjs), read through the queue path.
const farm = inject("farmOrigins");
const HOSTS = farm.length;
const FEEDS = 10;
const INTERVAL_MS = 60;
const farmSources = farm.map((_, h) =>
  FeedSource.parse({
    id: `farm-${h}`,
    name: `Farm ${h}`,
    kind: "feed",
    feedUrl: `https://farm${h}.example/feed/0`,
    extraFeeds: Array.from({ length: FEEDS - 1 }, (_, f) => ({ url: `https://farm${h}.example/feed/${f + 1}` })),
    baseUrlVar: `FARM_${h}_BASE_URL`,
    homepage: `https://farm${h}.example/`,
    language: "en",
    timeZone: "UTC",
    minBodyBytes: 64,
  }),
);
const ENV = {
  ...env,
  ...Object.fromEntries(farm.map((origin, h) => [`FARM_${h}_BASE_URL`, origin])),
  HOST_MIN_INTERVAL_MS: String(INTERVAL_MS),
  SUBREQUEST_BUDGET: "1000",
};

type Logged = { path: string; start: number; end: number; status: number };
const log = async (h: number): Promise<Logged[]> => (await fetch(`${farm[h]}/__farm/requests`)).json();
const feedRequests = async (h: number) => (await log(h)).filter((r) => r.path.startsWith("/feed/"));

/** A Queue producer that keeps what it is sent, standing in for the binding. */
function recordingQueue() {
  const sent: ListingMessage[] = [];
  const queue = {
    async send(body: ListingMessage) {
      sent.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<ListingMessage>>) {
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue<ListingMessage>;
  return { queue, sent };
}

/** Delivers messages to the consumer in batches of 10, four consumers at a time. */
async function consumeAll(bodies: unknown[], startId = 0) {
  const batches: unknown[][] = [];
  for (let i = 0; i < bodies.length; i += 10) batches.push(bodies.slice(i, i + 10));
  const results = [];
  for (let i = 0; i < batches.length; i += 4) {
    results.push(
      ...(await Promise.all(
        batches.slice(i, i + 4).map(async (bodiesOfBatch, j) => {
          const batch = createMessageBatch(
            "caravan-listings",
            bodiesOfBatch.map((body, k) => ({
              id: `m${startId + (i + j) * 10 + k}`,
              timestamp: new Date(),
              attempts: 1,
              body,
            })),
          );
          const ctx = createExecutionContext();
          const run = await consumeListingBatch(batch, ENV, { sources: farmSources });
          return { run, result: await getQueueResult(batch, ctx) };
        }),
      )),
    );
  }
  return results;
}

async function resetFarm() {
  await Promise.all(farm.map(async (o) => (await fetch(`${o}/__farm/reset`, { method: "POST" })).arrayBuffer()));
}

// 300 listings take a few seconds on a quiet machine and several times that on a busy one: the
// timeout is not a speed target (the bench is), only a bound on a run that hangs.
describe("the queue path: 300 listings on 30 hosts", { timeout: 60_000 }, () => {
  let sent: ListingMessage[];

  beforeAll(async () => {
    await resetFarm();
    const q = recordingQueue();
    const { enqueued } = await enqueueDueListings(ENV, q.queue, { sources: farmSources });
    expect(enqueued).toBe(HOSTS * FEEDS);
    sent = q.sent;
  });

  it("the cron enqueues every due listing once, and not again while it is queued", async () => {
    expect(new Set(sent.map((m) => m.listingId)).size).toBe(HOSTS * FEEDS);
    const again = recordingQueue();
    expect((await enqueueDueListings(ENV, again.queue, { sources: farmSources })).enqueued).toBe(0);
    // Nothing was fetched by the dispatcher.
    expect((await Promise.all(farm.map((_, h) => feedRequests(h)))).flat()).toEqual([]);
  });

  it("consumers read every listing exactly once, keeping each host's pace, and acknowledge every message", async () => {
    // Interleave hosts so that every batch holds several of them.
    const interleaved = [...sent].sort((a, b) => (a.listingId.split(":")[1]! < b.listingId.split(":")[1]! ? -1 : 1));
    const results = await consumeAll(interleaved);
    for (const { result } of results) {
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks.length).toBeGreaterThan(0);
    }
    expect(results.reduce((n, r) => n + r.run.itemsNew, 0)).toBe(HOSTS * FEEDS * 3);
    for (let h = 0; h < HOSTS; h++) {
      const requests = (await feedRequests(h)).sort((a, b) => a.start - b.start);
      expect(requests.map((r) => r.path).sort()).toEqual(Array.from({ length: FEEDS }, (_, f) => `/feed/${f}`).sort());
      // One host never sees two requests at once.
      for (let i = 1; i < requests.length; i++) expect(requests[i]!.start).toBeGreaterThanOrEqual(requests[i - 1]!.end);
      // Its ten requests span at least nine intervals. (Single gaps, timed where the farm's
      // busy Node process receives them, jitter by tens of ms; the span does not drift.)
      expect(requests.at(-1)!.start - requests[0]!.start).toBeGreaterThanOrEqual((FEEDS - 1) * INTERVAL_MS - 30);
    }
    const items = await env.DB.prepare("SELECT count(*) AS n FROM items WHERE source_id LIKE 'farm-%'").first<{
      n: number;
    }>();
    expect(items!.n).toBe(HOSTS * FEEDS * 3);
  });

  it("a redelivered message changes nothing twice", async () => {
    await resetFarm();
    const before = await env.DB.prepare(
      "SELECT id, updated_at, content_hash FROM items WHERE source_id LIKE 'farm-%' ORDER BY id",
    ).all();
    const results = await consumeAll(sent.slice(0, 40), 1000);
    for (const { result, run } of results) {
      expect(result.explicitAcks).toHaveLength(10);
      expect(run.subrequests).toBe(0);
    }
    expect((await Promise.all(farm.map((_, h) => feedRequests(h)))).flat()).toEqual([]);
    const after = await env.DB.prepare(
      "SELECT id, updated_at, content_hash FROM items WHERE source_id LIKE 'farm-%' ORDER BY id",
    ).all();
    expect(after.results).toEqual(before.results);
  });

  it("a failing host is recorded and acknowledged; a slow host does not hold the others back", async () => {
    await resetFarm();
    await (await fetch(`${farm[3]}/__farm/mode?status=500`, { method: "PUT" })).arrayBuffer();
    await (await fetch(`${farm[5]}/__farm/mode?delayMs=400`, { method: "PUT" })).arrayBuffer();
    await env.DB.prepare("UPDATE listings SET next_fetch_at = 0 WHERE source_id LIKE 'farm-%'").run();
    const q = recordingQueue();
    await enqueueDueListings(ENV, q.queue, { sources: farmSources });
    // One batch: host 5's ten slow feeds beside one feed of each of nine quick hosts.
    const slow = q.sent.filter((m) => m.listingId.startsWith("farm-5:"));
    const quick = [0, 1, 2, 4, 6, 7, 8, 9, 10].map((h) => q.sent.find((m) => m.listingId.startsWith(`farm-${h}:`))!);
    const failing = q.sent.filter((m) => m.listingId.startsWith("farm-3:"));
    const [mixed] = await consumeAll([...slow.slice(0, 1), ...quick], 2000);
    expect(mixed!.result.retryMessages).toEqual([]);
    const slowRequest = (await feedRequests(5))[0]!;
    const quickEnds = (await Promise.all(quick.map((_, i) => feedRequests([0, 1, 2, 4, 6, 7, 8, 9, 10][i]!))))
      .flat()
      .map((r) => r.end);
    // The quick hosts were answered while the slow one was still thinking.
    expect(quickEnds.every((end) => end < slowRequest.end)).toBe(true);

    const failed = await consumeAll(failing, 3000);
    for (const { result, run } of failed) {
      expect(result.retryMessages).toEqual([]);
      expect(run.errors).toBe(failing.length);
      expect(run.errorMessages[0]!.message).toMatch(/HTTP 500/);
    }
    const row = await env.DB.prepare("SELECT consecutive_failures, lease_owner FROM listings WHERE id = ?")
      .bind(failing[0]!.listingId)
      .first();
    expect(row).toEqual({ consecutive_failures: 1, lease_owner: null });
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM items WHERE source_id = 'farm-3'").first<{
      n: number;
    }>();
    expect(stored!.n).toBe(FEEDS * 3);
  });

  it("a message that is not a listing message is retried (and so reaches the dead-letter queue)", async () => {
    const batch = createMessageBatch("caravan-listings", [
      { id: "poison", timestamp: new Date(), attempts: 1, body: { hello: "world" } },
    ]);
    const ctx = createExecutionContext();
    await consumeListingBatch(batch, ENV, { sources: farmSources });
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["poison"]);
  });
});
