import { attributeEquals } from "./selectors";
import { onElementEnd } from "./spec";

/** Elements that can hold a story's paragraphs. */
const CONTAINERS = "div, article, main, section, td";

interface Container {
  tag: string;
  id: string | null;
  className: string | null;
  score: number;
}

/** How to find the winning container again in a second pass: a selector and which match. */
export interface ContainerRef {
  selector: string;
  occurrence: number;
}

/**
 * Finds the element that holds the story when no body selector is configured or it matched
 * nothing, in the way readability-style extractors do: every paragraph's text length is credited
 * to the container it sits in, and half of it to that container's parent container (so a story
 * whose paragraphs are each wrapped in their own div still wins as a whole). The container with
 * the highest score wins; on a tie the earlier one.
 *
 * HTMLRewriter cannot go back to an element, so the winner is described by a selector (its id,
 * else its exact class attribute, else its tag) plus its index among the elements that selector
 * matches, for a second pass to capture it.
 */
export class ContainerScorer {
  private readonly containers: Container[] = [];
  private readonly stack: number[] = [];
  /** The containers the paragraph that started last credits. */
  private paragraph: { parent: number; grandparent: number } | null = null;

  attach(rewriter: HTMLRewriter): HTMLRewriter {
    rewriter.on(CONTAINERS, {
      element: (el) => {
        const index =
          this.containers.push({
            tag: el.tagName,
            id: el.getAttribute("id"),
            className: el.getAttribute("class"),
            score: 0,
          }) - 1;
        this.stack.push(index);
        onElementEnd(el, () => this.pop(index));
      },
    });
    // Paragraph text goes to the paragraph that started last: that is the innermost open one, as
    // paragraphs only nest when one is left unclosed, and it saves an end-tag call per paragraph.
    rewriter.on("p", {
      element: () => {
        this.paragraph = { parent: this.stack.at(-1) ?? -1, grandparent: this.stack.at(-2) ?? -1 };
      },
      text: (chunk) => {
        const p = this.paragraph;
        if (!p || p.parent < 0) return;
        const length = chunk.text.trim().length;
        if (length === 0) return;
        this.containers[p.parent]!.score += length;
        if (p.grandparent >= 0) this.containers[p.grandparent]!.score += length / 2;
      },
    });
    return rewriter;
  }

  /** Removes `index` and anything above it (containers the parser closed implicitly). */
  private pop(index: number): void {
    const at = this.stack.lastIndexOf(index);
    if (at >= 0) this.stack.length = at;
  }

  /** The best container, or null when the page has no paragraph text in any container. */
  best(): ContainerRef | null {
    let winner = -1;
    this.containers.forEach((c, i) => {
      if (c.score > 0 && (winner < 0 || c.score > this.containers[winner]!.score)) winner = i;
    });
    if (winner < 0) return null;
    const w = this.containers[winner]!;
    // Count earlier containers the same selector would match, to know which match to capture.
    const sameMatch: (c: Container) => boolean =
      w.id !== null
        ? (c) => c.tag === w.tag && c.id === w.id
        : w.className !== null
          ? (c) => c.tag === w.tag && c.className === w.className
          : (c) => c.tag === w.tag;
    const selector =
      w.id !== null
        ? attributeEquals(w.tag, "id", w.id)
        : w.className !== null
          ? attributeEquals(w.tag, "class", w.className)
          : w.tag;
    let occurrence = 0;
    for (let i = 0; i < winner; i++) if (sameMatch(this.containers[i]!)) occurrence++;
    return { selector, occurrence };
  }
}
