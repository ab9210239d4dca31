import type { Env } from "./env";
import { createApp } from "./http/app";
import { runIngest } from "./ingest/run";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(_controller, env) {
    try {
      await runIngest(env, { trigger: "cron" });
    } catch (err) {
      // Only a run that could not start lands here (bad config, D1 unreachable): say so and fail
      // the invocation so the dashboard shows it.
      console.log(JSON.stringify({ event: "ingest.aborted", level: "error", message: err instanceof Error ? err.message : String(err) }));
      throw err;
    }
  },
} satisfies ExportedHandler<Env>;
