// Writes schemas/*.json (JSON Schema for Item, the source definition and each API response, and
// openapi.json) from the zod models, through the same module GET /openapi.json uses
// (src/http/openapi.ts). `npm run schemas` after changing a model; `--check` only reports drift
// (exit 1), for CI. The TypeScript is bundled with esbuild (installed with wrangler) so this
// runs on plain Node, offline.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "schemas");
const check = process.argv.includes("--check");

const work = await mkdtemp(join(tmpdir(), "caravan-schemas-"));
try {
  const bundle = join(work, "openapi.mjs");
  await build({
    entryPoints: [join(root, "src/http/openapi.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: bundle,
    logLevel: "warning",
  });
  const { schemaFiles } = await import(pathToFileURL(bundle).href);
  const files = schemaFiles();

  await mkdir(outDir, { recursive: true });
  const existing = (await readdir(outDir)).filter((f) => f.endsWith(".json"));
  const changed = [];
  for (const [name, value] of Object.entries(files)) {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const old = await readFile(join(outDir, name), "utf8").catch(() => null);
    if (old === text) continue;
    changed.push(name);
    if (!check) await writeFile(join(outDir, name), text);
  }
  // A file no model generates any more is stale: remove it (or report it with --check).
  const stale = existing.filter((f) => !(f in files));
  if (!check) for (const f of stale) await rm(join(outDir, f));

  if (check) {
    if (changed.length || stale.length) {
      console.error(`schemas/ is out of date (${[...changed, ...stale].join(", ")}): run npm run schemas`);
      process.exitCode = 1;
    } else {
      console.log(`schemas/ matches the models (${Object.keys(files).length} files)`);
    }
  } else {
    console.log(
      `schemas/: ${Object.keys(files).length} files, ${changed.length} written${stale.length ? `, ${stale.length} stale removed` : ""}` +
        (changed.length ? ` (${changed.join(", ")})` : ""),
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
