// Cached feed requests per second: the real Worker against a constant-string Worker serving the
// same bytes, both under Miniflare on a direct workerd socket, the same load tool and settings;
// a plain Node server with the same bytes as the reference for "no Worker runtime at all".
import { readFileSync, writeFileSync } from "node:fs";
import { startFixtureServer } from "../../test/fixtures/server.mjs";
import { alternatingRounds, LOAD, median, requestsPerSecond, startStaticServer } from "./load.mjs";
import { benchTask } from "./micro.mjs";
import { BENCH, TMP } from "./paths.mjs";
import { profileUnderLoad } from "./profile.mjs";
import { figure, unavailable } from "./report.mjs";
import { scoped, track } from "./resources.mjs";
import { startWorker } from "./workers.mjs";

export const FEED_PATH = "/feeds/region/central-asia.rss";
const COPIED_HEADERS = [
  "content-type",
  "cache-control",
  "access-control-allow-origin",
  "etag",
  "last-modified",
  "x-caravan-cache",
];
const ROUNDS = 3;
const RATIO_TARGET = 0.8;
const PROFILE_SECONDS = 3;
const ROUND_SECONDS = 4;

/**
 * The real Worker, seeded (one ingest run of Eurasianet over the fixture site) and with FEED_PATH
 * warmed until it is a cache hit; returns it with the bytes and headers it serves for that feed.
 */
async function startSeededWorker(workerScript, fixtureOrigin, name, inspector = false) {
  const real = await startWorker({
    name,
    script: workerScript,
    storage: true,
    inspector,
    // No politeness delay between fetches: seeding is set-up, not what is measured here.
    bindings: { EURASIANET_BASE_URL: fixtureOrigin, SUBREQUEST_BUDGET: "200", HOST_MIN_INTERVAL_MS: "0" },
  });
  track(() => real.dispose());
  const { run } = await real.ingest("eurasianet");
  if (run.items_new === 0) throw new Error(`seeding: the ingest run stored nothing (${run.errors} errors)`);
  const { n: items } = await real.db.prepare("SELECT count(*) AS n FROM items").first();
  const url = `${real.url}${FEED_PATH}`;
  let response;
  for (let i = 0; i < 3; i++) {
    response = await fetch(url);
    if (i < 2) await response.arrayBuffer();
  }
  const body = await response.text();
  if (response.status !== 200 || response.headers.get("x-caravan-cache") !== "hit") {
    throw new Error(
      `warming ${FEED_PATH}: expected a 200 cache hit, got ${response.status} ${response.headers.get("x-caravan-cache")}`,
    );
  }
  const headers = Object.fromEntries(
    COPIED_HEADERS.filter((h) => response.headers.has(h)).map((h) => [h, response.headers.get(h)]),
  );
  return { worker: real, url, body, headers, items };
}

/** The constant Worker serving `body` with `headers`, checked to answer exactly those bytes. */
async function startConstantWorker(name, body, headers, inspector = false) {
  const constant = await startWorker({
    name,
    inspector,
    bindings: { HEADERS: headers },
    modules: [
      {
        type: "ESModule",
        path: `${BENCH}/constant-worker.js`,
        contents: readFileSync(`${BENCH}/constant-worker.js`, "utf8"),
      },
      { type: "Text", path: `${BENCH}/feed-body.txt`, contents: body },
    ],
  });
  track(() => constant.dispose());
  const url = `${constant.url}${FEED_PATH}`;
  if ((await (await fetch(url)).text()) !== body)
    throw new Error("the constant Worker does not serve the feed's bytes");
  return { worker: constant, url };
}

/**
 * Load-tests the warmed feed of the real Worker and the constant Worker in alternating rounds
 * (C R, R C, C R), so a busy moment of the machine falls on both alike; the ratio is the median
 * of the rounds' ratios. `workerScript` is the wrangler bundle; `benchUrl` the bench Worker,
 * which times the hit path's JavaScript on its own. When the ratio misses its target, both
 * Workers are also CPU-profiled under the same load, to say where the time goes.
 */
export function throughputFigures(workerScript, benchUrl, log) {
  return scoped(async () => {
    const fixtures = await startFixtureServer({ sites: ["eurasianet"] });
    track(() => fixtures.close());
    const real = await startSeededWorker(workerScript, fixtures.origins.eurasianet, "caravan");
    const { body, headers, items } = real;
    const entries = (body.match(/<item>/g) ?? []).length;
    const constant = await startConstantWorker("constant", body, headers);

    writeFileSync(`${TMP}/feed-body.txt`, body);
    const server = await startStaticServer(`${TMP}/feed-body.txt`, headers);
    track(() => server.stop());

    log(
      `  load: ${LOAD.connections} connections, ${ROUNDS} rounds of ${ROUND_SECONDS} s per Worker, ${Buffer.byteLength(body)} bytes per answer`,
    );
    const rounds = await alternatingRounds(
      ROUNDS,
      (which, r) => {
        const target = which === "real" ? real : constant;
        return requestsPerSecond(target.url, ROUND_SECONDS, r === 0 ? 2 : 1, target.worker.cpuSeconds);
      },
      (round, r) => {
        round.cpuRatio = cpuRatio(round);
        log(
          `  round ${r + 1}: real ${Math.round(round.real.rps)} req/s, constant ${Math.round(round.constant.rps)} req/s, ratio ${round.ratio.toFixed(2)}` +
            (round.cpuRatio === null
              ? ""
              : `; workerd CPU per request ${cpuText(round.real)} vs ${cpuText(round.constant)} µs, ratio ${round.cpuRatio.toFixed(2)}`),
        );
      },
    );
    const staticRun = await requestsPerSecond(`${server.url}${FEED_PATH}`, ROUND_SECONDS, 1);

    const [hit, readConfig, responseOnly, responseFromBytes] = await benchTask(benchUrl, "/time", { task: "feed-hit" });
    const ratio = median(rounds.map((r) => r.ratio));
    const realRps = median(rounds.map((r) => r.real.rps));
    const constantRps = median(rounds.map((r) => r.constant.rps));
    const gapMicros = 1e6 / realRps - 1e6 / constantRps;
    const cpuRatios = rounds.map((r) => r.cpuRatio).filter((v) => v !== null);
    const cpuRatioMedian = cpuRatios.length === rounds.length ? median(cpuRatios) : null;
    const realCpu = cpuRatioMedian === null ? null : median(rounds.map((r) => r.real.serverCpuMicrosPerRequest));
    const constantCpu =
      cpuRatioMedian === null ? null : median(rounds.map((r) => r.constant.serverCpuMicrosPerRequest));
    let profile = null;
    if (ratio < RATIO_TARGET) {
      log(`  ratio ${ratio.toFixed(2)} is below ${RATIO_TARGET}: profiling both Workers under the same load`);
      profile = await profileBoth(workerScript, fixtures.origins.eurasianet, body, headers);
    }
    const detail = {
      feed: FEED_PATH,
      bodyBytes: Buffer.byteLength(body),
      entries,
      itemsStored: items,
      load: { ...LOAD, rounds: ROUNDS, roundSeconds: ROUND_SECONDS },
      rounds,
      static: staticRun,
      hitPath: {
        workerMicrosPerHit: hit.micros,
        readConfigMicros: readConfig.micros,
        responseFromStringMicros: responseOnly.micros,
        responseFromBytesMicros: responseFromBytes.micros,
        gapMicrosPerRequest: gapMicros,
      },
      profile,
    };
    return [
      figure({
        key: "feed.rps_ratio",
        label: "cached feed req/s ÷ constant Worker req/s",
        value: ratio,
        unit: "",
        display: `${ratio.toFixed(2)} (${Math.round(realRps).toLocaleString("en-US")} vs ${Math.round(constantRps).toLocaleString("en-US")} req/s)`,
        target: { op: ">=", value: RATIO_TARGET },
        note:
          `${FEED_PATH}, ${entries} items, ${Math.round(Buffer.byteLength(body) / 1024)} KiB; median of ${ROUNDS} alternating rounds ` +
          `(${rounds.map((r) => r.ratio.toFixed(2)).join(", ")}). Per request the real Worker takes ${Math.abs(gapMicros).toFixed(0)} µs ${gapMicros >= 0 ? "more" : "less"}; ` +
          `timed in a loop inside workerd, its hit path runs ${hit.micros.toFixed(0)} µs of JavaScript (Hono routing, query parsing, ` +
          `memo lookups, vars check ${readConfig.micros.toFixed(1)} µs, a Response from the cached bytes ${responseFromBytes.micros.toFixed(0)} µs) ` +
          `against ${responseOnly.micros.toFixed(0)} µs for building the same Response from a string, as the constant Worker does` +
          (profile ? `. ${describeProfile(profile)}` : ""),
        detail,
      }),
      cpuRatioMedian === null
        ? unavailable(
            "feed.cpu_ratio",
            "cached feed, workerd CPU per request: constant ÷ real",
            "needs Linux /proc to read workerd's CPU time",
          )
        : figure({
            key: "feed.cpu_ratio",
            label: "cached feed, workerd CPU per request: constant ÷ real",
            value: cpuRatioMedian,
            unit: "",
            display: `${cpuRatioMedian.toFixed(2)} (${realCpu.toFixed(0)} vs ${constantCpu.toFixed(0)} µs)`,
            note:
              `CPU time (user + system) of each Worker's workerd process over each measured round, per request served; median of the ` +
              `rounds (${rounds.map((r) => r.cpuRatio.toFixed(2)).join(", ")}). The req/s ratio the two would reach with a core each; ` +
              "it moves far less with other load on the machine than req/s does",
          }),
      figure({
        key: "feed.rps_static",
        label: "static Node server, same bytes (reference)",
        value: staticRun.rps,
        unit: "req/s",
        note: "node:http in its own process; no Worker runtime",
      }),
    ];
  });
}

/** Constant CPU per request over real CPU per request: the req/s ratio if CPU were the only limit. */
function cpuRatio(round) {
  const real = round.real.serverCpuMicrosPerRequest;
  const constant = round.constant.serverCpuMicrosPerRequest;
  return real && constant ? constant / real : null;
}

const cpuText = (run) => run.serverCpuMicrosPerRequest.toFixed(0);

/**
 * Both Workers again, each on its own workerd with V8's inspector on, profiled while the same
 * load runs against it (after a warm-up). Profiling slows both; the comparison is what counts.
 */
function profileBoth(workerScript, fixtureOrigin, body, headers) {
  return scoped(async () => {
    const real = await startSeededWorker(workerScript, fixtureOrigin, "caravan-profiled", true);
    const constant = await startConstantWorker("constant-profiled", body, headers, true);
    const out = {};
    for (const [which, target, bundlePath] of [
      ["real", real, workerScript],
      ["constant", constant, null],
    ]) {
      await requestsPerSecond(target.url, 1, 0);
      out[which] = await profileUnderLoad({
        inspectorUrl: await target.worker.inspectorUrl(),
        workerName: target.worker.name,
        bundlePath,
        load: async () => (await requestsPerSecond(target.url, PROFILE_SECONDS, 0)).requests,
      });
      out[which].functions = out[which].functions.slice(0, 30);
    }
    return out;
  });
}

/** One sentence per Worker: busy µs per request, and where it goes by module. */
function describeProfile(profile) {
  const top = (p) =>
    p.modules
      .filter((m) => m.microsPerRequest >= 1)
      .slice(0, 7)
      .map((m) => `${m.name} ${m.microsPerRequest.toFixed(0)}`)
      .join(", ");
  const fns = profile.real.functions
    .filter((f) => !f.name.includes("[(runtime, native)"))
    .slice(0, 6)
    .map((f) => `${f.name} ${f.microsPerRequest.toFixed(0)}`)
    .join(", ");
  return (
    `CPU profile under load (V8 sampling, which slows both): the real Worker is busy ${profile.real.activeMicrosPerRequest.toFixed(0)} µs ` +
    `per request, the constant one ${profile.constant.activeMicrosPerRequest.toFixed(0)} µs. By module, µs per request: real: ${top(profile.real)}; ` +
    `constant: ${top(profile.constant)}. Heaviest bundle functions (self time; a caller's line includes building the Response ` +
    `from the cached string, which the constant Worker's fetch pays too): ${fns}`
  );
}
