/**
 * robots.txt (RFC 9309): which group applies to Caravan, and whether a path may be fetched.
 *
 * - Groups start with one or more `user-agent` lines; the groups naming Caravan's product token
 *   (case-insensitive) are merged and used, else the `*` groups, else nothing is disallowed.
 * - `allow` / `disallow` patterns match from the start of the path and query; `*` matches any
 *   run of characters and a trailing `$` anchors the end. The longest matching pattern wins and
 *   an allow wins a tie with a disallow. An empty `disallow` says nothing.
 * - `crawl-delay` is not in the RFC, but many sites use it to ask for a slower pace; it is kept
 *   and raises the per-host interval.
 * - /robots.txt itself is always allowed.
 */
import type { RobotsRules } from "../../model/robots";

export type { RobotsRules };

/** Nothing disallowed: no robots.txt (4xx), or no group that applies. */
export const ALLOW_ALL: RobotsRules = { allow: [], disallow: [], crawlDelaySeconds: null };

/** Everything disallowed: robots.txt could not be read (5xx, network error), as RFC 9309 §2.3.1.4 says. */
export const DISALLOW_ALL: RobotsRules = { allow: [], disallow: ["/"], crawlDelaySeconds: null };

// RFC 9309 §2.5: parsers must read at least 500 KiB; anything after is ignored.
const MAX_PARSED_CHARS = 500 * 1024;

interface Group {
  agents: string[];
  rules: RobotsRules;
}

export function parseRobots(text: string, productToken: string): RobotsRules {
  const groups: Group[] = [];
  let current: Group | null = null;
  let lastWasAgent = false;

  for (const rawLine of text.slice(0, MAX_PARSED_CHARS).split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, "").trim();
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();

    if (key === "user-agent") {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: { allow: [], disallow: [], crawlDelaySeconds: null } };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue; // rules before any user-agent line belong to no group
    if (key === "allow" && value) current.rules.allow.push(normalizePattern(value));
    else if (key === "disallow" && value) current.rules.disallow.push(normalizePattern(value));
    else if (key === "crawl-delay") {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.rules.crawlDelaySeconds = seconds;
    }
  }

  const token = productToken.toLowerCase();
  const mine = groups.filter((g) => g.agents.some((a) => a !== "*" && a === token));
  const chosen = mine.length > 0 ? mine : groups.filter((g) => g.agents.includes("*"));
  if (chosen.length === 0) return ALLOW_ALL;
  const delays = chosen.map((g) => g.rules.crawlDelaySeconds).filter((d): d is number => d !== null);
  return {
    allow: chosen.flatMap((g) => g.rules.allow),
    disallow: chosen.flatMap((g) => g.rules.disallow),
    crawlDelaySeconds: delays.length > 0 ? Math.max(...delays) : null,
  };
}

/** Whether `pathAndQuery` (e.g. "/region/caucasus?page=1") may be fetched under these rules. */
export function isAllowed(rules: RobotsRules, pathAndQuery: string): boolean {
  if (pathAndQuery === "/robots.txt") return true;
  const path = normalizePattern(pathAndQuery);
  let best = -1;
  let allowed = true;
  for (const pattern of rules.disallow) {
    if (pattern.length > best && matches(pattern, path)) {
      best = pattern.length;
      allowed = false;
    }
  }
  for (const pattern of rules.allow) {
    // `>=`: an allow of the same length as the longest disallow wins (the least restrictive rule).
    if (pattern.length >= best && matches(pattern, path)) {
      best = pattern.length;
      allowed = true;
    }
  }
  return allowed;
}

/** The path and query of a URL as robots rules see it. */
export function robotsPath(url: URL): string {
  return `${url.pathname || "/"}${url.search}`;
}

/**
 * Patterns and paths are compared in one form: percent-encoded octets with upper-case hex, and
 * characters outside ASCII percent-encoded as UTF-8 (RFC 9309 §2.2.2).
 */
function normalizePattern(value: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7e || code <= 0x20) out += encodeURIComponent(ch);
    else out += ch;
  }
  return out.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}

function matches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith("$");
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const parts = body.split("*");
  // The first part must match at the start; each later part anywhere after the previous one.
  if (!path.startsWith(parts[0]!)) return false;
  let at = parts[0]!.length;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && anchored) {
      // The last part must end the path, at or after `at`.
      return path.length - part.length >= at && path.endsWith(part);
    }
    const found = path.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return anchored ? at === path.length : true;
}
