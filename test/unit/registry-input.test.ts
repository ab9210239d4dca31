import { describe, expect, it } from "vitest";
import { checkDefinition, selectorParses } from "../../src/ingest/definition";
import { alternateLinks } from "../../src/ingest/discover";
import { definitionFromOpml, readOpml, termsOfFolders } from "../../src/ingest/opml";
import { refusedTarget } from "../../src/ingest/url-guard";
import { shippedSources } from "../../src/sources";

describe("where Caravan may fetch", () => {
  it("refuses loopback unless allowed, and private, link-local and metadata addresses always", () => {
    expect(refusedTarget("https://civil.ge/feed/", false)).toBeNull();
    expect(refusedTarget("http://127.0.0.1:8080/feed", false)).toContain("loopback");
    expect(refusedTarget("http://127.0.0.1:8080/feed", true)).toBeNull();
    expect(refusedTarget("http://localhost/feed", false)).toContain("loopback");
    expect(refusedTarget("http://[::1]/feed", false)).toContain("loopback");
    expect(refusedTarget("http://[::ffff:127.0.0.1]/", false)).toContain("loopback");
    for (const url of [
      "http://10.1.2.3/",
      "http://172.16.0.1/",
      "http://192.168.1.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://metadata.google.internal/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
      "http://100.64.0.1/",
      "http://0.0.0.0/",
    ]) {
      expect(refusedTarget(url, true), url).not.toBeNull();
    }
    expect(refusedTarget("ftp://example.org/", true)).toContain("ftp:");
    expect(refusedTarget("http://user:pw@example.org/", true)).toContain("credentials");
    expect(refusedTarget("http://172.32.0.1/", false)).toBeNull();
  });
});

describe("OPML as feed readers export it", () => {
  it("reads nested folders (FreshRSS, NetNewsWire) and category attributes (Miniflux, Feedly)", () => {
    const feeds = readOpml(`<?xml version="1.0"?>
      <opml version="2.0"><head><title>x</title></head><body>
        <outline text="News"><outline text="Caucasus">
          <outline type="rss" text="OC Media" xmlUrl="https://oc-media.org/feed/" htmlUrl="https://oc-media.org"/>
        </outline></outline>
        <outline type="rss" title="Fergana" text="fergana" xmlUrl="https://fergana.example/rss" category="/Kyrgyzstan,/Economy"/>
        <outline text="empty folder"/>
      </body></opml>`);
    expect(feeds).toEqual([
      {
        xmlUrl: "https://oc-media.org/feed/",
        htmlUrl: "https://oc-media.org",
        title: "OC Media",
        language: null,
        folders: ["News", "Caucasus"],
      },
      {
        xmlUrl: "https://fergana.example/rss",
        htmlUrl: null,
        title: "Fergana",
        language: null,
        folders: ["Kyrgyzstan", "Economy"],
      },
    ]);
    expect(termsOfFolders(feeds[0]!.folders)).toEqual({ countries: [], regions: ["caucasus"], topics: [] });
    expect(definitionFromOpml(feeds[1]!)).toMatchObject({
      id: "fergana",
      homepage: "https://fergana.example",
      defaultCountries: ["kyrgyzstan"],
      defaultTopics: ["economy"],
    });
    expect(() => readOpml("<rss/>")).toThrow(/not OPML/);
    expect(() => readOpml('<!DOCTYPE opml [<!ENTITY a "b">]><opml/>')).toThrow(/entit/);
  });
});

describe("feed links on a page", () => {
  it("takes alternate RSS, Atom and JSON Feed links, resolved against <base>", async () => {
    const html = `<html><head><base href="https://example.org/news/">
      <link rel="alternate" type="application/rss+xml" href="feed/">
      <link rel="alternate" type="application/atom+xml" href="/atom.xml">
      <link rel="alternate" type="text/html" hreflang="ru" href="/ru/">
      <link rel="stylesheet" type="text/css" href="x.css">
      <link rel="Alternate" type="application/feed+json; charset=utf-8" href="https://cdn.example.org/feed.json">
    </head></html>`;
    expect(await alternateLinks(html, "https://example.org/")).toEqual([
      "https://example.org/news/feed/",
      "https://example.org/atom.xml",
      "https://cdn.example.org/feed.json",
    ]);
  });
});

describe("checking a definition", () => {
  it("accepts every shipped definition", () => {
    for (const s of shippedSources) expect(checkDefinition(s), s.id).toEqual({ ok: true, source: s });
  });

  it("knows which selectors HTMLRewriter parses", () => {
    expect(selectorParses("div.article__body p:nth-child(2)")).toBe(true);
    expect(selectorParses("a[rel=next], li.next > a")).toBe(true);
    expect(selectorParses("div[[")).toBe(false);
    expect(selectorParses("")).toBe(false);
  });

  it("names every problem with its path", () => {
    const html = shippedSources.find((s) => s.kind === "html")!;
    const check = checkDefinition({
      ...html,
      listings: [{ path: "/news", countries: ["atlantis"] }],
      listingSelectors: { ...(html.kind === "html" ? html.listingSelectors : {}), item: "li::" },
    });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => p.field)).toEqual(["listings.0.countries.0", "listingSelectors.item"]);
  });
});
