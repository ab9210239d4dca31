/**
 * Polite HTTP fetching for ingest: a User-Agent naming Caravan, conditional requests with the
 * stored validators, a timeout, a body size cap, and redirects followed by hand so each hop is
 * counted against the invocation's subrequest budget and loops are caught.
 */
import { refusedTarget } from "../url-guard";
import { BudgetExhausted, type SubrequestBudget } from "./budget";
import { describeChallenge, detectChallenge, refusalChallenge } from "./challenge";
import { decodeBody } from "./decode";

export interface FetchOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  maxRedirects?: number;
  /** Loopback addresses may be fetched (local fixtures, tests, the demo: ALLOW_LOOPBACK_FETCH). */
  allowLoopback?: boolean;
}

export type FetchResult =
  | { kind: "not-modified"; url: string; status: 304 }
  | {
      kind: "ok";
      url: string;
      status: number;
      body: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    };

/** What kind of failure a FetchError is, for backoff decisions and health warnings. */
export type FetchErrorCode =
  | "http"
  | "timeout"
  | "network"
  | "too_large"
  | "redirect"
  | "charset"
  | "robots"
  | "empty_body"
  | "refused"
  | "selector_miss"
  | "not_a_feed"
  | "challenge";

/** A fetch that failed in a way an operator should read; `status` is set for HTTP errors. */
export class FetchError extends Error {
  /** When the failure was known on the run clock (set by the polite client): waits count from it. */
  answeredAt: number | null = null;

  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null = null,
    readonly retryAfter: string | null = null,
    readonly code: FetchErrorCode = status !== null && status >= 400 ? "http" : "network",
  ) {
    super(message);
  }
}

export async function politeFetch(url: string, budget: SubrequestBudget, options: FetchOptions): Promise<FetchResult> {
  const seen = new Set<string>();
  let current = url;
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    if (seen.has(current)) {
      throw new FetchError(
        `redirect loop: ${current} was already visited after ${hop} redirect(s)`,
        url,
        null,
        null,
        "redirect",
      );
    }
    seen.add(current);
    // Never loopback (unless allowed), private, link-local or metadata addresses, whatever named them.
    const refused = refusedTarget(current, options.allowLoopback ?? false);
    if (refused) throw new FetchError(`refused to fetch ${current}: ${refused}`, url, null, null, "refused");
    if (!budget.take()) throw new BudgetExhausted();
    // One deadline for the whole exchange, headers and body, so a server that trickles its
    // body cannot hold the run past the timeout.
    const deadline = Date.now() + options.timeoutMs;
    const response = await fetchOnce(current, options, hop === 0);
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location) {
        throw new FetchError(
          `HTTP ${response.status} redirect without a Location header`,
          url,
          response.status,
          null,
          "redirect",
        );
      }
      if (hop >= maxRedirects)
        throw new FetchError(`more than ${maxRedirects} redirects`, url, response.status, null, "redirect");
      const next = URL.parse(location, current);
      if (!next || !/^https?:$/.test(next.protocol)) {
        throw new FetchError(
          `HTTP ${response.status} redirect to an unusable Location "${location.slice(0, 200)}"`,
          url,
          response.status,
          null,
          "redirect",
        );
      }
      // A redirect may change scheme or add/drop "www.", not send Caravan to another host.
      if (!sameSite(next.host, new URL(current).host)) {
        throw new FetchError(
          `HTTP ${response.status} redirect to another host (${next.host}), which is not followed`,
          url,
          response.status,
          null,
          "redirect",
        );
      }
      current = next.toString();
      continue;
    }
    return readResponse(response, current, options, deadline);
  }
}

function sameSite(a: string, b: string): boolean {
  const bare = (host: string) => host.toLowerCase().replace(/^www\./, "");
  return bare(a) === bare(b);
}

async function fetchOnce(url: string, options: FetchOptions, conditional: boolean): Promise<Response> {
  const headers = new Headers({
    "user-agent": options.userAgent,
    accept: options.accept ?? "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
  });
  // Validators belong to the URL they came from; a redirect target gets an unconditional request.
  if (conditional && options.etag) headers.set("if-none-match", options.etag);
  if (conditional && options.lastModified) headers.set("if-modified-since", options.lastModified);
  try {
    return await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (err) {
    throw new FetchError(
      describeNetworkError(err, options.timeoutMs),
      url,
      null,
      null,
      isTimeout(err) ? "timeout" : "network",
    );
  }
}

async function readResponse(
  response: Response,
  url: string,
  options: FetchOptions,
  deadline: number,
): Promise<FetchResult> {
  if (response.status === 304) {
    await response.body?.cancel();
    return { kind: "not-modified", url, status: 304 };
  }
  if (!response.ok) {
    const challenge = await refusalChallenge(response, deadline);
    if (challenge) {
      const retryAfter = response.headers.get("retry-after");
      throw new FetchError(describeChallenge(challenge), url, response.status, retryAfter, "challenge");
    }
    throw new FetchError(
      `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
      url,
      response.status,
      response.headers.get("retry-after"),
    );
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel();
    throw new FetchError(
      `response of ${declared} bytes is over the ${options.maxBytes}-byte cap (MAX_RESPONSE_BYTES)`,
      url,
      response.status,
      null,
      "too_large",
    );
  }
  const bytes = await readCapped(response, url, options, deadline);
  const contentType = response.headers.get("content-type");
  let body: string;
  try {
    body = decodeBody(bytes, contentType);
  } catch (err) {
    throw new FetchError(err instanceof Error ? err.message : String(err), url, response.status, null, "charset");
  }
  // A 200 can be a challenge too (a JavaScript interstitial): named, never parsed as the page.
  const challenge = detectChallenge(response.status, response.headers, body);
  if (challenge) throw new FetchError(describeChallenge(challenge), url, response.status, null, "challenge");
  return {
    kind: "ok",
    url,
    status: response.status,
    body,
    contentType,
    etag: response.headers.get("etag"),
    lastModified: response.headers.get("last-modified"),
  };
}

async function readCapped(
  response: Response,
  url: string,
  options: FetchOptions,
  deadline: number,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new FetchError(`body not complete within ${options.timeoutMs} ms`, url, response.status, null, "timeout"),
        ),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timedOut]);
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        throw new FetchError(
          `response body passed the ${options.maxBytes}-byte cap (MAX_RESPONSE_BYTES) and was cut off`,
          url,
          response.status,
          null,
          "too_large",
        );
      }
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    if (err instanceof FetchError) throw err;
    throw new FetchError(
      `body read failed after ${total} bytes (truncated response?): ${describeNetworkError(err, options.timeoutMs)}`,
      url,
      response.status,
      null,
      "network",
    );
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (isTimeout(err)) return `no answer within ${timeoutMs} ms (FETCH_TIMEOUT_MS)`;
  return `network error: ${err instanceof Error ? err.message : String(err)}`;
}
