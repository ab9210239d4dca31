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

/** A fetch that failed in a way an operator should read; `status` is set for HTTP errors. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null = null,
    readonly retryAfter: string | null = null,
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

export class BudgetExhausted extends Error {
  constructor() {
    super("subrequest budget used up for this run");
  }
}

export async function politeFetch(url: string, budget: SubrequestBudget, options: FetchOptions): Promise<FetchResult> {
  const seen = new Set<string>();
  let current = url;
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    if (seen.has(current)) throw new FetchError(`redirect loop back to ${current}`, url);
    seen.add(current);
    if (!budget.take()) throw new BudgetExhausted();
    const response = await fetchOnce(current, options, hop === 0);
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location) throw new FetchError(`HTTP ${response.status} redirect without a Location header`, url, response.status);
      if (hop >= maxRedirects) throw new FetchError(`more than ${maxRedirects} redirects`, url, response.status);
      current = new URL(location, current).toString();
      continue;
    }
    return readResponse(response, current, options);
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
    throw new FetchError(describeNetworkError(err, options.timeoutMs), url);
  }
}

async function readResponse(response: Response, url: string, options: FetchOptions): Promise<FetchResult> {
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
    throw new FetchError(`response of ${declared} bytes is over the ${options.maxBytes}-byte cap`, url, response.status);
  }
  const bytes = await readCapped(response, url, options);
  const contentType = response.headers.get("content-type");
  return {
    kind: "ok",
    url,
    status: response.status,
    body: decodeBody(bytes, contentType),
    contentType,
    etag: response.headers.get("etag"),
    lastModified: response.headers.get("last-modified"),
  };
}

async function readCapped(response: Response, url: string, options: FetchOptions): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel();
        throw new FetchError(`response body passed the ${options.maxBytes}-byte cap`, url, response.status);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw new FetchError(`body read failed: ${describeNetworkError(err, options.timeoutMs)}`, url, response.status);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Decodes by the Content-Type charset, then an in-document declaration, else UTF-8. */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const declared = charsetOf(contentType) ?? sniffDeclaredCharset(bytes);
  if (declared) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // An unknown label: fall through to UTF-8, which is right for most of the web.
    }
  }
  return new TextDecoder("utf-8").decode(bytes);
}

function charsetOf(contentType: string | null): string | null {
  const m = contentType && /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType);
  return m ? m[1]!.toLowerCase() : null;
}

// <?xml ... encoding="windows-1251"?> or <meta charset=...> in the first bytes, read as ASCII.
function sniffDeclaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  const m = /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head) ?? /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return m ? m[1]!.toLowerCase() : null;
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  return `network error: ${err instanceof Error ? err.message : String(err)}`;
}
