/**
 * OPML 2.0 subscription lists as Miniflux, FreshRSS, Feedly and NetNewsWire export them: one
 * feed per outline with an xmlUrl, grouped in folder outlines (or named by a `category`
 * attribute). Each feed becomes a feed source definition; a folder or category that names a
 * country, region or topic of the taxonomy becomes the source's default term.
 */
import { countryFromName, regionSlugs, taxonomy, topicFromName } from "../sources/taxonomy";
import { slugFromHost, slugFromTitle } from "./discover";
import { parseXmlTree, refuseEntityDeclarations, scanProlog, type XmlElement } from "./feed/xml";
import { primaryLanguage } from "./normalize";

export interface OpmlFeed {
  xmlUrl: string;
  htmlUrl: string | null;
  title: string | null;
  language: string | null;
  /** Folder names from the outermost in, then the outline's own categories. */
  folders: string[];
}

export class OpmlError extends Error {}

/** The feeds of an OPML document, in document order. */
export function readOpml(text: string): OpmlFeed[] {
  const body = text.replace(/^\uFEFF/, "").trimStart();
  const prolog = scanProlog(body);
  refuseEntityDeclarations(prolog.doctype);
  if (prolog.root?.toLowerCase() !== "opml") {
    throw new OpmlError(`not OPML: the root element is ${prolog.root ? `<${prolog.root}>` : "missing"}, not <opml>`);
  }
  let root: XmlElement;
  try {
    root = parseXmlTree(body, "https://opml.invalid/");
  } catch (err) {
    throw new OpmlError(`OPML is not well formed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bodyEl = root.children.find((c): c is XmlElement => c.kind === "element" && c.local === "body");
  if (!bodyEl) throw new OpmlError("not OPML: no <body>");
  const feeds: OpmlFeed[] = [];
  const walk = (el: XmlElement, folders: string[]) => {
    for (const child of el.children) {
      if (child.kind !== "element" || child.local !== "outline") continue;
      const label = (child.attrs.title ?? child.attrs.text ?? "").trim();
      const xmlUrl = (child.attrs.xmlUrl ?? child.attrs.xmlurl ?? "").trim();
      if (xmlUrl) {
        const categories = (child.attrs.category ?? "")
          .split(",")
          .flatMap((c) => c.split("/"))
          .map((c) => c.trim())
          .filter(Boolean);
        feeds.push({
          xmlUrl,
          htmlUrl: (child.attrs.htmlUrl ?? child.attrs.htmlurl ?? "").trim() || null,
          title: label || null,
          language: (child.attrs.language ?? "").trim() || null,
          folders: [...folders, ...categories],
        });
      }
      walk(child, label && !xmlUrl ? [...folders, label] : folders);
    }
  };
  walk(bodyEl, []);
  return feeds;
}

/** The taxonomy terms folder and category names stand for; names that are none are left out. */
export function termsOfFolders(folders: string[]): { countries: string[]; regions: string[]; topics: string[] } {
  const countries = new Set<string>();
  const regions = new Set<string>();
  const topics = new Set<string>();
  for (const name of folders) {
    const region = regionFromName(name);
    const country = countryFromName(name);
    const topic = topicFromName(name);
    if (region) regions.add(region);
    else if (country) countries.add(country);
    else if (topic) topics.add(topic);
  }
  return { countries: [...countries], regions: [...regions], topics: [...topics] };
}

function regionFromName(name: string): string | null {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
  if (regionSlugs.includes(key)) return key;
  return taxonomy.regions.find((r) => r.name.toLowerCase() === name.trim().toLowerCase())?.slug ?? null;
}

/** A feed source definition for an OPML feed (still to be checked like any other definition). */
export function definitionFromOpml(feed: OpmlFeed): Record<string, unknown> {
  const terms = termsOfFolders(feed.folders);
  const homepage = feed.htmlUrl && URL.canParse(feed.htmlUrl) ? feed.htmlUrl : URL.parse(feed.xmlUrl)?.origin;
  return {
    id: slugFromTitle(feed.title) ?? slugFromHost(feed.xmlUrl),
    name: feed.title ?? URL.parse(feed.xmlUrl)?.host ?? feed.xmlUrl,
    kind: "feed",
    feedUrl: feed.xmlUrl,
    homepage: homepage ?? feed.xmlUrl,
    language: primaryLanguage(feed.language) ?? "en",
    timeZone: "UTC",
    defaultCountries: terms.countries,
    defaultRegions: terms.regions,
    defaultTopics: terms.topics,
  };
}
