/**
 * Fault injection against the local fixture origin, inside workerd. For each way a site can
 * misbehave: the run completes, the other listings land their items, nothing already stored is
 * lost or altered, the error is recorded with a message an operator understands, and the next
 * run retries on schedule.
 *
 * Each case makes two listings due: a witness listing that shows one new story (read first, as
 * the more overdue) and the faulted listing. Everything else is pushed far into the future.
 */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { itemIdFor } from "../../src/ingest/canonical";
import { decodeBody } from "../../src/ingest/fetch/decode";
import { type RunSummary, runIngest } from "../../src/ingest/run";
import { getItem } from "../../src/store/items";
import { faultPage, fixturePage, fixtureRequests, origin, overridePage, resetFixture } from "../helpers/fixture";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const POLL = 15 * MIN;
const FETCH_TIMEOUT_MS = 1000;
const ENV = { ...env, SUBREQUEST_BUDGET: "200", HOST_MIN_INTERVAL_MS: "0", FETCH_TIMEOUT_MS: String(FETCH_TIMEOUT_MS) };

const FAULTED = "/region/kazakhstan";
const FAULTED_ID = "eurasianet:/region/kazakhstan?page=0";
const WITNESS = "/region/caucasus";
const WITNESS_ID = "eurasianet:/region/caucasus?page=0";
const SEED = "azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report";

interface ListingState {
  next_fetch_at: number;
  consecutive_failures: number;
  last_status: number | null;
  last_error: string | null;
  drift: string | null;
  etag: string | null;
}

async function listing(id: string): Promise<ListingState> {
  return (await env.DB.prepare(
    "SELECT next_fetch_at, consecutive_failures, last_status, last_error, drift, etag FROM listings WHERE id = ?",
  )
    .bind(id)
    .first<ListingState>())!;
}

const setFault = (path: string, params: Record<string, string | number>) => faultPage(path, params);

/** Only the given listings are due at `at` (the first one more overdue, so it is read first). */
async function onlyDue(at: number, ...ids: string[]): Promise<void> {
  await env.DB.prepare("UPDATE listings SET next_fetch_at = ?")
    .bind(at + 30 * DAY)
    .run();
  for (const [i, id] of ids.entries()) {
    await env.DB.prepare("UPDATE listings SET next_fetch_at = ? WHERE id = ?")
      .bind(at - (ids.length - i) * MIN, id)
      .run();
  }
}

async function snapshot() {
  const items = await env.DB.prepare("SELECT * FROM items ORDER BY id").all();
  const terms = await env.DB.prepare("SELECT * FROM item_terms ORDER BY item_id, kind, slug").all();
  return { items: items.results, terms: terms.results };
}

/** The witness listing shows one more story, whose article page is a copy of the seed's. */
async function witnessShowsNewStory(slug: string): Promise<void> {
  const page = await fixturePage(WITNESS);
  const row = `<div class="view__row"><article class="teaser"><div class="teaser__content"><h2 class="teaser__title"><a href="/${slug}">New story ${slug}</a></h2><div class="teaser__subtitle">A dek.</div><div class="teaser__meta"><span class="meta__date">Nov 2, 2026</span></div></div></article></div>`;
  await overridePage(WITNESS, page.replace('<div class="view__row">', `${row}<div class="view__row">`));
  await overridePage(`/${slug}`, (await fixturePage(`/${SEED}`)).replaceAll(SEED, slug));
}

interface FaultCase {
  name: string;
  /** Makes FAULTED misbehave. */
  apply: () => Promise<void>;
  /** What the recorded error must say. */
  message: RegExp;
  /** The expected next try after the failure, as [earliest, latest] offsets from the run time. */
  retryWindow: [number, number];
  /** Drift code left on the listing, if any. */
  drift?: string;
  status?: number | null;
}

// First failure: the poll interval × 2, ±20 %.
const BACKOFF_1: [number, number] = [2 * POLL * 0.8, 2 * POLL * 1.2];

const CASES: FaultCase[] = [
  {
    name: "HTTP 500",
    apply: () => setFault(FAULTED, { status: 500 }),
    message: /HTTP 500/,
    retryWindow: BACKOFF_1,
    status: 500,
  },
  {
    name: "HTTP 404",
    apply: () => setFault(FAULTED, { status: 404 }),
    message: /HTTP 404/,
    retryWindow: BACKOFF_1,
    status: 404,
  },
  // Gone: asked again only once a day.
  {
    name: "HTTP 410",
    apply: () => setFault(FAULTED, { status: 410 }),
    message: /HTTP 410/,
    retryWindow: [DAY, DAY],
    status: 410,
  },
  {
    name: "HTTP 429 with Retry-After",
    apply: () => setFault(FAULTED, { status: 429, retryAfter: 120 }),
    message: /HTTP 429.*Retry-After: 120.*nothing is fetched from it before/,
    // The host said when: exactly then, not the backoff.
    retryWindow: [120_000, 120_000],
    status: 429,
  },
  {
    name: "a hang past the timeout",
    apply: () => setFault(FAULTED, { delayMs: FETCH_TIMEOUT_MS * 4 }),
    message: new RegExp(`no answer within ${FETCH_TIMEOUT_MS} ms`),
    retryWindow: BACKOFF_1,
    status: null,
  },
  {
    name: "a connection reset",
    apply: () => setFault(FAULTED, { reset: 1 }),
    message: /network error/,
    retryWindow: BACKOFF_1,
    status: null,
  },
  {
    name: "truncated HTML (the connection drops mid-body)",
    apply: () => setFault(FAULTED, { truncate: 3000 }),
    message: /body read failed after \d+ bytes \(truncated response\?\)/,
    retryWindow: BACKOFF_1,
    status: 200,
  },
  {
    name: "a 20 MB body streamed without Content-Length",
    apply: () => setFault(FAULTED, { bodyBytes: 20 * 1024 * 1024 }),
    message: /response body passed the 5242880-byte cap \(MAX_RESPONSE_BYTES\)/,
    retryWindow: BACKOFF_1,
    status: 200,
  },
  {
    name: "a 20 MB body announced by Content-Length",
    apply: () => setFault(FAULTED, { bodyBytes: 20 * 1024 * 1024, withLength: 1 }),
    message: /response of 20971520 bytes is over the 5242880-byte cap/,
    retryWindow: BACKOFF_1,
    status: 200,
  },
  {
    name: "a redirect loop",
    apply: async () => {
      await setFault(FAULTED, { status: 302, location: "/region/loop-b" });
      await setFault("/region/loop-b", { status: 301, location: FAULTED });
    },
    message: /redirect loop: .*\/region\/kazakhstan was already visited after 2 redirect\(s\)/,
    retryWindow: BACKOFF_1,
    status: null,
  },
  {
    name: "an empty 200",
    apply: () => overridePage(FAULTED, ""),
    message: /HTTP 200 with an empty body/,
    retryWindow: BACKOFF_1,
    drift: "near_empty_body",
    status: 200,
  },
  {
    name: "a near-empty 200",
    apply: () => overridePage(FAULTED, "<html><body>Service unavailable</body></html>"),
    message: /HTTP 200 with a near-empty body \(\d+ bytes\)/,
    retryWindow: BACKOFF_1,
    drift: "near_empty_body",
    status: 200,
  },
  {
    name: "a wrong charset (latin-1 bytes labelled UTF-8)",
    apply: () => setFault(FAULTED, { bodyEncoding: "latin1" }),
    message: /body is not valid UTF-8 although its Content-Type says so/,
    retryWindow: BACKOFF_1,
    status: 200,
  },
  {
    name: "a page whose selectors no longer match",
    apply: async () => {
      const page = await fixturePage(FAULTED);
      await overridePage(FAULTED, page.replaceAll("views-view-sidebar__main", "layout-2027__main"));
    },
    message: /listing container "div\.views-view-sidebar__main" not found.*page layout may have changed/,
    retryWindow: BACKOFF_1,
    drift: "selector_miss",
    status: 200,
  },
  {
    name: "teaser markup that no longer matches (rows found, no titles)",
    apply: async () => {
      const page = await fixturePage(FAULTED);
      await overridePage(FAULTED, page.replaceAll("teaser__title", "card__heading"));
    },
    message: /3 rows matched "div\.view__row" but none had a title and link/,
    retryWindow: BACKOFF_1,
    drift: "selector_miss",
    status: 200,
  },
];

describe("fault injection: one misbehaving listing never hurts the rest", () => {
  let t0: number;
  let clock: number;

  beforeAll(async () => {
    await resetFixture();
    t0 = Date.now();
    const first = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: t0 });
    expect(first.errorMessages).toEqual([]);
    clock = t0;
  });

  afterAll(async () => {
    await resetFixture();
  });

  for (const [index, c] of CASES.entries()) {
    it(`${c.name}: recorded, contained, retried on schedule`, async () => {
      // Two days apart, so every case starts with a fresh schedule (and robots.txt is re-read).
      clock += 2 * DAY;
      const T = clock;
      const slug = `fault-case-${index}-new-story`;
      await resetFixture();
      await witnessShowsNewStory(slug);
      await onlyDue(T, WITNESS_ID, FAULTED_ID);
      const before = await snapshot();
      const faultedBefore = await listing(FAULTED_ID);
      await c.apply();

      const run: RunSummary = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });

      // The run completed and the witness listing landed its new story, body included.
      expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(T);
      const fresh = await getItem(env.DB, await itemIdFor(`${origin}/${slug}`));
      expect(fresh?.url).toBe(`${origin}/${slug}`);
      expect(fresh?.contentHtml).toContain("<p>");
      expect(run.itemsNew).toBe(1);

      // Exactly one error, about the faulted listing, saying what happened and when it is retried.
      expect(run.errorMessages).toHaveLength(1);
      const error = run.errorMessages[0]!;
      expect(error.listingId).toBe(FAULTED_ID);
      expect(error.message).toMatch(c.message);
      expect(error.message).toMatch(/next try after \d{4}-\d\d-\d\dT.*\(failure 1 in a row\)/);
      expect(error.message).toContain(`${origin}${FAULTED}`);
      const stored = await env.DB.prepare("SELECT message FROM run_errors WHERE run_id = ?")
        .bind(run.runId)
        .all<{ message: string }>();
      expect(stored.results.map((r) => r.message)).toEqual([error.message]);
      expect(run.sources.eurasianet?.errors).toBe(1);

      // Nothing stored before was lost or altered: every earlier row is still there, byte for byte.
      const after = await snapshot();
      const freshId = fresh!.id;
      expect(after.items.filter((r) => r.id !== freshId)).toEqual(before.items);
      expect(after.terms.filter((r) => r.item_id !== freshId)).toEqual(before.terms);

      // The listing row says so, keeps its validators, and is scheduled per the backoff.
      const state = await listing(FAULTED_ID);
      expect(state.consecutive_failures).toBe(faultedBefore.consecutive_failures + 1);
      expect(state.last_error).toBe(error.message);
      expect(state.etag).toBe(faultedBefore.etag);
      if (c.status !== undefined) expect(state.last_status).toBe(c.status);
      expect(state.drift).toBe(c.drift ?? null);
      // Counted from the answer (when the error was recorded), which came at or after T.
      expect(error.at).toBeGreaterThanOrEqual(T);
      expect(state.next_fetch_at - error.at).toBeGreaterThanOrEqual(c.retryWindow[0]);
      expect(state.next_fetch_at - error.at).toBeLessThanOrEqual(c.retryWindow[1]);

      // Before its time, it is not asked again (nothing else is due either).
      await resetFixture();
      await onlyDue(T, FAULTED_ID);
      await env.DB.prepare("UPDATE listings SET next_fetch_at = ? WHERE id = ?")
        .bind(state.next_fetch_at, FAULTED_ID)
        .run();
      const early = await runIngest(ENV, {
        trigger: "cron",
        sourceId: "eurasianet",
        now: Math.min(T + MIN, state.next_fetch_at - 1),
      });
      expect(early.subrequests).toBe(0);
      expect(await fixtureRequests()).toEqual([]);

      // At its time, with the site healthy again, it is read and recovers.
      const retry = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: state.next_fetch_at });
      expect(retry.errorMessages).toEqual([]);
      expect(retry.listingsFetched + retry.notModified).toBe(1);
      const asked = (await fixtureRequests()).filter((r) => r.path === FAULTED);
      expect(asked).toHaveLength(1);
      const recovered = await listing(FAULTED_ID);
      expect(recovered.consecutive_failures).toBe(0);
      expect(recovered.last_error).toBeNull();
      expect(recovered.drift).toBeNull();
      // Still nothing lost.
      const final = await snapshot();
      expect(final.items.filter((r) => r.id !== freshId)).toEqual(before.items);
    });
  }

  it("a failing listing backs off exponentially, capped at a day", async () => {
    clock += 2 * DAY;
    let T = clock;
    await resetFixture();
    await setFault(FAULTED, { status: 500 });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      await onlyDue(T, FAULTED_ID);
      const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
      expect(run.errorMessages.map((e) => e.message)).toHaveLength(1);
      const state = await listing(FAULTED_ID);
      expect(state.consecutive_failures).toBe(i + 1);
      // Counted from the failed answer (when the error was recorded).
      waits.push(state.next_fetch_at - run.errorMessages[0]!.at);
      T = state.next_fetch_at;
    }
    clock = T;
    for (const [i, wait] of waits.entries()) {
      const base = POLL * 2 ** (i + 1);
      expect(wait).toBeGreaterThanOrEqual(Math.min(base * 0.8, DAY));
      expect(wait).toBeLessThanOrEqual(Math.min(base * 1.2, DAY));
    }
    expect(waits.at(-1)).toBe(DAY);
    await resetFixture();
    await onlyDue(T, FAULTED_ID);
    const healed = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(healed.errors).toBe(0);
    expect((await listing(FAULTED_ID)).consecutive_failures).toBe(0);
  });

  it("a listing labelled with the wrong legacy charset is still read as the UTF-8 it is", async () => {
    clock += 2 * DAY;
    const T = clock;
    await resetFixture();
    await onlyDue(T, FAULTED_ID);
    const before = await snapshot();
    // The page holds "Tölegenova" and "—": as windows-1251 they would come out as mojibake.
    await setFault(FAULTED, { charset: "windows-1251" });
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: T });
    expect(run.errorMessages).toEqual([]);
    expect(run.listingsFetched).toBe(1);
    expect(run.itemsNew + run.itemsUpdated).toBe(0);
    expect((await snapshot()).items).toEqual(before.items);
  });
});

describe("decodeBody", () => {
  const utf8 = new TextEncoder().encode("<p>Tölegenova — Тбилиси</p>");
  const cp1251 = new Uint8Array([0xd2, 0xe1, 0xe8, 0xeb, 0xe8, 0xf1, 0xe8]); // "Тбилиси" in windows-1251

  it("decodes by the declared charset, and by the document's declaration when the header has none", () => {
    expect(decodeBody(cp1251, "text/html; charset=windows-1251")).toBe("Тбилиси");
    const doc = new Uint8Array([...new TextEncoder().encode('<meta charset="windows-1251">'), ...cp1251]);
    expect(decodeBody(doc, "text/html")).toBe('<meta charset="windows-1251">Тбилиси');
    // The header says UTF-8 but the document names its real charset: the bytes decide.
    expect(decodeBody(doc, "text/html; charset=utf-8")).toBe('<meta charset="windows-1251">Тбилиси');
  });

  it("reads valid UTF-8 labelled with a legacy charset as UTF-8", () => {
    expect(decodeBody(utf8, "text/html; charset=iso-8859-1")).toBe("<p>Tölegenova — Тбилиси</p>");
    expect(decodeBody(utf8, "text/html; charset=no-such-charset")).toBe("<p>Tölegenova — Тбилиси</p>");
  });

  it("refuses bytes that are not the UTF-8 they claim, but tolerates a stray bad byte in real UTF-8", () => {
    expect(() => decodeBody(cp1251, "text/html; charset=utf-8")).toThrow(/not valid UTF-8/);
    expect(() => decodeBody(cp1251, null)).toThrow(/not valid UTF-8/);
    const long = new TextEncoder().encode("Тбилиси ".repeat(20));
    const stray = new Uint8Array([...long, 0xff]);
    expect(decodeBody(stray, "text/html; charset=utf-8")).toBe(`${"Тбилиси ".repeat(20)}\uFFFD`);
  });
});
