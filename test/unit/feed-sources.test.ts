import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/env";
import { isTimeZone } from "../../src/ingest/dates";
import { resolveFeeds } from "../../src/ingest/kinds/feed";
import { mapFeedTerms, urlRuleMatches } from "../../src/ingest/kinds/feed-terms";
import { FeedSource, Source } from "../../src/model/source";
import { shippedSource } from "../../src/sources";
import { countrySlugs, regionSlugs, topicSlugs } from "../../src/sources/taxonomy";

const civilGe = shippedSource("civil-ge", "feed");
const diplomatCentralAsia = shippedSource("diplomat-central-asia", "feed");
const eurasianet = shippedSource("eurasianet", "html");
const eurasianetRss = shippedSource("eurasianet-rss", "feed");
const jamnews = shippedSource("jamnews", "feed");
const meduzaEn = shippedSource("meduza-en", "feed");
const ocMedia = shippedSource("oc-media", "feed");
const rferl = shippedSource("rferl", "feed");

const feedSources = [eurasianetRss, ocMedia, civilGe, jamnews, rferl, meduzaEn, diplomatCentralAsia];

describe("the configured feed sources", () => {
  it("have unique ids and base URL vars, https feeds, and known time zones", () => {
    const ids = [eurasianet.id, ...feedSources.map((s) => s.id)];
    expect(new Set(ids).size).toBe(ids.length);
    const vars = [eurasianet.baseUrlVar, ...feedSources.map((s) => s.baseUrlVar)];
    expect(vars.every((v) => typeof v === "string")).toBe(true);
    expect(new Set(vars).size).toBe(vars.length);
    for (const s of feedSources) {
      expect(s.kind).toBe("feed");
      expect(isTimeZone(s.timeZone), `${s.id} ${s.timeZone}`).toBe(true);
      for (const url of [s.feedUrl, ...s.extraFeeds.map((f) => f.url)]) expect(url, s.id).toMatch(/^https:\/\//);
      expect(s.minBodyBytes).toBeGreaterThanOrEqual(64);
      // Sources are data for the one Source union the registry holds.
      expect(Source.parse(s)).toEqual(s);
    }
  });

  it("name only taxonomy slugs in their term maps, URL rules, zone feeds and defaults", () => {
    for (const s of feedSources) {
      const countries = [
        ...Object.values(s.termMap.countries),
        ...s.defaultCountries,
        ...s.urlTermMap.flatMap((r) => r.countries),
        ...s.extraFeeds.flatMap((f) => f.countries),
      ];
      const regions = [
        ...Object.values(s.termMap.regions),
        ...s.defaultRegions,
        ...s.urlTermMap.flatMap((r) => r.regions),
        ...s.extraFeeds.flatMap((f) => f.regions),
      ];
      const topics = [
        ...Object.values(s.termMap.topics),
        ...s.defaultTopics,
        ...s.urlTermMap.flatMap((r) => r.topics),
        ...s.extraFeeds.flatMap((f) => f.topics),
      ];
      expect(
        countries.filter((c) => !countrySlugs.includes(c)),
        s.id,
      ).toEqual([]);
      expect(
        regions.filter((r) => !regionSlugs.includes(r)),
        s.id,
      ).toEqual([]);
      expect(
        topics.filter((t) => !topicSlugs.includes(t)),
        s.id,
      ).toEqual([]);
    }
  });

  it("full-text feeds are not enriched; RFE/RL (descriptions only) is, with article selectors", () => {
    expect(feedSources.filter((s) => s.enrich).map((s) => s.id)).toEqual(["rferl"]);
    expect(rferl.articleSelectors?.body).toBe("#article-content .wsw");
  });
});

describe("the FeedSource schema", () => {
  const minimal = {
    id: "example-feed",
    name: "Example",
    kind: "feed",
    feedUrl: "https://example.org/feed/",
    homepage: "https://example.org",
    language: "en",
    timeZone: "UTC",
  };

  it("fills the defaults", () => {
    expect(FeedSource.parse(minimal)).toEqual({
      ...minimal,
      enabled: true,
      pollMinutes: 15,
      enrich: false,
      termMap: { countries: {}, regions: {}, topics: {} },
      urlTermMap: [],
      defaultCountries: [],
      defaultRegions: [],
      defaultTopics: [],
      minBodyBytes: 64,
      extraFeeds: [],
      hosts: [],
    });
  });

  it("refuses a non-http feed URL, a bad slug and a URL pattern that is neither a path nor a ^regex", () => {
    const issues = (value: unknown) =>
      FeedSource.safeParse(value).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ ...minimal, feedUrl: "ftp://example.org/feed" })[0]).toMatch(/^feedUrl: /);
    expect(issues({ ...minimal, defaultCountries: ["Georgia"] })).toEqual([
      "defaultCountries.0: a lower-case slug such as central-asia",
    ]);
    expect(issues({ ...minimal, urlTermMap: [{ pattern: "news/georgia" }] })).toEqual([
      'urlTermMap.0.pattern: a path prefix starting with "/" or a regular expression starting with "^"',
    ]);
    expect(issues({ ...minimal, urlTermMap: [{ pattern: "^/news/(" }] })).toHaveLength(1);
    expect(issues({ ...minimal, minBodyBytes: -1 })[0]).toMatch(/^minBodyBytes: /);
  });
});

describe("resolveFeeds", () => {
  it("uses the configured URLs when the var is not set", () => {
    expect(resolveFeeds(ocMedia, {})).toEqual([
      { id: "oc-media:/feed/", url: "https://oc-media.org/feed/", terms: { countries: [], regions: [], topics: [] } },
    ]);
    expect(resolveFeeds(rferl, {}).map((f) => [f.id, f.url, f.terms.countries])).toEqual([
      ["rferl:/api/zrqpurqp", "https://www.rferl.org/api/zrqpurqp", []],
      ["rferl:/api/zvqeoykmruy", "https://www.rferl.org/api/zvqeoykmruy", ["kazakhstan"]],
      ["rferl:/api/ztoytlurvm", "https://www.rferl.org/api/ztoytlurvm", ["uzbekistan"]],
      ["rferl:/api/ztrizkuopvy", "https://www.rferl.org/api/ztrizkuopvy", ["tajikistan"]],
      ["rferl:/api/zruykyvzpq", "https://www.rferl.org/api/zruykyvzpq", ["kyrgyzstan"]],
    ]);
  });

  it("re-points every feed at the var's origin and path prefix, keeping ids", () => {
    expect(resolveFeeds(ocMedia, { OCMEDIA_BASE_URL: "http://127.0.0.1:4100/" })[0]).toMatchObject({
      id: "oc-media:/feed/",
      url: "http://127.0.0.1:4100/feed/",
    });
    expect(resolveFeeds(diplomatCentralAsia, { DIPLOMAT_BASE_URL: " http://127.0.0.1:4200/challenge " })[0]!.url).toBe(
      "http://127.0.0.1:4200/challenge/regions/central-asia/feed",
    );
    const moved = resolveFeeds(rferl, { RFERL_BASE_URL: "http://mirror.example:8080" });
    expect(moved.map((f) => f.url)).toEqual(
      resolveFeeds(rferl, {}).map((f) => f.url.replace("https://www.rferl.org", "http://mirror.example:8080")),
    );
    expect(moved.map((f) => f.id)).toEqual(resolveFeeds(rferl, {}).map((f) => f.id));
  });

  it("refuses a var that is not an http(s) URL, naming it", () => {
    expect(() => resolveFeeds(meduzaEn, { MEDUZA_BASE_URL: "meduza.io" })).toThrow(ConfigError);
    expect(() => resolveFeeds(meduzaEn, { MEDUZA_BASE_URL: "file:///etc" })).toThrow(
      'MEDUZA_BASE_URL: "file:///etc" is not an http(s) URL',
    );
  });
});

describe("mapFeedTerms", () => {
  const source = FeedSource.parse({
    id: "terms-test",
    name: "Terms test",
    kind: "feed",
    feedUrl: "https://example.org/feed/",
    homepage: "https://example.org",
    language: "en",
    timeZone: "UTC",
    termMap: {
      countries: { "North Caucasus": "russia", "Karabakh war": "nagorno-karabakh" },
      topics: { "KARABAKH WAR": "security", Culture: "arts-and-culture" },
    },
    urlTermMap: [
      { pattern: "/Georgia/", countries: ["georgia"] },
      { pattern: "^/(en|ru)/kz/", countries: ["kazakhstan"], topics: ["politics"] },
    ],
    defaultRegions: ["caucasus"],
    defaultTopics: ["society"],
  });

  it("maps categories through the term map (any case), then the taxonomy's names; the rest are tags", () => {
    const terms = mapFeedTerms(source, {
      url: "https://example.org/story",
      categories: [
        "north caucasus",
        "Karabakh War",
        "Nagorno-Karabakh",
        "Central Asia",
        "Economy",
        "culture",
        "Podcast",
        "podcast",
      ],
    });
    expect(terms).toEqual({
      countries: ["russia", "nagorno-karabakh"],
      regions: ["caucasus", "central-asia"],
      topics: ["society", "security", "economy", "arts-and-culture"],
      unmapped: ["Podcast"],
    });
  });

  it("adds the terms of matching URL rules (prefix or ^regex, case-insensitive) and of the feed", () => {
    expect(mapFeedTerms(source, { url: "https://example.org/georgia/2026/x", categories: [] }).countries).toEqual([
      "georgia",
    ]);
    expect(mapFeedTerms(source, { url: "https://example.org/ru/KZ/x?y=/georgia/", categories: [] })).toMatchObject({
      countries: ["kazakhstan"],
      topics: ["society", "politics"],
    });
    expect(mapFeedTerms(source, { url: "https://example.org/de/kz/x", categories: [] }).countries).toEqual([]);
    expect(
      mapFeedTerms(
        source,
        { url: "https://example.org/x", categories: [] },
        { countries: ["armenia"], regions: [], topics: ["economy"] },
      ),
    ).toMatchObject({
      countries: ["armenia"],
      topics: ["society", "economy"],
    });
  });

  it("matches prefix rules on the path only", () => {
    expect(urlRuleMatches({ pattern: "/kazakh" }, "/kazakhstans-bloody-january")).toBe(true);
    expect(urlRuleMatches({ pattern: "/kazakh" }, "/news/kazakh")).toBe(false);
    expect(urlRuleMatches({ pattern: "^/\\d{4}/\\d{2}/" }, "/2026/09/story")).toBe(true);
  });
});
