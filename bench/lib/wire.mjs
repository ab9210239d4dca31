// Bytes on the wire per poll of a 50-item feed (identity, gzip, brotli), and the compressed
// cached-hit throughput against a constant Worker that serves the same compressed bytes.
// The real Worker runs under Miniflare on a direct workerd socket, seeded by one scheduled run
// over every fixture source; requests go through node:http, which does not decode bodies, so
// the sizes are what crosses the socket.

import { readFileSync } from "node:fs";
import { request } from "node:http";
import { startFixtureServer } from "../../test/fixtures/server.mjs";
import { SOURCE_SITES } from "../../test/fixtures/source-sites.mjs";
import { alternatingRounds, median, requestsPerSecond } from "./load.mjs";
import { BENCH } from "./paths.mjs";
import { figure } from "./report.mjs";
import { scoped, track } from "./resources.mjs";
import { startWorker } from "./workers.mjs";

const FORMATS = [
  ["rss", "RSS"],
  ["atom", "Atom"],
  ["json", "JSON Feed"],
];
const CODINGS = [
  ["none", null],
  ["gzip", "gzip"],
  ["br", "br"],
];
const RATIO_PATH = "/feeds/all.rss";
const RATIO_CODING = "br";
const ROUNDS = 3;
const ROUND_SECONDS = 4;
const RATIO_TARGET = 0.8;

/** One GET as sent; the answer's status, headers, body bytes and header bytes as received. */
function getRaw(url, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        let headerBytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          headerBytes += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`.length;
        }
        resolve({ status: res.statusCode, headers: res.headers, body, headerBytes });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

export function wireFigures(workerScript, log) {
  return scoped(async () => {
    const sites = [...new Set(Object.values(SOURCE_SITES))];
    const fixtures = await startFixtureServer({ sites });
    track(() => fixtures.close());
    const origins = Object.fromEntries(
      Object.entries(SOURCE_SITES).map(([name, site]) => [name, fixtures.origins[site]]),
    );
    const real = await startWorker({
      name: "caravan-wire",
      script: workerScript,
      storage: true,
      bindings: { ...origins, SUBREQUEST_BUDGET: "200", HOST_MIN_INTERVAL_MS: "0" },
    });
    track(() => real.dispose());
    await real.scheduled();
    const { n: stored } = await real.db.prepare("SELECT count(*) AS n FROM items").first();

    const figures = [];
    for (const [ext, label] of FORMATS) {
      const url = `${real.url}/feeds/all.${ext}`;
      const sizes = {};
      let items = 0;
      let etag = null;
      for (const [name, coding] of CODINGS) {
        // Twice, so the second answer is a cache hit (the kept encodings, not a fresh render).
        await getRaw(url, coding ? { "accept-encoding": coding } : {});
        const r = await getRaw(url, coding ? { "accept-encoding": coding } : {});
        if (r.status !== 200 || (r.headers["content-encoding"] ?? null) !== coding) {
          throw new Error(`${url} with ${name}: ${r.status}, content-encoding ${r.headers["content-encoding"]}`);
        }
        if (coding === null) {
          const text = r.body.toString("utf8");
          items =
            ext === "json"
              ? JSON.parse(text).items.length
              : (text.match(ext === "rss" ? /<item>/g : /<entry[ >]/g) ?? []).length;
          etag = r.headers.etag;
        }
        sizes[name] = { body: r.body.length, total: r.body.length + r.headerBytes };
      }
      // The poll that follows: the reader sends the ETag back and gets a 304 with no body.
      const again = await getRaw(url, { "accept-encoding": "br", "if-none-match": etag });
      if (again.status !== 304 || again.body.length !== 0)
        throw new Error(`${url}: conditional poll got ${again.status}`);
      const notModified = again.headerBytes;
      const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
      log(
        `  ${label}: ${items} items; none ${kib(sizes.none.total)}, gzip ${kib(sizes.gzip.total)}, br ${kib(sizes.br.total)}; 304 ${notModified} B`,
      );
      figures.push(
        figure({
          key: `wire.${ext}_br_bytes`,
          label: `bytes per poll, ${items}-item feed, ${label}: none / gzip / br`,
          value: sizes.br.total,
          unit: "B",
          display: `${kib(sizes.none.total)} / ${kib(sizes.gzip.total)} / ${kib(sizes.br.total)}`,
          note:
            `/feeds/all.${ext} (${stored} items stored), headers included, as a cache hit; body alone ${sizes.none.body} / ` +
            `${sizes.gzip.body} / ${sizes.br.body} bytes (gzip ${(sizes.none.body / sizes.gzip.body).toFixed(1)}×, ` +
            `br ${(sizes.none.body / sizes.br.body).toFixed(1)}× smaller). A conditional poll that finds nothing new: ` +
            `304, ${notModified} bytes of headers, no body`,
          detail: { items, stored, sizes, notModifiedBytes: notModified },
        }),
      );
    }
    figures.push(await compressedRatio(real, log));
    return figures;
  });
}

/**
 * The warmed brotli answer of RATIO_PATH from the real Worker against a constant Worker that
 * serves the same bytes and headers, in alternating rounds, as throughput.mjs does uncompressed.
 */
async function compressedRatio(real, log) {
  const url = `${real.url}${RATIO_PATH}`;
  const ask = { "accept-encoding": RATIO_CODING };
  let warmed;
  for (let i = 0; i < 3; i++) warmed = await getRaw(url, ask);
  if (warmed.status !== 200 || warmed.headers["x-caravan-cache"] !== "hit") {
    throw new Error(`warming ${RATIO_PATH}: ${warmed.status} ${warmed.headers["x-caravan-cache"]}`);
  }
  const headers = {};
  for (const name of ["content-type", "content-encoding", "cache-control", "etag", "last-modified", "vary"]) {
    if (warmed.headers[name] !== undefined) headers[name] = warmed.headers[name];
  }
  const constant = await startWorker({
    name: "constant-encoded",
    bindings: { HEADERS: headers },
    modules: [
      {
        type: "ESModule",
        path: `${BENCH}/constant-encoded-worker.js`,
        contents: readFileSync(`${BENCH}/constant-encoded-worker.js`, "utf8"),
      },
      { type: "Data", path: `${BENCH}/feed-body.bin`, contents: new Uint8Array(warmed.body) },
    ],
  });
  track(() => constant.dispose());
  const check = await getRaw(`${constant.url}${RATIO_PATH}`, ask);
  if (!check.body.equals(warmed.body)) throw new Error("the constant Worker does not serve the same compressed bytes");

  const rounds = await alternatingRounds(
    ROUNDS,
    (which, r) => {
      const target = which === "real" ? real : constant;
      return requestsPerSecond(`${target.url}${RATIO_PATH}`, ROUND_SECONDS, r === 0 ? 2 : 1, target.cpuSeconds, ask);
    },
    (round, r) => {
      const realCpu = round.real.serverCpuMicrosPerRequest;
      const constantCpu = round.constant.serverCpuMicrosPerRequest;
      round.cpuRatio = realCpu && constantCpu ? constantCpu / realCpu : null;
      log(
        `  round ${r + 1}: real ${Math.round(round.real.rps)} req/s, constant ${Math.round(round.constant.rps)} req/s, ratio ${round.ratio.toFixed(2)}` +
          (round.cpuRatio === null
            ? ""
            : `; workerd CPU per request ${realCpu.toFixed(0)} vs ${constantCpu.toFixed(0)} µs, ratio ${round.cpuRatio.toFixed(2)}`),
      );
    },
  );
  const cpuRatios = rounds.map((r) => r.cpuRatio).filter((v) => v !== null);
  const ratio = median(rounds.map((r) => r.ratio));
  const realRps = median(rounds.map((r) => r.real.rps));
  const constantRps = median(rounds.map((r) => r.constant.rps));
  return figure({
    key: "wire.br_rps_ratio",
    label: "cached feed, brotli: req/s ÷ constant Worker with the same bytes",
    value: ratio,
    unit: "",
    display: `${ratio.toFixed(2)} (${Math.round(realRps).toLocaleString("en-US")} vs ${Math.round(constantRps).toLocaleString("en-US")} req/s)`,
    target: { op: ">=", value: RATIO_TARGET },
    note:
      `${RATIO_PATH} with Accept-Encoding: ${RATIO_CODING}, ${warmed.body.length} bytes per answer; median of ${ROUNDS} alternating rounds ` +
      `(${rounds.map((r) => r.ratio.toFixed(2)).join(", ")}). Both send the kept brotli bytes as they are (encodeBody "manual")` +
      (cpuRatios.length === rounds.length
        ? `. workerd CPU per request, constant ÷ real: ${median(cpuRatios).toFixed(2)} (rounds ${cpuRatios.map((v) => v.toFixed(2)).join(", ")}), which moves far less with the machine's other load than req/s`
        : ""),
    detail: { rounds, bodyBytes: warmed.body.length },
  });
}
