/** Facts from the HTML standard that the HTMLRewriter-based walkers need. */

/** Elements that never have content or an end tag (asking HTMLRewriter for their end tag throws). */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "keygen",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
  "frame",
  "basefont",
  "bgsound",
]);

export const HTML_NAMESPACE = "http://www.w3.org/1999/xhtml";

/**
 * Registers `onEnd` for the element's end tag and returns true, or returns false when the element
 * has no end tag: HTML void elements, and self-closing (`<circle/>`) elements in SVG or MathML.
 */
export function onElementEnd(el: Element, onEnd: () => void): boolean {
  if (VOID_ELEMENTS.has(el.tagName)) return false;
  if (el.namespaceURI === HTML_NAMESPACE) {
    el.onEndTag(onEnd);
    return true;
  }
  try {
    el.onEndTag(onEnd);
    return true;
  } catch {
    return false;
  }
}

/** Input for HTMLRewriter: strings become a UTF-8 Response; bytes keep the original content type. */
export function asResponse(html: string | ArrayBuffer, contentType: string | null = null): Response {
  if (typeof html === "string") return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  return new Response(html, contentType ? { headers: { "content-type": contentType } } : undefined);
}
