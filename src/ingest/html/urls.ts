import { decodeEntities } from "./entities";

export const HTTP_SCHEMES: readonly string[] = ["http:", "https:"];
export const LINK_SCHEMES: readonly string[] = ["http:", "https:", "mailto:"];

/**
 * Resolves a raw (still entity-encoded) attribute value to an absolute URL, or null when it is
 * empty, unparsable, or not one of the allowed schemes. Resolution goes through the URL parser,
 * which is what a browser does too: it strips tabs and newlines inside the value and leading or
 * trailing control characters, so disguises such as "jav&#x09;ascript:" end up as the scheme the
 * browser would see, and are then refused by the scheme check.
 */
export function resolveUrl(raw: string | null, base: string, schemes: readonly string[] = HTTP_SCHEMES): string | null {
  if (raw === null) return null;
  const value = decodeEntities(raw).trim();
  if (value === "") return null;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  return schemes.includes(url.protocol) ? url.href : null;
}

/**
 * An <img>'s picture as an absolute http(s) URL: its src, or for lazy-loaded images whose src is
 * missing or a placeholder (data: URI), the usual data-src / data-lazy-src attributes.
 */
export function imageUrl(img: Element, base: string): string | null {
  return (
    resolveUrl(img.getAttribute("src"), base) ??
    resolveUrl(img.getAttribute("data-src"), base) ??
    resolveUrl(img.getAttribute("data-lazy-src"), base)
  );
}
