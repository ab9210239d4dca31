/** The first `bytes` bytes of the SHA-256 of a text's UTF-8, as lower-case hex (ids, ETags, change hashes). */
export async function sha256Hex(text: string, bytes = 32): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest, 0, bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
