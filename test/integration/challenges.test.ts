/**
 * Bot challenges named: a CDN's or bot manager's challenge (Cloudflare, DataDome, Akamai, Sucuri,
 * or a human check from no known vendor) is recorded as "bot challenge (vendor)", not as a plain
 * HTTP error or "not a feed"; the host is backed off like after a 429 (its Retry-After, else 30
 * min, counted from the answer); the health warning names it and says what to do; nothing stored
 * changes. The answers come from the fixture farm (test/fixtures/challenges.mjs).
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import worker from "../../src/index";
import { DEFAULT_THROTTLE_MS } from "../../src/ingest/fetch/polite";
import { runIngest } from "../../src/ingest/run";
import { shippedSource } from "../../src/sources";
import { CHALLENGES } from "../fixtures/challenges.mjs";
import { farmControl, farmSources } from "../helpers/farm-sources";
import { answerClock } from "../helpers/schedule";

const TOKEN = (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN;
const DAY = 24 * 3600_000;
const farm = inject("faultFarmOrigins");
const origin = farm[0]!;
const HOST = new URL(origin).host;
const { sources, vars } = farmSources("CHAL", [origin], 2);
const ENV = { ...env, ...vars, SUBREQUEST_BUDGET: "50", HOST_MIN_INTERVAL_MS: "0" };
const LABELS = {
  cloudflare: "Cloudflare",
  datadome: "DataDome",
  akamai: "Akamai",
  sucuri: "Sucuri",
  unknown: "unknown vendor",
};

const snapshot = async () =>
  (await env.DB.prepare("SELECT id, content_hash, updated_at FROM items ORDER BY id").all()).results;
const host = async () =>
  env.DB.prepare("SELECT blocked_until, blocked_reason FROM hosts WHERE host = ?")
    .bind(HOST)
    .first<{ blocked_until: number; blocked_reason: string }>();

let clock = Date.now();
async function freshStretch(): Promise<number> {
  clock += 30 * DAY;
  await farmControl(origin, "reset", "POST");
  await env.DB.batch([
    env.DB.prepare("UPDATE hosts SET blocked_until = 0 WHERE host = ?").bind(HOST),
    env.DB.prepare("UPDATE listings SET next_fetch_at = 0, consecutive_failures = 0"),
  ]);
  return clock;
}

beforeAll(async () => {
  await farmControl(origin, "reset", "POST");
  const first = await runIngest(ENV, { trigger: "cron", sources, now: clock });
  expect(first.errorMessages).toEqual([]);
  expect(first.itemsNew).toBe(3 * 3);
});

describe("a bot challenge", () => {
  for (const [name, answer] of Object.entries(CHALLENGES)) {
    it(`${name}: recorded as a bot challenge (${answer.vendor}) and backed off like a 429`, async () => {
      const T = await freshStretch();
      const before = await snapshot();
      await farmControl(origin, `mode?challenge=${name}`);
      const c = answerClock(T, 5_000);
      let run: Awaited<ReturnType<typeof runIngest>>;
      try {
        run = await runIngest(ENV, { trigger: "cron", sources, clock: c.clock });
      } finally {
        c.restore();
      }
      // The first listing met it; the host's other two were left for later, not failed.
      expect(run.errorMessages).toHaveLength(1);
      expect(run.deferred).toBe(2);
      const error = run.errorMessages[0]!;
      const label = LABELS[answer.vendor];
      expect(error.message).toMatch(
        new RegExp(`^bot challenge \\(${label}\\): HTTP ${answer.status} .*backed off like after a 429`),
      );
      const retryAfter = answer.headers["retry-after"];
      const wait = retryAfter ? Number(retryAfter) * 1000 : DEFAULT_THROTTLE_MS;
      const blocked = await host();
      expect(blocked!.blocked_until).toBe(error.at + wait);
      expect(blocked!.blocked_reason).toMatch(new RegExp(`^bot challenge \\(${label}\\)`));
      const listing = await env.DB.prepare(
        "SELECT last_error_code, last_status, next_fetch_at FROM listings WHERE id = ?",
      )
        .bind(error.listingId)
        .first();
      expect(listing).toEqual({
        last_error_code: "challenge",
        last_status: answer.status,
        next_fetch_at: error.at + wait,
      });
      expect(await snapshot()).toEqual(before);
    });
  }

  it("a plain 403 stays an HTTP error: no challenge named, no host block", async () => {
    const T = await freshStretch();
    await farmControl(origin, "mode?status=403");
    const run = await runIngest(ENV, { trigger: "cron", sources, now: T });
    expect(run.errorMessages).toHaveLength(3);
    for (const e of run.errorMessages) expect(e.message).toMatch(/^HTTP 403 Forbidden/);
    expect((await host())!.blocked_until).toBe(0);
  });

  it("The Diplomat's 200 interstitial is named, not reported as a page that is not a feed", async () => {
    const origins = inject("fixtureOrigins");
    const run = await runIngest({ ...ENV, DIPLOMAT_BASE_URL: `${origins.diplomat}/challenge` } as typeof ENV, {
      trigger: "cron",
      sources: [shippedSource("diplomat-central-asia", "feed")],
      force: true,
    });
    expect(run.errorMessages).toHaveLength(1);
    expect(run.errorMessages[0]!.message).toMatch(
      /^bot challenge \(Cloudflare\): HTTP 200 with a "Just a moment\.\.\." page; .* nothing is fetched from it before/,
    );
  });

  it("the health warning names the challenge and says what to do", async () => {
    await freshStretch();
    await farmControl(origin, "mode?challenge=cloudflare-403");
    // Wall clock, so the block is current for /admin/sources.
    await runIngest(ENV, { trigger: "cron", sources });
    const ctx = createExecutionContext();
    const r = await worker.fetch(
      new Request("https://caravan.test/admin/sources", { headers: { authorization: `Bearer ${TOKEN}` } }),
      ENV,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const body = await r.json<{
      sources: { id: string; warnings: { code: string; message: string; advice: string }[] }[];
    }>();
    const warnings = body.sources.filter((s) => s.id.startsWith("chal-")).flatMap((s) => s.warnings);
    const challenge = warnings.find((w) => w.code === "bot_challenge")!;
    expect(challenge.message).toMatch(/bot challenge \(Cloudflare\): HTTP 403 with cf-mitigated: challenge/);
    expect(challenge.advice).toMatch(/does not solve challenges.*ask the site owner to allow Caravan's User-Agent/);
    const throttled = warnings.find((w) => w.code === "throttled")!;
    expect(throttled.message).toMatch(
      new RegExp(`${HOST} asked Caravan to wait until .*bot challenge \\(Cloudflare\\)`),
    );
  });
});
