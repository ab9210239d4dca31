/** Bot challenges named by vendor from an answer's status, headers and first bytes. */
import { describe, expect, it } from "vitest";
import { describeChallenge, detectChallenge } from "../../src/ingest/fetch/challenge";
import { CHALLENGES } from "../fixtures/challenges.mjs";

const detect = (status: number, headers: Record<string, string>, body: string) =>
  detectChallenge(status, new Headers(headers), body);

describe("bot challenge detection", () => {
  for (const [name, answer] of Object.entries(CHALLENGES)) {
    it(`${name}: named ${answer.vendor}`, () => {
      const found = detect(answer.status, answer.headers, answer.body);
      expect(found?.vendor).toBe(answer.vendor);
      expect(describeChallenge(found!)).toMatch(
        new RegExp(`^bot challenge \\(${found!.label}\\): HTTP ${answer.status} `),
      );
    });
  }

  it("cf-mitigated: challenge alone is enough, whatever the body", () => {
    expect(detect(403, { "cf-mitigated": "challenge" }, "")).toMatchObject({
      vendor: "cloudflare",
      evidence: "HTTP 403 with cf-mitigated: challenge",
    });
  });

  it("names the vendor in the message operators read", () => {
    const c = CHALLENGES["cloudflare-403"]!;
    expect(describeChallenge(detect(c.status, c.headers, c.body)!)).toBe(
      "bot challenge (Cloudflare): HTTP 403 with cf-mitigated: challenge",
    );
    const d = CHALLENGES["datadome-403"]!;
    expect(describeChallenge(detect(d.status, d.headers, d.body)!)).toBe(
      "bot challenge (DataDome): HTTP 403 from DataDome (x-datadome header)",
    );
  });

  it("plain refusals, outages and throttling stay what they are", () => {
    expect(detect(403, { server: "nginx" }, "<html><body><h1>403 Forbidden</h1></body></html>")).toBeNull();
    expect(detect(429, { "retry-after": "120" }, "Too Many Requests")).toBeNull();
    expect(detect(503, {}, "<h1>Service Unavailable</h1><p>Back soon: maintenance.</p>")).toBeNull();
    expect(detect(404, { server: "AkamaiGHost" }, "<h1>Not Found</h1>")).toBeNull();
    // Akamai's edge answers every request of its sites; a 503 from it is an outage, not a refusal.
    expect(detect(503, { server: "AkamaiGHost" }, "<h1>Service Unavailable</h1>")).toBeNull();
  });

  it("a page or feed that only talks about challenges is not one", () => {
    const article =
      "<html><head><title>Why news sites show you a captcha</title></head><body><p>Sites behind Cloudflare show " +
      '"Just a moment..." while they check; DataDome and Sucuri WebSite Firewall do the same. Are you a robot?</p></body></html>';
    expect(detect(200, {}, article)).toBeNull();
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Just a moment...</title><item><title>captcha</title></item></channel></rss>`;
    expect(detect(200, {}, feed)).toBeNull();
    // A 200 titled "Just a moment..." without the interstitial's own markers is left to the parser.
    expect(
      detect(
        200,
        {},
        "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>",
      ),
    ).toBeNull();
  });

  it("looks only at the first 32 KiB of a body", () => {
    const c = CHALLENGES["akamai-429"]!;
    expect(detect(429, {}, `${" ".repeat(40 * 1024)}${c.body}`)).toBeNull();
    expect(detect(429, {}, c.body)?.vendor).toBe("akamai");
  });
});
