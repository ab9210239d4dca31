/**
 * The source registry in D1 (migration 0007): one row per source id holding its definition as
 * JSON, written only after the zod model (src/model/source.ts) and the run's own checks accepted
 * it. Removing a source leaves a tombstone when a shipped file names it, so the next seeding does
 * not bring it back; a source only the API ever wrote is deleted outright.
 */
import { Source } from "../model/source";
import { runBatches } from "./items";

export type RegistryOrigin = "file" | "api";

export interface RegistryRow {
  id: string;
  /** JSON of the definition; null for a removed shipped source. */
  definition: string | null;
  origin: RegistryOrigin;
  file_hash: string | null;
  created_at: number;
  updated_at: number;
}

/** A stored definition the current model no longer accepts (a model change since it was written). */
export interface UnreadableDefinition {
  id: string;
  problem: string;
}

export async function registryRows(db: D1Database): Promise<RegistryRow[]> {
  const { results } = await db.prepare("SELECT * FROM source_registry ORDER BY rowid").all<RegistryRow>();
  return results;
}

export async function registryRow(db: D1Database, id: string): Promise<RegistryRow | null> {
  return db.prepare("SELECT * FROM source_registry WHERE id = ?").bind(id).first<RegistryRow>();
}

/** Reads a stored definition back through the model; a row it refuses is reported, not thrown. */
export function readDefinition(row: Pick<RegistryRow, "id" | "definition">): Source | UnreadableDefinition | null {
  if (row.definition === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(row.definition);
  } catch (err) {
    return { id: row.id, problem: `stored JSON does not parse: ${String(err)}` };
  }
  const parsed = Source.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return { id: row.id, problem: `${issue?.path.join(".") || "(definition)"}: ${issue?.message ?? "invalid"}` };
}

export function isSource(value: Source | UnreadableDefinition | null): value is Source {
  return value !== null && "kind" in value;
}

/** The live definitions among `ids` (all of them when `ids` is omitted), by id. */
export async function liveDefinitions(db: D1Database, ids?: string[]): Promise<Source[]> {
  const stmt =
    ids === undefined
      ? db.prepare("SELECT id, definition FROM source_registry WHERE definition IS NOT NULL ORDER BY rowid")
      : db
          .prepare(
            "SELECT id, definition FROM source_registry WHERE definition IS NOT NULL AND id IN (SELECT value FROM json_each(?)) ORDER BY rowid",
          )
          .bind(JSON.stringify(ids));
  const { results } = await stmt.all<Pick<RegistryRow, "id" | "definition">>();
  return results.map(readDefinition).filter(isSource);
}

/** What the catalog needs of every live source, without reading whole definitions. */
export interface RegisteredSummary {
  id: string;
  name: string;
  kind: string;
  homepage: string;
  language: string;
  enabled: boolean;
  /**
   * When the definition last changed (ISO 8601 UTC): dates the source's feed while it is empty.
   * Absent for the shipped definitions used when D1 cannot be read.
   */
  changedAt?: string;
}

export async function registeredSummaries(db: D1Database): Promise<RegisteredSummary[]> {
  const { results } = await db
    .prepare(
      `SELECT id, json_extract(definition, '$.name') AS name, json_extract(definition, '$.kind') AS kind,
         json_extract(definition, '$.homepage') AS homepage, json_extract(definition, '$.language') AS language,
         json_extract(definition, '$.enabled') AS enabled, updated_at
       FROM source_registry WHERE definition IS NOT NULL ORDER BY rowid`,
    )
    .all<Omit<RegisteredSummary, "enabled" | "changedAt"> & { enabled: number | null; updated_at: number }>();
  return results.map(({ updated_at, ...r }) => ({
    ...r,
    enabled: r.enabled !== 0,
    changedAt: new Date(updated_at).toISOString(),
  }));
}

/** Creates or replaces one definition (a removed one comes back with a new creation time). */
export async function writeDefinition(
  db: D1Database,
  source: Source,
  origin: RegistryOrigin,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO source_registry (id, definition, origin, file_hash, created_at, updated_at)
       VALUES (?1, ?2, ?3, NULL, ?4, ?4)
       ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, origin = excluded.origin,
         updated_at = excluded.updated_at,
         created_at = CASE WHEN source_registry.definition IS NULL THEN excluded.created_at ELSE source_registry.created_at END`,
    )
    .bind(source.id, JSON.stringify(source), origin, now)
    .run();
}

/**
 * Removes a definition and the source's polling state (listings, pause, health); its items stay.
 * Answers false when there was no live definition.
 */
export async function removeDefinition(db: D1Database, id: string, now: number): Promise<boolean> {
  const [removed] = await db.batch<{ id: string }>([
    db
      .prepare(
        `UPDATE source_registry SET definition = NULL, updated_at = ?2
         WHERE id = ?1 AND definition IS NOT NULL RETURNING id`,
      )
      .bind(id, now),
    // Only a shipped source needs its tombstone.
    db.prepare("DELETE FROM source_registry WHERE id = ? AND definition IS NULL AND file_hash IS NULL").bind(id),
    db.prepare("DELETE FROM listings WHERE source_id = ?").bind(id),
    db.prepare("DELETE FROM sources WHERE id = ?").bind(id),
  ]);
  return (removed?.results.length ?? 0) > 0;
}

/**
 * Deletes the items a source stored and takes the source off the items it only linked. Answers
 * how many items went and the feeds that lost some, for cache invalidation.
 */
export async function purgeSourceItems(db: D1Database, id: string): Promise<{ items: number; feeds: string[] }> {
  const owned = "SELECT id FROM items WHERE source_id = ?";
  const [touched, , , , deleted] = await db.batch<{ kind: string; slug: string }>([
    db
      .prepare(`SELECT DISTINCT kind, slug FROM item_terms WHERE item_id IN (${owned}) UNION SELECT 'source', ?`)
      .bind(id, id),
    db.prepare(`DELETE FROM items_fts WHERE rowid IN (SELECT rowid FROM items WHERE source_id = ?)`).bind(id),
    db.prepare(`DELETE FROM item_terms WHERE item_id IN (${owned})`).bind(id),
    db.prepare("DELETE FROM item_terms WHERE kind = 'source' AND slug = ?").bind(id),
    db.prepare("DELETE FROM items WHERE source_id = ? RETURNING id").bind(id),
  ]);
  return {
    items: deleted?.results.length ?? 0,
    feeds: ["all", ...(touched?.results ?? []).map((t) => `${t.kind}:${t.slug}`)],
  };
}

export interface ShippedFile {
  source: Source;
  /** Hash of the file's definition: a changed file has a new hash. */
  hash: string;
}

/**
 * Brings the shipped files into the registry. A file whose id the registry lacks is added; a
 * file that changed since it was seeded replaces its definition, unless the definition was
 * written through the API since (the registry wins) or removed (it stays removed). Answers the
 * ids written.
 */
export async function seedShipped(db: D1Database, files: ShippedFile[], now: number): Promise<string[]> {
  const rows = new Map((await registryRows(db)).map((r) => [r.id, r]));
  const written: string[] = [];
  const statements: D1PreparedStatement[] = [];
  const upsert = db.prepare(
    `INSERT INTO source_registry (id, definition, origin, file_hash, created_at, updated_at) VALUES (?1, ?2, 'file', ?3, ?4, ?4)
     ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, origin = 'file', file_hash = excluded.file_hash,
       updated_at = excluded.updated_at`,
  );
  for (const { source, hash } of files) {
    const row = rows.get(source.id);
    const fresh = !row;
    const fileChanged = row?.origin === "file" && row.definition !== null && row.file_hash !== hash;
    if (!fresh && !fileChanged) continue;
    statements.push(upsert.bind(source.id, JSON.stringify(source), hash, now));
    written.push(source.id);
  }
  await runBatches(db, statements);
  return written;
}

export async function readRegistryMeta(db: D1Database, key: string): Promise<string | null> {
  const row = await db.prepare("SELECT value FROM registry_meta WHERE key = ?").bind(key).first<{ value: string }>();
  return row?.value ?? null;
}

export async function writeRegistryMeta(db: D1Database, key: string, value: string): Promise<void> {
  await db
    .prepare(
      "INSERT INTO registry_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key, value)
    .run();
}
