/**
 * The registered sources as the last isolate that read them from D1 found them, kept in KV, so a
 * new isolate can answer its first feed poll without D1: a feed reader's poll then touches KV
 * only (the feed versions, this, the rendering). It is used only when it is of the current
 * registry version and of this deployment's shipped files and vars; anything else reads D1 and
 * writes a new one. Writes follow registry changes (an admin edit, a deploy that changes a
 * shipped file), not traffic.
 */
import type { RegisteredSummary } from "./registry";

const SNAPSHOT_KEY = "registry-catalog";

export interface CatalogSnapshot {
  /** The registry's version in the feed versions when the summaries were read. */
  version: string;
  /** The seed fingerprint (shipped files and URL vars) the registry was in line with. */
  seed: string;
  sources: RegisteredSummary[];
}

/** The snapshot, or null when there is none or the value is not one (then D1 is read). */
export async function readCatalogSnapshot(kv: KVNamespace): Promise<CatalogSnapshot | null> {
  const text = await kv.get(SNAPSHOT_KEY, "text");
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isCatalogSnapshot(value) ? value : null;
  } catch {
    return null;
  }
}

export async function writeCatalogSnapshot(kv: KVNamespace, snapshot: CatalogSnapshot): Promise<void> {
  await kv.put(SNAPSHOT_KEY, JSON.stringify(snapshot));
}

/**
 * Whether a KV value is a snapshot this release wrote. Plain code rather than a zod schema: it is
 * Caravan's own format, and a new isolate's first poll reads it, where building a schema would
 * cost more than the poll (docs/performance.md).
 */
function isCatalogSnapshot(value: unknown): value is CatalogSnapshot {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    typeof s.version === "string" &&
    typeof s.seed === "string" &&
    Array.isArray(s.sources) &&
    s.sources.every(isSummary)
  );
}

function isSummary(value: unknown): value is RegisteredSummary {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === "string" &&
    typeof r.name === "string" &&
    typeof r.kind === "string" &&
    typeof r.homepage === "string" &&
    typeof r.language === "string" &&
    typeof r.enabled === "boolean" &&
    (r.changedAt === undefined || typeof r.changedAt === "string")
  );
}
