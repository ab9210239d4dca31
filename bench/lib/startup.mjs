// Worker startup: the CPU the runtime spends loading the Worker before its first request
// (compiling the bundle, running every module's top-level code), from `wrangler check startup`,
// which starts the Worker in local workerd under V8's sampling profiler and writes a .cpuprofile.
// A one-line Worker with the same compatibility settings is profiled the same way, as the floor
// the runtime itself costs.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { runCommand } from "./build.mjs";
import { median } from "./load.mjs";
import { ROOT, TMP } from "./paths.mjs";
import { figure } from "./report.mjs";

// One sample is about 1.2 ms and runs differ by several samples on a shared machine: enough runs
// for the median to be steady.
const RUNS = 15;
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" };

/**
 * Active (non-idle) sampled time of a .cpuprofile, in ms, with the parts V8 labels "(program)"
 * and "(garbage collector)".
 * A sample stands for the time until the next one, as DevTools counts it: timeDeltas[0] is the
 * wait from starting the profiler to the first sample, not work.
 */
export function startupProfileTimes(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const totals = { active: 0, program: 0, gc: 0 };
  profile.samples.forEach((id, i) => {
    const name = nodes.get(id);
    const micros = profile.timeDeltas[i + 1] ?? 0;
    if (name === "(idle)") return;
    totals.active += micros;
    if (name === "(program)") totals.program += micros;
    else if (name === "(garbage collector)") totals.gc += micros;
  });
  return {
    activeMs: totals.active / 1000,
    programMs: totals.program / 1000,
    gcMs: totals.gc / 1000,
    samples: profile.samples.length,
  };
}

async function profileStartup(cwd, outfile) {
  await runCommand("wrangler", ["check", "startup", "--outfile", outfile], { cwd, env: WRANGLER_ENV });
  return startupProfileTimes(JSON.parse(readFileSync(outfile, "utf8")));
}

/** A Worker that answers "ok", with the project's compatibility date and flags. */
function writeBaselineProject() {
  const dir = `${TMP}/startup-baseline`;
  mkdirSync(dir, { recursive: true });
  const toml = readFileSync(`${ROOT}/wrangler.toml`, "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*(\[[^\]]*\])/m.exec(toml)?.[1] ?? "[]";
  if (!date) throw new Error("wrangler.toml has no compatibility_date");
  writeFileSync(
    `${dir}/wrangler.toml`,
    `name = "startup-baseline"\nmain = "worker.js"\ncompatibility_date = "${date}"\ncompatibility_flags = ${flags}\n`,
  );
  writeFileSync(`${dir}/worker.js`, 'export default { fetch() { return new Response("ok"); } };\n');
  return dir;
}

export async function startupFigure() {
  const baselineDir = writeBaselineProject();
  const project = [];
  const baseline = [];
  // Alternating, so a busy moment on the machine lands on both sides.
  for (let i = 0; i < RUNS; i++) {
    project.push(await profileStartup(ROOT, `${TMP}/worker-startup.cpuprofile`));
    baseline.push(await profileStartup(baselineDir, `${TMP}/startup-baseline.cpuprofile`));
  }
  const active = median(project.map((p) => p.activeMs));
  const floor = median(baseline.map((p) => p.activeMs));
  const gc = median(project.map((p) => p.gcMs));
  return figure({
    key: "startup.active_ms",
    label: "Worker startup, CPU before the first request",
    value: active,
    unit: "ms",
    target: { op: "<=", value: 10 },
    display: `${active.toFixed(0)} ms (one-line Worker: ${floor.toFixed(0)} ms)`,
    note:
      `wrangler check startup, local workerd, V8 sampling profiler (about 1.2 ms a sample); median of ${RUNS} runs ` +
      `(${project.map((p) => p.activeMs.toFixed(0)).join(", ")} ms; one-line Worker ${baseline.map((p) => p.activeMs.toFixed(0)).join(", ")} ms). ` +
      `Garbage collection ${gc.toFixed(0)} ms of it. What is left is running the minified bundle's top level, zod's ` +
      `classes and registering the public routes; schemas, configured data, the tagger's matchers, Unicode regular ` +
      `expressions and the admin router are made on first use (src/model/lazy.ts, src/lib/once.ts), so the first ` +
      `request that needs one pays for it. The last profile is in bench/.tmp/worker-startup.cpuprofile (Chrome DevTools opens it)`,
    detail: { project, baseline },
  });
}
