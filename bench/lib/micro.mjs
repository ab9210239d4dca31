// Figures timed inside workerd by the bench Worker (bench/worker.ts): feed rendering, page and
// feed parsing, and the tagger (precision and recall over the labelled set, and time per story).
import { existsSync, readFileSync } from "node:fs";
import { fixtureArticle, listingPage, rssFeed, SEED_ARTICLE_SLUG, stories } from "./pages.mjs";
import { ROOT } from "./paths.mjs";
import { figure, unavailable } from "./report.mjs";

const SITE = "https://eurasianet.org";
export const TAGGER_LABELS = "test/data/tagger-labelled.json";

/** POSTs one task to the bench Worker; throws with the Worker's message on failure. */
export async function benchTask(benchUrl, path, payload) {
  const response = await fetch(`${benchUrl}${path}`, { method: "POST", body: JSON.stringify(payload) });
  const result = await response.json();
  if (!response.ok || result.error)
    throw new Error(`bench Worker ${payload.task ?? path}: ${result.error ?? response.status}`);
  return result;
}

const spread = (t) =>
  `median of ${t.samples.length} batches of ${t.batch}; ${Math.round(Math.min(...t.samples))}–${Math.round(Math.max(...t.samples))} µs`;

const FORMAT_NAMES = { rss: "RSS", atom: "Atom", json: "JSON Feed" };

/**
 * Render time per format: 50 items of ~5 KB HTML (test/helpers/sample-document.ts largeDocument).
 * Each format is timed in a fresh isolate: timed one after another in one isolate, a format
 * paid for the garbage the previous one left (Atom measured 370-480 µs first, 480-630 µs right
 * after RSS), which is the order of the tasks, not the cost of the renderer.
 */
export async function renderFigures(freshWorker) {
  const targets = { rss: 500, atom: 500, json: 300 };
  const out = [];
  for (const format of ["rss", "atom", "json"]) {
    const worker = await freshWorker();
    let t;
    try {
      t = await benchTask(worker.url, "/time", { task: `render-${format}`, items: 50, contentBytes: 5000 });
    } finally {
      await worker.dispose();
    }
    out.push(
      figure({
        key: `render.${format}`,
        label: `uncached 50-item feed render, ${FORMAT_NAMES[format]}`,
        value: t.micros,
        unit: "µs",
        target: { op: "<=", value: targets[format] },
        note:
          `${Math.round(t.output.outputBytes / 1024)} KiB out; ${spread(t)}. ` +
          `With the UTF-8 encoding a cache miss does next: ${Math.round(t.output.renderAndEncodeMicros)} µs`,
        detail: t,
      }),
    );
  }
  return out;
}

/** Listing page (50 teasers) and article page parse, µs per page. */
export async function parseFigures(benchUrl) {
  const listing = listingPage(stories(50));
  const l = await benchTask(benchUrl, "/time", {
    task: "parse-listing",
    body: listing,
    url: `${SITE}/region/caucasus`,
  });
  const floor = await benchTask(benchUrl, "/time", {
    task: "rewriter-baseline",
    body: listing,
    url: `${SITE}/region/caucasus`,
  });
  const article = fixtureArticle(SEED_ARTICLE_SLUG, SITE);
  const articleUrl = `${SITE}/${SEED_ARTICLE_SLUG}`;
  const a = await benchTask(benchUrl, "/time", { task: "parse-article", body: article, url: articleUrl });
  const s = await benchTask(benchUrl, "/time", { task: "parse-article-sanitize", body: article, url: articleUrl });
  return [
    figure({
      key: "parse.listing",
      label: "listing page parse (50 teasers)",
      value: l.micros,
      unit: "µs",
      note:
        `${l.output.teasers} teasers from ${Math.round(l.output.pageBytes / 1024)} KiB; ${spread(l)}. ` +
        `One HTMLRewriter pass over the same page with a single no-op handler takes ${Math.round(floor.micros)} µs`,
      detail: { ...l, rewriterBaseline: floor },
    }),
    figure({
      key: "parse.article",
      label: "article page parse",
      value: a.micros,
      unit: "µs",
      target: { op: "<=", value: 2000 },
      note: `${SEED_ARTICLE_SLUG} (${Math.round(a.output.pageBytes / 1024)} KiB page); ${spread(a)}`,
      detail: a,
    }),
    figure({
      key: "parse.article_sanitize",
      label: "article page parse + body sanitize",
      value: s.micros,
      unit: "µs",
      note: spread(s),
      detail: s,
    }),
  ];
}

/** Feed-source parse of a generated 100-item RSS feed with content:encoded. */
export async function feedParseFigure(benchUrl, available) {
  const label = "feed-source parse: 100-item RSS with content:encoded";
  if (!available) return unavailable("parse.feed", label, "not available yet: src/ingest/feed/index.ts does not exist");
  const xml = rssFeed(100);
  const t = await benchTask(benchUrl, "/time", {
    task: "parse-feed",
    body: xml,
    url: "https://news.example.org/rss.xml",
  });
  if (t.unavailable) return unavailable("parse.feed", label, `not available yet: ${t.unavailable}`);
  return figure({
    key: "parse.feed",
    label,
    value: t.micros,
    unit: "µs",
    note: `${Math.round(xml.length / 1024)} KiB feed${t.output.entries === null ? "" : `, ${t.output.entries} entries read`}; ${spread(t)}`,
    detail: t,
  });
}

/** Micro-averaged precision and recall of predicted against expected slug lists. */
export function precisionRecall(pairs) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { got, expected } of pairs) {
    const want = new Set(expected);
    const have = new Set(got);
    for (const g of have) want.has(g) ? tp++ : fp++;
    for (const e of want) if (!have.has(e)) fn++;
  }
  return {
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
    tp,
    fp,
    fn,
  };
}

const HELD_OUT = ["holdout", "test"];

/**
 * The tagger's precision and recall on the labelled set (test/data/tagger-labelled.json: items of
 * { id, split, title, summary, language, bodyText?, countries, topics }), per kind. The figures
 * are on the held-out split when the file has one (the items the tagger was not tuned on); the
 * note gives them over all items too.
 */
export async function taggerFigures(benchUrl, available) {
  const labels = [
    "tagger precision, countries",
    "tagger recall, countries",
    "tagger precision, topics",
    "tagger recall, topics",
  ];
  const keys = [
    "tagger.countries.precision",
    "tagger.countries.recall",
    "tagger.topics.precision",
    "tagger.topics.recall",
  ];
  const missing = !available
    ? "src/ingest/tagger.ts does not exist"
    : !existsSync(`${ROOT}/${TAGGER_LABELS}`)
      ? `${TAGGER_LABELS} does not exist`
      : null;
  if (missing) return keys.map((k, i) => unavailable(k, labels[i], `not available yet: ${missing}`));

  const file = JSON.parse(readFileSync(`${ROOT}/${TAGGER_LABELS}`, "utf8"));
  const items = Array.isArray(file) ? file : file.items;
  if (!Array.isArray(items) || items.length === 0)
    return keys.map((k, i) => unavailable(k, labels[i], `${TAGGER_LABELS} holds no items`));
  const storyOf = (i) => ({
    title: i.title,
    summary: i.summary ?? null,
    language: i.language ?? "en",
    bodyText: i.bodyText ?? i.body ?? null,
  });
  const result = await benchTask(benchUrl, "/tagger", { stories: items.map(storyOf) });
  if (result.unavailable)
    return keys.map((k, i) => unavailable(k, labels[i], `not available yet: ${result.unavailable}`));

  const heldOutName = HELD_OUT.find((name) => items.some((i) => i.split === name));
  const scoreOf = (subset, kind) =>
    precisionRecall(
      items.flatMap((it, n) => (subset(it) ? [{ got: result.predictions[n][kind], expected: it[kind] ?? [] }] : [])),
    );
  const inFigure = heldOutName ? (it) => it.split === heldOutName : () => true;
  const figureSet = heldOutName
    ? `held-out "${heldOutName}" split, ${items.filter(inFigure).length} of ${items.length} items`
    : `all ${items.length} items`;
  const out = [];
  for (const kind of ["countries", "topics"]) {
    const pr = scoreOf(inFigure, kind);
    const all = scoreOf(() => true, kind);
    for (const measure of ["precision", "recall"]) {
      out.push(
        figure({
          key: `tagger.${kind}.${measure}`,
          label: `tagger ${measure}, ${kind}`,
          value: pr[measure],
          unit: "",
          display: pr[measure] === null ? "n/a" : pr[measure].toFixed(3),
          note:
            `${figureSet}; tp ${pr.tp}, fp ${pr.fp}, fn ${pr.fn} (micro-averaged)` +
            (heldOutName ? `; over all ${items.length} items ${all[measure]?.toFixed(3) ?? "n/a"}` : ""),
        }),
      );
    }
  }
  return out;
}

/** Time to tag one story with a ~5 KB body (the seed article's text, repeated to length). */
export async function taggerTimeFigure(benchUrl, available) {
  const label = "tagger, one story with a 5 KB body";
  if (!available) return unavailable("tagger.time", label, "not available yet: src/ingest/tagger.ts does not exist");
  const page = fixtureArticle(SEED_ARTICLE_SLUG, SITE);
  const text =
    /<div class="article__body">([\s\S]*?)<div class="article__author-bio">/
      .exec(page)?.[1]
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim() ?? "";
  const body = text.repeat(Math.ceil(5000 / Math.max(1, text.length))).slice(0, 5000);
  const story = {
    title: "Azerbaijan reaches deal with Belarus over missile purchases - report",
    summary: "The deal had, according to earlier reports, been blocked by Armenia.",
    language: "en",
    bodyText: body,
  };
  const t = await benchTask(benchUrl, "/time", { task: "tagger-time", body: JSON.stringify(story) });
  if (t.unavailable) return unavailable("tagger.time", label, `not available yet: ${t.unavailable}`);
  return figure({
    key: "tagger.time",
    label,
    value: t.micros,
    unit: "µs",
    note: `tagged ${t.output.countries || "no country"} / ${t.output.topics || "no topic"}; ${spread(t)}`,
    detail: t,
  });
}
