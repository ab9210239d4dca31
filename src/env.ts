import * as z from "zod";
import { lazy } from "./model/lazy";
import type { ListingMessage } from "./model/queue";

/** Bindings and vars the Worker is deployed with (wrangler.toml). */
export interface Env {
  DB: D1Database;
  CACHE: KVNamespace;
  /** Optional: with it, the cron enqueues due listings and queue consumers read them. */
  QUEUE?: Queue<ListingMessage>;
  EURASIANET_BASE_URL?: string;
  CONTACT_URL?: string;
  SUBREQUEST_BUDGET?: string;
  FETCH_TIMEOUT_MS?: string;
  MAX_RESPONSE_BYTES?: string;
  FEED_TTL_MINUTES?: string;
  CACHE_WRITES_PER_DAY?: string;
  /** Bearer token for /admin/* (a secret: `wrangler secret put ADMIN_TOKEN`). Unset: admin is off. */
  ADMIN_TOKEN?: string;
  RETENTION_DAYS?: string;
  HOST_MIN_INTERVAL_MS?: string;
  RUN_TIME_BUDGET_MS?: string;
  WEBSUB_HUB_URL?: string;
  PUBLIC_URL?: string;
  /** "true" lets ingest and the admin API fetch loopback addresses (local fixtures, tests, demo). */
  ALLOW_LOOPBACK_FETCH?: string;
}

/**
 * Operator settings, read from vars so they can change per environment without a code change.
 *
 * Each var is described once, in VARS; two readers follow from the table. `Config`, the zod
 * model, is the contract (the tests hold the other reader to it). `readConfig`, which every
 * request calls, checks the same rules in plain code: a new isolate's first answer reads the
 * config, and building a zod schema there costs more than the rest of a feed poll (the first
 * zod use compiles zod itself; docs/performance.md). A bad var is a ConfigError naming it and
 * what is valid.
 */
type VarSpec =
  | { kind: "int"; fallback: number; min: number; max: number }
  | { kind: "url"; fallback?: string; httpOnly: boolean }
  | { kind: "flag"; fallback: boolean };

const int = (fallback: number, min: number, max: number) => ({ kind: "int", fallback, min, max }) as const;
const url = (httpOnly: boolean, fallback?: string) => ({ kind: "url", httpOnly, fallback }) as const;

const VARS = {
  /** Shown in the User-Agent so site owners can reach whoever runs this instance. */
  CONTACT_URL: url(false, "https://github.com/caravan-feeds/caravan"),
  /** Fetches one invocation may make (the free plan allows 50 subrequests; keep a margin). */
  SUBREQUEST_BUDGET: int(45, 1, 1000),
  FETCH_TIMEOUT_MS: int(10_000, 100, 60_000),
  MAX_RESPONSE_BYTES: int(5 * 1024 * 1024, 1024, 50 * 1024 * 1024),
  /** The cron period: feeds tell readers to cache this long (Cache-Control max-age, RSS <ttl>). */
  FEED_TTL_MINUTES: int(15, 1, 1440),
  /**
   * Rendered feeds written to KV per UTC day at most; past it they are served and kept in the
   * Cache API only. KV's free plan allows 1,000 writes a day: the default leaves the rest to the
   * feed-version write each ingest run makes, which this ceiling never touches.
   */
  CACHE_WRITES_PER_DAY: int(500, 0, 10_000_000),
  /** Items published longer ago than this are pruned, unless still on a feed's newest page. */
  RETENTION_DAYS: int(365, 1, 36_500),
  /** Least time between two requests to one host (a robots.txt Crawl-delay can raise it). */
  HOST_MIN_INTERVAL_MS: int(1000, 0, 60_000),
  /** Wall time after which a run starts no new fetch; what is left waits for the next run. */
  RUN_TIME_BUDGET_MS: int(600_000, 1000, 3_600_000),
  /** A WebSub hub: feeds advertise it and each ingest that changes a feed pings it. */
  WEBSUB_HUB_URL: url(true),
  /** This deployment's public origin (e.g. https://caravan.example.org): the topic URLs sent to the hub. */
  PUBLIC_URL: url(true),
  /** Loopback fetches (127.0.0.1, localhost) for local fixtures and tests; never set in a deployment. */
  ALLOW_LOOPBACK_FETCH: { kind: "flag", fallback: false },
} as const satisfies Record<string, VarSpec>;

type VarName = keyof typeof VARS;
type ValueOf<S> = S extends { kind: "int" }
  ? number
  : S extends { kind: "flag" }
    ? boolean
    : S extends { fallback: string }
      ? string
      : string | undefined;

export type Config = { [K in VarName]: ValueOf<(typeof VARS)[K]> };

/** The zod model of the vars, built from VARS: the contract readConfig is tested against. */
export const Config = lazy(() => {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(VARS) as [VarName, VarSpec][]) {
    if (spec.kind === "int") {
      shape[name] = z.coerce.number().int().min(spec.min).max(spec.max).default(spec.fallback);
    } else if (spec.kind === "flag") {
      shape[name] = z
        .enum(["true", "false"])
        .default(spec.fallback ? "true" : "false")
        .transform((v) => v === "true");
    } else {
      const base = spec.httpOnly ? z.url({ protocol: /^https?$/ }) : z.url();
      shape[name] = spec.fallback === undefined ? base.optional() : base.default(spec.fallback);
    }
  }
  return z.object(shape) as unknown as z.ZodType<Config, Partial<Record<VarName, string>>>;
});

export class ConfigError extends Error {}

// Vars do not change during an isolate's life; parse them once per env object.
const configs = new WeakMap<Env, Config>();

export function readConfig(env: Env): Config {
  const known = configs.get(env);
  if (known) return known;
  const config = parseConfig(env);
  configs.set(env, config);
  return config;
}

function parseConfig(env: Env): Config {
  const config: Record<string, VarValue> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(VARS) as [VarName, VarSpec][]) {
    // An empty var is an unset one (the dashboard keeps cleared vars as "").
    const read = readVar(spec, env[name] || undefined);
    if ("problem" in read) problems.push(`${name}: ${read.problem}`);
    else config[name] = read.value;
  }
  if (problems.length > 0) throw new ConfigError(`invalid Worker vars: ${problems.join("; ")}`);
  return config as Config;
}

type VarValue = number | boolean | string | undefined;

/** One var read by its spec: its value, or what is wrong with it. */
function readVar(spec: VarSpec, raw: string | undefined): { value: VarValue } | { problem: string } {
  if (raw === undefined) return { value: spec.fallback };
  if (spec.kind === "int") {
    // Number(), as zod's coerce does: " 30 " is 30, "30s" is NaN.
    const value = Number(raw);
    if (!Number.isInteger(value))
      return { problem: `expected a whole number from ${spec.min} to ${spec.max}, got "${raw}"` };
    if (value < spec.min || value > spec.max) return { problem: `expected ${spec.min} to ${spec.max}, got ${value}` };
    return { value };
  }
  if (spec.kind === "flag") {
    if (raw !== "true" && raw !== "false") return { problem: `expected "true" or "false", got "${raw}"` };
    return { value: raw === "true" };
  }
  const parsed = URL.canParse(raw) ? new URL(raw) : null;
  if (!parsed) return { problem: `expected an absolute URL, got "${raw}"` };
  if (spec.httpOnly && !/^https?:$/.test(parsed.protocol)) {
    return { problem: `expected an http or https URL, got "${raw}"` };
  }
  return { value: raw };
}

export function userAgent(config: Config): string {
  return `Caravan/0.1 (+${config.CONTACT_URL}; feed aggregator)`;
}
