/**
 * The normalize stage: one story's sanitized parts become one Item's fields, the same way for
 * every kind: the id from the listed URL, plain-text title, summary and names, dates read in the
 * source's time zone and stored in UTC, the primary language, a body D1 can hold.
 */
import type { Source } from "../model/source";
import { stripBoilerplate } from "./boilerplate";
import { itemIdFor } from "./canonical";
import { parseSourceDate, publishedFrom } from "./dates";
import { leadImageOf } from "./lead-image";
import { htmlToText } from "./sanitize";
import type { NormalStory, StoryParts } from "./story";
import { dedupe } from "./terms";

/**
 * D1 refuses a string or row over 2,000,000 bytes. A body past this many characters (up to 3
 * bytes each in UTF-8 for the scripts we see) is not stored; the item keeps its summary.
 */
export const MAX_CONTENT_CHARS = 600_000;

export async function normalizeStory(
  parts: StoryParts,
  source: Pick<Source, "id" | "language" | "timeZone">,
  now: string,
): Promise<NormalStory> {
  const id = await itemIdFor(parts.listedUrl);
  const contentHtml =
    parts.contentHtml !== null && parts.contentHtml.length <= MAX_CONTENT_CHARS ? parts.contentHtml : null;
  const bodyText = contentHtml ? await htmlToText(contentHtml) : "";

  // A day-only date ("Nov 26, 2026") takes the time of a later text of the same day (the page's).
  const published = publishedFrom(parts.publishedTexts, source.timeZone);
  // The body's first figure is the picture when the source named none, and names the caption
  // of the one it named when nothing else did.
  const lead = await leadImageOf(contentHtml);
  let image = parts.image ?? lead;
  if (image && image.caption === null && lead && lead.url === image.url) image = lead;

  return {
    content: {
      id,
      url: parts.url,
      title: plainText(parts.title) || parts.url,
      summary: parts.summary === null ? null : stripBoilerplate(plainText(parts.summary)) || null,
      contentHtml,
      authors: dedupe(parts.authors.map(plainText).filter((a) => a !== "")),
      // No date the source gave could be read: the time it was first seen, flagged (dateUnread).
      publishedAt: published?.iso ?? now,
      image,
      language: primaryLanguage(parts.language) ?? source.language,
      sourceId: source.id,
      countries: parts.countries,
      regions: parts.regions,
      topics: parts.topics,
      tags: dedupe(parts.tags),
    },
    modifiedAt: parseSourceDate(parts.modifiedText, source.timeZone),
    dateUnread: published === null,
    bodyText,
    tagText: { title: parts.title, summary: parts.summary },
  };
}

/**
 * Titles, summaries and names are plain text, but a page can put markup-looking text in them
 * ("<img src=x onerror=…>" as entity-encoded text, which decodes to a tag). Feeds escape it, yet
 * some readers render an RSS <title> as HTML; so anything shaped like a tag goes, here, once.
 */
export function plainText(text: string): string {
  return text
    .replace(/<\/?[a-z!?][^>]*>?/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** "en-US" → "en"; null when it is not a language code. */
export function primaryLanguage(lang: string | null | undefined): string | null {
  const m = lang ? /^([a-z]{2,3})(?:[-_]|$)/i.exec(lang.trim()) : null;
  return m ? m[1]!.toLowerCase() : null;
}
