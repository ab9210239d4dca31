import type { Item } from "../model/item";

/** Everything a renderer needs to write one feed; built by the HTTP layer from stored items. */
export interface FeedDocument {
  /** Human title, e.g. "Caravan: Caucasus". */
  title: string;
  description: string;
  /** The exact URL served, query included: RSS atom:link self, Atom self, JSON Feed feed_url. */
  selfUrl: string;
  /** The same feed in every format (same query), this one included: alternate links. */
  alternates: FeedAlternate[];
  /** The HTML page for people (Caravan's index page for this feed). */
  homePageUrl: string;
  /** Stable feed identity for Atom <id>: the self URL of the first page without paging cursor. */
  id: string;
  /** BCP 47 language of the feed when all items share one, else null. */
  language: string | null;
  /**
   * Newest item change (max updatedAt); for an empty feed, when its catalog entry (or its source)
   * last changed. Never the clock and never the epoch: validators call 1970 implausible.
   */
  updated: string;
  /** How long readers may cache, in minutes (the cron period): RSS <ttl>. */
  ttlMinutes: number;
  /** Older page (RFC 5005 rel="next"), when there is one. */
  nextUrl: string | null;
  /** WebSub hub, when configured. */
  hubUrl: string | null;
  /** XSLT for browsers (xml-stylesheet processing instruction), for RSS and Atom. */
  stylesheetUrl: string | null;
  items: Item[];
  /** Sources by id, so each item can name where it came from. */
  sources: Record<string, { name: string; homepage: string; feedId: string }>;
}

/** The feed in one format, for <link rel="alternate"> and the HTML rendition's format links. */
export interface FeedAlternate {
  href: string;
  mediaType: string;
  label: string;
}
