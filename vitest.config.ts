import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { SOURCE_VARS, testServers } from "./test/setup/fixture-origin.ts";

// Set by `npm run soak` (this config is read by Node, which has no types in this project).
const soak = Boolean(
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.CARAVAN_SOAK,
);

export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  const servers = await testServers();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // A real local queue whose consumer is the Worker's queue() handler, for the end-to-end
          // queue test (the binding is named so that the Worker's cron does not switch to it).
          queueProducers: { E2E_QUEUE: "caravan-e2e-listings" },
          queueConsumers: { "caravan-e2e-listings": { maxBatchSize: 5, maxBatchTimeout: 0.1, maxRetries: 2 } },
          bindings: {
            TEST_MIGRATIONS: migrations,
            // The Worker under test polls local fixture copies of every source, never the internet.
            ...Object.fromEntries(
              Object.entries(SOURCE_VARS).map(([name, site]) => [name, servers.sites.origins[site]!]),
            ),
            // A fake WebSub hub that records publish pings, and the public URL topics are named at.
            WEBSUB_HUB_URL: `${servers.hub.origin}/publish`,
            PUBLIC_URL: "https://caravan.test",
            CONTACT_URL: "https://example.org/caravan-tests",
            // Admin routes are tested with this token; production sets it with `wrangler secret put`.
            ADMIN_TOKEN: "test-admin-token-0123456789",
            // Fixture hosts need no pacing; politeness.test.ts sets its own interval.
            HOST_MIN_INTERVAL_MS: "0",
            // The fixture sites are on 127.0.0.1, which a deployment never fetches.
            ALLOW_LOOPBACK_FETCH: "true",
          },
        },
      }),
    ],
    server: { fs: { allow: [".", "../shared"] } },
    test: {
      include: ["test/**/*.test.ts"],
      // The soak test (200 runs, over a minute) runs with `npm run soak`, not in the suite.
      exclude: soak ? [] : ["test/soak/**"],
      setupFiles: ["test/setup/apply-migrations.ts"],
      // Tests assert results, not speed (that is the bench's): on a busy machine the 300-listing
      // queue test alone takes over 10 s, so the default 5 s limit would fail it for the load.
      testTimeout: 60_000,
      globalSetup: ["test/setup/fixture-server.ts"],
      reporters: ["default", "./test/setup/summary-reporter.ts"],
      // The Worker's structured JSON log lines are asserted where they matter, not echoed.
      onConsoleLog: (log: string) => !log.startsWith('{"event":'),
    },
  };
});
