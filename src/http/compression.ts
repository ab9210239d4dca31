/**
 * Compressed text answers. A cached feed rendering is compressed once, when it is rendered, and
 * its gzip and brotli bytes are kept beside it (store/feed-cache.ts); every other text answer
 * (API, OPML, pages) is compressed as it leaves (compressTextAnswers). The encoding follows the
 * client's Accept-Encoding; each encoding is its own representation with its own strong ETag
 * (`"<tag>-gzip"`, `"<tag>-br"`), and `Vary: Accept-Encoding` keeps caches from mixing them.
 *
 * workerd's CompressionStream knows gzip and deflate only, not brotli; node:zlib (nodejs_compat)
 * has both, synchronously, which suits bytes that are already whole in memory.
 */

/**
 * node:zlib is loaded by the first compression (a cache miss, a text answer), not at module load:
 * importing it brings up workerd's Node stream modules, which every cold start would pay.
 */
type Zlib = typeof import("node:zlib");
let zlib: Promise<Zlib> | null = null;
const loadZlib = (): Promise<Zlib> => {
  zlib ??= import("node:zlib");
  return zlib;
};

export type ContentCoding = "br" | "gzip";

/** The encodings Caravan produces, best first. */
const CODINGS: readonly ContentCoding[] = ["br", "gzip"];

/**
 * Brotli quality 5 and gzip level 6: a rendering is compressed on the request that missed the
 * cache, inside the Worker's CPU limit, and both land within a few percent of their maximum
 * (bench/: bytes on the wire per poll).
 */
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

/** Answers smaller than this are sent as they are: compressing them saves next to nothing. */
export const MIN_COMPRESS_BYTES = 1024;

export interface Encoded {
  gzip: Uint8Array;
  br: Uint8Array;
}

/** Both encodings of some bytes. */
export async function encodeBoth(body: Uint8Array): Promise<Encoded> {
  const z = await loadZlib();
  return { gzip: compressWith(z, body, "gzip"), br: compressWith(z, body, "br") };
}

export async function compress(body: Uint8Array, coding: ContentCoding): Promise<Uint8Array> {
  return compressWith(await loadZlib(), body, coding);
}

function compressWith(
  { brotliCompressSync, constants, gzipSync }: Zlib,
  body: Uint8Array,
  coding: ContentCoding,
): Uint8Array {
  if (coding === "gzip") return new Uint8Array(gzipSync(body, { level: GZIP_LEVEL }));
  return new Uint8Array(
    brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
  );
}

/**
 * The coding to answer with (RFC 9110 §12.5.3): the best one the client gives a q above 0,
 * directly or through `*`; null for the identity (no header, `identity`, or nothing we make).
 */
export function chooseCoding(acceptEncoding: string | null): ContentCoding | null {
  if (acceptEncoding === null) return null;
  // The common headers, without parsing: "gzip, deflate, br, zstd", "gzip", "deflate, gzip".
  if (!acceptEncoding.includes(";") && !acceptEncoding.includes("*")) {
    const tokens = acceptEncoding
      .toLowerCase()
      .split(",")
      .map((t) => t.trim());
    return CODINGS.find((c) => tokens.includes(c)) ?? null;
  }
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name = "", ...params] = part.split(";").map((s) => s.trim());
    const qParam = params.find((p) => p.startsWith("q="));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const star = q.get("*");
  let best: ContentCoding | null = null;
  let bestQ = 0;
  for (const coding of CODINGS) {
    const value = q.get(coding) ?? star ?? 0;
    if (value > bestQ) {
      best = coding;
      bestQ = value;
    }
  }
  return best;
}

/**
 * What the client itself accepts. Cloudflare's edge rewrites Accept-Encoding on the way to a
 * Worker (to what the edge takes) and keeps the client's value in `cf.clientAcceptEncoding`;
 * answering in an encoding the client named lets the edge pass the bytes through untouched.
 */
export function clientAcceptEncoding(request: Request): string | null {
  const cf = request.cf as { clientAcceptEncoding?: unknown } | undefined;
  return typeof cf?.clientAcceptEncoding === "string"
    ? cf.clientAcceptEncoding
    : request.headers.get("accept-encoding");
}

/** The strong ETag of one encoding of a representation: `"abc"` becomes `"abc-br"`. */
export function encodedEtag(etag: string, coding: ContentCoding | null): string {
  if (coding === null || !etag.endsWith('"')) return etag;
  return `${etag.slice(0, -1)}-${coding}"`;
}

/** The ETag a client sent back, without the encoding suffix this module added (for comparing). */
export function identityEtag(etag: string): string {
  for (const coding of CODINGS) {
    const suffix = `-${coding}"`;
    if (etag.endsWith(suffix)) return `${etag.slice(0, -suffix.length)}"`;
  }
  return etag;
}

/** Adds Accept-Encoding to a Vary header value (once). */
export function varyOnEncoding(vary: string | null): string {
  if (vary === null || vary === "") return "Accept-Encoding";
  return /\baccept-encoding\b/i.test(vary) ? vary : `${vary}, Accept-Encoding`;
}

const TEXT_TYPES = /^(?:text\/|application\/(?:json|xml|javascript|[\w.+-]*\+(?:json|xml))\b)/i;

/**
 * Compresses a text answer that leaves uncompressed (API, OPML, pages, the stylesheet), after
 * the app has answered; feed answers arrive already encoded and pass through. It wraps the app
 * rather than running as Hono middleware: Hono copies the old response's headers onto one a
 * middleware sets, which would undo the new ETag and Content-Length.
 */
export async function compressTextAnswer(request: Request, res: Response): Promise<Response> {
  const type = res.headers.get("content-type");
  if (res.status !== 200 || type === null || !TEXT_TYPES.test(type)) return res;
  if (res.headers.has("content-encoding")) return res;
  const headers = new Headers(res.headers);
  headers.set("vary", varyOnEncoding(res.headers.get("vary")));
  // HEAD has no body to encode; it still says what the answer varies on.
  if (res.body === null) return new Response(null, { status: 200, headers });
  const coding = chooseCoding(clientAcceptEncoding(request));
  const body = new Uint8Array(await res.arrayBuffer());
  if (coding === null || body.byteLength < MIN_COMPRESS_BYTES) return new Response(body, { status: 200, headers });
  headers.set("content-encoding", coding);
  headers.delete("content-length");
  const etag = headers.get("etag");
  if (etag !== null) headers.set("etag", encodedEtag(etag, coding));
  return new Response(await compress(body, coding), { status: 200, headers, encodeBody: "manual" });
}
