/**
 * The `html` kind: a site's listing pages (`?page=N` from 0 under its base URL), each row a
 * teaser; the story's own page read for full text, tags and dates (src/ingest/html/).
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
    const listings = source.listings.flatMap((def) =>
      Array.from({ length: def.pages }, (_, page) => pageOf(source.id, baseUrl, def, page)),
    );
    return { baseUrl, listings };
  },

  listingById(resolved, id) {
    // A backfill page: "<source>:<path>?page=N" of one of the source's listing paths.
    const m = /^[^:]+:(\/.*)\?page=(\d+)$/.exec(id);
    const def = m && resolved.source.listings.find((d) => d.path === m[1]);
    if (!m || !def || resolved.baseUrl === null) return null;
    return pageOf(resolved.source.id, resolved.baseUrl, def, Number(m[2]));
  },

  backfillPages(resolved, pages) {
    const { source, baseUrl } = resolved;
    if (baseUrl === null) return [];
    return source.listings.flatMap((def) =>
      Array.from({ length: Math.max(0, pages - def.pages) }, (_, i) => pageOf(source.id, baseUrl, def, def.pages + i)),
    );
  },

  async parse(source, listing, result, bodyBytes) {
    const near = nearEmpty(result.body);
    if (near) throw new DriftError(near, result.url, result.status, { bodyBytes, rowsMatched: null, drift: near });

    const page = await parseListing(result.body, result.url, source.listingSelectors);
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
    return { stories: page.teasers, rowsMatched: page.rowsMatched, drift };
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

/** Page `page` of a listing: `?page=N` counted from 0, the first page without it. */
function pageOf(sourceId: string, baseUrl: string, def: ListingDef, page: number) {
  return {
    id: `${sourceId}:${def.path}?page=${page}`,
    url: `${baseUrl}${def.path}${page > 0 ? `?page=${page}` : ""}`,
    def,
    page,
  };
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
