/**
 * One feed URL, two representations: a browser's navigation gets an HTML page of the feed, every
 * reader, app and tool the feed bytes. The header sets are what each client sends when it
 * fetches a feed (browsers: a navigation typed into the address bar; readers: their poll).
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { parseFeed } from "@rowanmanning/feed-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { runIngest } from "../../src/ingest/run";
import { contentTypeOf } from "../../src/render/format";
import { OUTPUT_FORMATS } from "../../src/render/formats";
import { clearFeedMemo } from "../../src/store/feed-cache";
import { resetFixture } from "../helpers/fixture";

const W = "https://caravan.test";

const BROWSERS: Record<string, Record<string, string>> = {
  "Chrome 131 (Linux)": {
    "sec-ch-ua": '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
    "sec-ch-ua-mobile": "?0",
    "sec-ch-ua-platform": '"Linux"',
    "upgrade-insecure-requests": "1",
    "user-agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    accept:
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "sec-fetch-site": "none",
    "sec-fetch-mode": "navigate",
    "sec-fetch-user": "?1",
    "sec-fetch-dest": "document",
    "accept-encoding": "gzip, deflate, br, zstd",
    "accept-language": "en-US,en;q=0.9",
  },
  "Firefox 133 (Linux)": {
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-language": "en-US,en;q=0.5",
    "accept-encoding": "gzip, deflate, br, zstd",
    "upgrade-insecure-requests": "1",
    "sec-fetch-dest": "document",
    "sec-fetch-mode": "navigate",
    "sec-fetch-site": "none",
    "sec-fetch-user": "?1",
    priority: "u=0, i",
  },
  "Safari 18 (macOS)": {
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "sec-fetch-site": "none",
    "sec-fetch-dest": "document",
    "accept-language": "en-GB,en;q=0.9",
    "sec-fetch-mode": "navigate",
    "user-agent":
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "accept-encoding": "gzip, deflate, br",
    priority: "u=0, i",
  },
  // Safari before 16.4 sends no Sec-Fetch-* headers: the Accept alone decides.
  "Safari 15 (macOS, no Sec-Fetch)": {
    accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "user-agent":
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 Safari/605.1.15",
    "accept-language": "en-GB,en;q=0.9",
    "accept-encoding": "gzip, deflate, br",
  },
};

const READERS: Record<string, Record<string, string>> = {
  // Miniflux 2 (internal/reader/fetcher/request_builder.go); Go adds Accept-Encoding.
  Miniflux: {
    "user-agent": "Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)",
    accept:
      "application/xml, application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, text/html, */*;q=0.9",
    "accept-encoding": "gzip",
    connection: "close",
  },
  // FreshRSS fetches through SimplePie, whose Accept lists text/html below the feed types.
  FreshRSS: {
    "user-agent": "FreshRSS/1.24.3 (Linux; https://freshrss.org)",
    accept:
      "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.7, unknown/unknown;q=0.1, application/unknown;q=0.1, */*;q=0.1",
    "accept-encoding": "gzip, deflate, br",
  },
  // NetNewsWire: URLSession's defaults.
  NetNewsWire: {
    "user-agent": "NetNewsWire (RSS Reader; https://netnewswire.com/)",
    accept: "*/*",
    "accept-language": "en-GB,en;q=0.9",
    "accept-encoding": "gzip, deflate, br",
  },
  Feedly: {
    "user-agent": "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers; like FeedFetcher-Google)",
    accept: "*/*",
    "accept-encoding": "gzip",
  },
  // newsboat through libcurl: curl's */* and every encoding it can decode.
  newsboat: {
    "user-agent": "Newsboat/2.21 (Linux x86_64)",
    accept: "*/*",
    "accept-encoding": "deflate, gzip, br, zstd",
  },
  curl: { "user-agent": "curl/8.5.0", accept: "*/*" },
  // An app's fetch() from a page: Sec-Fetch-Dest is "empty", never "document".
  "fetch() in a page": {
    accept: "*/*",
    "sec-fetch-dest": "empty",
    "sec-fetch-mode": "cors",
    "sec-fetch-site": "cross-site",
    "accept-encoding": "gzip, deflate, br, zstd",
  },
  "no headers at all": {},
};

function get(path: string, headers: Record<string, string>): Promise<Response> {
  return exports.default.fetch(new Request(`${W}${path}`, { headers }));
}

describe("a feed URL opened in a browser shows a page; readers get the feed", () => {
  beforeAll(async () => {
    await resetFixture();
    await runIngest({ ...env, SUBREQUEST_BUDGET: "200" }, { trigger: "cron", sourceId: "eurasianet" });
    clearFeedMemo();
  });

  for (const [browser, headers] of Object.entries(BROWSERS)) {
    it(`${browser} gets the HTML page of every format, with Vary`, async () => {
      for (const format of OUTPUT_FORMATS) {
        const path = `/feeds/region/caucasus.${format.extension}`;
        // Twice: the second answer comes from the memo (the hot path), and must negotiate too.
        for (const round of [1, 2]) {
          const r = await get(path, headers);
          expect(r.status, `${path} #${round}`).toBe(200);
          expect(r.headers.get("content-type"), `${path} #${round}`).toBe("text/html; charset=utf-8");
          expect(r.headers.get("vary")).toMatch(/Accept\b.*Sec-Fetch-Dest/);
          expect(r.headers.get("content-security-policy")).toContain("default-src 'none'");
          const html = await r.text();
          expect(html).toMatch(/^<!DOCTYPE html>/);
          // The address to copy is the URL asked for, and the page says how to subscribe.
          expect(html).toContain(`<code class="url">${W}${path}</code>`);
          expect(html).toContain("follow it in a feed reader");
          // The other formats, and autodiscovery of all of them.
          for (const other of OUTPUT_FORMATS) {
            expect(html).toContain(`href="${W}/feeds/region/caucasus.${other.extension}"`);
          }
          expect(html).not.toContain("<script");
        }
      }
    });
  }

  for (const [reader, headers] of Object.entries(READERS)) {
    it(`${reader} gets the feed bytes, with Vary`, async () => {
      for (const format of OUTPUT_FORMATS) {
        const path = `/feeds/region/caucasus.${format.extension}`;
        for (const round of [1, 2]) {
          const r = await get(path, headers);
          expect(r.status, `${reader} ${path} #${round}`).toBe(200);
          expect(r.headers.get("content-type"), `${reader} ${path} #${round}`).toBe(contentTypeOf(format));
          expect(r.headers.get("vary")).toMatch(/Accept\b.*Sec-Fetch-Dest/);
          const body = await r.text();
          if (format.xml) expect(parseFeed(body).items.length).toBeGreaterThan(0);
          else expect((JSON.parse(body) as { items: unknown[] }).items.length).toBeGreaterThan(0);
        }
      }
    });
  }

  it("the page lists the feed's items and links the older page; its ETag is not the feed's", async () => {
    const path = "/feeds/all.atom?limit=3";
    const feed = await get(path, READERS.curl!);
    const parsed = parseFeed(await feed.text());
    const page = await get(path, BROWSERS["Firefox 133 (Linux)"]!);
    const html = await page.text();
    for (const item of parsed.items) expect(html).toContain(`href="${item.url}"`);
    expect(html.match(/<li[ >]/g)).toHaveLength(3);
    const next = parsed.items.length === 3 ? /rel="next"[^>]*href="([^"]+)"/.exec(html)?.[1] : undefined;
    expect(next).toMatch(/^https:\/\/caravan\.test\/feeds\/all\.atom\?limit=3&#38;cursor=/);
    expect(page.headers.get("etag")).not.toBe(feed.headers.get("etag"));
    // A browser's conditional request is answered from the page's own ETag.
    const again = await get(path, { ...BROWSERS["Firefox 133 (Linux)"]!, "if-none-match": page.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    // The feed's ETag does not validate the page.
    const crossed = await get(path, {
      ...BROWSERS["Firefox 133 (Linux)"]!,
      "if-none-match": feed.headers.get("etag")!,
    });
    expect(crossed.status).toBe(200);
  });

  it("an empty feed's page says so and still shows how to subscribe", async () => {
    const html = await (await get("/feeds/topic/student-spotlight.rss", BROWSERS["Chrome 131 (Linux)"]!)).text();
    expect(html).toContain("No stories in this feed yet");
    expect(html).toContain(`${W}/feeds/topic/student-spotlight.rss`);
  });

  it("HEAD from a browser gets the page's headers and no body", async () => {
    const r = await exports.default.fetch(
      new Request(`${W}/feeds/all.json`, { method: "HEAD", headers: BROWSERS["Safari 18 (macOS)"]! }),
    );
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await r.text()).toBe("");
  });
});
