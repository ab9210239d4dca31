// `npm run demo`: the whole pipeline on this machine, no internet. It starts the local fixture
// copy of an Eurasianet-like site, applies the D1 migrations to a fresh local database, starts
// the Worker with `wrangler dev` (local D1 and KV), fires the scheduled handler once, and prints
// the feed URLs. Ctrl-C stops everything it started. `npm run demo -- --help` says how to set
// the port (DEMO_PORT).
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { startFixtureServer } from "../test/fixtures/server.mjs";
import { SOURCE_SITES } from "../test/fixtures/source-sites.mjs";

const USAGE = `npm run demo  (node scripts/demo.mjs)

Runs Caravan on this machine against local copies of its sources: fixture sites on 127.0.0.1,
a fresh local D1 database, the Worker under wrangler dev, one ingest run; prints URLs to open.

Environment:
  DEMO_PORT   the port the Worker listens on, on 127.0.0.1 (default 8787). If it is taken the
              demo stops and says so; pick another: DEMO_PORT=8788 npm run demo
              (the fixture sites take free ports of their own).`;

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}

const root = fileURLToPath(new URL("..", import.meta.url));
const portText = process.env.DEMO_PORT ?? "8787";
if (!/^\d{1,5}$/.test(portText) || +portText < 1 || +portText > 65535) {
  console.error(`DEMO_PORT must be a port number from 1 to 65535, got "${portText}"`);
  process.exit(1);
}
const port = Number(portText);
const state = ".wrangler/demo-state";
const worker = `http://127.0.0.1:${port}`;
const children = new Set();

function run(args, { wait = true } = {}) {
  const child = spawn("wrangler", args, {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    stdio: wait ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  if (!wait) return child;
  return new Promise((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args[0]} exited with ${code}`)))),
  );
}

/**
 * Refuses a port something already listens on: wrangler dev would otherwise move to another
 * port or fail late, and the demo would fire its ingest run at whatever answers there.
 */
function checkPortFree() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (err) =>
      reject(
        new Error(
          err.code === "EADDRINUSE"
            ? `port ${port} on 127.0.0.1 is already in use (DEMO_PORT=${port}): stop what listens there or choose a free port, e.g. DEMO_PORT=${port === 8788 ? 8789 : 8788} npm run demo`
            : `cannot listen on 127.0.0.1:${port} (DEMO_PORT): ${err.message}`,
        ),
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(resolve));
  });
}

async function waitForWorker(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${worker}/healthz`);
      await r.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`the Worker did not answer on ${worker} within ${timeoutMs / 1000} s`);
}

let fixtures;
async function stop(code) {
  for (const child of children) child.kill("SIGTERM");
  await fixtures?.close().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

try {
  await checkPortFree();
  fixtures = await startFixtureServer({ sites: [...new Set(Object.values(SOURCE_SITES))] });
  for (const [name, site] of Object.entries(SOURCE_SITES))
    console.log(`fixture copy of ${site.padEnd(15)} on ${fixtures.origins[site]}  (${name})`);

  await rm(`${root}/${state}`, { recursive: true, force: true });
  console.log("applying D1 migrations to a fresh local database…");
  await run(["d1", "migrations", "apply", "caravan", "--local", "--persist-to", state]);

  console.log(`starting the Worker on ${worker}…`);
  const dev = run(
    [
      "dev",
      "--test-scheduled",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      state,
      ...Object.entries(SOURCE_SITES).flatMap(([name, site]) => ["--var", `${name}:${fixtures.origins[site]}`]),
      "--var",
      "CONTACT_URL:https://example.org/caravan-demo",
      "--var",
      "HOST_MIN_INTERVAL_MS:0",
      "--var",
      "SUBREQUEST_BUDGET:200",
      // The fixture sites are on 127.0.0.1, which a deployed Worker never fetches.
      "--var",
      "ALLOW_LOOPBACK_FETCH:true",
    ],
    { wait: false },
  );
  dev.stderr.on("data", (d) => process.stderr.write(d));
  dev.on("exit", (code) => {
    if (code !== null && code !== 0) {
      console.error(`wrangler dev exited with ${code}`);
      stop(1);
    }
  });
  await waitForWorker(60_000);

  // The demo's budget is above the free plan's 50 subrequests so one run reads every fixture
  // page; deployed, the default of 45 reads the rest over the next runs, most overdue first.
  console.log("firing the scheduled handler (one ingest run)…");
  const fired = await fetch(`${worker}/__scheduled?cron=*/15+*+*+*+*`);
  await fired.arrayBuffer();
  if (!fired.ok) throw new Error(`/__scheduled answered ${fired.status}`);

  const all = await (await fetch(`${worker}/feeds/all.json?limit=200`)).json();
  console.log(`\ningested ${all.items.length} stories. Feeds (any of .rss, .atom, .json):`);
  for (const path of [
    "/",
    "/feeds/all.atom",
    "/feeds/region/caucasus.rss",
    "/feeds/region/central-asia.atom",
    "/feeds/country/azerbaijan.json",
    "/feeds/topic/security.atom",
    "/feeds/source/eurasianet.rss",
    "/feeds/source/oc-media.atom",
    "/feeds.opml",
    "/api/items?region=caucasus&limit=5",
    "/docs",
  ]) {
    console.log(`  ${worker}${path}`);
  }
  console.log(`\nfire another run: curl '${worker}/__scheduled?cron=*/15+*+*+*+*'`);
  console.log("Ctrl-C stops the Worker and the fixture sites.");
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await stop(1);
}
