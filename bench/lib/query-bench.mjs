// The region feed query, and feeds with combined filters, with 10,000 and 1,000,000 items stored.
//
// D1 is SQLite. Loading a million items through Miniflare's D1 binding (an HTTP round trip per
// batch into workerd's SQLite) would take longer than this whole bench may, so the database is
// built in memory with Node's own SQLite (node:sqlite), with the SAME schema (migrations/*.sql applied as
// they are) and the SAME statement the Worker runs (buildItemQuery from src/store/query.ts, bundled
// from the source). What is measured is whether the statement's cost grows with the table:
// indexes, not scans. Absolute times are SQLite's in Node, not D1's over its network hop.
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { prng } from "../../test/fixtures/prng.mjs";
import { median } from "./load.mjs";
import { applyToSqlite } from "./migrations.mjs";
import { figure } from "./report.mjs";

/** 32 hex digits from a hash of the URL, as real item ids are (their order is random). */
const itemId = (url) => createHash("md5").update(url).digest("hex");

const NEWEST = Date.UTC(2026, 5, 1);
const SPAN_MINUTES = 20 * 365 * 24 * 60;
/** Item sources, drawn uniformly: a source filter then keeps about one item in eight. */
const SOURCE_IDS = [
  "eurasianet",
  "eurasianet-rss",
  "oc-media",
  "civil-ge",
  "jamnews",
  "rferl",
  "meduza-en",
  "diplomat-central-asia",
];
/**
 * The term sets items draw from are the same for every database size (one seed), so a
 * combination of filters keeps the same share of items at 10k and at 1M and the walk to fill a
 * page is as long in both: what differs is only the size of the tables.
 */
const COMBINATIONS_SEED = 4096;
const CONTENT = `<p>${"Officials said the talks on water and borders would resume next month. ".repeat(3)}</p>`;

/**
 * Builds an in-memory database of `count` synthetic items with the migrations' schema. Each item
 * has one or two countries (uniform over the taxonomy), their regions, one or two topics (with
 * parents) and its source (one of eight): about 5.5 item_terms rows, as real items have. Publication times are
 * minutes over twenty years, so equal times (ties broken by id) occur; ids are hashes of the URL,
 * as real ones are.
 *
 * To load a million items in seconds rather than minutes, the secondary indexes are dropped
 * while loading and then created again from their own CREATE statements as SQLite stored them,
 * and item_terms is filled by INSERT … SELECT from the items' JSON columns (json_each), one per kind.
 * The schema queried afterwards is exactly the migrations' schema.
 */
export function buildDatabase(count, taxonomy) {
  const db = new DatabaseSync(":memory:");
  applyToSqlite(db);
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all();
  for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);

  const rand = prng(count);
  const published = Array.from({ length: count }, () => NEWEST - Math.floor(rand() * SPAN_MINUTES) * 60_000).sort(
    (a, b) => a - b,
  );
  const combinations = termCombinations(prng(COMBINATIONS_SEED), taxonomy);

  const insertItem = db.prepare(
    `INSERT INTO items (id, url, title, summary, content_html, authors, published_at, updated_at, first_seen_at,
       image_url, image_caption, language, source_id, countries, regions, topics, tags, content_hash, teaser_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'en', ?, ?, ?, ?, '[]', ?, ?)`,
  );
  db.exec("BEGIN");
  for (let i = 0; i < count; i++) {
    const at = published[i];
    const terms = combinations[Math.floor(rand() * combinations.length)];
    const url = `https://eurasianet.org/story-${i}`;
    const id = itemId(url);
    insertItem.run(
      id,
      url,
      `Story ${i}: talks on water and borders resume in the valley`,
      "Officials from both sides met on Tuesday; a further round is planned for next month in the capital.",
      CONTENT,
      '["Joshua Kucera"]',
      at,
      at,
      at,
      `https://eurasianet.org/sites/default/files/${i}.jpg`,
      SOURCE_IDS[Math.floor(rand() * SOURCE_IDS.length)],
      terms.countries,
      terms.regions,
      terms.topics,
      id, // content and teaser hashes: never read by the feed query
      id,
    );
  }
  // In id order, so each pass walks item_terms' primary key from one end to the other.
  const insertTerms = "INSERT INTO item_terms (item_id, kind, slug, origin, published_at)";
  db.exec(`${insertTerms} SELECT id, 'source', source_id, 'source', published_at FROM items ORDER BY id`);
  for (const [kind, column] of [
    ["country", "countries"],
    ["region", "regions"],
    ["topic", "topics"],
  ]) {
    db.exec(
      `${insertTerms} SELECT i.id, '${kind}', j.value, 'source', i.published_at FROM items i, json_each(i.${column}) j ORDER BY i.id`,
    );
  }
  db.exec("COMMIT");
  for (const { sql } of indexes) db.exec(sql);
  const termRows = db.prepare("SELECT count(*) AS n FROM item_terms").get().n;
  return { db, count, terms: termRows, indexes: indexes.map((i) => i.name) };
}

/**
 * 4,096 random term sets as JSON columns (countries, their regions, topics with parents), drawn
 * from the taxonomy: one or two countries, one or two topics. Items pick one at random, which
 * spreads them over the feeds as real items are, without building JSON a million times.
 */
function termCombinations(rand, { countrySlugs, topicSlugs, regionOf, topicWithParents }) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  return Array.from({ length: 4096 }, () => {
    const countries = [...new Set(rand() < 0.3 ? [pick(countrySlugs), pick(countrySlugs)] : [pick(countrySlugs)])];
    const regions = [...new Set(countries.map(regionOf).filter(Boolean))];
    const topics = [
      ...new Set((rand() < 0.4 ? [pick(topicSlugs), pick(topicSlugs)] : [pick(topicSlugs)]).flatMap(topicWithParents)),
    ];
    return { countries: JSON.stringify(countries), regions: JSON.stringify(regions), topics: JSON.stringify(topics) };
  });
}

/**
 * Times each query on each database: the statement prepared once (as D1 caches it), `runs`
 * executions per database interleaved in rounds so a slow moment of the machine hits both alike.
 * Returns median µs per query and database, the rows returned, and the query plan.
 */
export function timeQueries(dbs, queries, runs = 400, rounds = 5) {
  const out = [];
  for (const q of queries) {
    const prepared = {};
    const samples = {};
    const rows = {};
    const plan = {};
    for (const [name, db] of Object.entries(dbs)) {
      const { sql, params } = q.build(db, name);
      prepared[name] = { stmt: db.prepare(sql), params };
      plan[name] = db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((r) => r.detail);
      rows[name] = prepared[name].stmt.all(...params).length;
      for (let i = 0; i < 50; i++) prepared[name].stmt.all(...params); // warm the page cache and the statement
      samples[name] = [];
    }
    for (let round = 0; round < rounds; round++) {
      for (const name of Object.keys(dbs)) {
        const { stmt, params } = prepared[name];
        for (let i = 0; i < runs / rounds; i++) {
          const t0 = process.hrtime.bigint();
          stmt.all(...params);
          samples[name].push(Number(process.hrtime.bigint() - t0) / 1000);
        }
      }
    }
    out.push({
      name: q.name,
      micros: Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, median(s)])),
      rows,
      plan,
      sql: prepared[Object.keys(dbs)[0]].stmt.sourceSQL,
    });
  }
  return out;
}

/** SQLite's version and whether FTS5 is compiled in (the schema needs it). */
export function sqliteInfo() {
  const db = new DatabaseSync(":memory:");
  try {
    const version = db.prepare("SELECT sqlite_version() AS v").get().v;
    const fts5 = db.prepare("SELECT sqlite_compileoption_used('ENABLE_FTS5') AS f").get().f === 1;
    return { version, fts5 };
  } finally {
    db.close();
  }
}

/** The keyset cursor halfway down a feed: the (published_at, id) of its middle row. */
export function middleCursor(db, kind, slug) {
  const { n } = db.prepare("SELECT count(*) AS n FROM item_terms WHERE kind = ? AND slug = ?").get(kind, slug);
  const row = db
    .prepare(
      "SELECT published_at, item_id FROM item_terms WHERE kind = ? AND slug = ? ORDER BY published_at DESC, item_id DESC LIMIT 1 OFFSET ?",
    )
    .get(kind, slug, Math.floor(n / 2));
  return { cursor: { publishedAt: row.published_at, id: row.item_id }, feedSize: n };
}

const REGION = { kind: "region", slug: "central-asia" };
const PAGE = 51; // a feed asks for one more than its 50 items, to know whether an older page exists
const SIZES = { "10k": 10_000, "1M": 1_000_000 };
const RARE_SHARE = 0.01;

/**
 * The country and topic whose combination holds the share of items nearest RARE_SHARE (in the
 * smaller database; the term sets are the same in both). The feed is /feeds/topic/<topic> with
 * ?country=<country>: few of the topic's items pass, so the walk is long.
 */
function rareCombination(db) {
  const { n } = db.prepare("SELECT count(*) AS n FROM items").get();
  const pairs = db
    .prepare(
      `SELECT c.slug AS country, t.slug AS topic, count(*) AS items
         FROM item_terms c JOIN item_terms t ON t.item_id = c.item_id
        WHERE c.kind = 'country' AND t.kind = 'topic'
        GROUP BY c.slug, t.slug`,
    )
    .all();
  const target = n * RARE_SHARE;
  pairs.sort((a, b) => Math.abs(a.items - target) - Math.abs(b.items - target) || (a.country < b.country ? -1 : 1));
  return { ...pairs[0], share: pairs[0].items / n };
}

/**
 * The figures: for the region feed's first page and for a page deep into it (a cursor halfway
 * down), the median time with 1M items over the median with 10k; then feeds with combined
 * filters, each a base feed walked through its index while the other filter is checked row by
 * row: region × topic, country × source, and a country × topic combination holding 1% of items.
 */
export function regionQueryFigures(project, log) {
  const sqlite = sqliteInfo();
  if (!sqlite.fts5) throw new Error(`node:sqlite (SQLite ${sqlite.version}) has no FTS5; the migrations need it`);
  const dbs = {};
  const built = {};
  try {
    for (const [name, count] of Object.entries(SIZES)) {
      const start = performance.now();
      const r = buildDatabase(count, project);
      dbs[name] = r.db;
      built[name] = { items: r.count, itemTerms: r.terms, seconds: (performance.now() - start) / 1000 };
      log(`  ${name}: ${r.count} items, ${r.terms} item_terms rows, built in ${built[name].seconds.toFixed(1)} s`);
    }
    const rare = rareCombination(dbs["10k"]);
    log(
      `  rare combination: topic ${rare.topic} × country ${rare.country}, ${(rare.share * 100).toFixed(2)}% of items`,
    );
    const filter = { base: REGION, terms: {}, languages: [], since: null, until: null, match: null };
    const cursors = {};
    const combined = [
      {
        key: "query.region_topic_filter_ratio",
        label: "region + topic filter query, 1M vs 10k items",
        name: "region × topic",
        filter: { ...filter, terms: { topic: ["security"] } },
      },
      {
        key: "query.country_source_filter_ratio",
        label: "country + source filter query, 1M vs 10k items",
        name: "country × source",
        filter: { ...filter, base: { kind: "country", slug: "georgia" }, terms: { source: ["oc-media"] } },
      },
      {
        key: "query.rare_filter_ratio",
        label: "topic + country filter holding 1% of items, 1M vs 10k items",
        name: "rare combination",
        filter: { ...filter, base: { kind: "topic", slug: rare.topic }, terms: { country: [rare.country] } },
      },
    ];
    const results = timeQueries(dbs, [
      { name: "first page", build: () => project.buildItemQuery(filter, PAGE, null) },
      {
        name: "deep page",
        build: (db, name) => {
          const { cursor, feedSize } = middleCursor(db, REGION.kind, REGION.slug);
          cursors[name] = { ...cursor, feedSize };
          return project.buildItemQuery(filter, PAGE, cursor);
        },
      },
      ...combined.map((c) => ({ name: c.name, build: () => project.buildItemQuery(c.filter, PAGE, null) })),
    ]);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    const ratio = (r) => r.micros["1M"] / r.micros["10k"];
    const describe = (r) => `${Math.round(r.micros["1M"])} µs vs ${Math.round(r.micros["10k"])} µs`;
    const detail = { sqlite, built, cursors, rare, results };
    const plan = (r) => r.plan["1M"].join("; ");
    return [
      figure({
        key: "query.region_first_page_ratio",
        label: "region feed query, 1M vs 10k items (first page)",
        value: ratio(byName["first page"]),
        unit: "×",
        display: `${ratio(byName["first page"]).toFixed(2)}× (${describe(byName["first page"])})`,
        target: { op: "<=", value: 1.5 },
        note: `plan: ${plan(byName["first page"])}`,
        detail,
      }),
      figure({
        key: "query.region_deep_page_ratio",
        label: "region feed query, 1M vs 10k items (cursor halfway down)",
        value: ratio(byName["deep page"]),
        unit: "×",
        display: `${ratio(byName["deep page"]).toFixed(2)}× (${describe(byName["deep page"])})`,
        target: { op: "<=", value: 1.5 },
        note: `plan: ${plan(byName["deep page"])}`,
      }),
      ...combined.map((c) => {
        const r = byName[c.name];
        return figure({
          key: c.key,
          label: c.label,
          value: ratio(r),
          unit: "×",
          display: `${ratio(r).toFixed(2)}× (${describe(r)}; ${r.rows["1M"]} and ${r.rows["10k"]} rows)`,
          target: { op: "<=", value: 1.5 },
          note: `plan: ${plan(r)}`,
        });
      }),
    ];
  } finally {
    for (const db of Object.values(dbs)) db.close();
  }
}
