import { onElementEnd } from "./spec";

/**
 * Captures the inner HTML of one element (the `occurrence`-th match of `selector`), without the
 * subtrees matched by `exclude`, during an HTMLRewriter pass.
 *
 * HTMLRewriter cannot hand an element's source to JavaScript, and rebuilding it from text and
 * element callbacks costs a JavaScript call per text chunk. Instead the rewriter is left to do the
 * work natively: comment markers carrying a random nonce are inserted just inside the element's
 * start and end tags, excluded elements inside it are removed, and after the pass the body is
 * cut out of the rewritten page between the two markers. The markup in between is the source as
 * written (comments included), apart from the removed exclusions.
 */
export class SubtreeCapture {
  private matches = 0;
  private state: "before" | "inside" | "after" = "before";
  private readonly start: string;
  private readonly end: string;

  constructor(
    private readonly selector: string,
    private readonly occurrence = 0,
    private readonly exclude: readonly string[] = [],
  ) {
    const nonce = crypto.randomUUID();
    this.start = `<!--caravan-capture-start-${nonce}-->`;
    this.end = `<!--caravan-capture-end-${nonce}-->`;
  }

  /**
   * Registers the handlers. Exclusions go first (HTMLRewriter runs handlers in that order), so an
   * exclude selector that also matches the captured element itself, or an ancestor of it, removes
   * nothing: only elements inside the captured one are removed.
   */
  attach(rewriter: HTMLRewriter): HTMLRewriter {
    for (const selector of this.exclude) {
      rewriter.on(selector, {
        element: (el) => {
          if (this.state === "inside") el.remove();
        },
      });
    }
    return rewriter.on(this.selector, {
      element: (el) => {
        const index = this.matches++;
        if (this.state !== "before" || index !== this.occurrence) return;
        el.prepend(this.start, { html: true });
        this.state = "inside";
        const ended = onElementEnd(el, () => {
          this.state = "after";
        });
        if (ended) el.append(this.end, { html: true });
        else this.state = "after";
      },
    });
  }

  /** Whether the rewritten page is needed (the selector matched). */
  get matched(): boolean {
    return this.state !== "before";
  }

  /** The captured inner HTML cut out of the rewritten page, or null when nothing was captured. */
  html(rewritten: string): string | null {
    const from = rewritten.indexOf(this.start);
    if (from < 0) return null;
    const to = rewritten.indexOf(this.end, from);
    // An element never closed (a truncated page) runs to the end of the document.
    return rewritten.slice(from + this.start.length, to < 0 ? undefined : to).trim();
  }
}
