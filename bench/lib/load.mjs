// The load tool (autocannon, a devDependency) and the static reference server.

import { spawn } from "node:child_process";
import autocannon from "autocannon";
import { BENCH } from "./paths.mjs";

/** Same settings for every target, so the figures compare. */
export const LOAD = { connections: 10, pipelining: 1 };

function cannon(url, seconds, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, headers, connections: LOAD.connections, pipelining: LOAD.pipelining, duration: seconds },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/**
 * Requests per second one URL sustains: a warm-up run, then the measured run. Any error or
 * non-2xx answer fails the figure, since a fast error page would otherwise look like throughput.
 * With `cpuSeconds` (the server process's CPU clock), also the server's CPU time per request,
 * which depends less than req/s on what else the machine is doing. `headers` go with every
 * request (Accept-Encoding, for the compressed figures).
 */
export async function requestsPerSecond(url, seconds, warmupSeconds, cpuSeconds = () => null, headers = {}) {
  if (warmupSeconds > 0) await cannon(url, warmupSeconds, headers);
  const cpuBefore = cpuSeconds();
  const r = await cannon(url, seconds, headers);
  const cpuAfter = cpuSeconds();
  if (r.errors > 0 || r.timeouts > 0 || r.non2xx > 0) {
    throw new Error(`load test of ${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers`);
  }
  return {
    rps: r.requests.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    bytesPerResponse: r.throughput.average / r.requests.average,
    requests: r.requests.total,
    serverCpuMicrosPerRequest: cpuBefore === null ? null : ((cpuAfter - cpuBefore) * 1e6) / r.requests.total,
  };
}

/** Starts bench/static-server.mjs in its own process; resolves once it listens. */
export function startStaticServer(bodyFile, headers) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${BENCH}/static-server.mjs`, bodyFile, JSON.stringify(headers)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("the static server did not start within 10 s"));
    }, 10_000);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`the static server exited with ${code}`)));
    child.stdout.on("data", (d) => {
      const m = /listening (\d+)/.exec(String(d));
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${m[1]}`,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
        child,
      });
    });
  });
}

export const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * `count` rounds of the real Worker against the constant one, alternating which goes first
 * (C R, R C, C R…) so a busy moment of the machine falls on both alike. `measure(which, round)`
 * returns one requestsPerSecond result; `each(round, index)` sees every round as it ends.
 */
export async function alternatingRounds(count, measure, each = () => {}) {
  const rounds = [];
  for (let r = 0; r < count; r++) {
    const order = r % 2 === 0 ? ["constant", "real"] : ["real", "constant"];
    const round = {};
    for (const which of order) round[which] = await measure(which, r);
    round.ratio = round.real.rps / round.constant.rps;
    each(round, r);
    rounds.push(round);
  }
  return rounds;
}
