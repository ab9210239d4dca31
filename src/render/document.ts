import type { Item } from "../model/item";

/** Everything a renderer needs to write one feed; built by the HTTP layer from stored items. */
export interface FeedDocument {
  /** Human title, e.g. "Caravan: Caucasus". */
  title: string;
  description: string;
  /** The exact URL served, query included: RSS atom:link self, Atom self, JSON Feed feed_url. */
  selfUrl: string;
  /** The same feed in each format (same query), for alternate links. */
  alternates: { rss: string; atom: string; json: string };
  /** The HTML page for people (Caravan's index page for this feed). */
  homePageUrl: string;
  /** Stable feed identity for Atom <id>: the self URL of the first page without paging cursor. */
  id: string;
  /** BCP 47 language of the feed when all items share one, else null. */
  language: string | null;
  /** Newest item change (max updatedAt); null for an empty feed. Never the clock. */
  updated: string | null;
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
  sources: Record<string, { name: string; homepage: string }>;
}
