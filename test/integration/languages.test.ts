import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { forgetCatalogMemo, registerSource, unregisterSource } from "../../src/ingest/registry";
import { shippedSource } from "../../src/sources";
import { clearFeedMemo } from "../../src/store/feed-cache";

// The lang filter takes the languages of the registered sources: an operator who adds a source in
// Georgian can give readers a Georgian feed, and a code no source writes in is still a 400.
const get = (path: string) => exports.default.fetch(new Request(`https://caravan.test${path}`));

async function langError(path: string): Promise<{ message: string; valid: string[] }> {
  const r = await get(path);
  expect(r.status, path).toBe(400);
  const body = (await r.json()) as { error: { code: string; message: string; details: { valid: string[] } } };
  expect(body.error.code, path).toBe("invalid_lang");
  return { message: body.error.message, valid: body.error.details.valid };
}

describe("the lang filter follows the registered sources", () => {
  it("takes a registered source's language in feeds and the API, and no other", async () => {
    forgetCatalogMemo();
    clearFeedMemo();
    expect(await langError("/feeds/all.rss?lang=ka")).toEqual({
      message: 'unknown lang "ka": one of en, ru',
      valid: ["en", "ru"],
    });
    expect((await langError("/api/items?lang=ka")).valid).toEqual(["en", "ru"]);

    const georgian = {
      ...shippedSource("civil-ge", "feed"),
      id: "civil-ge-ka",
      name: "Civil.ge (ქართ.)",
      language: "ka",
    };
    await registerSource(env as Env, georgian);

    const feed = await get("/feeds/all.rss?lang=ka");
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain("<rss");
    const api = await get("/api/items?lang=ka");
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ items: [] });
    expect(await langError("/feeds/all.atom?lang=xx")).toEqual({
      message: 'unknown lang "xx": one of en, ka, ru',
      valid: ["en", "ka", "ru"],
    });
    expect((await langError("/api/items?lang=xx")).valid).toEqual(["en", "ka", "ru"]);
    // Not a language code at all: the shape is refused before the catalog is asked.
    const shape = await get("/api/items?lang=english%20please");
    expect(shape.status).toBe(400);

    // Removed again, the language goes with it. (A variant already served stays answerable from
    // the isolate's memo of that URL until its feed changes, so a new one is asked here.)
    await unregisterSource(env as Env, "civil-ge-ka", false);
    expect((await langError("/feeds/all.json?lang=ka")).valid).toEqual(["en", "ru"]);
  });
});
