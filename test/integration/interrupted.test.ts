/**
 * A run whose Worker dies mid-way (killed: from that moment its store calls never answer) keeps
 * what it recorded as it went; the next run closes it as `interrupted` with its counters, listing
 * outcomes and errors, and frees its leases at once instead of waiting for them to expire; the
 * admin API shows the dead run's status, and warns while its leases were held. Nothing stored is
 * lost or stored twice.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import worker from "../../src/index";
import { ensureRegistry } from "../../src/ingest/registry";
import { runIngest } from "../../src/ingest/run";
import type { RunRecord } from "../../src/store/runs";
import * as fixture from "../helpers/fixture";
import { killable } from "../helpers/killable";

const TOKEN = (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN;
const MIN = 60_000;
const ARTICLES = 31;
const LISTING_PAGES = 16;
// A copy of the site of this file's own: its faults reach no other test file.
const origin = inject("ownSites").interrupted!;
const ENV = { ...env, EURASIANET_BASE_URL: origin, SUBREQUEST_BUDGET: "200", HOST_MIN_INTERVAL_MS: "0" };
const faultPage = (path: string, params: Record<string, string | number>) => fixture.faultPage(path, params, origin);
const resetFixture = () => fixture.resetFixture(origin);
const id = (path: string, page = 0) => `eurasianet:${path}?page=${page}`;
// Read in this order: the 2nd fails, the 5th hangs long enough for the run to be killed on it.
const ORDER = [
  id("/region/caucasus"),
  id("/region/kazakhstan"),
  id("/region/central-asia"),
  id("/region/eastern-europe"),
  id("/region/kyrgyzstan"),
];
const HANGS = "/region/kyrgyzstan";

async function admin(path: string) {
  const ctx = createExecutionContext();
  const r = await worker.fetch(
    new Request(`https://caravan.test${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }),
    ENV,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(r.status).toBe(200);
  return r.json<Record<string, unknown>>();
}

const count = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>())!.n;

async function waitFor(what: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > until) throw new Error("waited too long");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("a run killed mid-way", () => {
  // The killed run's clock starts 30 minutes ago, so by the wall clock it has long been silent.
  const T = Date.now() - 30 * MIN;
  let deadRunId: number;

  beforeAll(async () => {
    await resetFixture();
    await faultPage("/region/kazakhstan", { status: 500 });
    await faultPage(HANGS, { delayMs: 4000 });
    await ensureRegistry(ENV);
    // Start from nothing stored: every listing due, in ORDER first.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM items"),
      env.DB.prepare("DELETE FROM item_terms"),
      env.DB.prepare("DELETE FROM items_fts"),
      env.DB.prepare("DELETE FROM runs"),
      env.DB.prepare("DELETE FROM run_listings"),
      env.DB.prepare("DELETE FROM run_errors"),
      env.DB.prepare(
        "UPDATE listings SET next_fetch_at = ?, etag = NULL, last_modified = NULL, consecutive_failures = 0, lease_owner = NULL, lease_until = NULL",
      ).bind(T - MIN),
      ...ORDER.map((lid, i) =>
        env.DB.prepare("UPDATE listings SET next_fetch_at = ? WHERE id = ?").bind(T - 60 * MIN + i, lid),
      ),
    ]);

    const k = killable(ENV);
    void runIngest(k.env, { trigger: "cron", sourceId: "eurasianet", now: T });
    // Four listings done (one of them failed), the fifth hanging: the Worker dies now.
    await waitFor(async () => (await count("SELECT count(*) AS n FROM run_listings")) >= 4);
    k.kill();
    await k.dead;
    deadRunId = (await env.DB.prepare("SELECT id FROM runs").first<{ id: number }>())!.id;
  });

  it("leaves a run that kept its progress, and listings leased by a run nobody will finish", async () => {
    const row = await env.DB.prepare("SELECT * FROM runs WHERE id = ?")
      .bind(deadRunId)
      .first<Record<string, number | string | null>>();
    expect(row).toMatchObject({ status: "running", finished_at: null, errors: 1 });
    expect(row!.listings_fetched).toBe(3);
    expect(row!.items_new as number).toBeGreaterThan(0);
    expect(row!.heartbeat_at as number).toBeGreaterThanOrEqual(T);
    const outcomes = await env.DB.prepare(
      "SELECT listing_id, outcome FROM run_listings WHERE run_id = ? ORDER BY listing_id",
    )
      .bind(deadRunId)
      .all<{ listing_id: string; outcome: string }>();
    expect(outcomes.results).toEqual(
      ORDER.slice(0, 4)
        .map((lid) => ({ listing_id: lid, outcome: lid === id("/region/kazakhstan") ? "failed" : "fetched" }))
        .sort((a, b) => (a.listing_id < b.listing_id ? -1 : 1)),
    );
    const errors = await env.DB.prepare("SELECT listing_id, message FROM run_errors WHERE run_id = ?")
      .bind(deadRunId)
      .all<{ listing_id: string; message: string }>();
    expect(errors.results).toEqual([
      { listing_id: id("/region/kazakhstan"), message: expect.stringMatching(/^HTTP 500/) },
    ]);
    expect(await count("SELECT count(*) AS n FROM listings WHERE lease_owner = ?", `run:${deadRunId}`)).toBe(
      LISTING_PAGES - 4,
    );
  });

  it("/admin/sources warns while its listings sit leased by the dead run; /admin/runs shows it running", async () => {
    const health = (await admin("/admin/sources")) as {
      sources: { id: string; warnings: { code: string; message: string; advice: string }[] }[];
    };
    const warnings = health.sources
      .find((s) => s.id === "eurasianet")!
      .warnings.filter((w) => w.code === "held_by_dead_run");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(
      new RegExp(
        `^${LISTING_PAGES - 4} listing\\(s\\) of eurasianet .* are leased by run ${deadRunId}, which stopped without finishing`,
      ),
    );
    expect(warnings[0]!.advice).toMatch(/next run .* frees them/);
    const { runs } = (await admin("/admin/runs")) as { runs: RunRecord[] };
    expect(runs[0]).toMatchObject({ id: deadRunId, status: "running", finishedAt: null, interrupted: null });
  });

  it("the next run closes it as interrupted, frees its leases at once and reads what it left", async () => {
    await resetFixture();
    await faultPage("/region/kazakhstan", { status: 500 });
    // Five minutes on: long after its last sign of life, long before its leases would expire.
    const next = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + 5 * MIN });
    expect(next.interruptedRuns).toEqual([
      { runId: deadRunId, lastSeenAt: expect.any(String), leasesFreed: LISTING_PAGES - 4 },
    ]);
    // The 12 it left, and not the three it read (due again in 15 minutes) nor the failing one.
    expect(next.listingsFetched).toBe(LISTING_PAGES - 4);
    expect(next.errors).toBe(0);
    expect(await count("SELECT count(*) AS n FROM listings WHERE lease_owner IS NOT NULL")).toBe(0);

    const { runs } = (await admin("/admin/runs")) as { runs: RunRecord[] };
    const dead = runs.find((r) => r.id === deadRunId)!;
    expect(dead.status).toBe("interrupted");
    expect(dead.finishedAt).toBe(dead.lastSeenAt);
    expect(Date.parse(dead.finishedAt!)).toBeGreaterThanOrEqual(T);
    expect(dead.interrupted).toEqual({
      noticedAt: new Date(T + 5 * MIN).toISOString(),
      leasesFreed: LISTING_PAGES - 4,
    });
    expect(dead.listings).toEqual({ "not-modified": 0, fetched: 3, failed: 1, deferred: 0 });
    expect(dead.totals.listingsFetched).toBe(3);
    expect(dead.totals.itemsNew).toBeGreaterThan(0);
    expect(dead.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^HTTP 500/),
      `run interrupted: no sign of life since ${dead.lastSeenAt} (its Worker stopped: eviction, a deploy or a CPU limit); what it had done is kept; listing leases it still held, freed: ${LISTING_PAGES - 4}`,
    ]);
    expect(runs.find((r) => r.id === next.runId)!.status).toBe("finished");

    const health = (await admin("/admin/sources")) as { sources: { id: string; warnings: { code: string }[] }[] };
    expect(health.sources.find((s) => s.id === "eurasianet")!.warnings.map((w) => w.code)).not.toContain(
      "held_by_dead_run",
    );
  });

  it("loses no story and stores none twice", async () => {
    await resetFixture();
    const healed = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T + 2 * 24 * 60 * MIN });
    expect(healed.errors).toBe(0);
    expect(await count("SELECT count(*) AS n FROM items")).toBe(ARTICLES);
    expect(await count("SELECT count(DISTINCT url) AS n FROM items")).toBe(ARTICLES);
    expect(await count("SELECT count(*) AS n FROM item_terms WHERE kind = 'source' AND slug = 'eurasianet'")).toBe(
      ARTICLES,
    );
    // Closed once: a later run finds nothing more to close.
    expect(healed.interruptedRuns).toEqual([]);
    expect(await count("SELECT count(*) AS n FROM runs WHERE status = 'running' OR finished_at IS NULL")).toBe(0);
  });
});
