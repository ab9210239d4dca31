// Workers under Miniflare, served by workerd itself. Each Worker gets its own Miniflare (its own
// workerd process) and a direct socket, so a load test reaches the Worker with nothing in front of
// it: not wrangler dev's proxy, and not Miniflare's entry Worker either.

import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { applyToD1 } from "./migrations.mjs";
import { ROOT, TMP } from "./paths.mjs";

/** compatibility_date and flags from wrangler.toml, so every Worker here runs as the real one. */
export function compatibility() {
  const toml = readFileSync(`${ROOT}/wrangler.toml`, "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  if (!date) throw new Error("wrangler.toml has no compatibility_date");
  return {
    compatibilityDate: date,
    compatibilityFlags: flags ? [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [],
  };
}

/** Linux: workerd processes already attributed to a started Worker. */
const claimedPids = new Set();

/** Parent pid and command name of a process, from /proc/<pid>/stat. */
function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const close = stat.lastIndexOf(")");
  const fields = stat.slice(close + 2).split(" "); // fields[0] is field 3 (state)
  return {
    comm: stat.slice(stat.indexOf("(") + 1, close),
    ppid: Number(fields[1]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
  };
}

/** The workerd child of this process that no started Worker owns yet (Linux only, else null). */
function newWorkerdPid() {
  if (process.platform !== "linux") return null;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || claimedPids.has(Number(entry))) continue;
    try {
      const s = procStat(entry);
      if (s.ppid === process.pid && s.comm === "workerd") {
        claimedPids.add(Number(entry));
        return Number(entry);
      }
    } catch {
      // the process ended while the list was read
    }
  }
  return null;
}

/** CPU seconds (user + system, all threads) a process has used; clock ticks are 1/100 s on Linux. */
function cpuSecondsOf(pid) {
  const s = procStat(pid);
  return (s.utime + s.stime) / 100;
}

/** The admin token the bench gives the real Worker (its admin API needs one of 16+ characters). */
const ADMIN_TOKEN = "bench-admin-token-not-a-secret-0123";

/**
 * Starts one Worker. `script` is a path to an ES module bundle, or `modules` a list of Miniflare
 * module definitions. With `storage`, it gets the D1 binding DB (migrations applied) and the KV
 * binding CACHE, in memory. Returns its direct URL and handles for seeding and ingest runs;
 * `inspector` opens V8's inspector for profiling (bench/lib/profile.mjs); `migrate: false` leaves
 * D1 as it is (storage persisted by an earlier Worker, miniflare.resourcePersistencePath).
 */
export async function startWorker({
  name,
  script,
  modules,
  bindings = {},
  storage = false,
  inspector = false,
  migrate = true,
  miniflare = {},
}) {
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      name,
      modules: modules ?? true,
      ...(script ? { scriptPath: script } : {}),
      ...compatibility(),
      // The fixture and generated sites are on 127.0.0.1, which a deployed Worker never fetches.
      bindings: storage ? { ADMIN_TOKEN, ALLOW_LOOPBACK_FETCH: "true", ...bindings } : bindings,
      ...(storage ? { d1Databases: { DB: `${name}-db` }, kvNamespaces: { CACHE: `${name}-kv` } } : {}),
      unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      // Further Miniflare options a section needs (queue producers for the cron tick).
      ...miniflare,
      // Only for profiling: V8's inspector, on a free port.
      ...(inspector ? { inspectorPort: 0 } : {}),
      // The Workers' console lines (ingest run summaries) go to a file, not into the table.
      handleStructuredLogs: ({ level, message }) =>
        appendFileSync(`${TMP}/workerd.log`, `[${name}] ${level}: ${message}\n`),
    }),
  );
  try {
    await mf.ready;
    const pid = newWorkerdPid();
    const url = await mf.unsafeGetDirectURL();
    const db = storage ? await mf.getD1Database("DB") : null;
    const kv = storage ? await mf.getKVNamespace("CACHE") : null;
    // A Worker started on storage another one persisted has its tables already.
    if (db && migrate) await applyToD1(db);
    return {
      name,
      url: url.href.replace(/\/$/, ""),
      db,
      kv,
      inspectorUrl: () => mf.getInspectorURL(),
      /** Fires the scheduled handler once; throws unless it ends "ok". */
      async scheduled() {
        const outcome = await (await mf.getWorker()).scheduled({ cron: "*/15 * * * *", scheduledTime: new Date() });
        if (outcome.outcome !== "ok") throw new Error(`the scheduled handler ended "${outcome.outcome}"`);
      },
      /** CPU seconds this Worker's workerd process has used so far; null off Linux. */
      cpuSeconds: () => (pid === null ? null : cpuSecondsOf(pid)),
      /**
       * One ingest run of one source: `POST /admin/ingest?source=…` (the same runIngest the cron
       * calls, limited to that source, so other configured sources, which point at the internet,
       * are not polled), or the scheduled handler when the Worker has no admin API. Returns the
       * run's row from D1 and which way it was started.
       */
      async ingest(sourceId) {
        let via = `POST /admin/ingest?source=${sourceId}`;
        const response = await fetch(
          `${url.href.replace(/\/$/, "")}/admin/ingest?source=${encodeURIComponent(sourceId)}`,
          {
            method: "POST",
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          },
        );
        const answer = await response.json().catch(() => null);
        if (response.status === 404 && answer?.error?.code === "not_found") {
          via = "the scheduled handler";
          const outcome = await (await mf.getWorker()).scheduled({ cron: "*/15 * * * *", scheduledTime: new Date() });
          if (outcome.outcome !== "ok") throw new Error(`the scheduled run ended "${outcome.outcome}"`);
        } else if (!response.ok) {
          throw new Error(`POST /admin/ingest answered ${response.status}: ${JSON.stringify(answer)}`);
        }
        const run = await db.prepare("SELECT * FROM runs ORDER BY id DESC LIMIT 1").first();
        return { via, run };
      },
      dispose: async () => {
        await mf.dispose();
        if (pid !== null) claimedPids.delete(pid);
      },
    };
  } catch (err) {
    await mf.dispose().catch(() => {});
    throw err;
  }
}
