import type { ListingSelectors } from "../../model/source";
import { cleanText } from "./entities";
import { within } from "./selectors";
import { onElementEnd } from "./spec";
import type { ListingPage, RawTeaser } from "./types";
import { imageUrl, resolveUrl } from "./urls";

type Field = "title" | "summary" | "authors" | "date";

/** One row as it is being read: per field, the raw text chunks of each matched element. */
interface Row {
  texts: Record<Field, string[][]>;
  link: string | null;
  image: string | null;
}

const newRow = (): Row => ({ texts: { title: [], summary: [], authors: [], date: [] }, link: null, image: null });

/** The first element's text that is not empty, decoded. */
function firstText(slots: string[][]): string | null {
  for (const slot of slots) {
    const text = cleanText(slot.join(""));
    if (text) return text;
  }
  return null;
}

/**
 * Reads the teasers of a listing page in one HTMLRewriter pass.
 *
 * Every field selector is anchored as `container item field`, so rows that look the same outside
 * the container (a "popular" sidebar) never match. Fields found in a row go to the row most
 * recently opened, which is the enclosing one as rows do not nest. A row's story link is its
 * title element's first `a[href]` (or the title element itself when it is a link), unless a
 * `link` selector is configured. Rows without a usable link or title are dropped but counted in
 * `rowsMatched`, and a story linked twice on one page is kept once (first row wins).
 */
export async function parseListing(
  html: string | Response,
  pageUrl: string,
  selectors: ListingSelectors,
  /** A selector for the link to the next page (anywhere on the page): its first match's href. */
  nextLink?: string,
): Promise<ListingPage> {
  let next: string | null = null;
  const { container, item } = selectors;
  const rows: Row[] = [];
  let containerFound = false;
  const current = () => rows.at(-1);

  const rewriter = new HTMLRewriter()
    .on(container, {
      element: () => {
        containerFound = true;
      },
    })
    .on(within(container, item), {
      element: () => {
        rows.push(newRow());
      },
    });

  /** Collects the text of each element matching `selector` inside a row into `field`. */
  const collectText = (selector: string, field: Field) => {
    const open: string[][] = [];
    rewriter.on(within(container, item, selector), {
      element: (el) => {
        const row = current();
        if (!row) return;
        const slot: string[] = [];
        row.texts[field].push(slot);
        if (onElementEnd(el, () => open.splice(open.lastIndexOf(slot), 1))) open.push(slot);
      },
      text: (chunk) => {
        for (const slot of open) slot.push(chunk.text);
      },
    });
  };

  // A title element that is itself a link is the story link (its `a[href]` descendants are not).
  if (!selectors.link) {
    rewriter.on(within(container, item, selectors.title), {
      element: (el) => {
        const row = current();
        if (row && row.link === null && el.tagName === "a") row.link = resolveUrl(el.getAttribute("href"), pageUrl);
      },
    });
  }
  collectText(selectors.title, "title");

  const linkSelector = selectors.link
    ? within(container, item, selectors.link)
    : within(container, item, selectors.title, "a[href]");
  rewriter.on(linkSelector, {
    element: (el) => {
      const row = current();
      if (row && row.link === null) row.link = resolveUrl(el.getAttribute("href"), pageUrl);
    },
  });

  if (selectors.summary) collectText(selectors.summary, "summary");
  if (selectors.date) collectText(selectors.date, "date");
  if (selectors.author) collectText(selectors.author, "authors");
  if (selectors.image) {
    rewriter.on(within(container, item, selectors.image), {
      element: (el) => {
        const row = current();
        if (row && row.image === null) row.image = imageUrl(el, pageUrl);
      },
    });
  }

  if (nextLink) {
    rewriter.on(nextLink, {
      element: (el) => {
        next ??= resolveUrl(el.getAttribute("href"), pageUrl);
      },
    });
  }

  await rewriter.transform(typeof html === "string" ? new Response(html) : html).arrayBuffer();

  const teasers: RawTeaser[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const title = firstText(row.texts.title);
    if (!row.link || !title || seen.has(row.link)) continue;
    seen.add(row.link);
    const authors = [...new Set(row.texts.authors.map((a) => cleanText(a.join(""))).filter((a) => a.length > 0))];
    teasers.push({
      url: row.link,
      title,
      summary: firstText(row.texts.summary),
      author: authors.length > 0 ? authors.join(", ") : null,
      dateText: firstText(row.texts.date),
      imageUrl: row.image,
    });
  }
  return { teasers, containerFound, rowsMatched: rows.length, next };
}
