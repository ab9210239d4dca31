// `npm run sources -- <command>`: a small client of the source registry's admin API
// (docs/sources.md). Reads CARAVAN_URL and ADMIN_TOKEN from the environment.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildRequest, formatAnswer, USAGE, UsageError } from "./sources-lib.mjs";

async function main(args) {
  const base = process.env.CARAVAN_URL;
  const token = process.env.ADMIN_TOKEN;
  if (args.length === 0 || args[0] === "help" || args.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  let request;
  try {
    request = buildRequest(args, (file) => readFileSync(file, "utf8"));
  } catch (err) {
    if (!(err instanceof UsageError) && err.code !== "ENOENT") throw err;
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (!base || !token) {
    console.error("set CARAVAN_URL (the Worker's origin) and ADMIN_TOKEN (its admin token)");
    return 2;
  }
  const headers = { authorization: `Bearer ${token}` };
  if (request.body !== undefined) headers["content-type"] = request.contentType ?? "application/json";
  let response;
  try {
    response = await fetch(new URL(request.path, base), { method: request.method, headers, body: request.body });
  } catch (err) {
    console.error(`cannot reach ${base}: ${err.cause?.message ?? err.message}`);
    return 1;
  }
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    console.error(`HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    return 1;
  }
  const [command, dir] = args;
  if (command === "export" && dir && response.ok) {
    mkdirSync(dir, { recursive: true });
    for (const source of json.sources)
      writeFileSync(join(dir, `${source.id}.json`), `${JSON.stringify(source, null, 2)}\n`);
    console.log(`wrote ${json.sources.length} definitions to ${dir}/`);
    return 0;
  }
  const lines = formatAnswer(command, response.status, json);
  (response.ok ? console.log : console.error)(lines.join("\n"));
  return response.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
