import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { fixtureSites } from "./test/setup/fixture-origin.ts";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("migrations");
  const sites = await fixtureSites();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // The Worker under test polls the local fixture copy of the site, never the internet.
            EURASIANET_BASE_URL: sites.origins.eurasianet!,
            CONTACT_URL: "https://example.org/caravan-tests",
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
