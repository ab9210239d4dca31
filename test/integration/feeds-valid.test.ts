/**
 * Every feed of the catalog, in every output format, as the Worker serves it after an ingest of
 * the fixture sources (empty feeds included), plus filtered and paged variants, checked with the
 * parsers the suite has: well-formed XML (fast-xml-parser), an independent feed reader
 * (@rowanmanning/feed-parser) for RSS and Atom, and the JSON Feed 1.1 schema. It also holds the
 * points the W3C Feed Validation Service warned about (docs/feeds.md lists its messages no feed
 * shows): Atom <source> with id and updated, no 1970 date on an empty feed, Last-Modified sent,
 * and an ETag of its own for every feed.
 */

import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { type Schema, Validator } from "@cfworker/json-schema";
import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import schemaV11 from "jsonfeed-schema/schema-v1.1.json";
import { beforeAll, describe, expect, it } from "vitest";
import { registeredCatalog } from "../../src/ingest/registry";
import { runIngest } from "../../src/ingest/run";
import { contentTypeOf, type OutputFormat } from "../../src/render/format";
import { OUTPUT_FORMATS } from "../../src/render/formats";
import { resetFixture } from "../helpers/fixture";

const W = "https://caravan.test";
const jsonFeedSchema = new Validator(schemaV11 as Schema, "7", false);
// Each test makes a few hundred requests; on a loaded machine that outlasts vitest's 5 s default.
const MANY_REQUESTS = { timeout: 60_000 };

interface Checked {
  items: number;
  etag: string;
  lastModified: string;
  /** RSS/Atom rel="next" or JSON Feed next_url, if any. */
  next: string | null;
}

/** Fetches one feed URL and checks it as a reader and a validator would; returns what it saw. */
async function checkFeed(path: string, format: OutputFormat): Promise<Checked> {
  const r = await exports.default.fetch(new Request(`${W}${path}`));
  expect(r.status, path).toBe(200);
  expect(r.headers.get("content-type"), path).toBe(contentTypeOf(format));
  const etag = r.headers.get("etag");
  const lastModified = r.headers.get("last-modified");
  expect(etag, `${path} ETag`).toMatch(/^"[0-9a-f]+"$/);
  expect(lastModified, `${path} Last-Modified`).not.toBeNull();
  // Never the epoch (the validator's "Implausible date") and never in the future.
  const modified = Date.parse(lastModified!);
  expect(modified, path).toBeGreaterThan(Date.parse("2000-01-01T00:00:00Z"));
  expect(modified, path).toBeLessThanOrEqual(Date.now());
  const body = await r.text();
  expect(body, path).not.toMatch(/1970-01-01|01 Jan 1970/);

  if (!format.xml) {
    const feed = JSON.parse(body) as { items: { id: string }[]; next_url?: string; feed_url: string };
    const result = jsonFeedSchema.validate(feed);
    expect(result.errors, path).toEqual([]);
    expect(feed.feed_url, path).toBe(`${W}${path}`);
    const ids = feed.items.map((i) => i.id);
    expect(new Set(ids).size, path).toBe(ids.length);
    return { items: feed.items.length, etag: etag!, lastModified: lastModified!, next: feed.next_url ?? null };
  }

  expect(XMLValidator.validate(body), path).toBe(true);
  const parsed = parseFeed(body);
  expect(parsed.title, path).toContain("Caravan");
  expect(parsed.self, path).toBe(`${W}${path}`);
  expect(parsed.updated?.toUTCString(), path).toBe(lastModified);
  for (const item of parsed.items) {
    expect(item.id, path).toMatch(/^urn:caravan:item:[0-9a-f]{32}$/);
    expect(item.published, path).toBeInstanceOf(Date);
  }
  // RFC 4287 §4.2.11: every Atom <source> carries the source feed's id and updated.
  const sources = body.split("<source>").slice(1);
  for (const source of sources) {
    const element = source.slice(0, source.indexOf("</source>"));
    expect(element, path).toMatch(/<id>[^<]+<\/id>/);
    expect(element, path).toMatch(/<updated>\d{4}-\d\d-\d\dT[^<]+<\/updated>/);
  }
  const next = /<(?:atom:)?link rel="next"[^>]*href="([^"]+)"/.exec(body)?.[1]?.replaceAll("&amp;", "&") ?? null;
  return { items: parsed.items.length, etag: etag!, lastModified: lastModified!, next };
}

describe("every feed in every format is valid, empty feeds included", () => {
  beforeAll(async () => {
    await resetFixture();
    await runIngest({ ...env, SUBREQUEST_BUDGET: "200" }, { trigger: "cron", force: true });
  }, MANY_REQUESTS.timeout);

  it("serves every catalog feed in every format valid, dated and with an ETag of its own", MANY_REQUESTS, async () => {
    const etags = new Map<string, string>();
    let empty = 0;
    let full = 0;
    // The catalog the Worker publishes: the taxonomy's feeds and one per registered source.
    const catalog = (await registeredCatalog(env)).feeds.feeds;
    expect(catalog.some((f) => f.kind === "source")).toBe(true);
    for (const feed of catalog) {
      for (const format of OUTPUT_FORMATS) {
        const path = `${feed.path}.${format.extension}`;
        const seen = await checkFeed(path, format);
        if (seen.items === 0) {
          empty++;
          // An empty feed is dated by its catalog entry.
          expect(seen.lastModified, path).toBe(new Date(feed.changedAt).toUTCString());
        } else {
          full++;
        }
        expect(etags.get(seen.etag), `${path} shares its ETag`).toBeUndefined();
        etags.set(seen.etag, path);
      }
    }
    // The fixture catalog has both kinds, so both are checked.
    expect(empty).toBeGreaterThan(0);
    expect(full).toBeGreaterThan(0);
  });

  it("serves filtered, searched and paged variants valid, following every next link", MANY_REQUESTS, async () => {
    for (const format of OUTPUT_FORMATS) {
      const ext = format.extension;
      for (const path of [
        `/feeds/region/caucasus.${ext}?topic=security`,
        `/feeds/all.${ext}?lang=ru`,
        `/feeds/all.${ext}?q=nothingmatchesthisword`,
        // In canonical order, as the self link writes it.
        `/feeds/all.${ext}?country=armenia&country=georgia&topic=politics`,
      ]) {
        await checkFeed(path, format);
      }
      // Walk the pages of a small page size to the end: every page is valid and none repeats.
      let path: string | null = `/feeds/all.${ext}?limit=7`;
      let pages = 0;
      const etags = new Set<string>();
      while (path !== null) {
        const seen: Checked = await checkFeed(path, format);
        expect(etags.has(seen.etag), path).toBe(false);
        etags.add(seen.etag);
        pages++;
        path = seen.next === null ? null : seen.next.slice(W.length);
      }
      expect(pages, ext).toBeGreaterThan(2);
    }
  });
});
