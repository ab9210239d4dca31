import type { FeedDef } from "../sources/feeds";
import { feedUrl, OUTPUT_FORMATS } from "./formats";

export interface FeedListing {
  feed: FeedDef;
  items: number;
  newest: string | null;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * The index page: every feed, grouped (regions with their countries, topics with their
 * sub-topics, sources), with counts, newest dates, and autodiscovery links. No scripts.
 */
export function renderIndexPage(origin: string, listings: FeedListing[]): string {
  const byKind = (kind: string) => listings.filter((l) => l.feed.kind === kind);
  const childrenOf = (kind: string, parent: string) =>
    listings.filter((l) => l.feed.kind === kind && l.feed.parent === parent);
  const discovery = listings
    .flatMap((l) =>
      OUTPUT_FORMATS.map(
        (f) =>
          `<link rel="alternate" type="${f.mediaType}" title="${escapeHtml(`${l.feed.title} (${f.label})`)}" href="${escapeHtml(feedUrl(origin, l.feed.path, f))}">`,
      ),
    )
    .join("\n");

  const regionSections = byKind("region")
    .map((r) => section(origin, r, childrenOf("country", r.feed.slug)))
    .join("\n");
  const topicSections = byKind("topic")
    .filter((t) => t.feed.parent === null)
    .map((t) => section(origin, t, childrenOf("topic", t.feed.slug)))
    .join("\n");
  const all = listings.find((l) => l.feed.kind === "all");

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Caravan feeds</title>
${discovery}
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b}
h2{border-bottom:1px solid #ccc;margin-top:2rem}
ul{list-style:none;padding-left:0}
li{margin:.35rem 0}
ul ul{padding-left:1.5rem}
.meta{color:#555;font-size:.9em}
code{background:#f3f3f3;padding:0 .25em;word-break:break-all}
</style>
</head>
<body>
<header>
<h1>Caravan</h1>
<p>News feeds about the Caucasus, Central Asia and Eastern Europe, gathered from regional sources and sorted by region, country and topic. Open a feed to copy its address into your feed reader, or import them all at once with the <a href="/feeds.opml">OPML file</a>.</p>
<p>Every feed takes filters: <code>?topic=security</code>, <code>?country=georgia&amp;country=armenia</code>, <code>?lang=ru</code>, <code>?q=pipeline</code>, <code>?limit=100</code>.</p>
</header>
<main>
${all ? `<section aria-labelledby="all"><h2 id="all">Everything</h2><ul>${entry(origin, all, [])}</ul></section>` : ""}
<section aria-labelledby="regions"><h2 id="regions">Regions and countries</h2><ul>
${regionSections}
</ul></section>
<section aria-labelledby="topics"><h2 id="topics">Topics</h2><ul>
${topicSections}
</ul></section>
<section aria-labelledby="sources"><h2 id="sources">Sources</h2><ul>
${byKind("source")
  .map((s) => entry(origin, s, []))
  .join("\n")}
</ul></section>
</main>
</body>
</html>
`;
}

function section(origin: string, parent: FeedListing, children: FeedListing[]): string {
  return entry(origin, parent, children);
}

function entry(origin: string, l: FeedListing, children: FeedListing[]): string {
  // Each format as a link and as its full URL in <code>, ready to copy into a reader.
  const urls = OUTPUT_FORMATS.map((f) => {
    const url = feedUrl(origin, l.feed.path, f);
    return `<a href="${escapeHtml(url)}">${f.label}</a> <code>${escapeHtml(url)}</code>`;
  }).join("<br>");
  const meta = `${l.items} ${l.items === 1 ? "story" : "stories"}${l.newest ? `, newest ${l.newest.slice(0, 10)}` : ""}`;
  const nested = children.length ? `<ul>${children.map((c) => entry(origin, c, [])).join("")}</ul>` : "";
  return `<li><details><summary><strong>${escapeHtml(l.feed.title)}</strong> <span class="meta">(${meta})</span></summary>${urls}</details>${nested}</li>`;
}
