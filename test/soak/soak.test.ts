/**
 * Soak: 200 scheduled runs, 15 minutes apart on the run clock, over a farm of 6 hosts (2 feeds
 * and an HTML listing each) that keep publishing, where every fault of the farm (timeouts,
 * resets, truncation, 429/503 with Retry-After, redirect loops, malformed bodies, layout drift,
 * bot challenges) comes at random, seeded; some runs overlap and some are killed mid-way. After
 * every tick: no stored story lost, none stored twice, nothing stored that was not published, no
 * lease held by a run that has ended, /healthz green. At the end, with the farm healthy again,
 * every published story is stored once, every run in history has a final status and no lease
 * is held. The figures are printed (runs, faults met, items, leases freed).
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import worker from "../../src/index";
import { type RunSummary, runIngest } from "../../src/ingest/run";
import { FAULT_KINDS } from "../fixtures/farm.mjs";
import { prng } from "../fixtures/prng.mjs";
import { farmControl, farmSources } from "../helpers/farm-sources";
import { killable } from "../helpers/killable";

const RUNS = 200;
const TICK = 15 * 60_000;
const FEEDS = 2;
const FIRST_STORIES = 3; // per feed and listing at tick 0 (farm.mjs itemsPerFeed)
const GROW_EVERY = 10; // one more story each 10 ticks (fixture-origin.ts)
const farm = inject("soakFarmOrigins");
const { sources, vars } = farmSources("SOAK", farm, FEEDS);
const ENV = {
  ...env,
  ...vars,
  FETCH_TIMEOUT_MS: "150",
  HOST_MIN_INTERVAL_MS: "0",
  // Fewer than the 18 listings and 6 robots.txt a run could want when all are due.
  SUBREQUEST_BUDGET: "20",
};
const T0 = Date.UTC(2026, 11, 1);

/** What the farm has published by tick `k`: story URL → title. */
function published(k: number): Map<string, string> {
  const count = FIRST_STORIES + Math.floor(k / GROW_EVERY);
  const out = new Map<string, string>();
  for (const [h, origin] of farm.entries()) {
    for (let f = 0; f < FEEDS; f++) {
      for (let i = 0; i < count; i++) out.set(`${origin}/stories/${f}-${i}`, `Farm ${h} feed ${f} story ${i}`);
    }
    for (let i = 0; i < count; i++) out.set(`${origin}/articles/${i}`, `Farm ${h} page story ${i}`);
  }
  return out;
}

async function healthz(): Promise<void> {
  const ctx = createExecutionContext();
  const r = await worker.fetch(new Request("https://caravan.test/healthz"), ENV, ctx);
  await waitOnExecutionContext(ctx);
  expect(r.status).toBe(200);
  expect(await r.json()).toEqual({ ok: true, d1: "ok", kv: "ok" });
}

const rows = async <T>(sql: string) => (await env.DB.prepare(sql).all<T>()).results;
const one = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

describe("soak: 200 scheduled runs over a misbehaving farm", () => {
  it("loses nothing, stores nothing twice, leaves no lease to a dead run, closes every run", {
    timeout: 600_000,
  }, async () => {
    const random = prng(42);
    for (const [h, origin] of farm.entries()) {
      await farmControl(origin, "reset", "POST");
      await farmControl(origin, `chaos?seed=${1000 + h}&rate=0.3&hangMs=400`);
    }
    const figures = { runs: 0, overlapping: 0, killed: 0, diedBeforeEnd: 0, errors: 0, deferred: 0, waiting: 0 };
    const seen = new Set<string>();
    const summaries: RunSummary[] = [];

    for (let k = 0; k < RUNS; k++) {
      await farmControl(farm[0]!, `tick?n=${k}`);
      const now = T0 + k * TICK;
      const roll = random();
      if (roll < 0.1) {
        // A run whose Worker dies after a random number of store calls.
        const victim = killable(ENV, 3 + Math.floor(random() * 40));
        const run = runIngest(victim.env, { trigger: "cron", sources, now });
        const ended = await Promise.race([run.then((s) => s), victim.dead.then(() => null)]);
        figures.killed++;
        if (ended) summaries.push(ended);
        else figures.diedBeforeEnd++;
      } else if (roll < 0.25) {
        figures.overlapping++;
        summaries.push(
          ...(await Promise.all([
            runIngest(ENV, { trigger: "cron", sources, now }),
            runIngest(ENV, { trigger: "cron", sources, now: now + 1000 }),
          ])),
        );
      } else {
        summaries.push(await runIngest(ENV, { trigger: "cron", sources, now }));
      }

      await healthz();
      const stored = await rows<{ id: string; url: string; title: string }>("SELECT id, url, title FROM items");
      const publishedNow = published(k);
      // Nothing lost: every story stored before is still there.
      const ids = new Set(stored.map((s) => s.id));
      for (const id of seen) expect(ids.has(id), `tick ${k}: item ${id} lost`).toBe(true);
      for (const s of stored) seen.add(s.id);
      // Nothing twice, nothing invented: one item per published story, under its own title.
      expect(new Set(stored.map((s) => s.url)).size).toBe(stored.length);
      for (const s of stored) expect(publishedNow.get(s.url), `tick ${k}: ${s.url}`).toBe(s.title);
      // No listing is leased by a run that has ended; only a run killed this tick may still be "running".
      expect(
        await one(
          "SELECT count(*) AS n FROM listings l JOIN runs r ON l.lease_owner = 'run:' || r.id WHERE r.status != 'running'",
        ),
      ).toBe(0);
      expect(await one("SELECT count(*) AS n FROM runs WHERE status = 'running'")).toBeLessThanOrEqual(1);
    }

    // The farm heals; two days on every block and backoff has run out: all is read.
    for (const origin of farm) await farmControl(origin, "chaos?off=1");
    const requests = (
      await Promise.all(
        farm.map(async (o) =>
          (await fetch(`${o}/__farm/requests`)).json<{ fault: string | null; challenge?: string }[]>(),
        ),
      )
    ).flat();
    let end = T0 + RUNS * TICK + 2 * 24 * 3600_000;
    for (let i = 0; i < 3; i++, end += TICK) {
      summaries.push(await runIngest(ENV, { trigger: "cron", sources, now: end, force: true }));
    }
    const last = summaries.at(-1)!;
    expect(last.errorMessages).toEqual([]);
    expect(last.deferred).toBe(0);

    const finalPublished = published(RUNS - 1);
    const stored = await rows<{ url: string; title: string }>("SELECT url, title FROM items");
    expect(stored.length).toBe(finalPublished.size);
    expect(new Map(stored.map((s) => [s.url, s.title]))).toEqual(finalPublished);
    expect(await one("SELECT count(*) AS n FROM listings WHERE lease_owner IS NOT NULL")).toBe(0);
    const statuses = await rows<{ status: string | null; n: number }>(
      "SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY status",
    );
    for (const s of statuses) expect(["finished", "interrupted"]).toContain(s.status);
    await healthz();

    // Every kind of fault was met, and runs overlapped and died.
    const faults: Record<string, number> = {};
    for (const r of requests) if (r.fault) faults[r.fault] = (faults[r.fault] ?? 0) + 1;
    for (const kind of FAULT_KINDS) expect(faults[kind], `fault ${kind}`).toBeGreaterThan(0);
    const interrupted = await one("SELECT count(*) AS n FROM runs WHERE status = 'interrupted'");
    expect(interrupted).toBeGreaterThan(0);
    expect(figures.overlapping).toBeGreaterThan(0);
    for (const s of summaries) {
      figures.runs++;
      figures.errors += s.errors;
      figures.deferred += s.deferred;
      figures.waiting += s.waiting;
    }
    const leasesFreed = await one("SELECT coalesce(sum(leases_freed), 0) AS n FROM runs");
    console.log(
      `soak figures: ${JSON.stringify({
        ticks: RUNS,
        runsInHistory: await one("SELECT count(*) AS n FROM runs"),
        runStatuses: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
        overlappingTicks: figures.overlapping,
        killedTicks: figures.killed,
        runsThatDiedBeforeTheEnd: figures.diedBeforeEnd,
        leasesFreedFromDeadRuns: leasesFreed,
        requestsToFarm: requests.length,
        faultsMet: faults,
        challengesMet: requests.filter((r) => r.challenge).length,
        errorsRecorded: figures.errors,
        listingsDeferred: figures.deferred,
        itemsStored: stored.length,
        itemsPublished: finalPublished.size,
      })}`,
    );
  });
});
