/**
 * The polite client every ingest fetch goes through. Before a request it checks, per host:
 * a Retry-After block (429, or 503 with Retry-After), robots.txt (cached in D1 for a day), and
 * the minimum interval between two requests (a slot reserved in D1, so overlapping runs share
 * it); then it fetches with politeFetch (budget, timeout, size cap, redirects). A throttling
 * answer blocks the host in D1 so every later request waits, in this run and the next ones.
 */
import { blockedHosts, blockHost, cachedRobots, reservePaceSlot, saveRobots } from "../../store/hosts";
import { hostOf } from "../../store/listings";
import { Deferred, type SubrequestBudget } from "./budget";
import { FetchError, type FetchOptions, type FetchResult, politeFetch } from "./http";
import { ALLOW_ALL, DISALLOW_ALL, isAllowed, parseRobots, type RobotsRules, robotsPath } from "./robots";

/** The product token robots.txt groups are matched against (the first word of the User-Agent). */
export const PRODUCT_TOKEN = "Caravan";
/** robots.txt is read again after this long. */
export const ROBOTS_TTL_MS = 24 * 3600_000;
const ROBOTS_MAX_BYTES = 512 * 1024;
/** A Crawl-delay above this is held to it, so one site cannot stall a whole run. */
export const MAX_CRAWL_DELAY_MS = 30_000;
/** A 429 (or a bot challenge) without Retry-After blocks its host this long. */
export const DEFAULT_THROTTLE_MS = 30 * 60_000;
/** A Retry-After further out than this is held to it. */
export const MAX_RETRY_AFTER_MS = 7 * 24 * 3600_000;

export interface PoliteClientOptions {
  db: D1Database;
  budget: SubrequestBudget;
  fetch: FetchOptions;
  /**
   * The run clock (ms): robots expiry and host blocks are kept on it, read when an answer
   * arrives, so a Retry-After counts from the answer, not from the run's start.
   */
  clock: () => number;
  /** Called after every answer (or failed request): the run's sign of life. */
  onAnswer?: () => Promise<void>;
  /** Least time between two requests to one host, wall clock. */
  minIntervalMs: number;
  /** Wall-clock time after which no new request starts. */
  deadline: number;
}

interface HostRobots {
  rules: RobotsRules;
  /** Why everything is disallowed, when robots.txt could not be read. */
  unreachable: string | null;
}

export class PoliteClient {
  private readonly robots = new Map<string, Promise<HostRobots>>();
  /** host → when this run's last request to it went out (wall clock). */
  private readonly lastStart = new Map<string, number>();

  private constructor(
    private readonly o: PoliteClientOptions,
    /** host → run-clock time it may be asked again. */
    private readonly blocked: Map<string, number>,
  ) {}

  static async create(o: PoliteClientOptions): Promise<PoliteClient> {
    return new PoliteClient(o, await blockedHosts(o.db, o.clock()));
  }

  get budget(): SubrequestBudget {
    return this.o.budget;
  }

  /** When a host may be asked again (run clock), or null when it is not blocked. */
  blockedUntil(host: string): number | null {
    const until = this.blocked.get(host);
    return until !== undefined && until > this.o.clock() ? until : null;
  }

  /**
   * A polite GET. Throws Deferred when it must wait (budget, time, host blocked), FetchError when
   * the fetch failed (robots.txt disallows it included).
   */
  async get(url: string, extra: Partial<FetchOptions> = {}): Promise<FetchResult> {
    const parsed = new URL(url);
    const host = hostOf(url);
    this.checkCanStart(host);
    const robots = await this.robotsFor(parsed, host);
    if (!isAllowed(robots.rules, robotsPath(parsed))) {
      const why = robots.unreachable
        ? `robots.txt of ${host} could not be read (${robots.unreachable}), so nothing there is fetched until it can (RFC 9309)`
        : `robots.txt of ${host} disallows ${robotsPath(parsed)} for ${PRODUCT_TOKEN}`;
      throw new FetchError(why, url, null, null, "robots");
    }
    await this.pace(host, robots.rules);
    try {
      const result = await politeFetch(url, this.o.budget, { ...this.o.fetch, ...extra });
      await this.o.onAnswer?.();
      return result;
    } catch (err) {
      if (err instanceof FetchError) {
        err.answeredAt = this.o.clock();
        await this.o.onAnswer?.();
      }
      throw await this.noteThrottling(err, host);
    }
  }

  private checkCanStart(host: string): void {
    const until = this.blockedUntil(host);
    if (until !== null) {
      throw new Deferred("host-waiting", `${host} asked Caravan to wait until ${new Date(until).toISOString()}`);
    }
    if (Date.now() >= this.o.deadline) throw new Deferred("time", "run time budget (RUN_TIME_BUDGET_MS) used up");
    if (this.o.budget.remaining <= 0) throw new Deferred("budget", "subrequest budget used up for this run");
  }

  /** Waits for this host's next request slot (min interval, or a longer Crawl-delay). */
  private async pace(host: string, rules: RobotsRules): Promise<void> {
    const crawlDelay =
      rules.crawlDelaySeconds === null ? 0 : Math.min(rules.crawlDelaySeconds * 1000, MAX_CRAWL_DELAY_MS);
    const interval = Math.max(this.o.minIntervalMs, crawlDelay);
    if (interval <= 0) return;
    const slot = await reservePaceSlot(this.o.db, host, Date.now(), interval);
    // The slot counts from the previous slot; a request that started late (its slot came while
    // the store was still answering) moves the next one back, so this run's own requests stay
    // the whole interval apart as they really went out.
    const previous = this.lastStart.get(host);
    const start = Math.max(slot, previous === undefined ? slot : previous + interval);
    if (start >= this.o.deadline)
      throw new Deferred("time", "run time budget (RUN_TIME_BUDGET_MS) used up waiting for the host's next slot");
    const wait = start - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastStart.set(host, Date.now());
  }

  /**
   * A 429, a 503 with Retry-After, or a bot challenge blocks the host; the error says until when. The wait counts
   * from now, when the answer arrived (an HTTP-date is absolute: its distance from the wall clock
   * is added to the run clock).
   */
  private async noteThrottling(err: unknown, host: string): Promise<unknown> {
    if (!isThrottling(err)) return err;
    const asked = retryAfterMs(err.retryAfter, Date.now());
    const waitMs = Math.min(asked ?? DEFAULT_THROTTLE_MS, MAX_RETRY_AFTER_MS);
    const answeredAt = err.answeredAt ?? this.o.clock();
    const until = answeredAt + waitMs;
    const said = err.retryAfter ? `Retry-After: ${err.retryAfter}` : "no Retry-After, waiting the default 30 min";
    const challenge = err.code === "challenge";
    const reason = `${challenge ? err.message : `HTTP ${err.status}`} (${said})`;
    this.blocked.set(host, Math.max(this.blocked.get(host) ?? 0, until));
    await blockHost(this.o.db, host, until, reason);
    const before = new Date(until).toISOString();
    const noted = new FetchError(
      challenge
        ? `${err.message}; ${host} is backed off like after a 429 (${said}): nothing is fetched from it before ${before}`
        : `${err.message}: ${host} asked Caravan to slow down (${said}); nothing is fetched from it before ${before}`,
      err.url,
      err.status,
      err.retryAfter,
      err.code,
    );
    noted.answeredAt = answeredAt;
    return noted;
  }

  private robotsFor(url: URL, host: string): Promise<HostRobots> {
    let pending = this.robots.get(host);
    if (!pending) {
      pending = this.loadRobots(url, host);
      this.robots.set(host, pending);
      // A deferral (budget, time) is not an answer: the next request may try again.
      pending.catch(() => this.robots.delete(host));
    }
    return pending;
  }

  private async loadRobots(url: URL, host: string): Promise<HostRobots> {
    const cached = await cachedRobots(this.o.db, host, this.o.clock());
    if (cached) return { rules: cached.rules, unreachable: null };
    this.checkCanStart(host);
    await this.pace(host, ALLOW_ALL);
    let rules: RobotsRules;
    let status: number | null;
    try {
      const res = await politeFetch(`${url.origin}/robots.txt`, this.o.budget, {
        ...this.o.fetch,
        accept: "text/plain,*/*;q=0.5",
        maxBytes: Math.min(this.o.fetch.maxBytes, ROBOTS_MAX_BYTES),
      });
      if (res.kind !== "ok") throw new FetchError("unexpected 304 for robots.txt", res.url, 304);
      rules = parseRobots(res.body, PRODUCT_TOKEN);
      status = res.status;
    } catch (err) {
      if (err instanceof Deferred) throw err;
      const failure = (await this.noteThrottling(err, host)) as Error;
      if (
        failure instanceof FetchError &&
        failure.status !== null &&
        failure.status >= 400 &&
        failure.status < 500 &&
        failure.status !== 429 &&
        failure.code !== "challenge"
      ) {
        // RFC 9309 §2.3.1.3: no robots.txt (4xx) means no restrictions.
        rules = ALLOW_ALL;
        status = failure.status;
      } else {
        // Unreachable (5xx, 429, network): everything is disallowed for now and asked again next run.
        const what =
          failure instanceof FetchError && failure.status !== null ? `HTTP ${failure.status}` : failure.message;
        return { rules: DISALLOW_ALL, unreachable: what };
      }
    }
    const at = this.o.clock();
    await saveRobots(this.o.db, host, rules, status, at, at + ROBOTS_TTL_MS);
    return { rules, unreachable: null };
  }
}

/**
 * An answer that asks Caravan to wait: a 429, a 503 with Retry-After, or a bot challenge (retrying
 * sooner would only meet the challenge again, and can get a crawler banned).
 */
export function isThrottling(err: unknown): err is FetchError & { status: number } {
  if (!(err instanceof FetchError) || err.status === null) return false;
  return err.status === 429 || (err.status === 503 && err.retryAfter !== null) || err.code === "challenge";
}

/**
 * Retry-After as milliseconds from `wallNow`: delta-seconds ("120") or an HTTP-date
 * ("Wed, 21 Oct 2026 07:28:00 GMT"); null when absent or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, wallNow: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  // An HTTP-date names its month ("Oct"); Date.parse alone would take "-5" as a year.
  if (!/[a-z]{3}/i.test(v)) return null;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - wallNow) : null;
}
