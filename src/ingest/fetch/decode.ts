/** Response bytes to text: the charset a body declares, checked against what its bytes are. */

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
