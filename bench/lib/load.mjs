// The load tool (autocannon, a devDependency) and the static reference server.

import { spawn } from "node:child_process";
import autocannon from "autocannon";
import { BENCH } from "./paths.mjs";

/** Same settings for every target, so the figures compare. */
export const LOAD = { connections: 10, pipelining: 1 };

function cannon(url, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: LOAD.connections, pipelining: LOAD.pipelining, duration: seconds }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

/**
 * Requests per second one URL sustains: a warm-up run, then the measured run. Any error or
 * non-2xx answer fails the figure, since a fast error page would otherwise look like throughput.
 * With `cpuSeconds` (the server process's CPU clock), also the server's CPU time per request,
 * which depends less than req/s on what else the machine is doing.
 */
export async function requestsPerSecond(url, seconds, warmupSeconds, cpuSeconds = () => null) {
  if (warmupSeconds > 0) await cannon(url, warmupSeconds);
  const cpuBefore = cpuSeconds();
  const r = await cannon(url, seconds);
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
