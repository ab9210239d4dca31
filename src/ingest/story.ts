/**
 * The shapes one story takes on its way through the listing reader (src/ingest/reader.ts):
 *
 *   a kind's own story (RawTeaser, RawEntry)
 *     ─ kind.draft ─►  StoryDraft       what the source said; body HTML unsanitized
 *     ─ sanitize ─►    StoryParts       body sanitized, summary as plain text
 *     ─ normalize ─►   NormalStory      one Item's fields: plain text, UTC dates, the source's terms
 *     ─ tag ─►         TaggedStory      plus the tagger's terms where the source said none
 *     ─ commit ─►      StoryWrite       merged with what is stored, hashed, ready to write
 */
import type { Item } from "../model/item";
import type { ItemWrite } from "../store/items";

/** Terms a listing or a feed gives every story on it (a country listing names its country). */
export interface ListingTerms {
  countries: string[];
  regions: string[];
  topics: string[];
}

/**
 * What one source said about one story, whatever its kind, as its kind module adapts it (a
 * listing teaser plus its article page, a feed entry plus its page). Terms are already mapped
 * onto the taxonomy; dates are still the source's text; the body is still as the source wrote it.
 */
export interface StoryDraft {
  /** The link the story was listed under: the item id is derived from it. */
  listedUrl: string;
  url: string;
  title: string;
  /** Summary candidates in order: plain text as given, else HTML read as text, else the fallback. */
  summary: { text: string | null; html: string | null; fallback: string | null };
  /** Body HTML, UNSANITIZED, and the URL its relative links resolve against. */
  body: { html: string; baseUrl: string } | null;
  authors: string[];
  /** Date texts in the order to try. */
  publishedTexts: (string | null | undefined)[];
  modifiedText: string | null;
  image: { url: string; caption: string | null } | null;
  language: string | null;
  countries: string[];
  regions: string[];
  topics: string[];
  /** The source's own names that map onto nothing in the taxonomy. */
  tags: string[];
}

/** A draft after the sanitize stage: safe body HTML and a plain-text summary. */
export interface StoryParts extends Omit<StoryDraft, "summary" | "body"> {
  summary: string | null;
  /** Sanitized body HTML. */
  contentHtml: string | null;
}

/** An Item's fields as the source gave them; its terms are the source's only. */
export interface NormalStory {
  content: Omit<Item, "updatedAt" | "firstSeenAt">;
  /** The source's modification date (UTC), when it gave one. */
  modifiedAt: string | null;
  /** No publication date the source gave could be read: publishedAt is the time it was first seen. */
  dateUnread: boolean;
  /** Plain text of the body (for the tagger and the search index). */
  bodyText: string;
  /** Title and summary as the source wrote them: what the tagger reads. */
  tagText: { title: string; summary: string | null };
}

/** A normalized story with the terms the tagger inferred where the source said nothing of a kind. */
export interface TaggedStory extends NormalStory {
  inferred: { countries: string[]; topics: string[] };
}

/** A story ready to write. */
export interface StoryWrite extends ItemWrite {
  /** False when the stored item is already exactly this (nothing to write). */
  changed: boolean;
  /** Plain text of the body (for the search index). */
  bodyText: string;
}
