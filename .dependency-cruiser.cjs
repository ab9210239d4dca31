/**
 * The import rules of src/ (docs/architecture.md): imports point down the layers
 *
 *   lib  <-  model  <-  env.ts  <-  sources  <-  store  <-  ingest, render  <-  http  <-  index.ts
 *
 * A folder may import its own folder and any folder below it, never one above. ingest and render
 * sit side by side on store: ingest may name what render publishes (output formats, for WebSub
 * announcements); render never reaches into ingest. The parsers (src/ingest/feed, src/ingest/html)
 * turn text into data and import nothing but lib, model and each other. No cycles anywhere.
 * Type-only imports count too: a type from a higher layer is still an upward dependency.
 *
 * `npm test` runs `npm run depcruise`, which fails on any violation.
 */

/** What each folder may NOT import: everything above it. */
const above = {
  lib: ["^src/(model|env\\.ts|sources|store|ingest|render|http|index\\.ts)"],
  model: ["^src/(env\\.ts|sources|store|ingest|render|http|index\\.ts)"],
  "env\\.ts": ["^src/(sources|store|ingest|render|http|index\\.ts)"],
  sources: ["^src/(store|ingest|render|http|index\\.ts)"],
  store: ["^src/(ingest|render|http|index\\.ts)"],
  ingest: ["^src/(http|index\\.ts)"],
  render: ["^src/(ingest|http|index\\.ts)"],
  http: ["^src/index\\.ts"],
};

module.exports = {
  forbidden: [
    ...Object.entries(above).map(([layer, paths]) => ({
      name: `${layer.replace("\\.", ".")}-imports-up`,
      comment: `src/${layer.replace("\\.", ".")} imports a layer above it; move the shared piece down (src/lib for helpers, src/model for shapes)`,
      severity: "error",
      from: { path: `^src/${layer}` },
      to: { path: paths },
    })),
    {
      name: "parsers-stay-pure",
      comment:
        "the parsers (src/ingest/feed, src/ingest/html) read text into data; mapping onto sources, config or the store belongs to the kind modules (src/ingest/kinds)",
      severity: "error",
      from: { path: "^src/ingest/(feed|html)/" },
      to: { path: "^src/", pathNot: "^src/(lib|model|ingest/feed|ingest/html)/" },
    },
    {
      name: "no-cycles",
      comment: "a cycle makes two modules one; split out what both need",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)worker-configuration\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      extensions: [".ts", ".js", ".mjs", ".json"],
    },
  },
};
