/**
 * The source registry's admin routes (under /admin, behind the admin token, `no-store`):
 *
 *   GET    /admin/sources/export                 every registered definition, in the file format
 *   POST   /admin/sources/discover {"url"}       feeds a homepage or feed URL offers; stores nothing
 *   POST   /admin/sources/preview {definition}   its first listing page as it would be stored, and
 *                                                warnings; stores nothing
 *   POST   /admin/sources/import  (OPML 2.0)     one feed source per outline with an xmlUrl
 *   GET    /admin/sources/{id}/definition        one definition, where it came from
 *   PUT    /admin/sources/{id}                   create (201) or replace (200) a definition
 *   DELETE /admin/sources/{id}[?purge=1]         stop reading it; its items stay unless purge=1
 *
 * A definition is checked whole before anything is stored (src/ingest/definition.ts): a bad one
 * is a 400 listing every problem as { field, problem, valid }.
 */

import type { Context, Hono } from "hono";
import * as z from "zod";
import { ConfigError, type Env, readConfig, userAgent } from "../env";
import { checkDefinition, type DefinitionProblem } from "../ingest/definition";
import { discoverFeeds, suggestDefinition } from "../ingest/discover";
import { FeedParseError } from "../ingest/feed";
import { resolveSources } from "../ingest/listings";
import { definitionFromOpml, OpmlError, readOpml } from "../ingest/opml";
import { previewSource } from "../ingest/preview";
import { differsFromFile, ensureRegistry, registerSource, shippedFileOf, unregisterSource } from "../ingest/registry";
import { refusedTarget } from "../ingest/url-guard";
import { lazy } from "../model/lazy";
import type { Source } from "../model/source";
import { liveDefinitions, readDefinition, registryRow } from "../store/registry";
import type { AppEnv } from "./app-env";
import { clip, HttpError } from "./errors";
import { flag, readParams } from "./params";

/** Method and path of each route here, for the 404 and 405 answers. */
export const SOURCE_ROUTES: [string, string][] = [
  ["GET", "/sources/export"],
  ["POST", "/sources/discover"],
  ["POST", "/sources/preview"],
  ["POST", "/sources/import"],
  ["GET", "/sources/{id}/definition"],
  ["PUT", "/sources/{id}"],
  ["DELETE", "/sources/{id}[?purge=1]"],
];

const MAX_DEFINITION_BYTES = 256 * 1024;
const MAX_OPML_BYTES = 1024 * 1024;

const DiscoverRequest = lazy(() => z.strictObject({ url: z.url({ protocol: /^https?$/ }) }));

export function registerSourceRoutes(admin: Hono<AppEnv>): void {
  admin.get("/sources/export", async (c) => {
    readParams(c, []);
    await ensureRegistry(c.env);
    const sources = await liveDefinitions(c.env.DB);
    return c.json({ sources });
  });

  admin.post("/sources/discover", async (c) => {
    readParams(c, []);
    const parsed = DiscoverRequest.safeParse(await readJson(c, MAX_DEFINITION_BYTES));
    if (!parsed.success) throw invalid("invalid_request", problemsOf(parsed.error));
    const config = readConfig(c.env);
    const refused = refusedTarget(parsed.data.url, config.ALLOW_LOOPBACK_FETCH);
    if (refused) throw invalid("invalid_request", [{ field: "url", problem: refused, valid: "a public http(s) URL" }]);
    const found = await discoverFeeds(parsed.data.url, {
      fetch: {
        userAgent: userAgent(config),
        timeoutMs: config.FETCH_TIMEOUT_MS,
        maxBytes: config.MAX_RESPONSE_BYTES,
        allowLoopback: config.ALLOW_LOOPBACK_FETCH,
      },
      allowLoopback: config.ALLOW_LOOPBACK_FETCH,
    });
    return c.json({
      ...found,
      candidates: found.candidates.map((candidate) => ({
        ...candidate,
        definition: suggestDefinition(candidate, parsed.data.url),
      })),
    });
  });

  admin.post("/sources/preview", async (c) => {
    readParams(c, []);
    const input = await readJson(c, MAX_DEFINITION_BYTES);
    await ensureRegistry(c.env);
    const id = input && typeof input === "object" && "id" in input ? input.id : undefined;
    const others = new Map((await liveDefinitions(c.env.DB)).filter((s) => s.id !== id).map((s) => [s.id, s]));
    const checked = await checkForRegistry(c.env, input, others);
    if (!checked.ok) throw invalid("invalid_definition", checked.problems);
    return c.json(await previewSource(c.env, checked.source));
  });

  admin.post("/sources/import", async (c) => {
    readParams(c, []);
    const text = await readText(c, MAX_OPML_BYTES);
    let feeds: ReturnType<typeof readOpml>;
    try {
      feeds = readOpml(text);
    } catch (err) {
      if (!(err instanceof OpmlError) && !(err instanceof FeedParseError)) throw err;
      throw new HttpError(400, "invalid_opml", err.message, {
        valid: "an OPML 2.0 document (<opml><body><outline …>)",
      });
    }
    if (feeds.length === 0) {
      throw new HttpError(400, "invalid_opml", "the OPML document has no outline with an xmlUrl", {
        valid: '<outline type="rss" text="…" xmlUrl="https://…/feed/"/>',
      });
    }
    await ensureRegistry(c.env);
    const taken = new Map((await liveDefinitions(c.env.DB)).map((s) => [s.id, s]));
    const added: { id: string; feedUrl: string; terms: Record<string, string[]> }[] = [];
    const skipped: { feedUrl: string; title: string | null; reason: string }[] = [];
    for (const feed of feeds) {
      const draft = definitionFromOpml(feed);
      const existing = [...taken.values()].find((s) => feedUrls(s).includes(feed.xmlUrl));
      if (existing) {
        skipped.push({ feedUrl: feed.xmlUrl, title: feed.title, reason: `already read by source ${existing.id}` });
        continue;
      }
      if (taken.has(String(draft.id))) {
        skipped.push({
          feedUrl: feed.xmlUrl,
          title: feed.title,
          reason: `duplicate id: source ${String(draft.id)} already exists; add this feed with PUT /admin/sources/{another-id}`,
        });
        continue;
      }
      const checked = await checkForRegistry(c.env, draft, taken);
      if (!checked.ok) {
        const p = checked.problems[0]!;
        skipped.push({ feedUrl: feed.xmlUrl, title: feed.title, reason: `${p.field}: ${p.problem}` });
        continue;
      }
      await registerSource(c.env, checked.source);
      taken.set(checked.source.id, checked.source);
      const s = checked.source as Extract<Source, { kind: "feed" }>;
      added.push({
        id: s.id,
        feedUrl: s.feedUrl,
        terms: { countries: s.defaultCountries, regions: s.defaultRegions, topics: s.defaultTopics },
      });
    }
    return c.json({ added, skipped });
  });

  admin.get("/sources/:id/definition", async (c) => {
    readParams(c, []);
    const id = c.req.param("id");
    await ensureRegistry(c.env);
    const row = await registryRow(c.env.DB, id);
    const definition = row ? readDefinition(row) : null;
    if (!row || definition === null) {
      const valid = (await liveDefinitions(c.env.DB)).map((s) => s.id);
      throw new HttpError(404, "unknown_source", `no source "${clip(id)}"`, { valid });
    }
    return c.json({
      id,
      definition,
      origin: row.origin,
      shippedFile: shippedFileOf(id),
      differsFromFile: await differsFromFile(id, row.definition),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    });
  });

  admin.put("/sources/:id", async (c) => {
    readParams(c, []);
    const id = c.req.param("id");
    const body = await readJson(c, MAX_DEFINITION_BYTES);
    const input = body && typeof body === "object" && !Array.isArray(body) ? { id, ...body } : body;
    if (input && typeof input === "object" && "id" in input && input.id !== id) {
      throw invalid("invalid_definition", [
        { field: "id", problem: `"${clip(String(input.id))}" differs from the id in the path`, valid: [id] },
      ]);
    }
    await ensureRegistry(c.env);
    const others = new Map((await liveDefinitions(c.env.DB)).filter((s) => s.id !== id).map((s) => [s.id, s]));
    const checked = await checkForRegistry(c.env, input, others);
    if (!checked.ok) throw invalid("invalid_definition", checked.problems);
    const outcome = await registerSource(c.env, checked.source);
    return c.json({ id, [outcome]: true, definition: checked.source }, outcome === "created" ? 201 : 200);
  });

  admin.delete("/sources/:id", async (c) => {
    const params = readParams(c, ["purge"]);
    const purge = params.purge === undefined ? false : flag("purge", params.purge);
    const id = c.req.param("id");
    const removed = await unregisterSource(c.env, id, purge);
    if (!removed) {
      const valid = (await liveDefinitions(c.env.DB)).map((s) => s.id);
      throw new HttpError(404, "unknown_source", `no source "${clip(id)}"`, { valid });
    }
    return c.json({
      id,
      removed: true,
      purgedItems: removed.purgedItems,
      note: purge
        ? "the source's items were deleted"
        : "its items stay in every feed they are in; DELETE again with ?purge=1 is not needed to keep them",
    });
  });
}

/** Every URL a definition makes Caravan fetch on its own (feeds, listing base). */
function feedUrls(source: Source): string[] {
  return source.kind === "feed" ? [source.feedUrl, ...source.extraFeeds.map((f) => f.url)] : [source.baseUrl];
}

/**
 * The whole check before a definition is stored: the model and the run's needs (definition.ts),
 * then what depends on this deployment: where it may fetch, its var, a feed another source reads.
 */
export async function checkForRegistry(
  env: Env,
  input: unknown,
  others: Map<string, Source>,
): Promise<{ ok: true; source: Source } | { ok: false; problems: DefinitionProblem[] }> {
  const checked = checkDefinition(input);
  if (!checked.ok) return checked;
  const source = checked.source;
  const problems: DefinitionProblem[] = [];
  const allowLoopback = readConfig(env).ALLOW_LOOPBACK_FETCH;
  const fields =
    source.kind === "feed"
      ? [
          ["feedUrl", source.feedUrl] as const,
          ...source.extraFeeds.map((f, i) => [`extraFeeds.${i}.url`, f.url] as const),
        ]
      : [["baseUrl", source.baseUrl] as const];
  for (const [field, url] of fields) {
    const refused = refusedTarget(url, allowLoopback);
    if (refused) problems.push({ field, problem: `may not be fetched: ${refused}`, valid: "a public http(s) URL" });
    for (const other of others.values()) {
      if (source.kind === "feed" && feedUrls(other).includes(url)) {
        problems.push({
          field,
          problem: `is already read by source ${other.id}`,
          valid: "a feed no other source reads",
        });
      }
    }
  }
  try {
    resolveSources(env, [source]);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push({ field: "baseUrlVar", problem: err.message, valid: "a var holding an http(s) URL, or none" });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, source };
}

function invalid(code: string, problems: DefinitionProblem[]): HttpError {
  const first = problems[0];
  const summary = first ? `${first.field}: ${first.problem}` : "invalid";
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  return new HttpError(400, code, `${summary}${more}; nothing was stored`, {
    problems,
    schema: "schemas/source.schema.json",
  });
}

function problemsOf(error: z.ZodError): DefinitionProblem[] {
  return error.issues.map((i) => ({
    field: i.path.join(".") || "(body)",
    problem: i.message,
    ...(i.code === "unrecognized_keys" ? { valid: ["url"] } : {}),
  }));
}

async function readText(c: Context<AppEnv>, maxBytes: number): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > maxBytes) {
    throw new HttpError(413, "too_large", `the body may be at most ${maxBytes} bytes`, { maxBytes });
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > maxBytes) {
    throw new HttpError(413, "too_large", `the body may be at most ${maxBytes} bytes`, { maxBytes });
  }
  if (bytes.byteLength === 0) throw new HttpError(400, "empty_body", "the request has no body", {});
  return new TextDecoder().decode(bytes);
}

async function readJson(c: Context<AppEnv>, maxBytes: number): Promise<unknown> {
  const text = await readText(c, maxBytes);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, "invalid_json", `the body is not JSON: ${clip(String(err), 120)}`, {
      valid: "a JSON object (Content-Type: application/json)",
    });
  }
}
