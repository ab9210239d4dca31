import type { FeedDef } from "../sources/feeds";
import { feedUrl, SUBSCRIPTION_FORMAT } from "./formats";
import { escapeAttribute } from "./xml";

const GROUPS: [FeedDef["kind"], string][] = [
  ["all", "Everything"],
  ["region", "Regions"],
  ["country", "Countries"],
  ["topic", "Topics"],
  ["source", "Sources"],
];

/** OPML 2.0 of every feed (in the subscription format, Atom), grouped by kind, for a one-click import into a reader. */
export function renderOpml(origin: string, feeds: FeedDef[], dateCreated: string | null): string {
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    "<head>",
    "<title>Caravan feeds</title>",
    ...(dateCreated ? [`<dateCreated>${new Date(dateCreated).toUTCString()}</dateCreated>`] : []),
    `<docs>http://opml.org/spec2.opml</docs>`,
    "</head>",
    "<body>",
  ];
  for (const [kind, label] of GROUPS) {
    const group = feeds.filter((f) => f.kind === kind);
    if (group.length === 0) continue;
    out.push(`<outline text="${escapeAttribute(label)}" title="${escapeAttribute(label)}">`);
    for (const f of group) {
      const title = f.kind === "all" ? "Caravan: all stories" : `Caravan: ${f.title}`;
      out.push(
        `<outline type="rss" text="${escapeAttribute(title)}" title="${escapeAttribute(title)}" xmlUrl="${escapeAttribute(feedUrl(origin, f.path, SUBSCRIPTION_FORMAT))}" htmlUrl="${escapeAttribute(`${origin}/`)}"/>`,
      );
    }
    out.push("</outline>");
  }
  out.push("</body>", "</opml>", "");
  return out.join("\n");
}
