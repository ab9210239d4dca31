// The cron's decision with a large registry: 1,000 registered sources, 50 of them due. With a
// QUEUE binding the scheduled handler's whole job is that decision (bring the registry in line
// with the shipped files, claim the due listings, enqueue them), so one tick is timed as the
// CPU its workerd process spends in the handler: Worker CPU plus D1's SQLite, which runs in the
// same process (an upper bound for the Worker's own CPU).
import { figure } from "./report.mjs";
import { scoped, track } from "./resources.mjs";
import { startWorker } from "./workers.mjs";

const SOURCES = 1000;
const DUE = 50;
const TICKS = 40;

function definition(i) {
  return {
    id: `bench-${i}`,
    name: `Bench source ${i}`,
    homepage: `https://site${i}.example/`,
    language: "en",
    timeZone: "UTC",
    enabled: true,
    pollMinutes: 15,
    kind: "feed",
    feedUrl: `https://site${i}.example/feed/`,
    enrich: false,
    termMap: { countries: { "north caucasus": "russia" }, regions: {}, topics: { culture: "arts-and-culture" } },
    urlTermMap: [{ pattern: "/georgia/", countries: ["georgia"], regions: [], topics: [] }],
    defaultCountries: [],
    defaultRegions: ["caucasus"],
    defaultTopics: [],
    minBodyBytes: 64,
    extraFeeds: [],
  };
}

/** Inserts the registered sources in three statements (a recursive CTE numbers them in SQLite). */
async function seed(db, now) {
  const numbers = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${SOURCES - 1})`;
  const template = JSON.stringify(definition("X")).replaceAll("'", "''");
  const later = now + 24 * 3600_000;
  await db.batch([
    db.prepare(
      `${numbers} INSERT INTO source_registry (id, definition, origin, created_at, updated_at)
       SELECT 'bench-' || i, json_set('${template}', '$.id', 'bench-' || i, '$.name', 'Bench source ' || i,
         '$.feedUrl', 'https://site' || i || '.example/feed/', '$.homepage', 'https://site' || i || '.example/'),
         'api', ${now}, ${now} FROM n`,
    ),
    db.prepare(
      `${numbers} INSERT INTO sources (id, name, kind, enabled) SELECT 'bench-' || i, 'Bench source ' || i, 'feed', 1 FROM n`,
    ),
    db.prepare(
      `${numbers} INSERT INTO listings (id, source_id, url, host, next_fetch_at)
       SELECT 'bench-' || i || ':feed', 'bench-' || i, 'https://site' || i || '.example/feed/', 'site' || i || '.example',
         CASE WHEN i < ${DUE} THEN 0 ELSE ${later} END FROM n`,
    ),
  ]);
}

export function registryTickFigure(workerScript, log) {
  return scoped(async () => {
    const worker = await startWorker({
      name: "registry-tick",
      script: workerScript,
      storage: true,
      miniflare: { queueProducers: { QUEUE: "bench-listings" } },
    });
    track(() => worker.dispose());
    // The first tick seeds the shipped files and enqueues their listings (then leased for 30 min).
    await worker.scheduled();
    await seed(worker.db, Date.now());
    const release = worker.db.prepare(
      "UPDATE listings SET lease_owner = NULL, lease_until = NULL WHERE source_id LIKE 'bench-%'",
    );
    const leased = worker.db.prepare(
      "SELECT count(*) AS n FROM listings WHERE lease_owner = 'queue' AND source_id LIKE 'bench-%'",
    );
    await worker.scheduled(); // warm
    const cpu = [];
    const wall = [];
    for (let t = 0; t < TICKS; t++) {
      await release.run();
      const c0 = worker.cpuSeconds();
      const w0 = performance.now();
      await worker.scheduled();
      wall.push(performance.now() - w0);
      const c1 = worker.cpuSeconds();
      if (c0 !== null && c1 !== null) cpu.push((c1 - c0) * 1000);
      const { n } = await leased.first();
      if (n !== DUE) throw new Error(`a tick enqueued ${n} of the ${DUE} due listings`);
    }
    const cpuMs = cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : null;
    const sortedWall = [...wall].sort((a, b) => a - b);
    const wallMs = sortedWall[Math.floor(sortedWall.length / 2)];
    log(
      `  ${TICKS} ticks: ${cpuMs === null ? "CPU not readable" : `${cpuMs.toFixed(1)} ms CPU`}, ${wallMs.toFixed(1)} ms wall (median)`,
    );
    return [
      figure({
        key: "cron.decide_ms",
        label: `cron tick deciding what to read, ${SOURCES} registered sources (${DUE} due)`,
        value: cpuMs ?? wallMs,
        unit: "ms",
        target: { op: "<=", value: 50 },
        note:
          `${cpuMs === null ? "wall time (process CPU is read on Linux only)" : "workerd process CPU (Worker + D1) per tick, mean"} of ${TICKS} ticks; ` +
          `each tick checks the registry against the shipped files, claims the ${DUE} due listings of ${SOURCES} and enqueues them (QUEUE binding); ` +
          `median wall ${wallMs.toFixed(1)} ms`,
        detail: { cpuMs: cpu, wallMs: wall },
      }),
    ];
  });
}
