import { cleanText } from "./entities";
import { onElementEnd } from "./spec";

/**
 * Collects the text content of the elements a selector matches, one string per element, during an
 * HTMLRewriter pass. Text chunks arrive raw and may split an entity, so they are joined first and
 * decoded once at the end. Nested matches each get the full text inside them.
 */
export class TextCollector {
  private readonly slots: string[][] = [];
  private readonly open: string[][] = [];

  constructor(private readonly selector: string) {}

  attach(rewriter: HTMLRewriter): HTMLRewriter {
    return rewriter.on(this.selector, {
      element: (el) => {
        const slot: string[] = [];
        this.slots.push(slot);
        if (onElementEnd(el, () => this.closeSlot(slot))) this.open.push(slot);
      },
      text: (chunk) => {
        for (const slot of this.open) slot.push(chunk.text);
      },
    });
  }

  private closeSlot(slot: string[]): void {
    const at = this.open.lastIndexOf(slot);
    if (at >= 0) this.open.splice(at, 1);
  }

  /** Decoded, whitespace-collapsed texts of the matched elements, empty ones left out. */
  texts(): string[] {
    return this.slots.map((slot) => cleanText(slot.join(""))).filter((t) => t.length > 0);
  }

  /** The first non-empty text. */
  first(): string | null {
    return this.texts()[0] ?? null;
  }
}
