/**
 * The `html` kind: a site's listing pages under its base URL, each row a teaser; the story's own
 * page read for full text, tags and dates (src/ingest/html/). A listing's pages are `?page=N`
 * counted from 0 or 1, a path template, or followed by their "next" links (def.paging).
 */
import { ConfigError } from "../../env";
import { sha256Hex } from "../../lib/hash";
import type { HtmlSource, ListingDef } from "../../model/source";
import { countryFromName, topicFromName } from "../../sources/taxonomy";
import type { Drift } from "../../store/listings";
import { canonicalUrl } from "../canonical";
import { DriftError, nearEmpty } from "../drift";
import { parseListing } from "../html/listing";
import type { RawArticle, RawTeaser } from "../html/types";
import type { ListingTerms } from "../story";
import { dedupe } from "../terms";
import { type Article, baseUrlOverride, isHttpUrl, type SourceKind, termsOfListing } from "./kind";

export const htmlKind: SourceKind<HtmlSource, RawTeaser> = {
  name: "html",

  resolve(source, env) {
    const baseUrl = baseUrlOverride(source, env) ?? source.baseUrl.replace(/\/+$/, "");
    if (!isHttpUrl(baseUrl))
      throw new ConfigError(`${source.baseUrlVar ?? source.id}: "${baseUrl}" is not an http(s) URL`);
    // Pages reached by "next" links are not known in advance: the first is polled, the others
    // are read after it (src/ingest/run.ts).
    const listings = source.listings.flatMap((def) =>
      Array.from({ length: def.paging?.style === "next" ? 1 : def.pages }, (_, page) =>
        pageOf(source.id, baseUrl, def, page),
      ),
    );
    return { baseUrl, listings };
  },

  listingById(resolved, id, url) {
    // A backfill page: "<source>:<path>?page=N" of one of the source's listing paths.
    const m = /^[^:]+:(\/.*)\?page=(\d+)$/.exec(id);
    const def = m && resolved.source.listings.find((d) => d.path === m[1]);
    if (!m || !def || resolved.baseUrl === null) return null;
    const page = Number(m[2]);
    // A page found by a "next" link has no URL of its own making: its row's is the one.
    if (def.paging?.style === "next") return { id, url, def, page };
    return pageOf(resolved.source.id, resolved.baseUrl, def, page);
  },

  backfillPages(resolved, pages) {
    const { source, baseUrl } = resolved;
    if (baseUrl === null) return [];
    return source.listings
      .filter((def) => def.paging?.style !== "next")
      .flatMap((def) =>
        Array.from({ length: Math.max(0, pages - def.pages) }, (_, i) =>
          pageOf(source.id, baseUrl, def, def.pages + i),
        ),
      );
  },

  async parse(source, listing, result, bodyBytes) {
    const near = nearEmpty(result.body);
    if (near) throw new DriftError(near, result.url, result.status, { bodyBytes, rowsMatched: null, drift: near });

    const paging = listing.def.paging;
    const nextLink = paging?.style === "next" ? paging.selector : undefined;
    const page = await parseListing(result.body, result.url, source.listingSelectors, nextLink);
    const sourceFile = `the definition of ${source.id}, GET /admin/sources/${source.id}/definition`;
    if (!page.containerFound) {
      const drift: Drift = {
        code: "selector_miss",
        message: `listing container "${source.listingSelectors.container}" not found on ${listing.url}: the page layout may have changed (listingSelectors in ${sourceFile})`,
      };
      throw new DriftError(drift, result.url, result.status, { bodyBytes, rowsMatched: 0, drift });
    }
    if (page.rowsMatched > 0 && page.teasers.length === 0) {
      const drift: Drift = {
        code: "selector_miss",
        message: `${page.rowsMatched} rows matched "${source.listingSelectors.item}" but none had a title and link ("${source.listingSelectors.title}"): the teaser markup may have changed (listingSelectors in ${sourceFile})`,
      };
      throw new DriftError(drift, result.url, result.status, { bodyBytes, rowsMatched: page.rowsMatched, drift });
    }
    const drift: Drift | null =
      page.teasers.length === 0
        ? { code: "zero_items", message: `${listing.id} parsed zero items (the container was found but held no rows)` }
        : null;
    return { stories: page.teasers, rowsMatched: page.rowsMatched, drift, next: page.next };
  },

  hash(teaser) {
    return sha256Hex(JSON.stringify([teaser.title, teaser.summary, teaser.author, teaser.dateText, teaser.imageUrl]));
  },

  listingTerms(_source, listing) {
    return termsOfListing(listing);
  },

  enrichment(source) {
    return source.enrich ? { selectors: source.articleSelectors, retryOnFailure: true } : null;
  },

  draft(source, listing, teaser, page: Article | null) {
    const article = page?.raw ?? null;
    const mapped = mapHtmlTerms(source, termsOfListing(listing), article);
    return {
      listedUrl: teaser.url,
      url: article?.canonicalUrl && sameStory(article.canonicalUrl, teaser.url) ? article.canonicalUrl : teaser.url,
      title: article?.title || teaser.title,
      summary: { text: teaser.summary, html: null, fallback: article?.summary ?? null },
      body: page && article?.bodyHtml ? { html: article.bodyHtml, baseUrl: page.url } : null,
      authors: article && article.authors.length > 0 ? article.authors : teaser.author ? [teaser.author] : [],
      publishedTexts: [article?.publishedText, teaser.dateText],
      modifiedText: article?.modifiedText ?? null,
      image: article?.image ?? (teaser.imageUrl ? { url: teaser.imageUrl, caption: null } : null),
      language: article?.language ?? null,
      countries: mapped.countries,
      regions: mapped.regions,
      topics: mapped.topics,
      tags: [...(article?.tags ?? []), ...mapped.unmapped],
    };
  },
};

/** Page `page` (counted from 0) of a listing; its id keeps one shape whatever the paging. */
function pageOf(sourceId: string, baseUrl: string, def: ListingDef, page: number) {
  return { id: `${sourceId}:${def.path}?page=${page}`, url: `${baseUrl}${pagePath(def, page)}`, def, page };
}

/**
 * The path of page `page` (counted from 0) of a listing: `?page=N` from 0 (the first page
 * without it) or from 1, a path template from the second page on, or the listing's path for a
 * listing followed by its "next" links (whose further pages come from the links).
 */
export function pagePath(def: ListingDef, page: number): string {
  const paging = def.paging ?? { style: "query", param: "page", first: 0 };
  switch (paging.style) {
    case "query": {
      if (page === 0 && paging.first === 0) return def.path;
      const separator = def.path.includes("?") ? "&" : "?";
      return `${def.path}${separator}${paging.param}=${paging.first + page}`;
    }
    case "path":
      return page === 0 ? def.path : paging.template.replace("{n}", String(paging.first + page));
    case "next":
      return def.path;
  }
}

/** An HTML source's names for countries and topics, mapped through its term map, then the taxonomy. */
function mapHtmlTerms(source: HtmlSource, listing: ListingTerms, article: RawArticle | null) {
  const countries = [...listing.countries];
  const topics = [...listing.topics];
  const unmapped: string[] = [];
  const countryMap = lowerKeys(source.termMap.countries);
  const topicMap = lowerKeys(source.termMap.topics);
  for (const name of article?.countries ?? []) {
    const slug = countryMap.get(name.toLowerCase()) ?? countryFromName(name);
    if (slug) countries.push(slug);
    else unmapped.push(name);
  }
  for (const name of article?.topics ?? []) {
    const slug = topicMap.get(name.toLowerCase()) ?? topicFromName(name);
    if (slug) topics.push(slug);
    else unmapped.push(name);
  }
  return { countries: dedupe(countries), topics: dedupe(topics), regions: dedupe(listing.regions), unmapped };
}

function lowerKeys(record: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

// A canonical link that points at another story (a misconfigured CMS) must not rename the item.
function sameStory(a: string, b: string): boolean {
  try {
    return canonicalUrl(a) === canonicalUrl(b);
  } catch {
    return false;
  }
}
