/**
 * Polite HTTP fetching for ingest: a User-Agent naming Caravan, conditional requests with the
 * stored validators, a timeout, a body size cap, and redirects followed by hand so each hop is
 * counted against the invocation's subrequest budget and loops are caught.
 */

export interface FetchOptions {
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  maxRedirects?: number;
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
  | "selector_miss"
  | "not_a_feed";

/** A fetch that failed in a way an operator should read; `status` is set for HTTP errors. */
export class FetchError extends Error {
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

/** Counts subrequests so one invocation never exceeds the platform's limit. */
export class SubrequestBudget {
  used = 0;
  constructor(readonly limit: number) {}
  get remaining(): number {
    return this.limit - this.used;
  }
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }
}

/**
 * Not a failure: the work could not be done in this run (budget or time used up, or the host
 * asked us to wait). The listing keeps its schedule and validators and is first in line later.
 */
export class Deferred extends Error {
  constructor(
    readonly reason: "budget" | "time" | "host-waiting",
    message: string,
  ) {
    super(message);
  }
}

export class BudgetExhausted extends Deferred {
  constructor() {
    super("budget", "subrequest budget used up for this run");
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
      current = next.toString();
      continue;
    }
    return readResponse(response, current, options, deadline);
  }
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
    await response.body?.cancel();
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

/**
 * Decodes by the Content-Type charset, then an in-document declaration, else UTF-8, and refuses
 * a body that is not in the charset it claims, so mis-decoded text never replaces stored items:
 * - declared UTF-8 (or nothing declared) but not valid UTF-8: the in-document charset when that
 *   is a different one; else UTF-8 with replacement characters when the bad bytes are a stray
 *   few among many good multi-byte characters (real pages have those); else an error;
 * - declared a legacy charset but valid UTF-8 with non-ASCII bytes: decoded as UTF-8 (a
 *   windows-1251 or latin-1 text is practically never valid UTF-8, so the label is the mistake);
 * - an unknown label: UTF-8 when the bytes are valid UTF-8, else an error.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const header = charsetOf(contentType);
  const inDocument = sniffDeclaredCharset(bytes);
  const declared = header ?? inDocument;
  const utf8 = strictUtf8(bytes);
  const where = header ? "its Content-Type" : inDocument ? "the document" : "default";
  if (!declared || isUtf8Label(declared)) {
    if (utf8 !== null) return utf8;
    if (inDocument && !isUtf8Label(inDocument)) {
      const fallback = decodeWith(inDocument, bytes);
      if (fallback !== null) return fallback;
    }
    const lenient = new TextDecoder("utf-8").decode(bytes);
    if (mostlyValid(lenient)) return lenient;
    throw new Error(`body is not valid UTF-8 although ${where} says so: wrong charset, nothing stored from it`);
  }
  if (utf8 !== null && hasNonAscii(bytes)) return utf8;
  const decoded = decodeWith(declared, bytes);
  if (decoded !== null) return decoded;
  if (utf8 !== null) return utf8;
  throw new Error(`unknown charset "${declared}" and the body is not UTF-8: nothing stored from it`);
}

function isUtf8Label(label: string): boolean {
  return label === "utf-8" || label === "utf8" || label === "unicode-1-1-utf-8";
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeWith(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return null;
  }
}

/** At most one replacement character per 20 good non-ASCII characters. */
function mostlyValid(text: string): boolean {
  let bad = 0;
  let good = 0;
  for (const ch of text) {
    if (ch === "\uFFFD") bad++;
    else if (ch.charCodeAt(0) >= 0x80) good++;
  }
  return bad * 20 <= good;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

function charsetOf(contentType: string | null): string | null {
  const m = contentType && /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType);
  return m ? m[1]!.toLowerCase() : null;
}

// <?xml ... encoding="windows-1251"?> or <meta charset=...> in the first bytes, read as ASCII.
function sniffDeclaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  const m =
    /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head) ?? /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return m ? m[1]!.toLowerCase() : null;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (isTimeout(err)) return `no answer within ${timeoutMs} ms (FETCH_TIMEOUT_MS)`;
  return `network error: ${err instanceof Error ? err.message : String(err)}`;
}
