/**
 * Lines that publishing software adds to every summary of a site and that say nothing about the
 * story: WordPress's (and Yoast SEO's) feed footer, "Continue reading" and "Read more" links,
 * excerpt markers. A reader sees the summary beside the title; a footer that names the site in
 * every item is noise there, and it spoils search (every OC Media story would match "OC Media").
 *
 * The one list of such rules. Each works on the summary's plain text (tags already gone,
 * entities decoded), is anchored at the end of the text (where these lines are put) and needs a
 * sentence boundary before it, so a story that merely uses the words keeps them.
 */
export interface BoilerplateRule {
  name: string;
  /** What to remove; matched against the whole summary. */
  pattern: RegExp;
  /** What the match becomes, given the match and its groups (default: nothing). */
  replacement?: (match: string, ...groups: string[]) => string;
}

// Where a trailing line may start: the start of the text, or after the end of a sentence.
const AFTER_SENTENCE = String.raw`(?:^|(?<=[.!?…"”’»)\]]))\s*`;
// A site's name as footers give it: short, no sentence break or clause ("OC Media", "Civil.ge").
const SITE = String.raw`(?:[^\n,;!?.]|\.(?=\S)){1,80}`;

export const BOILERPLATE_RULES: readonly BoilerplateRule[] = [
  {
    // WordPress/Yoast SEO's default feed footer: "The post <title> appeared first on <site>."
    name: "wordpress-appeared-first",
    pattern: new RegExp(
      `${AFTER_SENTENCE}The post [\\s\\S]{1,400}? (?:appeared|first appeared) (?:first )?on ${SITE}\\.?\\s*$`,
    ),
  },
  {
    // Yoast SEO's older footer: "<title> is a post from: <site>".
    name: "yoast-post-from",
    pattern: new RegExp(`${AFTER_SENTENCE}[^\\n.!?]{1,300}? is a post from: ${SITE}\\.?\\s*$`),
  },
  {
    // A theme's "Continue reading <title> →" or a plain "Continue reading…".
    name: "continue-reading",
    pattern: new RegExp(`${AFTER_SENTENCE}Continue reading\\b[^\\n]{0,300}$`, "i"),
  },
  {
    // "Read more", "Read more »", "Read more at <site>", "Read the full story", "Read full article".
    name: "read-more",
    pattern: new RegExp(
      `${AFTER_SENTENCE}(?:Read more|Read the (?:full|rest of the) (?:story|article|post)|Read full (?:story|article))\\b[^\\n]{0,200}$`,
      "i",
    ),
  },
  {
    // Feedburner's "View Entire Post ›" and "Click here to read more".
    name: "view-entire-post",
    pattern: new RegExp(`${AFTER_SENTENCE}(?:View Entire Post|Click here to (?:read|continue)\\b)[^\\n]{0,200}$`, "i"),
  },
  {
    // WordPress's excerpt marker "[…]" (or "[...]"): a cut sentence keeps a plain ellipsis, a
    // whole one just its full stop.
    name: "excerpt-marker",
    pattern: /([.!?]?)\s*\[(?:…|\.\.\.)\]\s*$/,
    replacement: (_match, stop) => stop || "…",
  },
];

/**
 * The summary without the boilerplate lines at its end. Rules repeat until none applies, since
 * a site may stack them ("[…] Continue reading → The post … appeared first on …").
 */
export function stripBoilerplate(summary: string): string {
  let text = summary.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const rule of BOILERPLATE_RULES) {
      const next = text.replace(rule.pattern, rule.replacement ?? (() => "")).trim();
      if (next !== text) {
        text = next;
        changed = true;
      }
    }
  }
  return text;
}
