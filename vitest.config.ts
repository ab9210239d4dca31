import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { testServers } from "./test/setup/fixture-origin.ts";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  const servers = await testServers();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // The Worker under test polls the local fixture copy of the site, never the internet.
            EURASIANET_BASE_URL: servers.sites.origins.eurasianet!,
            // A fake WebSub hub that records publish pings, and the public URL topics are named at.
            WEBSUB_HUB_URL: `${servers.hub.origin}/publish`,
            PUBLIC_URL: "https://caravan.test",
            CONTACT_URL: "https://example.org/caravan-tests",
            // Admin routes are tested with this token; production sets it with `wrangler secret put`.
            ADMIN_TOKEN: "test-admin-token-0123456789",
          },
        },
      }),
    ],
    server: { fs: { allow: [".", "../shared"] } },
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["test/setup/apply-migrations.ts"],
      globalSetup: ["test/setup/fixture-server.ts"],
      reporters: ["default", "./test/setup/summary-reporter.ts"],
      // The Worker's structured JSON log lines are asserted where they matter, not echoed.
      onConsoleLog: (log: string) => !log.startsWith('{"event":'),
    },
  };
});
