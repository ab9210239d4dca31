// The D1 migrations (migrations/*.sql, in name order) as single statements, for D1 under
// Miniflare (batch of prepared statements) and for node:sqlite (the same text).
import { readdirSync, readFileSync } from "node:fs";
import { ROOT } from "./paths.mjs";

/**
 * Every statement of every migration. Comments are removed first (a comment may hold a ";"), then
 * the text is split at semicolons that end a line; the migrations hold no string literal with
 * "--" or a line-ending ";", and a statement that did would fail loudly when applied.
 */
export function migrationStatements() {
  const dir = `${ROOT}/migrations`;
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .flatMap((f) =>
      readFileSync(`${dir}/${f}`, "utf8")
        .replace(/--[^\n]*/g, "")
        .split(/;[ \t]*$/m)
        .map((s) => s.trim())
        .filter(Boolean),
    );
}

/** Applies the migrations to a D1 binding obtained from Miniflare. */
export async function applyToD1(db) {
  await db.batch(migrationStatements().map((s) => db.prepare(s)));
}

/** Applies the migrations to a node:sqlite DatabaseSync. */
export function applyToSqlite(db) {
  for (const statement of migrationStatements()) db.exec(statement);
}
