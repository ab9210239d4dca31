import { describe, expect, it } from "vitest";
import { ALLOW_ALL, DISALLOW_ALL, isAllowed, parseRobots, robotsPath } from "../../src/ingest/fetch/robots";

const TOKEN = "Caravan";
const allowed = (robots: string, path: string) => isAllowed(parseRobots(robots, TOKEN), path);

describe("robots.txt groups (RFC 9309 §2.2.1)", () => {
  const text = [
    "# comment line",
    "User-agent: *",
    "Disallow: /private",
    "",
    "User-agent: otherbot",
    "Disallow: /",
    "",
    "User-Agent: CARAVAN",
    "Disallow: /region/kazakhstan",
    "Crawl-delay: 5",
  ].join("\n");

  it("uses the group naming Caravan (case-insensitive), not the * group", () => {
    const rules = parseRobots(text, TOKEN);
    expect(rules.disallow).toEqual(["/region/kazakhstan"]);
    expect(rules.crawlDelaySeconds).toBe(5);
    expect(isAllowed(rules, "/private/page")).toBe(true);
    expect(isAllowed(rules, "/region/kazakhstan?page=1")).toBe(false);
    expect(isAllowed(rules, "/region/caucasus")).toBe(true);
  });

  it("falls back to the * group, and allows everything when no group applies", () => {
    expect(allowed("User-agent: *\nDisallow: /private\n", "/private/x")).toBe(false);
    expect(allowed("User-agent: *\nDisallow: /private\n", "/public")).toBe(true);
    expect(parseRobots("User-agent: otherbot\nDisallow: /\n", TOKEN)).toEqual(ALLOW_ALL);
    expect(parseRobots("", TOKEN)).toEqual(ALLOW_ALL);
  });

  it("merges several groups naming Caravan, and user-agent lines in a row share one group", () => {
    const rules = parseRobots(
      "User-agent: caravan\nDisallow: /a\n\nUser-agent: x\nUser-agent: Caravan\nDisallow: /b\nCrawl-delay: 2\n",
      TOKEN,
    );
    expect(rules.disallow.sort()).toEqual(["/a", "/b"]);
    expect(rules.crawlDelaySeconds).toBe(2);
  });

  it("ignores rules before any user-agent line, comments, unknown keys and an empty disallow", () => {
    const rules = parseRobots(
      "Disallow: /orphan\nUser-agent: * # all\nDisallow:\nSitemap: https://x/s.xml\nFoo: bar\n",
      TOKEN,
    );
    expect(rules).toEqual({ allow: [], disallow: [], crawlDelaySeconds: null });
    expect(isAllowed(rules, "/orphan")).toBe(true);
  });

  it("reads CRLF and CR line ends", () => {
    expect(allowed("User-agent: *\r\nDisallow: /x\r\n", "/x")).toBe(false);
    expect(allowed("User-agent: *\rDisallow: /y\r", "/y/z")).toBe(false);
  });

  it("a rule after a blank line still belongs to the group above (groups end at the next user-agent)", () => {
    expect(allowed("User-agent: *\n\nDisallow: /late\n", "/late")).toBe(false);
  });
});

describe("robots.txt matching (RFC 9309 §2.2.2)", () => {
  it("takes the longest matching rule; an allow wins a tie", () => {
    const robots = "User-agent: *\nDisallow: /region/\nAllow: /region/caucasus\nAllow: /same\nDisallow: /same\n";
    expect(allowed(robots, "/region/kazakhstan")).toBe(false);
    expect(allowed(robots, "/region/caucasus?page=1")).toBe(true);
    expect(allowed(robots, "/same")).toBe(true);
    // A shorter allow loses to a longer disallow.
    expect(allowed("User-agent: *\nAllow: /a\nDisallow: /a/b\n", "/a/b/c")).toBe(false);
  });

  it("understands * wildcards and the $ end anchor", () => {
    const robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\nDisallow: /exact$\n";
    expect(allowed(robots, "/files/report.pdf")).toBe(false);
    expect(allowed(robots, "/files/report.pdf?download=1")).toBe(true);
    expect(allowed(robots, "/search?lang=en&q=baku")).toBe(false);
    expect(allowed(robots, "/search?lang=en")).toBe(true);
    expect(allowed(robots, "/exact")).toBe(false);
    expect(allowed(robots, "/exactly")).toBe(true);
  });

  it("matches the query string too", () => {
    expect(allowed("User-agent: *\nDisallow: /region/caucasus?page=\n", "/region/caucasus?page=1")).toBe(false);
    expect(allowed("User-agent: *\nDisallow: /region/caucasus?page=\n", "/region/caucasus")).toBe(true);
  });

  it("compares non-ASCII and percent-encoded paths in one form", () => {
    const robots = "User-agent: *\nDisallow: /новости\nDisallow: /a%2fb\n";
    expect(allowed(robots, "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1")).toBe(false);
    expect(allowed(robots, "/a%2Fb")).toBe(false);
    expect(robotsPath(new URL("https://x.example/новости?a=1"))).toBe(
      "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8?a=1",
    );
  });

  it("always allows /robots.txt, and DISALLOW_ALL forbids everything else", () => {
    expect(isAllowed(DISALLOW_ALL, "/robots.txt")).toBe(true);
    expect(isAllowed(DISALLOW_ALL, "/")).toBe(false);
    expect(isAllowed(DISALLOW_ALL, "/region/caucasus")).toBe(false);
    expect(isAllowed(ALLOW_ALL, "/anything")).toBe(true);
  });

  it("takes a crawl-delay only when it is a number", () => {
    expect(parseRobots("User-agent: *\nCrawl-delay: soon\n", TOKEN).crawlDelaySeconds).toBeNull();
    expect(parseRobots("User-agent: *\nCrawl-delay: 0.5\n", TOKEN).crawlDelaySeconds).toBe(0.5);
  });

  it("stops reading after 500 KiB", () => {
    const filler = `# ${"x".repeat(1000)}\n`.repeat(520);
    expect(allowed(`User-agent: *\n${filler}Disallow: /late\n`, "/late")).toBe(true);
    expect(allowed(`User-agent: *\nDisallow: /early\n${filler}`, "/early")).toBe(false);
  });
});
