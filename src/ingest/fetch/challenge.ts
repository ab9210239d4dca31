/**
 * Bot challenges named: an answer that is a CDN's or bot manager's challenge (or its block page)
 * instead of the page asked for. Operators need to tell that from a ban or an outage, because the
 * remedy differs: nothing Caravan retries gets past a challenge, the site owner has to allow it.
 *
 * Only the answer's status, headers and the first bytes of its body are looked at. A 200 body is
 * taken for a challenge only on markers that a news page or feed does not carry (a challenge
 * script, a challenge title), so an article that merely mentions a vendor is never one.
 */

export type ChallengeVendor = "cloudflare" | "datadome" | "akamai" | "sucuri" | "unknown";

export interface Challenge {
  vendor: ChallengeVendor;
  /** The vendor as operators know it ("Cloudflare"), or "unknown vendor". */
  label: string;
  /** What gave it away, for the error message. */
  evidence: string;
}

/** How much of a body is enough to recognise a challenge page (they are small). */
export const CHALLENGE_SNIFF_BYTES = 32 * 1024;

const LABELS: Record<ChallengeVendor, string> = {
  cloudflare: "Cloudflare",
  datadome: "DataDome",
  akamai: "Akamai",
  sucuri: "Sucuri",
  unknown: "unknown vendor",
};

interface Marker {
  vendor: ChallengeVendor;
  /** Matched against the first CHALLENGE_SNIFF_BYTES of the body. */
  body: RegExp;
  evidence: string;
  /** Strong enough to name a 200 answer a challenge too. */
  onSuccess: boolean;
}

// Order matters: the first marker that matches names the vendor.
const MARKERS: Marker[] = [
  {
    // The interstitial as Cloudflare serves it: its title and its no-JavaScript line.
    vendor: "cloudflare",
    body: /<title>\s*Just a moment\.\.\.\s*<\/title>[\s\S]*Enable JavaScript and cookies to continue/i,
    evidence: 'a "Just a moment..." page',
    onSuccess: true,
  },
  {
    // The title alone names a refusal; a 200 page titled so is left to the parser to refuse.
    vendor: "cloudflare",
    body: /<title>\s*Just a moment\.\.\.\s*<\/title>/i,
    evidence: 'a "Just a moment..." page',
    onSuccess: false,
  },
  {
    vendor: "cloudflare",
    body: /\/cdn-cgi\/challenge-platform\/|window\._cf_chl_opt|\bcf_chl_opt\b|id="cf-browser-verification"/i,
    evidence: "Cloudflare's challenge script",
    onSuccess: true,
  },
  {
    vendor: "cloudflare",
    body: /<title>\s*Attention Required! \| Cloudflare\s*<\/title>|id="cf-error-details"/i,
    evidence: 'an "Attention Required! | Cloudflare" page',
    onSuccess: true,
  },
  {
    vendor: "datadome",
    body: /(?:geo|ct|c)\.captcha-delivery\.com|var dd=\{[^}]*'cid'/i,
    evidence: "DataDome's captcha (captcha-delivery.com)",
    onSuccess: true,
  },
  {
    vendor: "akamai",
    body: /\/_sec\/cp_challenge\/|sec-if-cpt-container|id="sec-cpt-if"/i,
    evidence: "Akamai's sec-cpt challenge",
    onSuccess: true,
  },
  {
    vendor: "akamai",
    body: /errors(?:\.|&#46;)edgesuite(?:\.|&#46;)net|Reference&#32;&#35;[0-9a-f]/i,
    evidence: 'Akamai\'s "Access Denied" page (edgesuite.net reference)',
    onSuccess: false,
  },
  {
    vendor: "sucuri",
    body: /sucuri_cloudproxy_js/,
    evidence: "Sucuri's JavaScript challenge (sucuri_cloudproxy_js)",
    onSuccess: true,
  },
  {
    vendor: "sucuri",
    body: /Sucuri WebSite Firewall|cloudproxy@sucuri\.net/i,
    evidence: "Sucuri's firewall page",
    onSuccess: false,
  },
  {
    vendor: "unknown",
    body: /\bcaptcha\b|verify (?:that )?you are (?:a )?human|are you a robot|checking your browser/i,
    evidence: "a captcha or human check",
    onSuccess: false,
  },
];

/**
 * The challenge an answer is, or null. `body` is the answer's text (only its first
 * CHALLENGE_SNIFF_BYTES matter); for an answer whose body was not read, pass "".
 */
export function detectChallenge(status: number, headers: Headers, body: string): Challenge | null {
  const mitigated = headers.get("cf-mitigated");
  if (mitigated && /challenge/i.test(mitigated)) {
    return named("cloudflare", `HTTP ${status} with cf-mitigated: ${mitigated.trim().slice(0, 40)}`);
  }
  const refused = status === 403 || status === 429 || status === 503 || status === 401 || status === 405;
  const byHeader = headerVendor(status, headers);
  if (byHeader && refused) return named(byHeader.vendor, `HTTP ${status} from ${byHeader.evidence}`);
  if (status >= 300 && !refused) return null;
  const head = body.length > CHALLENGE_SNIFF_BYTES ? body.slice(0, CHALLENGE_SNIFF_BYTES) : body;
  for (const m of MARKERS) {
    if (!refused && !m.onSuccess) continue;
    if (m.body.test(head)) return named(m.vendor, `HTTP ${status} with ${m.evidence}`);
  }
  return null;
}

function named(vendor: ChallengeVendor, evidence: string): Challenge {
  return { vendor, label: LABELS[vendor], evidence };
}

/** A refusal whose headers name the bot manager that sent it. */
function headerVendor(status: number, headers: Headers): { vendor: ChallengeVendor; evidence: string } | null {
  if (headers.has("x-datadome") || headers.has("x-datadome-cid") || /^datadome/i.test(headers.get("server") ?? "")) {
    return { vendor: "datadome", evidence: "DataDome (x-datadome header)" };
  }
  if (headers.has("x-sucuri-id") || headers.has("x-sucuri-block") || /sucuri/i.test(headers.get("server") ?? "")) {
    return { vendor: "sucuri", evidence: "Sucuri's firewall (x-sucuri-id header)" };
  }
  // Akamai's edge serves every answer of its sites; only its 403 is the bot manager's refusal.
  if (status === 403 && /^AkamaiGHost/i.test(headers.get("server") ?? "")) {
    return { vendor: "akamai", evidence: "Akamai's edge (Server: AkamaiGHost)" };
  }
  return null;
}

/**
 * The challenge a refused answer is, reading at most CHALLENGE_SNIFF_BYTES of its body (before
 * `deadline`, wall clock); the rest of the body is dropped either way.
 */
export async function refusalChallenge(response: Response, deadline: number): Promise<Challenge | null> {
  const headerOnly = detectChallenge(response.status, response.headers, "");
  if (headerOnly || !response.body) {
    await response.body?.cancel();
    return headerOnly;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder("utf-8");
  let head = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), Math.max(0, deadline - Date.now()));
  });
  try {
    while (head.length < CHALLENGE_SNIFF_BYTES) {
      const next = await Promise.race([reader.read(), late]);
      if (next === null || next.done) break;
      head += decoder.decode(next.value, { stream: true });
    }
  } catch {
    // A body that breaks off is judged on what came.
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  return detectChallenge(response.status, response.headers, head);
}

/** The operator's wording: "bot challenge (Cloudflare): HTTP 403 with cf-mitigated: challenge". */
export function describeChallenge(c: Challenge): string {
  return `bot challenge (${c.label}): ${c.evidence}`;
}
