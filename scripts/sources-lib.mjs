// The pieces of `npm run sources` that do no I/O: which request a command makes, and how an
// answer is printed. Kept apart from scripts/sources.mjs so tests can check them without a
// network or a file system.

export const USAGE = `usage: npm run sources -- <command>

  discover URL           feeds a homepage or feed URL offers (title, items, language, samples)
                         and a definition to start from; stores nothing
  preview FILE           what a definition would store, and its warnings; stores nothing
  add FILE               create or replace the source defined in FILE (JSON)
  import FILE.opml       one feed source per OPML outline with an xmlUrl
  export [DIR]           every registered definition: to DIR/<id>.json, or as JSON on stdout
  remove ID [--purge]    stop reading a source; its items stay unless --purge

environment: CARAVAN_URL (e.g. https://caravan.example.org) and ADMIN_TOKEN`;

export class UsageError extends Error {}

/**
 * The HTTP request for a command. `files` reads a file's text (given so tests need no disk).
 * Answers { method, path, body, contentType } or throws UsageError.
 */
export function buildRequest(args, readFile) {
  const [command, ...rest] = args;
  const one = (what) => {
    const value = rest.find((a) => !a.startsWith("--"));
    if (!value) throw new UsageError(`${command} needs ${what}`);
    return value;
  };
  switch (command) {
    case "discover":
      return { method: "POST", path: "/admin/sources/discover", body: JSON.stringify({ url: one("a URL") }) };
    case "preview":
      return { method: "POST", path: "/admin/sources/preview", body: definitionText(readFile(one("a FILE"))) };
    case "add": {
      const text = definitionText(readFile(one("a FILE")));
      const id = JSON.parse(text).id;
      if (typeof id !== "string" || !id) throw new UsageError('the definition needs an "id"');
      return { method: "PUT", path: `/admin/sources/${encodeURIComponent(id)}`, body: text };
    }
    case "import":
      return {
        method: "POST",
        path: "/admin/sources/import",
        body: readFile(one("an OPML FILE")),
        contentType: "text/x-opml",
      };
    case "export":
      return { method: "GET", path: "/admin/sources/export" };
    case "remove": {
      const id = one("a source ID");
      const purge = rest.includes("--purge") ? "?purge=1" : "";
      return { method: "DELETE", path: `/admin/sources/${encodeURIComponent(id)}${purge}` };
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  }
}

function definitionText(text) {
  try {
    JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the file is not JSON: ${err.message}`);
  }
  return text;
}

/** The answer as lines a person reads. */
export function formatAnswer(command, status, json) {
  if (status >= 400 || json?.error) return formatError(status, json);
  switch (command) {
    case "discover":
      return formatDiscovery(json);
    case "preview":
      return formatPreview(json);
    case "add":
      return [
        `${json.created ? "created" : "replaced"} source ${json.id} (${json.definition.kind}, ${json.definition.name})`,
        `  its listings are due now: the next cron run reads them; its feed is /feeds/source/${json.id}.atom`,
      ];
    case "import":
      return [
        `added ${json.added.length}, skipped ${json.skipped.length}`,
        ...json.added.map((a) => `  + ${a.id}  ${a.feedUrl}${termsText(a.terms)}`),
        ...json.skipped.map((s) => `  - ${s.title ?? s.feedUrl}: ${s.reason}`),
      ];
    case "export":
      return [JSON.stringify(json, null, 2)];
    case "remove":
      return [
        `removed ${json.id}${json.purgedItems ? `; ${json.purgedItems} items deleted` : "; its items stay in the feeds"}`,
      ];
    default:
      return [JSON.stringify(json, null, 2)];
  }
}

function termsText(terms) {
  const all = [...terms.countries, ...terms.regions, ...terms.topics];
  return all.length ? `  [${all.join(", ")}]` : "";
}

function formatError(status, json) {
  const error = json?.error ?? { message: `HTTP ${status}` };
  const lines = [`error ${status}: ${error.message}`];
  for (const p of error.details?.problems ?? []) {
    const valid = p.valid === undefined ? "" : `  (valid: ${validText(p.valid)})`;
    lines.push(`  ${p.field}: ${p.problem}${valid}`);
  }
  if (!error.details?.problems && error.details?.valid) lines.push(`  valid: ${validText(error.details.valid)}`);
  return lines;
}

function validText(valid) {
  if (!Array.isArray(valid)) return String(valid);
  return valid.length > 12 ? `${valid.slice(0, 12).join(", ")}, … (${valid.length} in all)` : valid.join(", ");
}

function formatDiscovery(json) {
  if (json.candidates.length === 0) {
    return [
      `no feed found at ${json.url}`,
      ...json.rejected.map((r) => `  tried ${r.url}: ${r.reason}`),
      "  an HTML source needs its listing and article selectors written by hand: see docs/sources.md",
    ];
  }
  const lines = [];
  json.candidates.forEach((c, i) => {
    lines.push(
      `${i + 1}. ${c.title ?? "(untitled)"}  ${c.url}`,
      `   ${c.format}, ${c.itemCount} items, language ${c.language ?? "not given"}, found by ${c.foundBy}`,
      ...c.samples.map((s) => `   - ${s.title}${s.published ? `  (${s.published})` : ""}`),
    );
  });
  lines.push(
    "",
    "definition to start from (save it to a file, check language, timeZone and terms, then preview and add):",
    JSON.stringify(json.candidates[0].definition, null, 2),
  );
  return lines;
}

function formatPreview(json) {
  const lines = [`${json.items.length} items from ${json.listing}`];
  for (const item of json.items) {
    const terms = [...item.countries, ...item.regions, ...item.topics];
    lines.push(
      `  ${item.publishedAt}  ${item.title}`,
      `      ${item.url}${terms.length ? `  [${terms.join(", ")}]` : ""}${item.image ? "  (image)" : ""}`,
    );
  }
  lines.push(json.warnings.length ? `${json.warnings.length} warnings:` : "no warnings");
  for (const w of json.warnings) lines.push(`  ${w.code}  ${w.url}`, `      ${w.message}`);
  return lines;
}
