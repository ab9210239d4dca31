// The fixture sites are started once, from vitest.config.ts (Node side), because their origins
// must be known before the Worker's bindings are built; the global setup's teardown stops them.
// vitest loads the config and the global setup as separate module graphs, so the one running
// server is kept on globalThis rather than in a module variable.
import { startFixtureServer, type FixtureServer } from "../fixtures/server.mjs";

const KEY = Symbol.for("caravan.fixtureSites");
type Holder = { [KEY]?: Promise<FixtureServer> };

export function fixtureSites(): Promise<FixtureServer> {
  const holder = globalThis as Holder;
  holder[KEY] ??= startFixtureServer({ sites: ["eurasianet"] });
  return holder[KEY];
}
