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
  /**
   * Copies of a site of their own for test files that fault its pages while the Worker reads it
   * (files run in parallel; faults on the shared copy would reach the others): OWN_SITES.
   */
  ownSites: FixtureServer[];
  /** 4 hosts with 2 feeds and a listing each, for the bot challenge tests. */
  faultFarm: Farm;
  /** 6 hosts with 2 feeds and a listing each that publish as the soak test goes on. */
  soakFarm: Farm;
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
  "paged-news",
];

/** Test files with a copy of a site of their own: [file, site] (see ownSites). */
export const OWN_SITES: [string, string][] = [
  ["answer-clock", "eurasianet"],
  ["interrupted", "eurasianet"],
  ["sources", "civil-ge"],
];

/** The Worker var that points each configured source at its fixture copy. */
export const SOURCE_VARS: Record<string, string> = SOURCE_SITES;

const KEY = Symbol.for("caravan.testServers");
type Holder = { [KEY]?: Promise<TestServers> };

export function testServers(): Promise<TestServers> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const [sites, hub, farm, faultFarm, soakFarm, ...ownSites] = await Promise.all([
      startFixtureServer({ sites: FIXTURE_SITES }),
      startFakeHub(),
      startFarm({ hosts: 30, feedsPerHost: 10 }),
      startFarm({ hosts: 4, feedsPerHost: 2, htmlListing: true, validators: true }),
      startFarm({ hosts: 6, feedsPerHost: 2, htmlListing: true, validators: true, growEvery: 10 }),
      ...OWN_SITES.map(([, site]) => startFixtureServer({ sites: [site] })),
    ]);
    return {
      sites,
      hub,
      farm,
      faultFarm,
      soakFarm,
      ownSites,
      close: async () =>
        void (await Promise.all([sites, hub, farm, faultFarm, soakFarm, ...ownSites].map((server) => server.close()))),
    };
  })();
  return holder[KEY];
}
