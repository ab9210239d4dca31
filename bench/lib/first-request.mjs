// The first answer of a new isolate. `wrangler check startup` (startup.mjs) times loading the
// Worker; whatever a module leaves for first use (a schema, the admin router, a Unicode regular
// expression) is paid by the first request that needs it instead. This times that request: a feed
// reader polling a feed that another isolate already rendered into KV, the usual case at the edge,
// in a Worker started fresh on storage a first Worker seeded, profiled through workerd's V8
// inspector.
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { startFixtureServer } from "../../test/fixtures/server.mjs";
import { median } from "./load.mjs";
import { TMP } from "./paths.mjs";
import { inspectWorker } from "./profile.mjs";
import { figure } from "./report.mjs";
import { scoped, track } from "./resources.mjs";
import { FEED_PATH } from "./throughput.mjs";
import { startWorker } from "./workers.mjs";

// What Miniflux sends when it polls a feed.
const READER_HEADERS = {
  "user-agent": "Mozilla/5.0 (compatible; Miniflux/2.2.6; +https://miniflux.app)",
  accept: "application/rss+xml, application/rdf+xml;q=0.9, application/atom+xml;q=0.9, application/xml;q=0.8",
  "accept-encoding": "gzip, br",
};
const RUNS = 7;
const SAMPLING_MICROS = 100;

/**
 * CPU time of the isolate in a profile: its non-idle samples times the sampling interval the
 * profile shows (the median gap between samples). The profiler takes no samples while the isolate
 * waits outside JavaScript for KV or D1, and such a wait can show as one long gap after a sample
 * rather than as idle samples; summing gaps would count it as work.
 */
function activeMs(profile) {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const gaps = profile.timeDeltas.slice(1).sort((a, b) => a - b);
  const interval = gaps[Math.floor(gaps.length / 2)] ?? SAMPLING_MICROS;
  const active = profile.samples.filter((id) => names.get(id) !== "(idle)").length;
  return (active * interval) / 1000;
}

/** One poll under the profiler: its CPU ms, and the answer's status and cache header. */
async function profiledPoll(session, url) {
  await session.send("Profiler.start");
  const response = await fetch(url, { headers: READER_HEADERS });
  const body = await response.arrayBuffer();
  const { profile } = await session.send("Profiler.stop");
  const status = response.status;
  const detail = status === 200 ? "" : new TextDecoder().decode(body).slice(0, 300);
  return { ms: activeMs(profile), status, cache: response.headers.get("x-caravan-cache"), detail };
}

/** A TCP port free right now on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function firstRequestFigure(workerScript, log) {
  return scoped(async () => {
    const fixtures = await startFixtureServer({ sites: ["eurasianet"] });
    track(() => fixtures.close());
    const persist = mkdtempSync(`${TMP}/first-request-`);
    // Every Worker on the same socket: the cache key of a rendering includes the origin.
    const storage = {
      resourcePersistencePath: persist,
      unsafeDirectSockets: [{ host: "127.0.0.1", port: await freePort() }],
    };
    const bindings = {
      EURASIANET_BASE_URL: fixtures.origins.eurasianet,
      SUBREQUEST_BUDGET: "200",
      HOST_MIN_INTERVAL_MS: "0",
    };

    // The first Worker ingests the fixture site and renders the feed into KV, then goes away. Both
    // are named alike: the name picks the D1 database and KV namespace in the persisted storage.
    const seeder = await startWorker({
      name: "caravan",
      script: workerScript,
      storage: true,
      bindings,
      miniflare: storage,
    });
    const { run } = await seeder.ingest("eurasianet");
    if (run.items_new === 0) throw new Error(`seeding: the ingest run stored nothing (${run.errors} errors)`);
    // Polled until it is a KV hit (a miss renders and writes KV after answering).
    let cache = null;
    for (let i = 0; i < 5 && cache !== "hit"; i++) {
      const warm = await fetch(`${seeder.url}${FEED_PATH}`, { headers: READER_HEADERS });
      await warm.arrayBuffer();
      if (warm.status !== 200) throw new Error(`seeding: ${FEED_PATH} answered ${warm.status}`);
      cache = warm.headers.get("x-caravan-cache");
    }
    if (cache !== "hit") throw new Error(`seeding: ${FEED_PATH} never became a KV hit (last: ${cache})`);
    await seeder.dispose();

    // Then, each time, a new workerd process (a new isolate) on that storage answers two polls.
    const first = [];
    const second = [];
    for (let i = 0; i < RUNS; i++) {
      const fresh = await startWorker({
        name: "caravan",
        script: workerScript,
        storage: true,
        migrate: false,
        inspector: true,
        bindings,
        miniflare: storage,
      });
      try {
        // Miniflare simulates D1 and KV with Workers of its own in the same process: reach both
        // from here first (not through Caravan's isolate), so their start is not in the count.
        await fresh.db.prepare("SELECT count(*) AS n FROM items").first();
        await fresh.kv.list({ limit: 1 });
        const session = await inspectWorker(await fresh.inspectorUrl(), "caravan");
        try {
          await session.send("Profiler.enable");
          await session.send("Profiler.setSamplingInterval", { interval: SAMPLING_MICROS });
          // Starting the profiler the first time costs the isolate work of its own: done before.
          await session.send("Profiler.start");
          await session.send("Profiler.stop");
          const a = await profiledPoll(session, `${fresh.url}${FEED_PATH}`);
          const b = await profiledPoll(session, `${fresh.url}${FEED_PATH}`);
          if (a.status !== 200 || a.cache !== "hit") {
            throw new Error(
              `the first poll of a new isolate answered ${a.status}, cache ${a.cache}: expected a 200 KV hit ${a.detail}`,
            );
          }
          first.push(a.ms);
          second.push(b.ms);
        } finally {
          session.close();
        }
      } finally {
        await fresh.dispose();
      }
    }
    const value = median(first);
    const list = (values) => values.map((ms) => ms.toFixed(1)).join(", ");
    log(`  first poll ${list(first)} ms; the next ${list(second)} ms`);
    return [
      figure({
        key: "startup.first_request_ms",
        label: "first feed poll of a new isolate (feed already in KV), CPU",
        value,
        unit: "ms",
        display: `${value.toFixed(1)} ms (the next poll: ${median(second).toFixed(1)} ms)`,
        note:
          `${FEED_PATH} with Miniflux's request headers, in a new workerd process on storage a first Worker seeded and ` +
          `rendered into KV; V8 inspector sampling every ${SAMPLING_MICROS} µs (non-idle samples × interval), median of ` +
          `${RUNS} new isolates (${list(first)} ms; the next poll ${list(second)} ms). It includes compiling each function ` +
          `on its first call and the runtime's own D1 and KV client code. Added to the startup figure, it is the CPU a ` +
          `new isolate spends before its first answer`,
        detail: { first, second },
      }),
    ];
  });
}
