import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { forgetCatalogMemo, registeredCatalog, registerSource, unregisterSource } from "../../src/ingest/registry";
import { shippedSource } from "../../src/sources";
import { clearFeedMemo } from "../../src/store/feed-cache";

// A new isolate answers its first feed poll with the registered sources from the snapshot the last
// D1 reader left in KV, when it is of the current registry version and of this deployment's
// shipped files and vars. These tests stand for new isolates by forgetting the per-isolate memos.

/** env whose D1 binding counts the statements made through it. */
function countingEnv(vars: Partial<Env> = {}): { env: Env; statements: () => number } {
  let statements = 0;
  const db = new Proxy(env.DB, {
    get(target, key) {
      if (key === "prepare" || key === "batch" || key === "exec") statements++;
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { env: { ...env, ...vars, DB: db } as Env, statements: () => statements };
}

function newIsolate(): void {
  forgetCatalogMemo();
  clearFeedMemo();
}

const ids = async (e: Env) => (await registeredCatalog(e)).sources.map((s) => s.id);

describe("the registered catalog in a new isolate", () => {
  beforeEach(async () => {
    newIsolate();
    // A first isolate: reads D1 (seeding the registry) and leaves the snapshot.
    await registeredCatalog(env as Env);
    newIsolate();
  });

  it("comes from the snapshot, without a D1 statement", async () => {
    const { env: e, statements } = countingEnv();
    const sources = await ids(e);
    expect(statements()).toBe(0);
    expect(sources).toContain("eurasianet");
    expect(sources).toContain("oc-media");
    expect(await env.CACHE.get("registry-catalog", "json")).toMatchObject({ sources: expect.any(Array) });
  });

  it("follows a registry change: the old snapshot is passed over, D1 is read, a new one is left", async () => {
    const copy = { ...shippedSource("civil-ge", "feed"), id: "civil-ge-copy", name: "Civil.ge (copy)" };
    await registerSource(env as Env, copy);
    newIsolate();
    const first = countingEnv();
    expect(await ids(first.env)).toContain("civil-ge-copy");
    expect(first.statements()).toBeGreaterThan(0);
    newIsolate();
    const next = countingEnv();
    expect(await ids(next.env)).toContain("civil-ge-copy");
    expect(next.statements()).toBe(0);

    await unregisterSource(env as Env, "civil-ge-copy", false);
    newIsolate();
    expect(await ids(countingEnv().env)).not.toContain("civil-ge-copy");
  });

  it("is not used by a deployment with other URL vars (its registry may need seeding)", async () => {
    const { env: e, statements } = countingEnv({ EURASIANET_BASE_URL: "https://mirror.example.org" });
    expect(await ids(e)).toContain("eurasianet");
    expect(statements()).toBeGreaterThan(0);
  });

  it("is ignored when the KV value is not one", async () => {
    for (const value of ['{"version":1}', "not json", JSON.stringify({ version: "x", seed: "y", sources: [{}] })]) {
      await env.CACHE.put("registry-catalog", value);
      newIsolate();
      const { env: e, statements } = countingEnv();
      expect(await ids(e)).toContain("eurasianet");
      expect(statements(), value).toBeGreaterThan(0);
    }
  });
});
