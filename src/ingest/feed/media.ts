/**
 * The picture of an entry, from the places XML feeds put one: Media RSS (`media:content`,
 * `media:thumbnail`, either inside `media:group`), RSS `<enclosure>` and Atom
 * `<link rel="enclosure">`. Real feeds get the details wrong (`type="image/jpg"`, `length="0"`,
 * no type at all), so an enclosure is a picture when its type or its file name says so.
 */
import { NS } from "./namespaces";
import { absoluteHttpUrl, htmlToPlainText } from "./text";
import type { FeedImage } from "./types";
import { attr, childText, elements, type XmlElement } from "./xml";

export interface Enclosure {
  url: string;
  type: string | null;
  /** As written; often "0" or missing, never trusted. */
  length: string | null;
}

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;
const GENERIC_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream"]);

/** Whether a media reference is a still picture, judged by medium, then type, then file name. */
export function isImageReference(url: string, type: string | null, medium: string | null = null): boolean {
  const m = medium?.toLowerCase();
  if (m) return m === "image";
  const t = (type ?? "").toLowerCase().split(";")[0]!.trim();
  if (t.startsWith("image/")) return true;
  if (!GENERIC_TYPES.has(t)) return false;
  try {
    return IMAGE_EXTENSION.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

/** The Media RSS caption of an element: media:description, else media:title (plain text). */
function mediaCaption(el: XmlElement): string | null {
  const text = childText(el, NS.media, "description") ?? childText(el, NS.media, "title");
  const plain = text ? htmlToPlainText(text) : "";
  return plain || null;
}

interface Candidate {
  url: string;
  caption: string | null;
  width: number;
}

/**
 * The entry's picture. Order: the widest image `media:content`, then a `media:thumbnail`, then
 * the first image enclosure (RSS or Atom). The caption comes from Media RSS when it has one.
 */
export function entryImage(entry: XmlElement, enclosures: Enclosure[]): FeedImage | null {
  const groups = [entry, ...elements(entry, NS.media, "group")];
  const contents: Candidate[] = [];
  const thumbnails: Candidate[] = [];
  for (const group of groups) {
    const groupCaption = group === entry ? null : mediaCaption(group);
    for (const content of elements(group, NS.media, "content")) {
      const url = absoluteHttpUrl(attr(content, "url"), content.base);
      if (url && isImageReference(url, attr(content, "type"), attr(content, "medium"))) {
        contents.push({
          url,
          caption: mediaCaption(content) ?? groupCaption ?? mediaCaption(entry),
          width: Number(attr(content, "width")) || 0,
        });
      }
      for (const thumb of elements(content, NS.media, "thumbnail"))
        pushThumbnail(thumbnails, thumb, mediaCaption(content) ?? groupCaption);
    }
    for (const thumb of elements(group, NS.media, "thumbnail"))
      pushThumbnail(thumbnails, thumb, groupCaption ?? mediaCaption(entry));
  }
  const widest = contents.reduce<Candidate | null>((best, c) => (!best || c.width > best.width ? c : best), null);
  if (widest) return { url: widest.url, caption: widest.caption };
  if (thumbnails[0]) return { url: thumbnails[0].url, caption: thumbnails[0].caption };
  const enclosure = enclosures.find((e) => isImageReference(e.url, e.type));
  return enclosure ? { url: enclosure.url, caption: mediaCaption(entry) } : null;
}

function pushThumbnail(out: Candidate[], thumb: XmlElement, caption: string | null): void {
  const url = absoluteHttpUrl(attr(thumb, "url"), thumb.base);
  if (url) out.push({ url, caption, width: Number(attr(thumb, "width")) || 0 });
}

/** RSS 2.0 `<enclosure url type length>` elements with usable URLs. */
export function rssEnclosures(item: XmlElement, ns: readonly (string | null)[]): Enclosure[] {
  const out: Enclosure[] = [];
  for (const el of elements(item, ns, "enclosure")) {
    const url = absoluteHttpUrl(attr(el, "url"), el.base);
    if (url) out.push({ url, type: attr(el, "type"), length: attr(el, "length") });
  }
  return out;
}
