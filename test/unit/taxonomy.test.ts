import { describe, expect, it } from "vitest";
import { Taxonomy } from "../../src/model/taxonomy";
import { countrySlugs, regionSlugs, taxonomy, topicSlugs } from "../../src/sources/taxonomy";

// The taxonomy is data compiled into the Worker and not checked when a new isolate reads it, so
// these checks are the ones that keep a broken entry from being deployed.
describe("the shipped taxonomy", () => {
  it("is valid against the zod model (slugs, names, non-empty lists)", () => {
    const result = Taxonomy.safeParse(taxonomy);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it("the model refuses what a typo would make", () => {
    const broken = structuredClone(taxonomy);
    broken.regions[0]!.countries[0]!.slug = "South Ossetia";
    broken.topics[0]!.name = "";
    const result = Taxonomy.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["regions.0.countries.0.slug", "topics.0.name"]);
  });

  it("names every slug once across regions, countries and topics (each is one feed URL)", () => {
    const regions = [...regionSlugs];
    const countries = [...countrySlugs];
    const topics = [...topicSlugs];
    for (const list of [regions, countries, topics]) expect(new Set(list).size).toBe(list.length);
    expect(regions.length).toBeGreaterThan(0);
    expect(countries.length).toBeGreaterThan(0);
    expect(topics.length).toBeGreaterThan(0);
  });
});
