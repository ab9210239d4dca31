/**
 * Adapters from each format's own shape to the common ParsedFeed, in the manner of Miniflux's
 * per-format adapters. The good-reader rules live here:
 * - the link: feedburner:origLink, <link>, an alternate atom:link, else a permalink guid;
 *   relative links resolve against xml:base where one is in effect, else (RSS) the channel's
 *   own link, else the feed URL;
 * - a missing guid stays null (the pipeline identifies stories by their canonical link);
 * - titles are plain text: HTML in them is stripped and references decoded;
 * - authors: RSS dc:creator, else <author> ("addr (Name)" gives Name); Atom and JSON Feed fall
 *   back to the feed's authors, as their specs say;
 * - Atom's date is <published>, else <updated>.
 * Entries without a usable link or a title are skipped and counted.
 */
import type { AtomFeed, AtomPerson, AtomText } from "./atom";
import type { JsonFeedAuthor, JsonFeedDocument, JsonFeedItem } from "./jsonfeed";
import { isImageReference } from "./media";
import type { RdfDocument } from "./rdf";
import type { RssChannel, RssItem } from "./rss";
import {
  absoluteHttpUrl,
  collapseText,
  escapeHtml,
  htmlToPlainText,
  personName,
  textToHtml,
  uniqueStrings,
} from "./text";
import type { ParsedFeed, RawEntry } from "./types";

/** An entry before the link and title checks. */
type Draft = Omit<RawEntry, "url" | "title" | "baseUrl"> & {
  url: string | null;
  title: string;
  baseUrl: string | null;
};

function collect(drafts: Draft[]): { entries: RawEntry[]; skipped: number } {
  const entries: RawEntry[] = [];
  let skipped = 0;
  for (const d of drafts) {
    if (!d.url || !d.title) {
      skipped++;
      continue;
    }
    // Relative references in content resolve against xml:base when set, else the story's page.
    entries.push({ ...d, url: d.url, baseUrl: d.baseUrl ?? d.url });
  }
  return { entries, skipped };
}

// ---------- RSS 2.0 ----------

export function adaptRss(channel: RssChannel, feedUrl: string): ParsedFeed {
  const channelBase = channel.explicitBase ? channel.base : feedUrl;
  const homePageUrl = absoluteHttpUrl(channel.link, channelBase);
  const { entries, skipped } = collect(channel.items.map((item) => rssEntry(item, homePageUrl ?? feedUrl)));
  return {
    format: "rss2",
    title: channel.title ? htmlToPlainText(channel.title) || null : null,
    homePageUrl,
    language: channel.language ?? channel.dcLanguage ?? channel.xmlLang,
    entries,
    skipped,
  };
}

function rssEntry(item: RssItem, fallbackBase: string): Draft {
  const base = item.explicitBase ? item.base : fallbackBase;
  const alternate = item.atomLinks.find((l) => (l.rel ?? "alternate") === "alternate");
  const permalinkGuid = item.guid?.isPermaLink && /^https?:\/\//i.test(item.guid.value) ? item.guid.value : null;
  const url =
    absoluteHttpUrl(item.feedburnerOrigLink, base) ??
    absoluteHttpUrl(item.link, base) ??
    absoluteHttpUrl(alternate?.href, base) ??
    absoluteHttpUrl(permalinkGuid, base);
  const creators = uniqueStrings(item.dcCreators.map(personName));
  return {
    url,
    guid: item.guid?.value ?? null,
    title: item.title ? htmlToPlainText(item.title) : "",
    summaryHtml: item.description,
    contentHtml: item.contentEncoded,
    authors: creators.length > 0 ? creators : uniqueStrings([item.author ? personName(item.author) : null]),
    publishedText: item.pubDate ?? item.dcDate,
    updatedText: item.modified,
    categories: uniqueStrings([...item.categories, ...item.dcSubjects].map(htmlToPlainText)),
    image: item.image,
    language: item.dcLanguage ?? item.xmlLang,
    baseUrl: item.explicitBase ? item.base : null,
  };
}

// ---------- RSS 1.0 / RDF ----------

export function adaptRdf(doc: RdfDocument, feedUrl: string): ParsedFeed {
  const channelBase = doc.explicitBase ? doc.base : feedUrl;
  const homePageUrl = absoluteHttpUrl(doc.link, channelBase);
  const drafts: Draft[] = doc.items.map((item) => {
    const base = item.explicitBase ? item.base : (homePageUrl ?? feedUrl);
    return {
      url: absoluteHttpUrl(item.link, base) ?? absoluteHttpUrl(item.about, base),
      guid: item.about,
      title: item.title ? htmlToPlainText(item.title) : "",
      summaryHtml: item.description,
      contentHtml: item.contentEncoded,
      authors: uniqueStrings(item.dcCreators.map(personName)),
      publishedText: item.dcDate,
      updatedText: null,
      categories: uniqueStrings(item.dcSubjects.map(htmlToPlainText)),
      image: item.image,
      language: item.dcLanguage,
      baseUrl: item.explicitBase ? item.base : null,
    };
  });
  const { entries, skipped } = collect(drafts);
  return {
    format: "rss1",
    title: doc.title ? htmlToPlainText(doc.title) || null : null,
    homePageUrl,
    language: doc.dcLanguage ?? doc.xmlLang,
    entries,
    skipped,
  };
}

// ---------- Atom ----------

export function adaptAtom(feed: AtomFeed): ParsedFeed {
  const feedAuthors = atomNames(feed.authors);
  const drafts: Draft[] = feed.entries.map((entry) => {
    const alternates = entry.links.filter((l) => l.rel === "alternate" && /^https?:/.test(l.href));
    const link = alternates.find((l) => !l.type || /html/i.test(l.type)) ?? alternates[0];
    const url =
      link?.href ?? (entry.id && /^https?:\/\//i.test(entry.id) ? absoluteHttpUrl(entry.id, entry.base) : null);
    const own = atomNames(entry.authors);
    const fromSource = atomNames(entry.sourceAuthors);
    const body = entry.content ?? null;
    return {
      url,
      guid: entry.id,
      title: entry.title ? atomPlain(entry.title) : "",
      summaryHtml: entry.summary ? atomHtml(entry.summary) : null,
      contentHtml: body ? atomHtml(body) : null,
      authors: own.length > 0 ? own : fromSource.length > 0 ? fromSource : feedAuthors,
      publishedText: entry.published ?? entry.updated,
      updatedText: entry.updated,
      categories: uniqueStrings(
        entry.categories.map((c) => ((c.label ?? c.term) ? htmlToPlainText(c.label ?? c.term!) : null)),
      ),
      image: entry.image,
      language: entry.lang,
      baseUrl: body?.explicitBase ? body.base : entry.explicitBase ? entry.base : null,
    };
  });
  const { entries, skipped } = collect(drafts);
  const home = feed.links.find(
    (l) => l.rel === "alternate" && /^https?:/.test(l.href) && (!l.type || /html/i.test(l.type)),
  );
  return {
    format: "atom",
    title: feed.title ? atomPlain(feed.title) || null : null,
    homePageUrl: home?.href ?? null,
    language: feed.lang,
    entries,
    skipped,
  };
}

function atomPlain(text: AtomText): string {
  return text.type === "text" ? collapseText(text.value) : htmlToPlainText(text.value);
}

function atomHtml(text: AtomText): string | null {
  const html = text.type === "text" ? textToHtml(text.value) : text.value;
  return html.trim() === "" ? null : html;
}

function atomNames(people: AtomPerson[]): string[] {
  return uniqueStrings(people.map((p) => (p.name ? htmlToPlainText(p.name) : p.email)));
}

// ---------- JSON Feed ----------

export function adaptJsonFeed(doc: JsonFeedDocument, feedUrl: string): ParsedFeed {
  // Relative URLs resolve against where the document was fetched from, as for XML feeds.
  const base = feedUrl;
  const feedAuthors = jsonNames(doc.authors.length > 0 ? doc.authors : doc.author ? [doc.author] : []);
  const drafts: Draft[] = doc.items.map((item) => jsonEntry(item, base, feedAuthors));
  const { entries, skipped } = collect(drafts);
  return {
    format: "jsonfeed",
    title: doc.title ? htmlToPlainText(doc.title) || null : null,
    homePageUrl: absoluteHttpUrl(doc.homePageUrl, base),
    language: doc.language,
    entries,
    skipped,
  };
}

function jsonEntry(item: JsonFeedItem, base: string, feedAuthors: string[]): Draft {
  // 1.1 `authors` wins; 1.0 `author` is read for older feeds (and 1.1 feeds that kept it).
  const own = jsonNames(item.authors.length > 0 ? item.authors : item.author ? [item.author] : []);
  const attachment = item.attachments.find((a) => isImageReference(a.url, a.mimeType));
  const imageUrl =
    absoluteHttpUrl(item.image, base) ??
    absoluteHttpUrl(item.bannerImage, base) ??
    absoluteHttpUrl(attachment?.url, base);
  return {
    url: absoluteHttpUrl(item.url, base) ?? absoluteHttpUrl(item.externalUrl, base),
    guid: item.id,
    title: item.title ? htmlToPlainText(item.title) : "",
    summaryHtml: item.summary ? escapeHtml(item.summary) : null,
    contentHtml: item.contentHtml ?? (item.contentText ? textToHtml(item.contentText) : null),
    authors: own.length > 0 ? own : feedAuthors,
    publishedText: item.datePublished,
    updatedText: item.dateModified,
    categories: uniqueStrings(item.tags.map(htmlToPlainText)),
    image: imageUrl ? { url: imageUrl, caption: null } : null,
    language: item.language,
    baseUrl: null,
  };
}

function jsonNames(people: JsonFeedAuthor[]): string[] {
  return uniqueStrings(people.map((a) => (a.name ? htmlToPlainText(a.name) : null)));
}
