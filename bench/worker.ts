/**
 * The bench Worker: times the project's own modules INSIDE workerd, the runtime they ship to.
 *
 * bench/run.mjs bundles this file with esbuild, runs it under Miniflare and POSTs one task at a
 * time to /time (inputs such as page HTML come in the request body, so the driver owns the test
 * data). Each answer is the median cost of one operation in microseconds.
 *
 * How time is read: on Cloudflare, Date.now()/performance.now() stand still during pure
 * computation (a Spectre mitigation) and only move across I/O; under local workerd they also move
 * during computation, but in 1 ms steps. So every sample is a batch: wait on a timer (I/O), read
 * the clock, run the operation N times, wait on a timer again, read the clock. N is chosen so a
 * batch lasts about BATCH_MS, which keeps the 1 ms steps under 2 % of it; the cost of the two
 * timer waits is measured on its own and subtracted.
 *
 * The feed-source parser and the tagger are written by other work in progress: they are imported
 * through the virtual modules "bench:feed-parser" and "bench:tagger", which run.mjs points at the
 * real module when it exists and at a stub exporting nothing otherwise.
 */
import * as feedParser from "bench:feed-parser";
import * as tagger from "bench:tagger";
import { type Env, readConfig } from "../src/env";
import { createApp } from "../src/http/app";
import { extractArticle } from "../src/ingest/html/article";
import { parseListing } from "../src/ingest/html/listing";
import { sanitizeHtml } from "../src/ingest/sanitize";
import { renderAtom } from "../src/render/atom";
import type { FeedDocument } from "../src/render/document";
import { renderJsonFeed } from "../src/render/jsonfeed";
import { renderRss } from "../src/render/rss";
import { shippedSource } from "../src/sources";
import { largeDocument } from "../test/helpers/sample-document";

const eurasianet = shippedSource("eurasianet", "html");
const BATCH_MS = 60;
const SAMPLES = 9;
const WARMUP_RUNS = 20;

/** What the driver sends to /time. */
interface TimeRequest {
  task: string;
  /** Page HTML or feed XML, for the parse tasks. */
  body?: string;
  /** The URL the body was fetched from (relative links resolve against it). */
  url?: string;
  /** Items per rendered feed and HTML bytes per item, for the render tasks. */
  items?: number;
  contentBytes?: number;
}

export interface Timing {
  task: string;
  /** Median µs per operation, timer overhead removed. */
  micros: number;
  /** Every sample, µs per operation, in the order taken. */
  samples: number[];
  /** Operations per sample. */
  batch: number;
  /** What one operation produced (items parsed, bytes rendered), so the driver can check it is real work. */
  output: Record<string, number | string | null>;
}

type Operation = () => unknown;

const tick = (): Promise<void> => scheduler.wait(0);

/**
 * Milliseconds one batch of `n` operations takes, read across timer waits. A synchronous
 * operation's result is dropped as soon as it returns, never held while the next one runs: the
 * Worker keeps no rendered string either (it encodes it to bytes at once), and holding the last
 * 330 KiB result made every render pay for moving its predecessor into V8's old generation
 * (JSON Feed: about 250 µs dropped, 300-330 µs held; 5 times the page faults).
 */
async function batchMs(op: Operation, n: number, isAsync: boolean): Promise<number> {
  await tick();
  const start = performance.now();
  if (isAsync) {
    for (let i = 0; i < n; i++) await op();
  } else {
    runSync(op, n);
  }
  await tick();
  return performance.now() - start;
}

function runSync(op: Operation, n: number): void {
  for (let i = 0; i < n; i++) op();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The cost of the two timer waits that frame every batch, in ms (a batch of nothing). */
async function frameMs(): Promise<number> {
  const noop = () => undefined;
  const ms: number[] = [];
  for (let i = 0; i < 15; i++) ms.push(await batchMs(noop, 0, false));
  return median(ms);
}

async function timeOperation(task: string, op: Operation, output: Timing["output"]): Promise<Timing> {
  let isAsync = false;
  for (let i = 0; i < WARMUP_RUNS; i++) {
    const r = op();
    if (r instanceof Promise) {
      isAsync = true;
      await r;
    }
  }
  // Double N until a batch is long enough to measure, then scale it to BATCH_MS from the fastest
  // of three batches (a batch slowed by other work on the machine would make N too small).
  let n = 1;
  while ((await batchMs(op, n, isAsync)) < 10) n *= 2;
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) fastest = Math.min(fastest, await batchMs(op, n, isAsync));
  n = Math.max(1, Math.round((n * BATCH_MS) / fastest));
  const frame = await frameMs();
  const samples: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    samples.push((Math.max(0, (await batchMs(op, n, isAsync)) - frame) * 1000) / n);
  }
  return { task, micros: median(samples), samples, batch: n, output };
}

/**
 * The render alone is the figure; a cache miss then encodes the string to the UTF-8 bytes the
 * cache keeps (src/http/feeds.ts), timed afterwards as render + encode for the note.
 */
async function renderTask(task: string, request: TimeRequest): Promise<Timing> {
  const doc: FeedDocument = largeDocument(request.items ?? 50, request.contentBytes ?? 5000);
  const render = task === "render-rss" ? renderRss : task === "render-atom" ? renderAtom : renderJsonFeed;
  const utf8 = new TextEncoder();
  const outputBytes = utf8.encode(render(doc)).length;
  const timing = await timeOperation(task, () => render(doc), {
    items: doc.items.length,
    contentBytesPerItem: doc.items[0]?.contentHtml?.length ?? 0,
    outputBytes,
  });
  const withEncode = await timeOperation(`${task}+encode`, () => utf8.encode(render(doc)), {});
  timing.output.renderAndEncodeMicros = withEncode.micros;
  return timing;
}

async function listingTask(request: TimeRequest): Promise<Timing> {
  const { body, url } = required(request);
  const once = () => parseListing(body, url, eurasianet.listingSelectors);
  const page = await once();
  if (page.teasers.length === 0)
    throw new Error("the listing page yielded no teasers: the bench input does not fit the selectors");
  return timeOperation("parse-listing", once, { teasers: page.teasers.length, pageBytes: body.length });
}

/** One HTMLRewriter pass over the page with a single no-op handler: the floor any parse pays. */
async function rewriterBaselineTask(request: TimeRequest): Promise<Timing> {
  const { body } = required(request);
  let rows = 0;
  const once = () =>
    new HTMLRewriter()
      .on("div.view__row", {
        element: () => {
          rows++;
        },
      })
      .transform(new Response(body))
      .arrayBuffer();
  await once();
  return timeOperation("rewriter-baseline", once, { pageBytes: body.length, rowsPerPass: rows });
}

async function articleTask(request: TimeRequest, withSanitize: boolean): Promise<Timing> {
  const { body, url } = required(request);
  const once = async () => {
    const article = await extractArticle(body, url, eurasianet.articleSelectors);
    const content = withSanitize && article.bodyHtml ? await sanitizeHtml(article.bodyHtml, url) : null;
    return { article, content };
  };
  const { article, content } = await once();
  if (!article.title || !article.bodyHtml)
    throw new Error("the article page yielded no title or body: the bench input does not fit the selectors");
  return timeOperation(withSanitize ? "parse-article-sanitize" : "parse-article", once, {
    pageBytes: body.length,
    bodyHtmlBytes: article.bodyHtml.length,
    sanitizedBytes: content?.length ?? null,
    countries: article.countries.length,
  });
}

/** The feed-source parser, when the module exists and exports it. */
type FeedParse = (body: string, feedUrl: string) => unknown;
const parseFeedDocument = (feedParser as Record<string, unknown>).parseFeedDocument as FeedParse | undefined;

async function feedParseTask(request: TimeRequest): Promise<Timing | { task: string; unavailable: string }> {
  if (typeof parseFeedDocument !== "function") {
    return { task: "parse-feed", unavailable: "src/ingest/feed/index.ts does not export parseFeedDocument yet" };
  }
  const { body, url } = required(request);
  const once = () => parseFeedDocument(body, url);
  const result = await once();
  return timeOperation("parse-feed", once, { entries: countEntries(result), feedBytes: body.length });
}

/** How many entries a parse result holds, whatever shape the parser returns. */
function countEntries(result: unknown): number | null {
  if (Array.isArray(result)) return result.length;
  if (result && typeof result === "object") {
    const r = result as Record<string, unknown>;
    for (const key of ["items", "entries"]) if (Array.isArray(r[key])) return (r[key] as unknown[]).length;
    for (const key of ["feed", "value", "data", "document"]) if (r[key]) return countEntries(r[key]);
  }
  return null;
}

/** The tagger, when the module exists: tagStory({ title, summary, bodyText?, language? }) → slugs. */
interface TaggerResult {
  countries: string[];
  topics: string[];
}
type TagStory = (story: Record<string, unknown>) => TaggerResult | Promise<TaggerResult>;
const tagStory = (tagger as Record<string, unknown>).tagStory as TagStory | undefined;
const TAGGER_MISSING = "src/ingest/tagger.ts does not export tagStory yet";

/** Tags labelled stories and returns what the tagger said, for the driver to score. */
async function taggerTask(request: { stories?: Record<string, unknown>[] }): Promise<unknown> {
  if (typeof tagStory !== "function") return { task: "tagger", unavailable: TAGGER_MISSING };
  const predictions: TaggerResult[] = [];
  for (const story of request.stories ?? []) {
    const r = await tagStory(story);
    predictions.push({ countries: [...r.countries], topics: [...r.topics] });
  }
  return { task: "tagger", predictions };
}

/** Time to tag one story of the given title, summary and body (the body as plain text). */
async function taggerTimeTask(request: TimeRequest): Promise<Timing | { task: string; unavailable: string }> {
  if (typeof tagStory !== "function") return { task: "tagger-time", unavailable: TAGGER_MISSING };
  const story = JSON.parse(request.body ?? "{}") as Record<string, unknown>;
  const once = () => tagStory(story);
  const r = await once();
  return timeOperation("tagger-time", once, {
    bodyChars: typeof story.bodyText === "string" ? story.bodyText.length : 0,
    countries: r.countries.join(","),
    topics: r.topics.join(","),
  });
}

/**
 * The cached-feed path as the real Worker runs it, minus the HTTP server: the project's Hono app
 * answering a feed URL from its in-isolate memo, called directly. The first call renders (a miss)
 * and fills the memo; the timed calls are hits, checked to be. Next to it, the pieces a hit
 * always pays (reading the vars with zod, a Response from the cached UTF-8 bytes) and what the
 * constant Worker pays (a Response from a string), so the driver can say where the gap goes.
 */
async function feedHitTasks(request: TimeRequest, env: Env, ctx: ExecutionContext): Promise<Timing[]> {
  const url = request.url ?? "http://bench.local/feeds/region/central-asia.rss";
  const app = createApp();
  const call = async () => {
    const response = await app.fetch(new Request(url), env, ctx);
    const body = await response.text();
    return { response, body };
  };
  await call();
  const { response, body } = await call();
  if (response.status !== 200 || response.headers.get("x-caravan-cache") !== "hit") {
    throw new Error(
      `feed-hit: expected a 200 cache hit, got ${response.status} ${response.headers.get("x-caravan-cache")}`,
    );
  }
  const headers = Object.fromEntries(response.headers);
  const bytes = new TextEncoder().encode(body);
  return [
    await timeOperation("feed-hit", call, { status: response.status, bodyBytes: body.length }),
    await timeOperation("feed-hit:read-config", () => readConfig(env), {}),
    await timeOperation("feed-hit:response-from-string", () => new Response(body, { headers }).text(), {
      bodyBytes: body.length,
    }),
    await timeOperation("feed-hit:response-from-bytes", () => new Response(bytes, { headers }).text(), {
      bodyBytes: bytes.length,
    }),
  ];
}

function required(request: TimeRequest): { body: string; url: string } {
  if (typeof request.body !== "string" || typeof request.url !== "string")
    throw new Error(`task ${request.task} needs body and url`);
  return { body: request.body, url: request.url };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const path = new URL(request.url).pathname;
    try {
      if (request.method !== "POST")
        return Response.json({ error: "POST a task to /time or /tagger" }, { status: 405 });
      if (path === "/tagger") return Response.json(await taggerTask(await request.json()));
      if (path !== "/time") return Response.json({ error: `no route ${path}` }, { status: 404 });
      const body = (await request.json()) as TimeRequest;
      switch (body.task) {
        case "render-rss":
        case "render-atom":
        case "render-json":
          return Response.json(await renderTask(body.task, body));
        case "parse-listing":
          return Response.json(await listingTask(body));
        case "rewriter-baseline":
          return Response.json(await rewriterBaselineTask(body));
        case "parse-article":
          return Response.json(await articleTask(body, false));
        case "parse-article-sanitize":
          return Response.json(await articleTask(body, true));
        case "parse-feed":
          return Response.json(await feedParseTask(body));
        case "tagger-time":
          return Response.json(await taggerTimeTask(body));
        case "feed-hit":
          return Response.json(await feedHitTasks(body, env, ctx));
        default:
          return Response.json({ error: `unknown task ${String(body.task)}` }, { status: 400 });
      }
    } catch (err) {
      return Response.json(
        { error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) },
        { status: 500 },
      );
    }
  },
} satisfies ExportedHandler<Env>;
