/**
 * Hostile input: a battery of XSS vectors in a source's titles, deks and bodies (nothing
 * executable reaches a feed, the API or a page, while ordinary formatting does), and a seeded
 * fuzz of paths and query strings against every route (always a 2xx or a 4xx, never a 5xx, and
 * the Worker keeps answering).
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import worker from "../../src/index";
import { itemIdFor } from "../../src/ingest/canonical";
import { runIngest } from "../../src/ingest/run";
import { getItem } from "../../src/store/items";
import { prng } from "../fixtures/prng.mjs";
import { fixturePage, origin, overridePage, resetFixture } from "../helpers/fixture";

const TOKEN = (env as unknown as { ADMIN_TOKEN: string }).ADMIN_TOKEN;
const ENV = { ...env, HOST_MIN_INTERVAL_MS: "0", SUBREQUEST_BUDGET: "200" };
const W = "https://caravan.test";

async function request(method: string, url: string, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url, { method, headers }), ENV, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

// ---------------------------------------------------------------------------------------------
// What "executable" means: checked with HTMLRewriter, the same HTML tokenizer a browser-grade
// parser uses, on every HTML string a reader or a browser would render.

const ACTIVE_ELEMENTS = new Set([
  "script",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "base",
  "meta",
  "link",
  "style",
  "form",
  "input",
  "button",
  "textarea",
  "select",
  "svg",
  "math",
  "template",
  "noscript",
  "video",
  "audio",
  "source",
  "details",
  "dialog",
  "portal",
  "isindex",
  "xss",
]);
const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "poster",
  "background",
  "cite",
  "data",
  "srcset",
  "longdesc",
  "lowsrc",
  "dynsrc",
]);

/** Every executable construct found in an HTML fragment (empty when it is inert). */
async function executables(html: string): Promise<string[]> {
  const found: string[] = [];
  await new HTMLRewriter()
    .on("*", {
      element(el) {
        const tag = el.tagName.toLowerCase();
        if (ACTIVE_ELEMENTS.has(tag)) found.push(`<${tag}>`);
        for (const [rawName = "", value = ""] of el.attributes) {
          const name = rawName.toLowerCase();
          if (name.startsWith("on")) found.push(`${tag}[${name}]`);
          if (name === "style" || name === "srcdoc" || name === "formaction" || name === "http-equiv")
            found.push(`${tag}[${name}]`);
          if (URL_ATTRIBUTES.has(name)) {
            // What a browser would see: entities decoded, controls and spaces removed.
            const decoded = value
              .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
              .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
              .replace(/&colon;/gi, ":")
              .replace(/&tab;|&newline;/gi, "")
              .replace(/[\u0000-\u0020]/g, "")
              .toLowerCase();
            if (!/^(https?:|mailto:)/.test(decoded)) found.push(`${tag}[${name}=${value.slice(0, 40)}]`);
          }
        }
      },
      comments(c) {
        found.push(`<!--${c.text.slice(0, 20)}-->`);
      },
    })
    .transform(new Response(html))
    .text();
  return found;
}

// ---------------------------------------------------------------------------------------------

const XSS_BODY = [
  "<script>alert('body-1')</script>",
  '<img src=x onerror=alert("body-2")>',
  '<svg onload=alert("body-3")><script>alert("body-3b")</script></svg>',
  '<a href="javascript:alert(4)">js link</a>',
  '<a href="JaVaScRiPt:alert(5)">mixed case</a>',
  '<a href="&#106;avascript:alert(6)">entity scheme</a>',
  '<a href="java&#x09;script:alert(7)">tab in scheme</a>',
  '<a href="  javascript:alert(8)">leading space</a>',
  '<a href="vbscript:msgbox(9)">vbscript</a>',
  '<a href="data:text/html,&lt;script&gt;alert(10)&lt;/script&gt;">data url</a>',
  '<iframe src="javascript:alert(11)"></iframe>',
  '<iframe srcdoc="&lt;script&gt;alert(12)&lt;/script&gt;"></iframe>',
  '<object data="evil.swf"></object><embed src="evil.swf">',
  '<div style="background:url(javascript:alert(13))">styled</div>',
  '<div style="width:expression(alert(14))">expression</div>',
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(15)></style></mglyph></table></mtext></math>",
  '<form action="javascript:alert(16)"><button formaction="javascript:alert(17)">go</button><input autofocus onfocus=alert(18)></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(19)">',
  '<base href="javascript:alert(20)//">',
  '<link rel="stylesheet" href="javascript:alert(21)">',
  "<details open ontoggle=alert(22)><summary>toggle</summary></details>",
  '<video><source onerror="alert(23)"></video><audio src=x onerror=alert(24)></audio>',
  '<noscript><p title="</noscript><img src=x onerror=alert(25)>"></p></noscript>',
  '<!--<img src="--><img src=x onerror=alert(26)//">',
  '<img src="https://example.org/ok.jpg" srcset="javascript:alert(27)">',
  "<template><script>alert(28)</script></template>",
  "<style>@import 'javascript:alert(29)';</style>",
  "<xss onclick=alert(30)>custom element</xss>",
  "<p/onclick=alert(31)>slash attribute</p>",
  '<img alt=""><script>alert(32)</script>" src="https://example.org/a.jpg">',
  '<a href="https://example.org/" onmouseover="alert(33)">hover</a>',
  "<IMG SRC=JaVaScRiPt:alert(34)>",
  "<scr<script>ipt>alert(35)</scr</script>ipt>",
  '<a href="#" onclick="alert(36)">hash</a>',
  '<table background="javascript:alert(37)"><tr><td>cell</td></tr></table>',
  '<object><param name="src" value="javascript:alert(38)"></object>',
].join("\n");

const FORMATTING =
  '<p>Ordinary <a href="https://example.org/report">link</a>, <em>emphasis</em> and <strong>strong</strong> text.</p>' +
  "<ul><li>first point</li><li>second point</li></ul><ol><li>step one</li></ol>" +
  "<blockquote><p>A quoted sentence.</p></blockquote>" +
  '<figure><img src="/sites/default/files/hostile/photo.jpg" alt="A photo"><figcaption>A caption</figcaption></figure>';

const XSS_TITLE = `Headline <script>alert("t1")</script><img src=x onerror=alert("t2")> &lt;img src=x onerror=alert("t3")&gt; "'><b onmouseover=alert("t4")>bold</b>`;
const XSS_DEK = `Dek &lt;script&gt;alert("d1")&lt;/script&gt; <img src=x onerror=alert("d2")> <a href="javascript:alert('d3')">dek link</a>`;
const SLUG = "a-story-full-of-hostile-markup";
const SEED = "azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report";

describe("hostile content never becomes executable", () => {
  let itemId: string;

  beforeAll(async () => {
    await resetFixture();
    const listing = await fixturePage("/region/caucasus");
    const row = `<div class="view__row"><article class="teaser"><div class="teaser__content"><h2 class="teaser__title"><a href="/${SLUG}">${XSS_TITLE}</a></h2><div class="teaser__subtitle">${XSS_DEK}</div><div class="teaser__meta"><span class="meta__date">Nov 3, 2026</span></div></div></article></div>`;
    await overridePage("/region/caucasus", listing.replace('<div class="view__row">', `${row}<div class="view__row">`));
    let article = (await fixturePage(`/${SEED}`)).replaceAll(SEED, SLUG);
    article = article.replace(/<h1 class="article__title">[^<]*<\/h1>/, `<h1 class="article__title">${XSS_TITLE}</h1>`);
    article = article.replace('<div class="article__body">', `<div class="article__body">${FORMATTING}${XSS_BODY}`);
    await overridePage(`/${SLUG}`, article);
    const run = await runIngest(ENV, { trigger: "cron", sourceId: "eurasianet", now: Date.now() });
    expect(run.errorMessages).toEqual([]);
    itemId = await itemIdFor(`${origin}/${SLUG}`);
  });

  afterAll(async () => {
    await resetFixture();
  });

  it("stores a body with no executable left and the ordinary formatting intact", async () => {
    const item = (await getItem(env.DB, itemId))!;
    expect(item).not.toBeNull();
    expect(await executables(item.contentHtml!)).toEqual([]);
    expectFormatting(item.contentHtml!);
    // Text that was a vector is still there as text (nothing silently lost from the story).
    expect(item.contentHtml).toContain("js link");
    expect(item.contentHtml).toContain("custom element");
  });

  it("keeps titles and deks as plain text: no element of the page survives in them", async () => {
    const item = (await getItem(env.DB, itemId))!;
    expect(item.title.startsWith("Headline")).toBe(true);
    expect(item.summary!.startsWith("Dek")).toBe(true);
    // Only text remains of the markup: the elements and their attributes are gone.
    expect(item.title).not.toMatch(/onmouseover|<b\b/);
    expect(item.summary).not.toMatch(/href=|<img src=x onerror=alert\("d2"\)>/);
  });

  it("RSS: well-formed; description and content:encoded are inert HTML; the title is escaped text", async () => {
    const body = await (await request("GET", `${W}/feeds/source/eurasianet.rss?limit=200`)).text();
    expect(XMLValidator.validate(body)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: false }).parse(body);
    const items = [parsed.rss.channel.item].flat() as Record<string, unknown>[];
    const mine = items.find((i) => String((i.guid as Record<string, string>)["#text"]).includes(itemId))!;
    expect(mine).toBeDefined();
    const item = (await getItem(env.DB, itemId))!;
    expect(String(mine.title)).toBe(item.title);
    expect(await executables(String(mine.description))).toEqual([]);
    expect(await executables(String(mine["content:encoded"]))).toEqual([]);
    expectFormatting(String(mine["content:encoded"]));
  });

  it("Atom: well-formed; content is inert HTML; title and summary are typed text", async () => {
    const body = await (await request("GET", `${W}/feeds/region/caucasus.atom?limit=200`)).text();
    expect(XMLValidator.validate(body)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@",
      processEntities: true,
      htmlEntities: false,
    }).parse(body);
    const entries = [parsed.feed.entry].flat() as Record<string, Record<string, string>>[];
    const mine = entries.find((e) => JSON.stringify(e.id).includes(itemId))!;
    expect(mine).toBeDefined();
    expect(mine.title!["@type"]).toBe("text");
    expect(mine.summary!["@type"]).toBe("text");
    expect(mine.content!["@type"]).toBe("html");
    expect(await executables(mine.content!["#text"]!)).toEqual([]);
    expectFormatting(mine.content!["#text"]!);
  });

  it("JSON Feed and the JSON API: content_html is inert; titles are text", async () => {
    const feed = (await (await request("GET", `${W}/feeds/all.json?limit=200`)).json()) as {
      items: Record<string, string>[];
    };
    const mine = feed.items.find((i) => i.id!.includes(itemId))!;
    expect(mine).toBeDefined();
    expect(await executables(mine.content_html!)).toEqual([]);
    expectFormatting(mine.content_html!);
    const api = await request("GET", `${W}/api/items/${itemId}`);
    if (api.status === 200) {
      const { item } = (await api.json()) as { item: { contentHtml: string } };
      expect(await executables(item.contentHtml)).toEqual([]);
    } else {
      expect(api.status).toBe(404); // no JSON API in this build
    }
  });

  it("HTML pages never carry the vectors", async () => {
    for (const path of ["/", "/docs"]) {
      const r = await request("GET", `${W}${path}`);
      if (r.status === 404) continue;
      const html = await r.text();
      expect(html).not.toMatch(/alert\((['"]?)(t\d|d\d|body-\d|\d+)\1\)/);
    }
  });
});

function expectFormatting(html: string): void {
  expect(html).toContain('<a href="https://example.org/report">link</a>');
  expect(html).toContain("<em>emphasis</em>");
  expect(html).toContain("<strong>strong</strong>");
  expect(html).toMatch(/<ul><li>first point<\/li><li>second point<\/li><\/ul>/);
  expect(html).toContain("<ol><li>step one</li></ol>");
  expect(html).toMatch(/<blockquote><p>A quoted sentence\.<\/p><\/blockquote>/);
  expect(html).toContain(`<img src="${origin}/sites/default/files/hostile/photo.jpg" alt="A photo">`);
  expect(html).toMatch(/<p>Ordinary /);
}

// ---------------------------------------------------------------------------------------------
// Request fuzz.

const SEED_VALUE = 0xc0ffee;
const REQUESTS = 600;

function fuzzer(random: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const int = (n: number) => Math.floor(random() * n);
  const randomBytes = (n: number) =>
    Array.from({ length: n }, () => `%${int(256).toString(16).padStart(2, "0").toUpperCase()}`).join("");
  const unicode = (n: number) =>
    Array.from({ length: n }, () => pick(["é", "Ж", "ğ", "中", "😀", "\u200b", "\u202e", "ß"])).join("");
  const values: (() => string)[] = [
    () =>
      pick([
        "all",
        "caucasus",
        "georgia",
        "security",
        "eurasianet",
        "rss",
        "atom",
        "json",
        "region",
        "country",
        "topic",
        "source",
      ]),
    () =>
      `${pick(["all", "caucasus", "georgia", "kazakhstan", "security", "eurasianet"])}.${pick(["rss", "atom", "json", "xml", "html", ""])}`,
    () => randomBytes(1 + int(40)),
    () => encodeURIComponent(unicode(1 + int(10))),
    () =>
      pick([
        "..",
        "..%2f..%2fetc%2fpasswd",
        "%2e%2e%2f",
        "....//",
        "%00",
        "a%00b",
        "%",
        "%zz",
        "%e0%80%af",
        "%c0%ae",
        "%ff%fe",
      ]),
    () => "x".repeat(pick([1000, 9000, 20_000])),
    () => pick(["99999999999999999999999", "-1", "0", "1e309", "NaN", "Infinity", "0x10", "1.5", " 1", "١٢"]),
    () => pick(["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"]),
    () =>
      encodeURIComponent(
        pick([
          "'; DROP TABLE items;--",
          '" OR 1=1 --',
          "<script>alert(1)</script>",
          "$" + "{7*7}",
          "{{7*7}}",
          "*",
          "\\",
        ]),
      ),
    () => "",
  ];
  const value = () => pick(values)();
  const keys = [
    "limit",
    "cursor",
    "q",
    "lang",
    "region",
    "country",
    "topic",
    "source",
    "force",
    "pages",
    "before",
    "id",
    "page",
    "since",
    "until",
    "format",
  ];
  const query = () => {
    const parts: string[] = [];
    const count = int(6);
    for (let i = 0; i < count; i++) {
      const key = random() < 0.7 ? pick(keys) : value();
      const repeat = random() < 0.2 ? 2 + int(30) : 1;
      for (let r = 0; r < repeat; r++) parts.push(random() < 0.1 ? key : `${key}=${value()}`);
    }
    return parts.length ? `?${parts.join(random() < 0.1 ? ";" : "&")}` : random() < 0.1 ? "?" : "";
  };
  return { pick, int, value, query };
}

/** Route templates from the app itself, so routes added later are fuzzed too. */
function routeTemplates(): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of createApp().routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

function fill(template: string, f: ReturnType<typeof fuzzer>): string {
  return template
    .split("/")
    .map((segment) => {
      if (segment === "*") return f.value();
      if (segment.startsWith(":")) return f.value();
      return segment;
    })
    .join("/");
}

describe("request fuzz: every route answers 2xx or 4xx", () => {
  it(`${REQUESTS} seeded requests (seed ${SEED_VALUE.toString(16)}) never get a 5xx, and the Worker keeps answering`, async () => {
    const random = prng(SEED_VALUE);
    const f = fuzzer(random);
    const templates = routeTemplates();
    expect(templates.map((t) => t.path)).toEqual(
      expect.arrayContaining(["/", "/healthz", "/feeds/:kind/:file", "/admin/*"]),
    );
    const adminTemplates = [
      "/admin/ingest",
      "/admin/runs",
      "/admin/sources",
      "/admin/sources/:id/pause",
      "/admin/sources/:id/backfill",
      "/admin/:x/:y",
    ];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const check = async (label: string, method: string, url: string, headers: Record<string, string>) => {
      try {
        const response = await request(method, url, headers);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const ok =
          (response.status >= 200 && response.status < 300) ||
          (response.status >= 400 && response.status < 500) ||
          response.status === 304;
        if (!ok) failures.push(`${label} -> ${response.status}`);
      } catch (err) {
        failures.push(`${label} -> threw ${err instanceof Error ? err.message : String(err)}`);
      }
    };

    // Fixed edge cases first, then the seeded random ones.
    const auth = { authorization: `Bearer ${TOKEN}` };
    const edges: [string, string, Record<string, string>][] = [
      ["GET", `/feeds/all.rss?${"limit=1&".repeat(5000)}`, {}],
      ["GET", `/${"x".repeat(65_536)}`, {}],
      ["GET", `/feeds/region/${"a".repeat(30_000)}.rss`, {}],
      ["GET", "/feeds/%zz.rss", {}],
      ["GET", "/feeds/region/%E0%80%AF.atom", {}],
      ["GET", "/feeds/region/..%2f..%2fadmin%2fruns.rss", {}],
      ["GET", "/%00", {}],
      ["GET", "/api/items/%00", {}],
      ["GET", "/feeds/all.json?cursor=%00%00&limit=%00", {}],
      ["GET", "/admin/runs?limit=%00", auth],
      ["POST", "/admin/sources/%00/pause", auth],
      ["POST", "/admin/sources/..%2f..%2fingest/backfill?pages=2", auth],
      ["POST", `/admin/ingest?source=${"e".repeat(10_000)}`, auth],
      ["GET", "/admin/runs?before=99999999999999999999999", auth],
    ];
    for (const [method, path, headers] of edges)
      await check(`edge ${method} ${path.slice(0, 120)}`, method, `${W}${path}`, headers);

    for (let i = 0; i < REQUESTS; i++) {
      const useAdmin = random() < 0.25;
      const template = useAdmin ? f.pick(adminTemplates) : f.pick(templates).path;
      let path = fill(template, f);
      if (random() < 0.1) path += `/${f.value()}`;
      if (random() < 0.03) path = `/${"a/".repeat(2000)}`;
      // POST with a valid token and a clean query would run a real ingest: fuzz queries only.
      let query = f.query();
      if (useAdmin && random() < 0.5 && query === "") query = `?${f.value()}=${f.value()}`;
      const method = useAdmin
        ? f.pick(["GET", "POST", "PUT", "DELETE", "HEAD"])
        : f.pick(["GET", "GET", "GET", "HEAD", "POST", "OPTIONS", "PATCH"]);
      const headers: Record<string, string> = {};
      if (useAdmin && random() < 0.7) headers.authorization = `Bearer ${TOKEN}`;
      // Header values a client can send are ASCII; non-ASCII is percent-encoded like the rest.
      const ascii = () =>
        f
          .value()
          .slice(0, 200)
          .replace(/[^\x20-\x7e]/g, "?");
      if (random() < 0.1) headers["if-none-match"] = ascii();
      if (random() < 0.1)
        headers["if-modified-since"] = f.pick(["yesterday", "Wed, 21 Oct 2015 07:28:00 GMT", "0", ""]);
      if (random() < 0.1) headers.accept = ascii();
      let url: string;
      try {
        url = new URL(`${W}${path}${query}`).href;
      } catch {
        continue; // not a URL a client could send
      }
      await check(`#${i} ${method} ${url.slice(0, 300)}`, method, url, headers);
    }
    expect(failures, failures.slice(0, 10).join("\n")).toEqual([]);
    // The fuzz reached both kinds of answer, so it exercised handlers, not only the router.
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 400 && s < 500)).toBe(true);

    const health = await request("GET", `${W}/healthz`);
    expect(health.status).toBe(200);
    const feed = await request("GET", `${W}/feeds/all.rss`);
    expect(feed.status).toBe(200);
    await feed.arrayBuffer();
  });
});
