// Takes a screenshot of a URL (a feed URL, to see the page a browser gets) with headless
// Chromium, so a person can look at it without a desktop:
//   npm run screenshot -- http://127.0.0.1:8787/feeds/all.rss [out.png] [--width 1280] [--height 1800]
// Needs the `chromium` binary (Debian: apt-get install -y chromium), or CHROMIUM=/path/to/it.
// Each run uses a fresh profile in a temporary folder, removed afterwards.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const width = Number(option("--width", "1280"));
const height = Number(option("--height", "1800"));
const [url, out = "screenshot.png"] = args;
if (!url || !/^https?:\/\//.test(url) || !(width > 0) || !(height > 0)) {
  console.error("usage: npm run screenshot -- URL [out.png] [--width N] [--height N]");
  process.exit(2);
}

const binary = process.env.CHROMIUM ?? "chromium";
const profile = mkdtempSync(join(tmpdir(), "caravan-chromium-"));
const file = resolve(out);
try {
  const run = spawnSync(
    binary,
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      `--window-size=${width},${height}`,
      `--screenshot=${file}`,
      url,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  if (run.error) {
    console.error(`could not run ${binary}: ${run.error.message} (Debian: apt-get install -y chromium)`);
    process.exit(1);
  }
  if (run.status !== 0) {
    console.error(run.stderr.trim());
    console.error(`${binary} exited with ${run.status}`);
    process.exit(1);
  }
  console.log(`${file} (${statSync(file).size} bytes): ${url} at ${width}x${height}`);
} finally {
  rmSync(profile, { recursive: true, force: true });
}
