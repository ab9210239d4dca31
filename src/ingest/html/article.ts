import type { ArticleSelectors } from "../../model/source";
import { cleanAuthorNames } from "./authors";
import { SubtreeCapture } from "./capture";
import { TextCollector } from "./collect";
import { cleanText } from "./entities";
import { type JsonLdArticle, readJsonLd } from "./jsonld";
import { ContainerScorer } from "./readability";
import { within } from "./selectors";
import { asResponse } from "./spec";
import type { RawArticle } from "./types";
import { imageUrl, resolveUrl } from "./urls";

/**
 * Blocks a scored container usually carries that are not the story: "also read" and related-story
 * lists, share and social buttons. Only for the scored container: a configured body selector
 * says exactly what the source's story is (with its own `exclude`), while the scorer takes the
 * whole element that holds the most paragraph text, widgets inside it included (LRT's article
 * body ends with a "Taip pat skaitykite" list of other columns). The patterns are class-name
 * fragments in the spirit of readability's "unlikely candidates", kept to ones that name a
 * widget rather than a kind of text.
 */
const SCORED_BODY_EXCLUDES = [
  '[class*="also-read"]',
  '[class*="read-also"]',
  '[class*="see-also"]',
  '[class*="related"]',
  '[class*="share"]',
  '[class*="social"]',
];

/** The page, readable more than once (a body selector that misses needs a second pass). */
interface Page {
  source: string | ArrayBuffer;
  contentType: string | null;
}

async function readPage(html: string | Response): Promise<Page> {
  if (typeof html === "string") return { source: html, contentType: null };
  return { source: await html.arrayBuffer(), contentType: html.headers.get("content-type") };
}

async function run(page: Page, rewriter: HTMLRewriter): Promise<void> {
  await rewriter.transform(asResponse(page.source, page.contentType)).arrayBuffer();
}

/** Runs a pass and returns the rewritten page as text (in the page's own charset). */
async function runForOutput(page: Page, rewriter: HTMLRewriter): Promise<string> {
  const bytes = await rewriter.transform(asResponse(page.source, page.contentType)).arrayBuffer();
  const charset = /charset=["']?([\w-]+)/i.exec(page.contentType ?? "")?.[1] ?? "utf-8";
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

/** What the page-wide tags (head metadata, JSON-LD, first time[datetime]) say. */
class PageMetadata {
  /** Meta contents by lower-cased property / name / itemprop, in page order. */
  readonly meta = new Map<string, string[]>();
  readonly jsonLdScripts: string[] = [];
  lang: string | null = null;
  canonical: string | null = null;
  firstDatetime: string | null = null;
  /** Raw text of the first HTML <title> (SVG icons have <title>s too); null until one is seen. */
  private titleChunks: string[] | null = null;
  private inTitle = false;
  private skipTitle = false;

  attach(rewriter: HTMLRewriter): HTMLRewriter {
    rewriter
      .on("html", {
        element: (el) => {
          this.lang ??= el.getAttribute("lang");
        },
      })
      .on("meta[content]", {
        element: (el) => {
          const key = el.getAttribute("property") ?? el.getAttribute("name") ?? el.getAttribute("itemprop");
          if (!key) return;
          const name = key.trim().toLowerCase();
          const list = this.meta.get(name) ?? [];
          list.push(el.getAttribute("content")!);
          this.meta.set(name, list);
        },
      })
      .on("link[rel][href]", {
        element: (el) => {
          if (this.canonical === null && /(?:^|\s)canonical(?:\s|$)/i.test(el.getAttribute("rel")!))
            this.canonical = el.getAttribute("href");
        },
      })
      .on('script[type="application/ld+json"]', {
        element: () => {
          this.jsonLdScripts.push("");
        },
        text: (chunk) => {
          this.jsonLdScripts[this.jsonLdScripts.length - 1] += chunk.text;
        },
      })
      .on("time[datetime]", {
        element: (el) => {
          this.firstDatetime ??= el.getAttribute("datetime");
        },
      })
      // An SVG icon's <title> is not the page's. HTMLRewriter reports it in the HTML namespace,
      // so it is recognised by its ancestor; this handler runs before the next one.
      .on("svg title", {
        element: () => {
          this.skipTitle = true;
        },
      })
      .on("title", {
        element: (el) => {
          const skip = this.skipTitle;
          this.skipTitle = false;
          if (skip || this.titleChunks !== null) return;
          this.titleChunks = [];
          this.inTitle = true;
          el.onEndTag(() => {
            this.inTitle = false;
          });
        },
        text: (chunk) => {
          if (this.inTitle) this.titleChunks!.push(chunk.text);
        },
      });
    return rewriter;
  }

  /** The first non-empty value of the first of `keys` that the page has, decoded. */
  get(...keys: string[]): string | null {
    for (const key of keys) {
      for (const value of this.meta.get(key) ?? []) {
        const text = cleanText(value);
        if (text) return text;
      }
    }
    return null;
  }

  /** Every non-empty value of `key`, decoded. */
  all(key: string): string[] {
    return (this.meta.get(key) ?? []).map(cleanText).filter((v) => v.length > 0);
  }

  /** The first HTML <title>, decoded. */
  documentTitle(): string | null {
    return this.titleChunks ? cleanText(this.titleChunks.join("")) || null : null;
  }
}

/** Everything the configured selectors pick up, in one pass. */
class SelectorMatches {
  readonly title: TextCollector | null;
  readonly summary: TextCollector | null;
  readonly authors: TextCollector | null;
  readonly date: TextCollector | null;
  readonly countries: TextCollector | null;
  readonly topics: TextCollector | null;
  readonly tags: TextCollector | null;
  readonly caption: TextCollector | null;
  /** A machine-readable date on the date element (`<time datetime>`, `content`). */
  dateAttribute: string | null = null;
  image: string | null = null;

  constructor(
    private readonly selectors: ArticleSelectors,
    private readonly pageUrl: string,
  ) {
    const collector = (selector: string | undefined) => (selector ? new TextCollector(selector) : null);
    this.title = collector(selectors.title);
    this.summary = collector(selectors.summary);
    this.authors = collector(selectors.authors);
    this.date = collector(selectors.date);
    this.countries = collector(selectors.countries);
    this.topics = collector(selectors.topics);
    this.tags = collector(selectors.tags);
    this.caption = collector(selectors.imageCaption);
  }

  attach(rewriter: HTMLRewriter): HTMLRewriter {
    for (const c of [
      this.title,
      this.summary,
      this.authors,
      this.date,
      this.countries,
      this.topics,
      this.tags,
      this.caption,
    ]) {
      c?.attach(rewriter);
    }
    if (this.selectors.date) {
      rewriter.on(this.selectors.date, {
        element: (el) => {
          this.dateAttribute ??= el.getAttribute("datetime") ?? el.getAttribute("content");
        },
      });
    }
    if (this.selectors.image) {
      // The selector may name the <img> itself or an element around it (a figure).
      const onImage = {
        element: (el: Element) => {
          if (this.image === null && el.tagName === "img") this.image = imageUrl(el, this.pageUrl);
        },
      };
      rewriter.on(this.selectors.image, onImage).on(within(this.selectors.image, "img"), onImage);
    }
    return rewriter;
  }
}

function firstNonEmpty<T>(...lists: T[][]): T[] {
  return lists.find((l) => l.length > 0) ?? [];
}

/** Case-insensitive de-duplication, first spelling kept. */
function unique(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether captured HTML has any text outside its tags. */
function hasText(html: string | null): html is string {
  return html !== null && /[^\s<>]/.test(html.replace(/<[^>]*>/g, ""));
}

/**
 * og:image sometimes carries two URLs joined by a comma (Eurasianet: the article image, then a
 * site-wide card). URLs may contain commas themselves (image CDN parameters), so the value is only
 * split where a comma is followed by the start of another URL; the first URL is the image.
 */
export function firstOgImage(value: string): string {
  return value.split(/\s*,\s*(?=https?:\/\/|\/)/)[0]!.trim();
}

/** ISO-like dates written with a space ("2024-04-28 07:00:00Z", as VOA's JSON-LD does) get the "T". */
function isoDate(value: string | null): string | null {
  if (value === null) return null;
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(value) ? value.replace(" ", "T") : value;
}

/** A title from <title>, without a trailing " | Site" (or " - Site" when it names the site). */
function stripSiteName(title: string, siteName: string | null): string {
  const pipe = title.lastIndexOf(" | ");
  if (pipe > 0) return title.slice(0, pipe).trim();
  if (siteName) {
    const match = title.match(/^(.*\S)\s+[-–—]\s+(.+)$/);
    if (match && match[2]!.toLowerCase() === siteName.toLowerCase()) return match[1]!;
  }
  return title;
}

/** Language codes as BCP 47 ("lt_LT" from og:locale becomes "lt-LT"). */
function languageTag(value: string | null): string | null {
  if (!value) return null;
  const tag = value.trim().replace(/_/g, "-");
  return /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(tag) ? tag : null;
}

/**
 * Reads one article page. Each field is taken from the first of these that gives it: the
 * configured selectors, then OpenGraph / `article:*` / other meta tags, then the page's JSON-LD
 * article node, then generic markup (`<link rel=canonical>`, `<html lang>`, `<title>`,
 * `time[datetime]`). The publication date is the exception: a machine-readable date (the date
 * element's `datetime`, `article:published_time`, JSON-LD) is preferred to the printed text the
 * date selector yields, which is kept only when the page has nothing better.
 *
 * The body is the inner HTML of the body selector's element with the `exclude` selectors' elements
 * removed, not yet sanitized. Without a body selector, or when it finds no text, the container with
 * the most paragraph text is used (see ContainerScorer), with the same exclusions.
 *
 * Cost: one HTMLRewriter pass when the body selector matches; two when the container scoring is
 * needed (score, then capture), three when a configured body selector misses.
 */
export async function extractArticle(
  html: string | Response,
  pageUrl: string,
  selectors: ArticleSelectors,
): Promise<RawArticle> {
  const page = await readPage(html);
  const metadata = new PageMetadata();
  const matches = new SelectorMatches(selectors, pageUrl);
  const bodyCapture = selectors.body ? new SubtreeCapture(selectors.body, 0, selectors.exclude) : null;
  let scorer = selectors.body ? null : new ContainerScorer();

  const rewriter = new HTMLRewriter();
  metadata.attach(rewriter);
  matches.attach(rewriter);
  bodyCapture?.attach(rewriter);
  scorer?.attach(rewriter);
  let bodyHtml: string | null = null;
  if (bodyCapture) bodyHtml = bodyCapture.html(await runForOutput(page, rewriter));
  else await run(page, rewriter);

  if (!hasText(bodyHtml)) {
    if (!scorer) {
      scorer = new ContainerScorer();
      await run(page, scorer.attach(new HTMLRewriter()));
    }
    const best = scorer.best();
    if (best) {
      const capture = new SubtreeCapture(best.selector, best.occurrence, [
        ...selectors.exclude,
        ...SCORED_BODY_EXCLUDES,
      ]);
      const captured = capture.html(await runForOutput(page, capture.attach(new HTMLRewriter())));
      if (hasText(captured)) bodyHtml = captured;
    }
  }

  const ld: JsonLdArticle | null = readJsonLd(metadata.jsonLdScripts);
  const siteName = metadata.get("og:site_name", "application-name");

  const title =
    matches.title?.first() ??
    metadata.get("og:title", "twitter:title") ??
    ld?.headline ??
    (metadata.documentTitle() !== null ? stripSiteName(metadata.documentTitle()!, siteName) : null);

  const summary =
    matches.summary?.first() ??
    metadata.get("og:description", "description", "twitter:description") ??
    ld?.description ??
    null;

  const authors = cleanAuthorNames(
    firstNonEmpty(
      matches.authors?.texts() ?? [],
      // article:author is often a profile URL rather than a name; cleanAuthorNames drops URLs.
      cleanAuthorNames(metadata.all("article:author")),
      metadata.all("author"),
      ld?.authors ?? [],
    ),
  );

  const publishedText = isoDate(
    (matches.dateAttribute !== null ? cleanText(matches.dateAttribute) || null : null) ??
      metadata.get("article:published_time", "og:published_time", "datepublished") ??
      ld?.datePublished ??
      matches.date?.first() ??
      (metadata.firstDatetime !== null ? cleanText(metadata.firstDatetime) || null : null),
  );
  const modifiedText = isoDate(
    metadata.get("article:modified_time", "og:updated_time", "datemodified") ?? ld?.dateModified ?? null,
  );

  const jsonLdImage = ld?.images
    .map((i) => ({ url: resolveUrl(i.url, pageUrl), caption: i.caption }))
    .find((i) => i.url !== null);
  const ogImage = metadata.get("og:image", "og:image:url", "og:image:secure_url", "twitter:image");
  const imageUrlFound =
    matches.image ?? (ogImage !== null ? resolveUrl(firstOgImage(ogImage), pageUrl) : null) ?? jsonLdImage?.url ?? null;
  const caption =
    matches.caption?.first() ?? (jsonLdImage && jsonLdImage.url === imageUrlFound ? jsonLdImage.caption : null);

  return {
    canonicalUrl:
      resolveUrl(metadata.canonical, pageUrl) ??
      resolveUrl(metadata.get("og:url"), pageUrl) ??
      resolveUrl(ld?.url ?? null, pageUrl),
    title,
    summary,
    authors,
    publishedText,
    modifiedText,
    countries: unique(matches.countries?.texts() ?? []),
    topics: unique(firstNonEmpty(matches.topics?.texts() ?? [], metadata.all("article:section"), ld?.sections ?? [])),
    tags: unique(firstNonEmpty(matches.tags?.texts() ?? [], metadata.all("article:tag"), ld?.keywords ?? [])),
    image: imageUrlFound ? { url: imageUrlFound, caption } : null,
    bodyHtml,
    language:
      languageTag(metadata.get("og:locale")) ?? languageTag(ld?.inLanguage ?? null) ?? languageTag(metadata.lang),
  };
}
