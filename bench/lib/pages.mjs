// Test pages for the bench, generated from the fixture site's own markup (test/fixtures/sites/
// eurasianet), so they carry the real page chrome (header mega-menu, sidebar, footer) and fit the
// selectors in src/sources/shipped/eurasianet.json. Deterministic: the same call gives the same bytes.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SITE = fileURLToPath(new URL("../../test/fixtures/sites/eurasianet/", import.meta.url));
const read = (file) => readFileSync(SITE + file, "utf8");

/** The seed-modelled article (JSON-LD, OpenGraph, newsletter and bio inside the article). */
export const SEED_ARTICLE_SLUG = "azerbaijan-reaches-deal-with-belarus-over-missile-purchases-report";

/** A fixture article page as served, {{ORIGIN}} filled in. */
export function fixtureArticle(slug, origin) {
  return read(`articles/${slug}.html`).replaceAll("{{ORIGIN}}", origin);
}

const LISTING_TEMPLATE = read("region/caucasus.page-0.html");
const CONTAINER_OPEN = '<div class="views-view-sidebar__main">';
const SIDEBAR_OPEN = '<div class="views-view-sidebar__sidebar">';
const ROW_TEMPLATE = /<div class="view__row">[\s\S]*?<\/article>\s*<\/div>/.exec(LISTING_TEMPLATE)[0];
const ROW_SLUG = /href="\/([a-z0-9-]+)"/.exec(ROW_TEMPLATE)[1];
const ROW_TITLE = /<h2 class="teaser__title"><a [^>]*>([^<]*)<\/a>/.exec(ROW_TEMPLATE)[1];
const ROW_DATE = /<span class="meta__date">([^<]*)<\/span>/.exec(ROW_TEMPLATE)[1];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "May 20, 2026" as Eurasianet prints it, `daysBack` days before 2026-06-01. */
export function printedDate(daysBack) {
  const d = new Date(Date.UTC(2026, 5, 1) - daysBack * 86_400_000);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

/** One teaser row like the fixture's, for another story. */
function teaserRow({ slug, title, date }) {
  return ROW_TEMPLATE.replaceAll(`/${ROW_SLUG}"`, `/${slug}"`)
    .replace(`>${ROW_TITLE}</a>`, `>${title}</a>`)
    .replace(`>${ROW_DATE}</span>`, `>${date}</span>`);
}

/** A listing page in the Eurasianet markup whose container holds exactly these teasers. */
export function listingPage(stories) {
  const start = LISTING_TEMPLATE.indexOf(CONTAINER_OPEN) + CONTAINER_OPEN.length;
  const end = LISTING_TEMPLATE.indexOf(SIDEBAR_OPEN);
  const rows = stories.map(teaserRow).join("\n      ");
  // The container's own closing tag sits just before the sidebar; keep it.
  return `${LISTING_TEMPLATE.slice(0, start)}\n      ${rows}\n    </div>\n    ${LISTING_TEMPLATE.slice(end)}`;
}

/** `count` invented stories, newest first, one day apart. */
export function stories(count, prefix = "bench-story", firstDay = 0) {
  return Array.from({ length: count }, (_, i) => ({
    slug: `${prefix}-${i}`,
    title: `Story ${i} (${prefix}): talks on water &amp; borders resume`,
    date: printedDate(firstDay + i),
  }));
}

const ARTICLE_SLUG = "armenian-opposition-plans-rallies-as-sargsyan-eyes-premiership";
const ARTICLE_TEMPLATE = read(`articles/${ARTICLE_SLUG}.html`);
const ARTICLE_TITLE = "Armenian opposition plans rallies as Sargsyan eyes premiership";
const ARTICLE_DATE = "Apr 5, 2018";
const ARTICLE_TAGS = '<div class="article__tags"><a href="/region/armenia">Armenia</a></div>';
const ARTICLE_TOPICS = '<div class="article__topics"><a href="/topics/politics">Politics</a></div>';

/** Country and topic names as Eurasianet prints them, cycled through the generated articles. */
const COUNTRIES = [
  ["kazakhstan", "Kazakhstan"],
  ["kyrgyzstan", "Kyrgyzstan"],
  ["tajikistan", "Tajikistan"],
  ["uzbekistan", "Uzbekistan"],
  ["armenia", "Armenia"],
  ["azerbaijan", "Azerbaijan"],
  ["georgia", "Georgia"],
  ["russia", "Russia"],
  ["belarus", "Belarus"],
  ["moldova", "Moldova"],
];
const TOPICS = [
  ["politics", "Politics"],
  ["economy", "Economy"],
  ["security", "Security"],
  ["society", "Society"],
];

/**
 * An article page in the fixture template for a generated story (`index` picks its countries and
 * topic), {{ORIGIN}} filled in. Every template occurrence of the slug, title, date, tags and
 * topics is replaced, so the page names only this story.
 */
export function articlePage(story, index, origin) {
  const a = COUNTRIES[index % COUNTRIES.length];
  const b = COUNTRIES[(index * 7 + 3) % COUNTRIES.length];
  const topic = TOPICS[index % TOPICS.length];
  const countries = a[0] === b[0] ? [a] : [a, b];
  const tags = `<div class="article__tags">${countries.map(([slug, name]) => `<a href="/region/${slug}">${name}</a>`).join(", ")}</div>`;
  return ARTICLE_TEMPLATE.replaceAll(ARTICLE_SLUG, story.slug)
    .replaceAll(ARTICLE_TITLE, story.title)
    .replaceAll(ARTICLE_DATE, story.date)
    .replace(ARTICLE_TAGS, tags)
    .replace(ARTICLE_TOPICS, `<div class="article__topics"><a href="/topics/${topic[0]}">${topic[1]}</a></div>`)
    .replaceAll("{{ORIGIN}}", origin);
}

const escapeXml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * An RSS 2.0 feed of `count` items the way news CMSs write them: HTML description, the full body
 * in content:encoded (CDATA), dc:creator, categories, guid and pubDate; about `bodyBytes` of body
 * HTML per item.
 */
export function rssFeed(count = 100, bodyBytes = 4000) {
  const paragraph =
    '<p>Officials in <a href="https://example.org/baku">Baku</a> said the drills, held with ' +
    "&quot;partners&quot; near the border, were routine &amp; defensive. Критики возразили — «это сигнал». " +
    "Bakı’da gərginlik artır.</p>\n";
  const body = paragraph.repeat(Math.ceil(bodyBytes / paragraph.length));
  const items = Array.from({ length: count }, (_, i) => {
    const date = new Date(Date.UTC(2026, 5, 1, 12) - i * 3_600_000).toUTCString();
    return [
      "<item>",
      `<title>${escapeXml(`Story ${i}: drills & diplomacy in the “Caucasus”`)}</title>`,
      `<link>https://news.example.org/2026/06/story-${i}</link>`,
      `<guid isPermaLink="false">news-example-${i}</guid>`,
      `<pubDate>${date}</pubDate>`,
      "<dc:creator>Joshua Kucera</dc:creator>",
      "<category>Azerbaijan</category><category>Security</category>",
      `<description>${escapeXml("<p>Azerbaijan held drills; Armenia &amp; Russia watched.</p>")}</description>`,
      `<content:encoded><![CDATA[${body}]]></content:encoded>`,
      `<media:content url="https://news.example.org/img/${i}.jpg" medium="image"/>`,
      "</item>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" ' +
      'xmlns:atom="http://www.w3.org/2005/Atom">',
    "<channel>",
    "<title>News Example</title>",
    "<link>https://news.example.org/</link>",
    "<description>Regional news</description>",
    '<atom:link rel="self" href="https://news.example.org/rss.xml" type="application/rss+xml"/>',
    "<language>en</language>",
    ...items,
    "</channel>",
    "</rss>",
    "",
  ].join("\n");
}
