// The fixture sites and the fake WebSub hub are started once, from vitest.config.ts (Node side),
// because their origins must be known before the Worker's bindings are built; the global
// setup's teardown stops them. vitest loads the config and the global setup as separate module
// graphs, so the running servers are kept on globalThis rather than in a module variable.
import { startFakeHub, type FakeHub } from "../fixtures/hub.mjs";
import { startFixtureServer, type FixtureServer } from "../fixtures/server.mjs";

export interface TestServers {
  sites: FixtureServer;
  hub: FakeHub;
  close(): Promise<void>;
}

const KEY = Symbol.for("caravan.testServers");
type Holder = { [KEY]?: Promise<TestServers> };

export function testServers(): Promise<TestServers> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const [sites, hub] = await Promise.all([startFixtureServer({ sites: ["eurasianet"] }), startFakeHub()]);
    return { sites, hub, close: async () => void (await Promise.all([sites.close(), hub.close()])) };
  })();
  return holder[KEY];
}
