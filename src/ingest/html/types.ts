/** One teaser row of a listing page, as the page shows it (before normalizing). */
export interface RawTeaser {
  /** Absolute URL of the story, resolved against the listing page URL. */
  url: string;
  title: string;
  summary: string | null;
  author: string | null;
  /** Date text as printed, e.g. "Apr 18, 2018"; parsed later in the source's time zone. */
  dateText: string | null;
  /** Absolute image URL, or null. */
  imageUrl: string | null;
}

/** What a listing page yielded, plus what the selectors matched (for drift detection). */
export interface ListingPage {
  teasers: RawTeaser[];
  /** Whether the list container selector matched at all. */
  containerFound: boolean;
  /** Rows matched by the item selector (teasers without a usable link are dropped but counted). */
  rowsMatched: number;
  /** The next page's URL, when a next-link selector was given and matched a link. */
  next: string | null;
}

/** What an article page yielded, before sanitizing and normalizing. */
export interface RawArticle {
  /** <link rel=canonical> or og:url, absolute; null when the page gives none. */
  canonicalUrl: string | null;
  title: string | null;
  /** The dek: selector text, else og:description / meta description / JSON-LD description. */
  summary: string | null;
  authors: string[];
  /** Publication date as found: ISO from meta / JSON-LD / time[datetime], else the printed text. */
  publishedText: string | null;
  modifiedText: string | null;
  /** Country names as the page shows them (tags line), in page order. */
  countries: string[];
  topics: string[];
  tags: string[];
  image: { url: string; caption: string | null } | null;
  /** Inner HTML of the article body, excluded blocks removed; NOT yet sanitized. */
  bodyHtml: string | null;
  /** <html lang> or og:locale / JSON-LD inLanguage, when given. */
  language: string | null;
}
