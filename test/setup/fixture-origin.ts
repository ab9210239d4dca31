// The fixture sites and the fake WebSub hub are started once, from vitest.config.ts (Node side),
// because their origins must be known before the Worker's bindings are built; the global
// setup's teardown stops them. vitest loads the config and the global setup as separate module
// graphs, so the running servers are kept on globalThis rather than in a module variable.
import { type Farm, startFarm } from "../fixtures/farm.mjs";
import { type FakeHub, startFakeHub } from "../fixtures/hub.mjs";
import { type FixtureServer, startFixtureServer } from "../fixtures/server.mjs";
import { SOURCE_SITES } from "../fixtures/source-sites.mjs";

export interface TestServers {
  sites: FixtureServer;
  hub: FakeHub;
  /** 30 small hosts with 10 feeds each, for the queue tests. */
  farm: Farm;
  close(): Promise<void>;
}

/** Every fixture site (test/fixtures/README.md): the configured sources' copies and format samples. */
export const FIXTURE_SITES = [
  "eurasianet",
  "eurasianet-rss",
  "oc-media",
  "civil-ge",
  "jamnews",
  "rferl",
  "meduza-en",
  "diplomat",
  "atom-feed",
  "json-feed",
  "rdf-feed",
  "cp1251-feed",
  "odd-dates",
  "malformed",
  // Sites an operator adds through the admin API (test/integration/registry.test.ts).
  "wp-home",
  "reader-export",
  "rdf-cp1251",
];

/** The Worker var that points each configured source at its fixture copy. */
export const SOURCE_VARS: Record<string, string> = SOURCE_SITES;

const KEY = Symbol.for("caravan.testServers");
type Holder = { [KEY]?: Promise<TestServers> };

export function testServers(): Promise<TestServers> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const [sites, hub, farm] = await Promise.all([
      startFixtureServer({ sites: FIXTURE_SITES }),
      startFakeHub(),
      startFarm({ hosts: 30, feedsPerHost: 10 }),
    ]);
    return {
      sites,
      hub,
      farm,
      close: async () => void (await Promise.all([sites.close(), hub.close(), farm.close()])),
    };
  })();
  return holder[KEY];
}
