/**
 * Where Caravan may send a request. A deployed Worker never fetches loopback, private,
 * link-local or cloud-metadata addresses (an operator's or a feed's URL could otherwise point it
 * at internal services); local fixtures and tests allow loopback only through the explicit
 * ALLOW_LOOPBACK_FETCH var. Names are checked as written: a Worker cannot resolve DNS itself,
 * and Cloudflare's own fetch refuses names that resolve to private addresses.
 */

/** Why a URL may not be fetched, or null when it may. */
export function refusedTarget(url: string, allowLoopback: boolean): string | null {
  const parsed = URL.parse(url);
  if (!parsed) return "not a URL";
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return `${parsed.protocol} URLs are not fetched`;
  if (parsed.username || parsed.password) return "URLs with credentials are not fetched";
  const host = parsed.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  if (METADATA_NAMES.has(host)) return `${host} is a cloud metadata address`;
  const loopback = host === "localhost" || host.endsWith(".localhost") || isLoopbackIp(host);
  if (loopback) return allowLoopback ? null : `${host} is a loopback address (allowed only with ALLOW_LOOPBACK_FETCH)`;
  const kind = privateKind(host);
  return kind ? `${host} is a ${kind} address` : null;
}

const METADATA_NAMES = new Set(["metadata.google.internal", "metadata", "instance-data", "169.254.169.254"]);

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** An IPv4 address embedded in an IPv6 one (::ffff:a.b.c.d, as WHATWG URL writes it in hex). */
function mappedIpv4(host: string): number[] | null {
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!m) return ipv4(host.replace(/^::ffff:/, ""));
  const hi = Number.parseInt(m[1]!, 16);
  const lo = Number.parseInt(m[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}

function isLoopbackIp(host: string): boolean {
  const v4 = ipv4(host) ?? (host.includes(":") ? mappedIpv4(host) : null);
  if (v4) return v4[0] === 127;
  return host === "::1";
}

function privateKind(host: string): string | null {
  const v4 = ipv4(host) ?? (host.includes(":") ? mappedIpv4(host) : null);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
    if (a === 100 && b >= 64 && b <= 127) return "shared (carrier-grade NAT)";
    if (a === 169 && b === 254) return "link-local";
    if (a === 0) return "unspecified";
    if (a >= 224) return "multicast or reserved";
    return null;
  }
  if (!host.includes(":")) return host.endsWith(".internal") || host.endsWith(".local") ? "private" : null;
  if (host === "::") return "unspecified";
  if (/^f[cd][0-9a-f]{2}:/.test(host)) return "private (unique local)";
  if (/^fe[89ab][0-9a-f]:/.test(host)) return "link-local";
  if (/^ff[0-9a-f]{2}:/.test(host)) return "multicast";
  return null;
}
