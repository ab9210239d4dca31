import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { publishChangedFeeds } from "../../src/ingest/websub";

const hub = inject("hubOrigin");
type Ping = { mode: string; urls: string[]; contentType: string };

async function pings(): Promise<Ping[]> {
  return (await fetch(`${hub}/__hub/pings`)).json();
}

describe("WebSub", () => {
  beforeEach(async () => {
    await (await fetch(`${hub}/__hub/reset`, { method: "POST" })).arrayBuffer();
  });

  it("every feed format advertises the configured hub", async () => {
    const get = (p: string) => exports.default.fetch(new Request(`https://caravan.test${p}`)).then((r) => r.text());
    expect(await get("/feeds/all.atom")).toContain(`<link rel="hub" href="${hub}/publish"/>`);
    expect(await get("/feeds/all.rss")).toContain(`<atom:link rel="hub" href="${hub}/publish"/>`);
    const json = JSON.parse(await get("/feeds/all.json")) as { hubs: unknown };
    expect(json.hubs).toEqual([{ type: "WebSub", url: `${hub}/publish` }]);
  });

  it("publishes exactly the changed feeds, in every format, at the public URL", async () => {
    const result = await publishChangedFeeds(env, ["all", "region:caucasus", "country:georgia", "index"]);
    expect(result.errors).toEqual([]);
    const got = await pings();
    expect(got).toHaveLength(1);
    expect(got[0]!.mode).toBe("publish");
    expect(got[0]!.contentType).toBe("application/x-www-form-urlencoded");
    expect(got[0]!.urls.sort()).toEqual(
      [
        "https://caravan.test/feeds/all.atom",
        "https://caravan.test/feeds/all.json",
        "https://caravan.test/feeds/all.rss",
        "https://caravan.test/feeds/country/georgia.atom",
        "https://caravan.test/feeds/country/georgia.json",
        "https://caravan.test/feeds/country/georgia.rss",
        "https://caravan.test/feeds/region/caucasus.atom",
        "https://caravan.test/feeds/region/caucasus.json",
        "https://caravan.test/feeds/region/caucasus.rss",
      ].sort(),
    );
  });

  it("does nothing without a hub, and reports a failing hub without throwing", async () => {
    expect(await publishChangedFeeds({ ...env, WEBSUB_HUB_URL: "" }, ["all"])).toEqual({ published: [], errors: [] });
    expect(await pings()).toEqual([]);
    const failing = await publishChangedFeeds({ ...env, WEBSUB_HUB_URL: `${hub}/nowhere` }, ["all"]);
    expect(failing.published).toEqual([]);
    expect(failing.errors).toEqual(["hub answered HTTP 404"]);
  });
});
