// A CPU profile of a Worker under load, taken through workerd's V8 inspector (Chrome DevTools
// protocol), for saying where per-request time goes when the cached-feed ratio misses its target.
// Self time is summed per function and per source module, in µs per request; the bundle is
// minified, so both are read from its source map.
import { existsSync, readFileSync } from "node:fs";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";

/**
 * A bundle position → the source module and function it came from, read from the bundle's source
 * map (wrangler writes index.js.map beside a minified bundle). Modules are named like
 * "src/http/feeds.ts", or the package for code from node_modules.
 */
function sourceLookup(bundlePath) {
  if (!bundlePath || !existsSync(`${bundlePath}.map`)) return () => null;
  const map = new TraceMap(readFileSync(`${bundlePath}.map`, "utf8"));
  return (line, column) => {
    const original = originalPositionFor(map, { line: line + 1, column });
    if (!original.source) return null;
    const module = original.source
      .replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "$1")
      .replace(/^(?:\.\.\/)*(?:.*\/)?(src\/.*)$/, "$1");
    return { module, name: original.name, line: original.line };
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
    const sourceOf = sourceLookup(bundlePath);
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const byFunction = new Map();
    const byModule = new Map();
    let active = 0;
    profile.samples.forEach((id, i) => {
      const frame = nodes.get(id).callFrame;
      const micros = profile.timeDeltas[i] ?? 0;
      if (frame.functionName === "(idle)") return;
      active += micros;
      const source = frame.url && frame.lineNumber >= 0 ? sourceOf(frame.lineNumber, frame.columnNumber) : null;
      const module = source?.module ?? (frame.url ? frame.url.split("/").pop() : "(runtime, native)");
      // Named and placed as in the source (the bundle is minified); runtime code by its own name.
      const name = source
        ? `${source.name ?? frame.functionName ?? "(anonymous)"} [${module}:${source.line}]`
        : `${frame.functionName || "(anonymous)"} [${module}]`;
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
