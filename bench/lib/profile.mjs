// A CPU profile of a Worker under load, taken through workerd's V8 inspector (Chrome DevTools
// protocol), for saying where per-request time goes when the cached-feed ratio misses its target.
// Self time is summed per function and per source module of the bundle (esbuild/wrangler write a
// "// path/to/module.js" comment line before each module's code), in µs per request.
import { readFileSync } from "node:fs";

/** Bundle line → the module it came from, from the bundler's "// path" comment lines. */
function moduleLookup(bundlePath) {
  if (!bundlePath) return () => null;
  const starts = [];
  readFileSync(bundlePath, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const m = /^\/\/ ((?:node_modules|src|bench|test)\/\S+)$/.exec(line);
      if (m) starts.push([i, m[1].replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "$1")]);
    });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** A DevTools-protocol session over the inspector's WebSocket. */
async function connect(webSocketUrl) {
  const ws = new WebSocket(webSocketUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`cannot reach the inspector at ${webSocketUrl}`)), {
      once: true,
    });
  });
  let nextId = 0;
  const pending = new Map();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    const done = pending.get(message.id);
    if (!done) return;
    pending.delete(message.id);
    if (message.error) done.reject(new Error(`${message.error.message}`));
    else done.resolve(message.result);
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** A DevTools-protocol session with the Worker named `workerName` (Miniflare's inspector). */
export async function inspectWorker(inspectorUrl, workerName) {
  const targets = await (await fetch(`http://${inspectorUrl.host}/json`)).json();
  const target = targets.find((t) => t.title.endsWith(`core:user:${workerName}`));
  if (!target) throw new Error(`no inspector target for Worker ${workerName}`);
  return connect(target.webSocketDebuggerUrl);
}

/**
 * Profiles the Worker named `workerName` while `load()` runs (it resolves to the number of
 * requests served). Returns per-request self time by function and by module, idle time left out.
 */
export async function profileUnderLoad({ inspectorUrl, workerName, bundlePath, load }) {
  const session = await inspectWorker(inspectorUrl, workerName);
  try {
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: 100 });
    await session.send("Profiler.start");
    const requests = await load();
    const { profile } = await session.send("Profiler.stop");
    const moduleOf = moduleLookup(bundlePath);
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const byFunction = new Map();
    const byModule = new Map();
    let active = 0;
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id).callFrame;
      const micros = profile.timeDeltas[i] ?? 0;
      if (frame.functionName === "(idle)") return;
      active += micros;
      const module = frame.url ? (moduleOf(frame.lineNumber) ?? frame.url.split("/").pop()) : "(runtime, native)";
      // Bundle functions carry their line in the bundle (1-based), so an anonymous one can be found.
      const name = `${frame.functionName || "(anonymous)"} [${module}${frame.url ? ` @${frame.lineNumber + 1}` : ""}]`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
      byModule.set(module, (byModule.get(module) ?? 0) + micros);
    });
    const perRequest = (map) =>
      [...map]
        .map(([name, micros]) => ({ name, microsPerRequest: micros / requests }))
        .sort((a, b) => b.microsPerRequest - a.microsPerRequest);
    return {
      requests,
      activeMicrosPerRequest: active / requests,
      functions: perRequest(byFunction),
      modules: perRequest(byModule),
    };
  } finally {
    session.close();
  }
}
