// Items ingested per second, end to end: one ingest run of the real Worker under Miniflare (its
// own fresh D1 and KV) reading a generated site (bench/lib/ingest-site.mjs) over local HTTP:
// fetch, parse, sanitize, normalize and write every story, as one cron run does.
import { startIngestSite } from "./ingest-site.mjs";
import { figure } from "./report.mjs";
import { scoped, track } from "./resources.mjs";
import { startWorker } from "./workers.mjs";

const TEASERS_PER_PAGE = 25;
const REPETITIONS = 3;

/** One ingest run on a fresh Worker; wall time from Node, counters from the run's own row. */
async function oneRun(workerScript, origin) {
  return scoped(async () => {
    const worker = await startWorker({
      name: "ingest",
      script: workerScript,
      storage: true,
      // The free plan's 50 would stop the run after two listings; the bench wants all of them.
      // HOST_MIN_INTERVAL_MS 0: the politeness delay between two requests to one host (1 s by
      // default) would make this a measure of the delay, not of the pipeline.
      // RETENTION_DAYS: the generated stories reach back over a year; none is pruned mid-run.
      bindings: {
        EURASIANET_BASE_URL: origin,
        SUBREQUEST_BUDGET: "1000",
        HOST_MIN_INTERVAL_MS: "0",
        RETENTION_DAYS: "36500",
      },
    });
    track(() => worker.dispose());
    const start = performance.now();
    const { via, run } = await worker.ingest("eurasianet");
    const seconds = (performance.now() - start) / 1000;
    const { n: stored } = await worker.db.prepare("SELECT count(*) AS n FROM items").first();
    return {
      via,
      seconds,
      itemsNew: run.items_new,
      stored,
      errors: run.errors,
      listings: run.listings_fetched,
      articles: run.articles_fetched,
      subrequests: run.subrequests,
    };
  });
}

export function ingestFigure(workerScript, listings, log) {
  return scoped(async () => {
    const site = await startIngestSite(listings, TEASERS_PER_PAGE);
    track(() => site.close());
    const runs = [];
    for (let i = 0; i < REPETITIONS; i++) {
      const r = await oneRun(workerScript, site.origin);
      if (r.itemsNew !== site.storyCount || r.errors > 0) {
        throw new Error(`the run stored ${r.itemsNew} of ${site.storyCount} stories with ${r.errors} errors`);
      }
      r.itemsPerSecond = r.itemsNew / r.seconds;
      log(`  run ${i + 1}: ${r.itemsNew} items in ${r.seconds.toFixed(2)} s = ${Math.round(r.itemsPerSecond)} items/s`);
      runs.push(r);
    }
    const sorted = [...runs].sort((a, b) => a.itemsPerSecond - b.itemsPerSecond);
    const mid = sorted[Math.floor(sorted.length / 2)];
    return [
      figure({
        key: "ingest.items_per_second",
        label: "items ingested per second, end to end",
        value: mid.itemsPerSecond,
        unit: "items/s",
        note:
          `one ingest run (${mid.via}) over a local generated site: ${mid.listings} listing pages × ${TEASERS_PER_PAGE} teasers, ` +
          `${mid.articles} article pages, ${mid.subrequests} fetches, ${mid.itemsNew} items written in ${mid.seconds.toFixed(2)} s; ` +
          `median of ${REPETITIONS} runs, each on a fresh D1 (${runs.map((r) => Math.round(r.itemsPerSecond)).join(", ")} items/s)`,
        detail: { runs },
      }),
    ];
  });
}
