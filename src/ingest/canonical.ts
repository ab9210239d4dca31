/**
 * The canonical form of a story URL, and the stable item id derived from it. Two links to the
 * same story that differ only in scheme, host case, fragment or tracking parameters are one item.
 */
import { sha256Hex } from "../lib/hash";

export function canonicalUrl(input: string): string {
  const url = new URL(input);
  url.protocol = "https:";
  url.hostname = url.hostname.toLowerCase();
  url.hash = "";
  for (const key of [...url.searchParams.keys()]) {
    if (key.toLowerCase().startsWith("utm_")) url.searchParams.delete(key);
  }
  // URL keeps a bare "?" after the last parameter is deleted; drop it.
  if (url.search === "?") url.search = "";
  if (url.port === "443") url.port = "";
  return url.toString();
}

/** First 128 bits of SHA-256 of the canonical URL, as 32 lower-case hex digits. */
export async function itemIdFor(input: string): Promise<string> {
  return sha256Hex(canonicalUrl(input), 16);
}
