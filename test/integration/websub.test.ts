import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { runIngest } from "../../src/ingest/run";
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

describe("WebSub after an ingest run", () => {
  it("a run that adds items pings the hub with exactly its changed feeds; a run that changes nothing does not", async () => {
    await (await fetch(`${hub}/__hub/reset`, { method: "POST" })).arrayBuffer();
    await (await fetch(`${env.EURASIANET_BASE_URL}/__fixture/reset`, { method: "POST" })).arrayBuffer();
    const t0 = Date.now();
    const run = await runIngest(
      { ...env, SUBREQUEST_BUDGET: "200" },
      { trigger: "cron", sourceId: "eurasianet", now: t0 },
    );
    expect(run.itemsNew).toBe(31);
    const got = await pings();
    const urls = got.flatMap((p) => p.urls);
    const expected = run.changedFeeds.flatMap((key) => {
      const path = key === "all" ? "/feeds/all" : `/feeds/${key.replace(":", "/")}`;
      return ["rss", "atom", "json"].map((f) => `https://caravan.test${path}.${f}`);
    });
    expect(urls.sort()).toEqual(expected.sort());
    expect(urls).toContain("https://caravan.test/feeds/country/azerbaijan.atom");
    expect(urls).not.toContain("https://caravan.test/feeds/country/mongolia.atom");
    expect(run.websub).toEqual({ published: expected.length, errors: [] });

    await (await fetch(`${hub}/__hub/reset`, { method: "POST" })).arrayBuffer();
    const quiet = await runIngest(
      { ...env, SUBREQUEST_BUDGET: "200" },
      { trigger: "cron", sourceId: "eurasianet", now: t0 + 3600_000 },
    );
    expect(quiet.changedFeeds).toEqual([]);
    expect(await pings()).toEqual([]);
  });
});
