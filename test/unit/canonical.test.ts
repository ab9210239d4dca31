import { describe, expect, it } from "vitest";
import { canonicalUrl, itemIdFor } from "../../src/ingest/canonical";

describe("canonicalUrl", () => {
  it("forces https, lower-cases the host, drops the fragment and utm_* parameters", () => {
    expect(canonicalUrl("http://EurasiaNet.org/some-story?utm_source=x&id=3&UTM_medium=y#comments")).toBe(
      "https://eurasianet.org/some-story?id=3",
    );
    expect(canonicalUrl("https://eurasianet.org/a?utm_campaign=z")).toBe("https://eurasianet.org/a");
  });
  it("gives one id to variants of one story and different ids to different stories", async () => {
    const a = await itemIdFor("http://eurasianet.org/x#top");
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await itemIdFor("https://EURASIANET.org/x?utm_source=rss")).toBe(a);
    expect(await itemIdFor("https://eurasianet.org/y")).not.toBe(a);
  });
});
