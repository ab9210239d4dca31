/**
 * The source registry as the rest of Caravan sees it: seeding from the shipped files, keeping
 * the sources and listings tables in line with the definitions, and the catalog of registered
 * sources the HTTP side serves (memoized per isolate, invalidated through the feed versions).
 *
 * File and registry disagree: the registry wins once a definition was written through the admin
 * API (or removed through it). A shipped file only adds a source the registry has never had, or
 * replaces a definition that still comes from that file when the file changed (a deploy that
 * edits a shipped file takes effect). Deleting a shipped file removes nothing: remove the source
 * through DELETE /admin/sources/{id}.
 */
import type { Env } from "../env";
import { sha256Hex } from "../lib/hash";
import type { Source } from "../model/source";
import { shippedFiles, shippedSources } from "../sources";
import { buildFeedCatalog, type FeedCatalog } from "../sources/feeds";
import { type CatalogSnapshot, readCatalogSnapshot, writeCatalogSnapshot } from "../store/catalog-snapshot";
import { invalidateFeeds, readFeedVersions, versionOf } from "../store/feed-cache";
import { syncConfiguredSources } from "../store/listings";
import {
  liveDefinitions,
  purgeSourceItems,
  type RegisteredSummary,
  readRegistryMeta,
  registeredSummaries,
  registryRow,
  removeDefinition,
  seedShipped,
  writeDefinition,
  writeRegistryMeta,
} from "../store/registry";
import { type ResolvedSource, resolveSources } from "./listings";

/** The feed-versions key bumped by every registry change (the catalog memo follows it). */
export const REGISTRY_VERSION_KEY = "registry";
const SEED_KEY = "seed";

let shippedHashes: Promise<{ source: Source; hash: string }[]> | null = null;

function hashedShipped(): Promise<{ source: Source; hash: string }[]> {
  shippedHashes ??= Promise.all(
    shippedSources.map(async (source) => ({ source, hash: await sha256Hex(JSON.stringify(source), 16) })),
  );
  return shippedHashes;
}

/**
 * What the registry and the listings were last brought into line with: the shipped files and
 * the URL vars (which re-point sources at mirrors and fixtures, so they change listing URLs).
 * Every new isolate checks it before its first catalog read, so it hashes the files as written,
 * without checking them against the model (zod): that happens only when they changed and are
 * seeded. The files' checks run in the tests of every deploy.
 */
async function seedFingerprint(env: Env): Promise<string> {
  const files = await sha256Hex(JSON.stringify(shippedFiles), 16);
  const vars = Object.entries(env as unknown as Record<string, unknown>)
    .filter(([name, value]) => name.endsWith("_URL") && typeof value === "string")
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return sha256Hex(JSON.stringify([files, vars]), 16);
}

/**
 * Seeds the registry from the shipped files and re-syncs every source's listings when the files
 * or the URL vars changed since the last time; otherwise one small read. Answers whether it wrote.
 */
export async function ensureRegistry(env: Env, now = Date.now(), fingerprint?: string): Promise<boolean> {
  fingerprint ??= await seedFingerprint(env);
  if ((await readRegistryMeta(env.DB, SEED_KEY)) === fingerprint) return false;
  await seedShipped(env.DB, await hashedShipped(), now);
  const live = await liveDefinitions(env.DB);
  await syncSources(env, resolveSources(env, live));
  await writeRegistryMeta(env.DB, SEED_KEY, fingerprint);
  await bumpRegistry(env, now, []);
  return true;
}

/** Makes the sources and listings tables match the definitions (new listings become due). */
export async function syncSources(env: Env, resolved: ResolvedSource[]): Promise<void> {
  await syncConfiguredSources(
    env.DB,
    resolved.map((r) => ({
      id: r.source.id,
      name: r.source.name,
      kind: r.source.kind,
      enabled: r.source.enabled,
      listings: r.listings.map((l) => ({ id: l.id, url: l.url })),
    })),
  );
}

/** The registered definitions of the given source ids, resolved against the vars. */
export async function resolveRegistered(env: Env, ids: string[]): Promise<ResolvedSource[]> {
  if (ids.length === 0) return [];
  return resolveSources(env, await liveDefinitions(env.DB, [...new Set(ids)]));
}

async function bumpRegistry(env: Env, now: number, feeds: string[]): Promise<void> {
  catalogMemo = null;
  const stamp = `${now.toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
  await invalidateFeeds(env.DB, env.CACHE, [REGISTRY_VERSION_KEY, "index", ...feeds], stamp);
}

/** Stores a checked definition and brings its listings in line; answers whether it was new. */
export async function registerSource(env: Env, source: Source, now = Date.now()): Promise<"created" | "replaced"> {
  await ensureRegistry(env, now);
  const before = await registryRow(env.DB, source.id);
  // Resolve first: a var that is not a URL refuses the definition before anything is written.
  const resolved = resolveSources(env, [source]);
  await writeDefinition(env.DB, source, "api", now);
  await syncSources(env, resolved);
  await bumpRegistry(env, now, [`source:${source.id}`]);
  return before?.definition ? "replaced" : "created";
}

/** Removes a source (its items stay unless `purge`); null when it was not registered. */
export async function unregisterSource(
  env: Env,
  id: string,
  purge: boolean,
  now = Date.now(),
): Promise<{ purgedItems: number } | null> {
  await ensureRegistry(env, now);
  if (!(await removeDefinition(env.DB, id, now))) return null;
  const purged = purge ? await purgeSourceItems(env.DB, id) : { items: 0, feeds: [] };
  await bumpRegistry(env, now, [`source:${id}`, ...purged.feeds]);
  return { purgedItems: purged.items };
}

export interface RegisteredCatalog {
  /** Every registered source, in the order it was registered. */
  sources: RegisteredSummary[];
  byId: Map<string, RegisteredSummary>;
  /** Every published feed: the taxonomy's and one per registered source. */
  feeds: FeedCatalog;
}

let catalogMemo: { version: string; catalog: RegisteredCatalog } | null = null;

/**
 * The registered sources, for the catalog and every route that names sources. From memory while
 * the registry version in the feed versions (KV, memoized for seconds) stays; in a new isolate,
 * or after a change, from the snapshot in KV when it is of this version and of this deployment's
 * shipped files and vars (store/catalog-snapshot.ts), else from D1, which then leaves a snapshot.
 */
export async function registeredCatalog(env: Env): Promise<RegisteredCatalog> {
  try {
    const version = versionOf(await readFeedVersions(env.CACHE), REGISTRY_VERSION_KEY);
    if (catalogMemo && catalogMemo.version === version && version !== "0") return catalogMemo.catalog;
    const seed = await seedFingerprint(env);
    const snapshot = version === "0" ? null : await readCatalogSnapshot(env.CACHE);
    if (snapshot && snapshot.version === version && snapshot.seed === seed) {
      catalogMemo = { version, catalog: catalogOf(snapshot.sources) };
      return catalogMemo.catalog;
    }
    await ensureRegistry(env, Date.now(), seed);
    const sources = await registeredSummaries(env.DB);
    // After a seed the version moved on: keep the memo under the one now current.
    const current = versionOf(await readFeedVersions(env.CACHE), REGISTRY_VERSION_KEY);
    catalogMemo = { version: current, catalog: catalogOf(sources) };
    await leaveSnapshot(env.CACHE, { version: current, seed, sources });
    return catalogMemo.catalog;
  } catch (err) {
    // D1 or KV cannot answer: feeds are still served (from their cache) with the last catalog
    // this isolate read, or the shipped one.
    console.log(JSON.stringify({ event: "registry.read_failed", level: "warn", message: String(err) }));
    return catalogMemo?.catalog ?? catalogOf(shippedSources);
  }
}

/** Writes the snapshot; a failed write only means the next new isolate reads D1 too. */
async function leaveSnapshot(kv: KVNamespace, snapshot: CatalogSnapshot): Promise<void> {
  try {
    await writeCatalogSnapshot(kv, snapshot);
  } catch (err) {
    console.log(JSON.stringify({ event: "registry.snapshot_failed", level: "warn", message: String(err) }));
  }
}

/** Forgets this isolate's catalog (tests that stand for a new isolate). */
export function forgetCatalogMemo(): void {
  catalogMemo = null;
}

function catalogOf(sources: RegisteredSummary[]): RegisteredCatalog {
  return { sources, byId: new Map(sources.map((s) => [s.id, s])), feeds: buildFeedCatalog(sources) };
}

/** The shipped file names, for the admin listing (which file a definition came from). */
export function shippedFileOf(id: string): string | null {
  const index = shippedSources.findIndex((s) => s.id === id);
  return index < 0 ? null : (Object.keys(shippedFiles)[index] ?? null);
}

/** Whether the live definition of a shipped source differs from its file. */
export async function differsFromFile(id: string, definition: string | null): Promise<boolean | null> {
  const file = (await hashedShipped()).find((f) => f.source.id === id);
  if (!file) return null;
  return definition !== JSON.stringify(file.source);
}
