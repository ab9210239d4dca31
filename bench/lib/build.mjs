// Builds what the bench runs: the real Worker exactly as `wrangler deploy` would upload it, the
// bench Worker (bench/worker.ts) and the Node-side bundle of project code (bench/node-entry.ts).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ROOT, TMP } from "./paths.mjs";

/** Runs a command to completion, its output captured; rejects with that output on failure. */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], ...options });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`)),
    );
  });
}

/**
 * `wrangler deploy --dry-run --outdir`: the bundle Cloudflare would receive. Its gzip size is
 * measured here with node:zlib (level 6, as wrangler reports it), and wrangler's own figure is
 * kept next to it as a cross-check.
 */
export async function buildWorkerBundle() {
  const outdir = `${TMP}/worker`;
  const output = await runCommand("wrangler", ["deploy", "--dry-run", "--outdir", outdir], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const path = `${outdir}/index.js`;
  const bytes = readFileSync(path);
  const reported = /Total Upload:\s*([\d.]+) KiB \/ gzip:\s*([\d.]+) KiB/.exec(output);
  return {
    path,
    rawKiB: bytes.length / 1024,
    gzipKiB: gzipSync(bytes, { level: 6 }).length / 1024,
    wranglerGzipKiB: reported ? Number(reported[2]) : null,
  };
}

/** Optional project modules the bench Worker uses when they exist (work in progress elsewhere). */
export const OPTIONAL_MODULES = {
  "bench:feed-parser": "src/ingest/feed/index.ts",
  "bench:tagger": "src/ingest/tagger.ts",
};

/** Resolves bench:* imports to the real module, or to an empty stub when it is not there yet. */
const optionalModules = {
  name: "bench-optional-modules",
  setup(b) {
    b.onResolve({ filter: /^bench:/ }, (args) => {
      const file = OPTIONAL_MODULES[args.path];
      if (file === undefined) return { errors: [{ text: `unknown bench module ${args.path}` }] };
      return existsSync(`${ROOT}/${file}`) ? { path: `${ROOT}/${file}` } : { path: args.path, namespace: "bench-stub" };
    });
    b.onLoad({ filter: /.*/, namespace: "bench-stub" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/** The bench Worker, bundled for workerd like wrangler does (ESM, workerd conditions). */
export async function buildBenchWorker() {
  const outfile = `${TMP}/bench-worker.js`;
  await build({
    entryPoints: [`${ROOT}/bench/worker.ts`],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["node:*", "cloudflare:*"],
    plugins: [optionalModules],
    logLevel: "silent",
  });
  const available = Object.fromEntries(
    Object.entries(OPTIONAL_MODULES).map(([name, file]) => [name, existsSync(`${ROOT}/${file}`)]),
  );
  return { path: outfile, available };
}

/** bench/node-entry.ts for Node: buildItemQuery, the Eurasianet source and the taxonomy. */
export async function buildNodeModules() {
  const outfile = `${TMP}/node-modules.mjs`;
  await build({
    entryPoints: [`${ROOT}/bench/node-entry.ts`],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    logLevel: "silent",
  });
  return import(`${outfile}?t=${Date.now()}`);
}
