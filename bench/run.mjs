// `npm run bench`: measures every performance figure of the project in one run, prints a table
// (figure, value, target, pass/fail), writes bench/results.json and the README section to
// bench/.tmp/README-section.md. It starts and stops everything it needs: the Workers under
// Miniflare (workerd), the fixture origins, the static reference server. See bench/README.md.
//
// Progress goes to stderr, the table to stdout. Exit status: 0 when every figure was measured
// (a missed target is shown as FAIL but does not fail the run: timings on a shared machine are
// not a gate), 1 when a figure could not be measured because its section failed.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { buildBenchWorker, buildNodeModules, buildWorkerBundle } from "./lib/build.mjs";
import { firstRequestFigure } from "./lib/first-request.mjs";
import { ingestFigure } from "./lib/ingest.mjs";
import { machine } from "./lib/machine.mjs";
import { feedParseFigure, parseFigures, renderFigures, taggerFigures, taggerTimeFigure } from "./lib/micro.mjs";
import { BENCH, TMP } from "./lib/paths.mjs";
import { regionQueryFigures } from "./lib/query-bench.mjs";
import { readmeSection } from "./lib/readme.mjs";
import { registryTickFigure } from "./lib/registry-tick.mjs";
import { figure, machineLine, markdownTable, textTable, unavailable, writeJson } from "./lib/report.mjs";
import { stopAll, track } from "./lib/resources.mjs";
import { startupFigure } from "./lib/startup.mjs";
import { throughputFigures } from "./lib/throughput.mjs";
import { wireFigures } from "./lib/wire.mjs";
import { startWorker } from "./lib/workers.mjs";

/** The whole run may not take longer than this; past it everything is stopped and the run fails. */
const DEADLINE_MS = 6 * 60_000;

const log = (line) => process.stderr.write(`${line}\n`);
const started = Date.now();
const figures = [];
const failures = [];

/**
 * Runs one section; on failure its figures are recorded as not measured (with the error), and
 * the run goes on with the next section.
 */
async function section(title, placeholders, fn) {
  // BENCH_ONLY=words runs only the sections whose title contains them (to check one piece).
  if (process.env.BENCH_ONLY && !title.includes(process.env.BENCH_ONLY)) return;
  log(`▸ ${title}`);
  const t0 = Date.now();
  try {
    const out = await fn();
    figures.push(...out);
    log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`  FAILED: ${message}`);
    failures.push({ section: title, message });
    figures.push(
      ...placeholders.map(([key, label, target]) =>
        unavailable(key, label, `${title} failed: ${message.split("\n")[0]}`, target ?? null),
      ),
    );
  }
}

async function main() {
  const host = machine();
  log(`caravan bench on ${machineLine(host)}`);
  if (host.loadAverageAtStart > 0.5)
    log(
      `  note: the machine is busy (load ${host.loadAverageAtStart}); figures will be noisier than on an idle machine`,
    );
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });

  log("▸ building the Worker bundle (wrangler deploy --dry-run), the bench Worker and the Node-side modules");
  const bundle = await buildWorkerBundle();
  const bench = await buildBenchWorker();
  const project = await buildNodeModules();
  figures.push(
    figure({
      key: "bundle.gzip_kib",
      label: "Worker bundle, gzip",
      value: bundle.gzipKiB,
      unit: "KiB",
      target: { op: "<=", value: 250 },
      note: `${bundle.rawKiB.toFixed(0)} KiB raw; wrangler reports ${bundle.wranglerGzipKiB ?? "?"} KiB gzip`,
    }),
  );

  await section(
    "Worker startup (wrangler check startup)",
    [["startup.active_ms", "Worker startup, CPU before the first request", { op: "<=", value: 10 }]],
    async () => [await startupFigure()],
  );

  await section(
    "first answer of a new isolate (Miniflare, V8 inspector)",
    [["startup.first_request_ms", "first feed poll of a new isolate (feed already in KV), CPU"]],
    () => firstRequestFigure(bundle.path, log),
  );

  const benchWorker = await startWorker({ name: "bench", script: bench.path, storage: true });
  track(() => benchWorker.dispose());

  await section(
    "feed rendering inside workerd",
    [
      ["render.rss", "uncached 50-item feed render, RSS", { op: "<=", value: 500 }],
      ["render.atom", "uncached 50-item feed render, Atom", { op: "<=", value: 500 }],
      ["render.json", "uncached 50-item feed render, JSON Feed", { op: "<=", value: 300 }],
    ],
    () => renderFigures(() => startWorker({ name: "bench-render", script: bench.path })),
  );

  await section(
    "page parsing inside workerd",
    [
      ["parse.listing", "listing page parse (50 teasers)"],
      ["parse.article", "article page parse", { op: "<=", value: 2000 }],
    ],
    () => parseFigures(benchWorker.url),
  );

  await section(
    "feed-source parsing inside workerd",
    [["parse.feed", "feed-source parse: 100-item RSS with content:encoded"]],
    async () => [await feedParseFigure(benchWorker.url, bench.available["bench:feed-parser"])],
  );

  await section("tagger precision and recall", [["tagger", "tagger precision and recall"]], async () => [
    ...(await taggerFigures(benchWorker.url, bench.available["bench:tagger"])),
    await taggerTimeFigure(benchWorker.url, bench.available["bench:tagger"]),
  ]);

  await section(
    "cached feed throughput (Miniflare, direct workerd sockets, autocannon)",
    [["feed.rps_ratio", "cached feed req/s ÷ constant Worker req/s", { op: ">=", value: 0.8 }]],
    () => throughputFigures(bundle.path, benchWorker.url, log),
  );

  await section(
    "compressed feeds on the wire (Miniflare, direct workerd sockets)",
    [
      ["wire.rss_br_bytes", "bytes per poll, 50-item feed, RSS: none / gzip / br"],
      ["wire.atom_br_bytes", "bytes per poll, 50-item feed, Atom: none / gzip / br"],
      ["wire.json_br_bytes", "bytes per poll, 50-item feed, JSON Feed: none / gzip / br"],
      [
        "wire.br_rps_ratio",
        "cached feed, brotli: req/s ÷ constant Worker with the same bytes",
        { op: ">=", value: 0.8 },
      ],
    ],
    () => wireFigures(bundle.path, log),
  );

  await section("ingest end to end", [["ingest.items_per_second", "items ingested per second, end to end"]], () =>
    ingestFigure(bundle.path, project.eurasianet.listings, log),
  );

  await section(
    "cron tick with 1,000 registered sources (Miniflare, D1, queue mode)",
    [["cron.decide_ms", "cron tick deciding what to read, 1000 registered sources", { op: "<=", value: 50 }]],
    () => registryTickFigure(bundle.path, log),
  );

  await section(
    "region feed query and combined filters, 10k vs 1M items (SQLite in Node)",
    [["query.region_first_page_ratio", "region feed query, 1M vs 10k items (first page)", { op: "<=", value: 1.5 }]],
    async () => regionQueryFigures(project, log),
  );

  await stopAll();

  const results = {
    date: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 100) / 10,
    machine: { ...host, loadAverageAtEnd: Math.round(loadavg()[0] * 100) / 100 },
    figures,
    failures,
  };
  writeJson(`${BENCH}/results.json`, results);
  writeFileSync(
    `${TMP}/README-section.md`,
    readmeSection(results, markdownTable(figures), machineLine(results.machine)),
  );

  console.log(`\n${textTable(figures)}\n`);
  for (const f of figures) if (f.note) console.log(`- ${f.label}: ${f.note}`);
  console.log(`\nmachine: ${machineLine(results.machine)}`);
  console.log(`took ${results.seconds} s; wrote bench/results.json and bench/.tmp/README-section.md`);
  return failures.length === 0 ? 0 : 1;
}

let stopping = false;
async function stop(code, why) {
  if (stopping) return;
  stopping = true;
  if (why) log(why);
  await stopAll();
  process.exit(code);
}
process.on("SIGINT", () => stop(130, "interrupted: stopping everything the bench started"));
process.on("SIGTERM", () => stop(143, "terminated: stopping everything the bench started"));
setTimeout(() => stop(1, `the bench took longer than ${DEADLINE_MS / 60_000} minutes: stopped`), DEADLINE_MS).unref();

main().then(
  (code) => stop(code),
  (err) => stop(1, `bench failed: ${err instanceof Error ? err.stack : err}`),
);
