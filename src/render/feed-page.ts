/**
 * The HTML page a browser gets when it navigates to a feed URL (see http/negotiate.ts): the same
 * document the feed is rendered from, for a person. It says what a feed is and how to follow
 * it, shows the address to copy, links the feed's other formats and the older page, and lists
 * the items. No scripts (the page is served under a strict Content-Security-Policy), no item
 * HTML (titles, dates, sources and summaries as text), so nothing in an item can run or restyle it.
 */
import type { Item } from "../model/item";
import { sourceCredit } from "./common";
import type { FeedDocument } from "./document";
import type { OutputFormat } from "./format";
import { escapeHtml } from "./html";

export const FEED_PAGE_CSS = `body{font-family:system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b;background:#fff}
.note{background:#fff7d6;border:1px solid #e6d48a;padding:.75rem 1rem;border-radius:.25rem}
.note h2{margin:.25rem 0 .5rem;font-size:1.1rem}
.url{display:block;background:#fff;border:1px solid #ccc;padding:.4rem .6rem;margin:.5rem 0;font-size:.95rem;word-break:break-all;user-select:all}
nav.formats a{margin-right:.75rem}
nav.formats strong{margin-right:.75rem}
ol.items{list-style:none;padding:0}
ol.items li{border-top:1px solid #e3e3e3;padding:.75rem 0}
ol.items h3{font-size:1.05rem;margin:0}
.meta{color:#555;font-size:.9em}
.summary{margin:.35rem 0 0}
.older{font-weight:bold}
footer{margin-top:2rem;color:#555;font-size:.9em}`;

/** The page for one feed, as served at `doc.selfUrl` in `format`. */
export function renderFeedPage(doc: FeedDocument, format: OutputFormat): string {
  const discovery = doc.alternates
    .map(
      (a) =>
        `<link rel="alternate" type="${escapeHtml(a.mediaType)}" title="${escapeHtml(`${doc.title} (${a.label})`)}" href="${escapeHtml(a.href)}">`,
    )
    .join("\n");
  const formats = doc.alternates
    .map((a) =>
      a.mediaType === format.mediaType
        ? `<strong>${escapeHtml(a.label)}</strong>`
        : `<a href="${escapeHtml(a.href)}" type="${escapeHtml(a.mediaType)}">${escapeHtml(a.label)}</a>`,
    )
    .join(" ");
  const items =
    doc.items.length === 0
      ? "<p>No stories in this feed yet. Subscribe anyway: your reader will show them as they arrive.</p>"
      : `<ol class="items">\n${doc.items.map((item) => itemHtml(doc, item)).join("\n")}\n</ol>`;
  const older =
    doc.nextUrl === null
      ? ""
      : `<p><a class="older" rel="next" href="${escapeHtml(doc.nextUrl)}">Older stories →</a></p>`;
  const lang = doc.language ?? "en";

  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)} (${escapeHtml(format.label)} feed)</title>
${discovery}
<style>${FEED_PAGE_CSS}</style>
</head>
<body>
<header>
<p><a href="${escapeHtml(doc.homePageUrl)}">← All Caravan feeds</a></p>
<h1>${escapeHtml(doc.title)}</h1>
<p>${escapeHtml(doc.description)}</p>
</header>
<section class="note" aria-labelledby="subscribe">
<h2 id="subscribe">This is a news feed: follow it in a feed reader</h2>
<p>Copy this address into your feed reader (Miniflux, FreshRSS, NetNewsWire, Feedly, Inoreader, newsboat, Thunderbird…), usually under “Add feed” or “Subscribe”:</p>
<code class="url">${escapeHtml(doc.selfUrl)}</code>
<p>Your reader then checks it for new stories by itself. To follow every Caravan feed at once, import the <a href="${escapeHtml(new URL("/feeds.opml", doc.homePageUrl).href)}">OPML file</a>.</p>
<nav class="formats" aria-label="Formats">This feed as: ${formats}</nav>
</section>
<main>
<h2>Stories</h2>
${items}
${older}
</main>
<footer>
<p>Updated <time datetime="${escapeHtml(doc.updated)}">${escapeHtml(humanDate(doc.updated))}</time>. You are seeing this page because your browser asked for one; feed readers get the ${escapeHtml(format.label)} document at the same address.</p>
</footer>
</body>
</html>
`;
}

function itemHtml(doc: FeedDocument, item: Item): string {
  const source = sourceCredit(doc, item);
  const authors = item.authors.filter((a) => a !== source.name);
  const byline = [
    `<time datetime="${escapeHtml(item.publishedAt)}">${escapeHtml(humanDate(item.publishedAt))}</time>`,
    escapeHtml(source.name),
    // Sources that credit themselves as the author are named once.
    ...(authors.length ? [escapeHtml(authors.join(", "))] : []),
  ].join(" · ");
  const summary = item.summary === null ? "" : `\n<p class="summary">${escapeHtml(item.summary)}</p>`;
  const lang = doc.language === null || item.language !== doc.language ? ` lang="${escapeHtml(item.language)}"` : "";
  return `<li${lang}><h3><a href="${escapeHtml(item.url)}">${escapeHtml(item.title)}</a></h3>
<div class="meta">${byline}</div>${summary}</li>`;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "18 April 2018, 14:27 UTC" from a stored ISO 8601 UTC date. */
function humanDate(iso: string): string {
  const month = MONTHS[Number(iso.slice(5, 7)) - 1] ?? "";
  return `${Number(iso.slice(8, 10))} ${month} ${iso.slice(0, 4)}, ${iso.slice(11, 16)} UTC`;
}
