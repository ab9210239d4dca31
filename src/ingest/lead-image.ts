/**
 * The lead image of a story whose source named none: the first image of its (sanitized) body,
 * with the caption of the figure it sits in. Feeds that carry their picture only inside
 * content:encoded, and pages without og:image, would otherwise have no image at all.
 */
import { cleanText } from "./html/entities";

export interface LeadImage {
  url: string;
  caption: string | null;
}

/** The first <img> of the body with an http(s) src, and its figure's figcaption text. */
export async function leadImageOf(html: string | null): Promise<LeadImage | null> {
  if (!html?.includes("<img")) return null;
  let url: string | null = null;
  let figureDepth = 0;
  let leadFigure = -1;
  let inCaption = false;
  let caption = "";
  let captionDone = false;
  await new HTMLRewriter()
    .on("figure", {
      element(el) {
        figureDepth++;
        const depth = figureDepth;
        el.onEndTag(() => {
          if (leadFigure === depth) captionDone = true;
          figureDepth--;
        });
      },
    })
    .on("img[src]", {
      element(el) {
        if (url !== null) return;
        const src = el.getAttribute("src") ?? "";
        if (!/^https?:\/\//i.test(src)) return;
        url = src;
        leadFigure = figureDepth > 0 ? figureDepth : -1;
      },
    })
    .on("figcaption", {
      element(el) {
        if (url === null || captionDone || leadFigure !== figureDepth) return;
        inCaption = true;
        el.onEndTag(() => {
          inCaption = false;
          captionDone = true;
        });
      },
      text(t) {
        if (inCaption) caption += t.text;
      },
    })
    .transform(new Response(html))
    .text();
  if (url === null) return null;
  const text = cleanText(caption);
  return { url, caption: text || null };
}
