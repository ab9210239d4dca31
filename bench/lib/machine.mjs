// The machine and toolchain a run measured, for results.json and the README table.

import { readFileSync } from "node:fs";
import os from "node:os";
import { ROOT } from "./paths.mjs";

const versionOf = (pkg) => {
  try {
    return JSON.parse(readFileSync(`${ROOT}/node_modules/${pkg}/package.json`, "utf8")).version;
  } catch {
    return null;
  }
};

export function machine() {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    workerd: versionOf("workerd"),
    miniflare: versionOf("miniflare"),
    wrangler: versionOf("wrangler"),
    autocannon: versionOf("autocannon"),
    /** 1-minute load average when the run started: other work on the machine skews every figure. */
    loadAverageAtStart: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
