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

const intVar = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * Operator settings, read from vars so they can change per environment without a code change.
 * The schema is built by the first readConfig (see model/lazy.ts); a bad var is a ConfigError there.
 */
export const Config = lazy(() =>
  z.object({
    /** Shown in the User-Agent so site owners can reach whoever runs this instance. */
    CONTACT_URL: z.url().default("https://github.com/caravan-feeds/caravan"),
    /** Fetches one invocation may make (the free plan allows 50 subrequests; keep a margin). */
    SUBREQUEST_BUDGET: intVar(45, 1, 1000),
    FETCH_TIMEOUT_MS: intVar(10_000, 100, 60_000),
    MAX_RESPONSE_BYTES: intVar(5 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    /** The cron period: feeds tell readers to cache this long (Cache-Control max-age, RSS <ttl>). */
    FEED_TTL_MINUTES: intVar(15, 1, 1440),
    /**
     * Rendered feeds written to KV per UTC day at most; past it they are served and kept in the
     * Cache API only. KV's free plan allows 1,000 writes a day: the default leaves the rest to the
     * feed-version write each ingest run makes, which this ceiling never touches.
     */
    CACHE_WRITES_PER_DAY: intVar(500, 0, 10_000_000),
    /** Items published longer ago than this are pruned, unless still on a feed's newest page. */
    RETENTION_DAYS: intVar(365, 1, 36_500),
    /** Least time between two requests to one host (a robots.txt Crawl-delay can raise it). */
    HOST_MIN_INTERVAL_MS: intVar(1000, 0, 60_000),
    /** Wall time after which a run starts no new fetch; what is left waits for the next run. */
    RUN_TIME_BUDGET_MS: intVar(600_000, 1000, 3_600_000),
    /** A WebSub hub: feeds advertise it and each ingest that changes a feed pings it. */
    WEBSUB_HUB_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** This deployment's public origin (e.g. https://caravan.example.org): the topic URLs sent to the hub. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Loopback fetches (127.0.0.1, localhost) for local fixtures and tests; never set in a deployment. */
    ALLOW_LOOPBACK_FETCH: z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true"),
  }),
);
export type Config = z.infer<typeof Config>;

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
  const parsed = Config.safeParse({
    CONTACT_URL: env.CONTACT_URL || undefined,
    SUBREQUEST_BUDGET: env.SUBREQUEST_BUDGET || undefined,
    FETCH_TIMEOUT_MS: env.FETCH_TIMEOUT_MS || undefined,
    MAX_RESPONSE_BYTES: env.MAX_RESPONSE_BYTES || undefined,
    FEED_TTL_MINUTES: env.FEED_TTL_MINUTES || undefined,
    CACHE_WRITES_PER_DAY: env.CACHE_WRITES_PER_DAY || undefined,
    RETENTION_DAYS: env.RETENTION_DAYS || undefined,
    HOST_MIN_INTERVAL_MS: env.HOST_MIN_INTERVAL_MS || undefined,
    RUN_TIME_BUDGET_MS: env.RUN_TIME_BUDGET_MS || undefined,
    WEBSUB_HUB_URL: env.WEBSUB_HUB_URL || undefined,
    PUBLIC_URL: env.PUBLIC_URL || undefined,
    ALLOW_LOOPBACK_FETCH: env.ALLOW_LOOPBACK_FETCH || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid Worker vars: ${problems}`);
  }
  return parsed.data;
}

export function userAgent(config: Config): string {
  return `Caravan/0.1 (+${config.CONTACT_URL}; feed aggregator)`;
}
