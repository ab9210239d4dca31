/**
 * Waits count from the answer: a Retry-After (seconds or HTTP-date), a backoff and a host block
 * are kept from the moment the answer arrived, not from when the run began, on every path that
 * reads a source (cron, admin, queue consumer, backfill). The run clock is controlled: it stands
 * still except that every answer from the site moves it on by 40 s, so an answer that comes late
 * in a run comes a known time after the run's start.
 */
import { createExecutionContext, createMessageBatch, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import worker from "../../src/index";
import { resolveSources } from "../../src/ingest/listings";
import { consumeListingBatch, enqueueDueListings, type ListingMessage } from "../../src/ingest/queue";
import { runIngest, syncSources } from "../../src/ingest/run";
import { shippedSource } from "../../src/sources";
import { queueBackfill } from "../../src/store/listings";
import * as fixture from "../helpers/fixture";
import { answerClock, onlyDue } from "../helpers/schedule";

const TOKEN = (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const POLL = 15 * MIN;
const STEP = 40_000;
// A copy of the site of this file's own: its faults reach no other test file.
const origin = inject("ownSites")["answer-clock"]!;
const ENV = { ...env, EURASIANET_BASE_URL: origin, SUBREQUEST_BUDGET: "200", HOST_MIN_INTERVAL_MS: "0" };
const faultPage = (path: string, params: Record<string, string | number>) => fixture.faultPage(path, params, origin);
const fixtureRequests = () => fixture.fixtureRequests(origin);
const resetFixture = () => fixture.resetFixture(origin);
const HOST = new URL(origin).host;
const eurasianet = [shippedSource("eurasianet", "html")];
const id = (path: string, page = 0) => `eurasianet:${path}?page=${page}`;
// Read first and answered normally; the late one answers after it.
const EARLY = "/region/caucasus";
const LATE = "/region/kazakhstan";

const blockedUntil = async () =>
  (await env.DB.prepare("SELECT blocked_until FROM hosts WHERE host = ?").bind(HOST).first<{ blocked_until: number }>())
    ?.blocked_until ?? 0;
const nextFetchAt = async (lid: string) =>
  (await env.DB.prepare("SELECT next_fetch_at FROM listings WHERE id = ?")
    .bind(lid)
    .first<{ next_fetch_at: number }>())!.next_fetch_at;

let base = Date.now();
/** A fresh stretch of the run clock for each test: no block, robots.txt read again. */
async function fresh(): Promise<number> {
  base += 30 * DAY;
  await resetFixture();
  await env.DB.batch([
    env.DB.prepare("UPDATE hosts SET blocked_until = 0, robots_expires_at = 0"),
    env.DB.prepare("UPDATE listings SET consecutive_failures = 0"),
  ]);
  return base;
}

let restore: (() => void) | null = null;
function controlled(start: number) {
  const c = answerClock(start, STEP);
  restore = c.restore;
  return c;
}

beforeAll(async () => {
  await syncSources(ENV, resolveSources(ENV, eurasianet));
});

afterEach(async () => {
  restore?.();
  restore = null;
  await resetFixture();
});

describe("a 429 that arrives late in a run", () => {
  it("cron: Retry-After seconds count from the answer; the host is asked again only after all of it", async () => {
    const T = await fresh();
    await faultPage(LATE, { status: 429, retryAfter: 120 });
    await onlyDue(T, id(EARLY), id(LATE), id("/region/tajikistan"));
    const c = controlled(T);
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", clock: c.clock });
    const answered = c.answeredAt(LATE);
    // robots.txt and the early listing answered first: the 429 came 80 s or more into the run.
    expect(answered - T).toBeGreaterThanOrEqual(2 * STEP);
    expect(await blockedUntil()).toBe(answered + 120_000);
    expect(await nextFetchAt(id(LATE))).toBe(answered + 120_000);
    expect(run.errorMessages[0]!.message).toContain(
      `nothing is fetched from it before ${new Date(answered + 120_000).toISOString()}`,
    );
    expect(run.deferred).toBe(1);
    c.restore();

    // 120 s after the run's start, but not after the answer: nothing is asked of the host yet.
    await resetFixture();
    const early = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + 120_000 + 1000 });
    expect(early.subrequests).toBe(0);
    expect(early.waiting).toBe(1); // tajikistan; the 429'd listing itself is not due before then
    expect(await fixtureRequests()).toEqual([]);
    const atTime = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: answered + 120_000 });
    expect(atTime.errorMessages).toEqual([]);
    expect(atTime.listingsFetched + atTime.notModified).toBe(2);
  });

  it("cron: an HTTP-date Retry-After is kept as the instant it names", async () => {
    const T = await fresh();
    const waitS = 600;
    await faultPage(LATE, { status: 429, retryAfter: new Date(Date.now() + waitS * 1000).toUTCString() });
    await onlyDue(T, id(EARLY), id(LATE));
    const c = controlled(T);
    await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", clock: c.clock });
    // The date is absolute: on a run clock that ran 80 s ahead of the wall clock, it is 600 s
    // (less the wall time that passed, and HTTP-dates' whole seconds) after the answer.
    const answered = c.answeredAt(LATE);
    expect(answered - T).toBeGreaterThanOrEqual(2 * STEP);
    expect(Math.abs((await blockedUntil()) - (answered + waitS * 1000))).toBeLessThanOrEqual(2000);
  });

  it("cron: a backoff after a late failure counts from the failure", async () => {
    const T = await fresh();
    await faultPage(LATE, { status: 500 });
    await onlyDue(T, id(EARLY), id(LATE));
    const c = controlled(T);
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", clock: c.clock });
    const answered = c.answeredAt(LATE);
    expect(run.errorMessages[0]!.at).toBe(answered);
    const wait = (await nextFetchAt(id(LATE))) - answered;
    expect(wait).toBeGreaterThanOrEqual(2 * POLL * 0.8);
    expect(wait).toBeLessThanOrEqual(2 * POLL * 1.2);
    expect(await blockedUntil()).toBe(0);
  });

  it("queue consumer: the same, for listings a consumer reads one after another", async () => {
    const T = await fresh();
    await faultPage(LATE, { status: 429, retryAfter: 300 });
    await onlyDue(T, id(EARLY), id(LATE));
    const sent: ListingMessage[] = [];
    const queue = {
      async sendBatch(messages: Iterable<MessageSendRequest<ListingMessage>>) {
        for (const m of messages) sent.push(m.body);
      },
    } as unknown as Queue<ListingMessage>;
    await enqueueDueListings(ENV, queue, { now: T, sources: eurasianet });
    expect(sent.map((m) => m.listingId)).toEqual([id(EARLY), id(LATE)]);
    const batch = createMessageBatch(
      "caravan-listings",
      sent.map((body, i) => ({ id: `m${i}`, timestamp: new Date(T), attempts: 1, body })),
    );
    const c = controlled(T);
    await consumeListingBatch(batch, ENV, { clock: c.clock, sources: eurasianet });
    const answered = c.answeredAt(LATE);
    expect(answered - T).toBeGreaterThanOrEqual(2 * STEP);
    expect(await blockedUntil()).toBe(answered + 300_000);
    expect(await nextFetchAt(id(LATE))).toBe(answered + 300_000);
  });

  it("backfill: a queued page that answers 429 after the due listings blocks from its answer", async () => {
    const T = await fresh();
    await onlyDue(T, id(EARLY));
    const page = "/region/caucasus?page=3";
    await queueBackfill(env.DB, "eurasianet", [{ id: id(EARLY, 3), url: `${origin}${page}`, page: 3 }], T - MIN);
    await faultPage(page, { status: 429, retryAfter: 90 });
    const c = controlled(T);
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", clock: c.clock });
    const answered = c.answeredAt(page);
    expect(answered).toBeGreaterThan(c.answeredAt(EARLY));
    expect(answered - T).toBeGreaterThanOrEqual(2 * STEP);
    expect(await blockedUntil()).toBe(answered + 90_000);
    expect(run.errorMessages.map((e) => e.listingId)).toEqual([id(EARLY, 3)]);
  });

  it("admin: on the wall clock, a 429 after a slow answer blocks from when it arrived", async () => {
    await fresh();
    const now = Date.now();
    await faultPage(EARLY, { delayMs: 1500 });
    await faultPage(LATE, { status: 429, retryAfter: 120 });
    await onlyDue(now, id(EARLY), id(LATE));
    const sent = Date.now();
    const ctx = createExecutionContext();
    const r = await worker.fetch(
      new Request("https://caravan.test/admin/ingest?source=eurasianet", {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
      ENV,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const after = Date.now();
    expect(r.status).toBe(200);
    const until = await blockedUntil();
    // The early listing took 1.5 s: the block starts after it, not at the run's start.
    expect(until).toBeGreaterThanOrEqual(sent + 1500 + 120_000);
    expect(until).toBeLessThanOrEqual(after + 120_000);
  });
});
