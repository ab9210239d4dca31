import type { Env } from "./env";
import { createApp } from "./http/app";
import { compressTextAnswer } from "./http/compression";
import { hotFeedResponse } from "./http/hot-feeds";
import { consumeListingBatch, enqueueDueListings } from "./ingest/queue";
import { runIngest } from "./ingest/run";

const app = createApp();

export default {
  // A feed poll this isolate can answer from memory skips routing entirely (see hot-feeds.ts).
  // Other text answers leave compressed when the client takes it (feeds come out encoded).
  fetch: async (request, env, ctx) =>
    hotFeedResponse(request) ?? compressTextAnswer(request, await app.fetch(request, env, ctx)),

  // With a QUEUE binding the cron only enqueues what is due; without one it reads, within budget.
  async scheduled(_controller, env) {
    try {
      if (env.QUEUE) await enqueueDueListings(env, env.QUEUE);
      else await runIngest(env, { trigger: "cron" });
    } catch (err) {
      // Only a run that could not start lands here (bad config, D1 unreachable): say so and fail
      // the invocation so the dashboard shows it.
      console.log(
        JSON.stringify({
          event: "ingest.aborted",
          level: "error",
          message: err instanceof Error ? err.message : String(err),
        }),
      );
      throw err;
    }
  },

  async queue(batch, env) {
    await consumeListingBatch(batch, env);
  },
} satisfies ExportedHandler<Env>;
