import { escapeHtml } from "./html";

/**
 * The API reference page, rendered from the OpenAPI document alone: whatever openapi.json says
 * is what the page says. Plain HTML and one inline stylesheet, no scripts and nothing fetched,
 * so it works offline and under a CSP that allows only that stylesheet (by hash).
 */

type Json = Record<string, unknown>;

export const API_DOCS_CSS = `body{font-family:system-ui,sans-serif;max-width:64rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1b1b1b}
h2{border-bottom:1px solid #ccc;margin-top:2.5rem}
h3{margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6}
code{background:#f3f3f3;padding:0 .25em;word-break:break-word}
.method{font-weight:bold;color:#0a5}
.muted{color:#555;font-size:.9em}
nav ul{columns:2}
details{margin:.25rem 0}`;

/** Renders the whole page from an OpenAPI 3.1 document as openApiDocument() builds it. */
export function renderApiDocs(doc: Json): string {
  const info = (doc.info ?? {}) as Json;
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  const components = (doc.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Record<string, Json>;
  const responses = (components.responses ?? {}) as Record<string, Json>;

  const operations = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const nav = `<nav><h2>Contents</h2><ul>${operations
    .map(
      ({ path, method, op }) =>
        `<li><a href="#${anchor(String(op.operationId))}">${method.toUpperCase()} ${escapeHtml(path)}</a></li>`,
    )
    .join("")}${Object.keys(schemas)
    .map((name) => `<li><a href="#schema-${anchor(name)}">${escapeHtml(name)}</a> (schema)</li>`)
    .join("")}</ul></nav>`;

  const opSections = operations.map(({ path, method, op }) => renderOperation(path, method, op, responses)).join("\n");
  const schemaSections = Object.entries(schemas)
    .map(([name, schema]) => renderSchema(name, schema))
    .join("\n");

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(String(info.title ?? "API"))} reference</title>
<style>${API_DOCS_CSS}</style>
</head>
<body>
<h1>${escapeHtml(String(info.title ?? "API"))} <span class="muted">${escapeHtml(String(info.version ?? ""))}</span></h1>
<p>${escapeHtml(String(info.description ?? ""))}</p>
<p>Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI ${escapeHtml(String(doc.openapi ?? ""))}).</p>
${nav}
<h2>Endpoints</h2>
${opSections}
<h2>Schemas</h2>
${schemaSections}
</body>
</html>
`;
}

function renderOperation(path: string, method: string, op: Json, shared: Record<string, Json>): string {
  const params = (op.parameters ?? []) as Json[];
  const paramTable =
    params.length === 0
      ? ""
      : `<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>${params
          .map(
            (p) =>
              `<tr><td><code>${escapeHtml(String(p.name))}</code>${p.required ? " (required)" : ""}</td><td>${escapeHtml(String(p.in))}</td><td>${typeOf((p.schema ?? {}) as Json)}</td><td>${escapeHtml(String(p.description ?? ""))}${valuesOf((p.schema ?? {}) as Json)}</td></tr>`,
          )
          .join("")}</table>`;
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>).map(([status, r]) => {
    const resolved = typeof r.$ref === "string" ? (shared[refName(r.$ref)] ?? {}) : r;
    const content = (resolved.content ?? {}) as Record<string, Json>;
    const bodies = Object.entries(content)
      .map(([type, media]) => `<code>${escapeHtml(type)}</code> ${typeOf((media.schema ?? {}) as Json)}`)
      .join("<br>");
    return `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(String(resolved.description ?? ""))}</td><td>${bodies}</td></tr>`;
  });
  return `<section id="${anchor(String(op.operationId))}">
<h3><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p><strong>${escapeHtml(String(op.summary ?? ""))}</strong>. ${escapeHtml(String(op.description ?? ""))}</p>
${paramTable}
<table><tr><th>status</th><th>meaning</th><th>body</th></tr>${responses.join("")}</table>
</section>`;
}

function renderSchema(name: string, schema: Json): string {
  const rows = fieldRows(schema, "", 0);
  return `<section id="schema-${anchor(name)}">
<h3>${escapeHtml(name)}</h3>
<p>${escapeHtml(String(schema.description ?? ""))}</p>
${rows.length ? `<table><tr><th>field</th><th>type</th><th>description</th></tr>${rows.join("")}</table>` : `<p>${typeOf(schema)}</p>`}
</section>`;
}

/** One row per field; nested objects (also inside arrays and nullables) as dotted paths. */
function fieldRows(schema: Json, prefix: string, depth: number): string[] {
  const object = objectPart(schema);
  if (!object || depth > 4) return [];
  const props = (object.schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((object.schema.required ?? []) as string[]);
  return Object.entries(props).flatMap(([field, sub]) => {
    const path = `${prefix}${field}`;
    const row = `<tr><td><code>${escapeHtml(path)}</code>${required.has(field) ? "" : " (optional)"}</td><td>${typeOf(sub)}</td><td>${escapeHtml(String(sub.description ?? ""))}${valuesOf(sub)}</td></tr>`;
    const nested = objectPart(sub);
    return [row, ...(nested ? fieldRows(sub, `${path}${nested.arrayOf ? "[]" : ""}.`, depth + 1) : [])];
  });
}

/** The inline object schema inside a schema (itself, its array items, or a nullable branch). */
function objectPart(schema: Json): { schema: Json; arrayOf: boolean } | null {
  if (schema.properties) return { schema, arrayOf: false };
  if (schema.type === "array" && schema.items && (schema.items as Json).properties) {
    return { schema: schema.items as Json, arrayOf: true };
  }
  for (const key of ["anyOf", "oneOf"]) {
    const branch = ((schema[key] ?? []) as Json[]).find((b) => b.properties);
    if (branch) return { schema: branch, arrayOf: false };
  }
  return null;
}

/** A short, HTML-escaped type: "string (date-time) | null", "array of <a>Item</a>", "integer 1..200". */
function typeOf(schema: Json): string {
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    return `<a href="#schema-${anchor(name)}">${escapeHtml(name)}</a>`;
  }
  for (const key of ["anyOf", "oneOf"]) {
    if (Array.isArray(schema[key])) return (schema[key] as Json[]).map(typeOf).join(" | ");
  }
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [String(schema.type)] : [];
  if (types.length === 0) return "any";
  return types
    .map((t) => {
      if (t === "array") return `array of ${typeOf((schema.items ?? {}) as Json)}`;
      let out = escapeHtml(t);
      if (schema.format) out += ` (${escapeHtml(String(schema.format))})`;
      if (t === "integer" || t === "number") {
        const min = schema.minimum;
        const max = schema.maximum;
        if (min !== undefined && max !== undefined && Number(max) < Number.MAX_SAFE_INTEGER) out += ` ${min}..${max}`;
        else if (min !== undefined) out += ` ≥ ${min}`;
      }
      if (schema.default !== undefined) out += `, default ${escapeHtml(JSON.stringify(schema.default))}`;
      return out;
    })
    .join(" | ");
}

/** Allowed values and patterns, shown under the description. */
function valuesOf(schema: Json): string {
  const target = schema.type === "array" && schema.items ? (schema.items as Json) : schema;
  if (Array.isArray(target.enum)) {
    const values = (target.enum as unknown[]).map((v) => `<code>${escapeHtml(String(v))}</code>`).join(" ");
    return target.enum.length > 8
      ? `<details><summary>${target.enum.length} values</summary>${values}</details>`
      : `<br><span class="muted">one of</span> ${values}`;
  }
  // Patterns of formatted strings (date-time) are long and say nothing the format does not.
  if (typeof target.pattern === "string" && !target.format) {
    return `<br><span class="muted">pattern</span> <code>${escapeHtml(target.pattern)}</code>`;
  }
  return "";
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

function anchor(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "-");
}
