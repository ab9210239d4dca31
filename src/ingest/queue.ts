import { type Env, readConfig } from "../env";
import { ListingMessage } from "../model/queue";
import type { Source } from "../model/source";
import { claimDueListings, releaseListing, takeOverQueued } from "../store/leases";
import type { ListingRow } from "../store/listings";
import { resolveListing, resolveSources } from "./listings";
import { closeDeadRunsAt } from "./progress";
import { ensureRegistry, resolveRegistered, syncSources } from "./registry";
import { closeRun, ingestListing, openRun, type RunSummary } from "./run";

/**
 * Scale-out on Cloudflare Queues. With a QUEUE binding, the cron only decides which listings are
 * due and enqueues them; consumers read them, each invocation with its own subrequest budget,
 * through the same ingestListing as the in-cron path.
 *
 * Idempotency: the dispatcher leases each listing it enqueues to QUEUE_OWNER. A consumer reads a
 * listing only if it can take that lease over, and the read releases it; so a retried or
 * duplicated message finds no lease and changes nothing twice, and a lost message only delays
 * its listing until the lease expires and the next cron enqueues it again.
 */
export const QUEUE_OWNER = "queue";
/** How long an enqueued listing waits for a consumer before the cron may enqueue it again. */
export const QUEUE_LEASE_MS = 30 * 60_000;
/** Listings enqueued by one cron invocation at most. */
const MAX_ENQUEUE = 5_000;
/** Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100;

export { ListingMessage };

export interface EnqueueOptions {
  now?: number;
  sources?: Source[];
}

/** The cron's whole job in queue mode: lease the due listings and enqueue them, most overdue first. */
export async function enqueueDueListings(
  env: Env,
  queue: Queue<ListingMessage>,
  options: EnqueueOptions = {},
): Promise<{ enqueued: number }> {
  const now = options.now ?? Date.now();
  if (options.sources) await syncSources(env, resolveSources(env, options.sources));
  else await ensureRegistry(env, now);
  // Listings a dead consumer held become due again now rather than when their leases expire.
  await closeDeadRunsAt(env.DB, readConfig(env), now);
  const claimed = await claimDueListings(env.DB, {
    owner: QUEUE_OWNER,
    now,
    leaseMs: QUEUE_LEASE_MS,
    limit: MAX_ENQUEUE,
  });
  let enqueued = 0;
  for (let i = 0; i < claimed.length; i += SEND_BATCH) {
    const chunk = claimed.slice(i, i + SEND_BATCH);
    try {
      await queue.sendBatch(
        chunk.map((row) => ({ body: { listingId: row.id, enqueuedAt: now }, contentType: "json" as const })),
      );
      enqueued += chunk.length;
    } catch (err) {
      // Not enqueued: give the listings back so the next cron tries again.
      for (const row of chunk) await releaseListing(env.DB, row.id, QUEUE_OWNER);
      console.log(
        JSON.stringify({ event: "queue.send_failed", level: "error", listings: chunk.length, message: String(err) }),
      );
    }
  }
  console.log(JSON.stringify({ event: "queue.enqueued", level: "info", enqueued, due: claimed.length }));
  return { enqueued };
}

export interface ConsumeOptions {
  now?: number;
  /** The run clock (see runClock); default from `now`, moving with the wall clock. */
  clock?: () => number;
  sources?: Source[];
}

/**
 * One consumer invocation: a run over the batch's listings. Listings of different hosts are read
 * concurrently, those of one host one after another (politeness), so a slow or failing host
 * delays only its own messages. A listing whose read fails is recorded and backs off like in the
 * cron path, and its message is acknowledged; only a message the run could not handle at all
 * (a store failure, a body that is not a listing message) is retried, and after the consumer's
 * max_retries it goes to the dead-letter queue.
 */
export async function consumeListingBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  options: ConsumeOptions = {},
): Promise<RunSummary> {
  const ctx = await openRun(env, {
    trigger: "queue",
    now: options.now,
    clock: options.clock,
    sources: options.sources,
  });
  const byListing = new Map<string, Message<unknown>[]>();
  for (const message of batch.messages) {
    const parsed = ListingMessage.safeParse(message.body);
    if (!parsed.success) {
      console.log(
        JSON.stringify({
          event: "queue.poison",
          level: "error",
          id: message.id,
          problem: parsed.error.issues[0]?.message,
        }),
      );
      message.retry();
      continue;
    }
    byListing.set(parsed.data.listingId, [...(byListing.get(parsed.data.listingId) ?? []), message]);
  }

  const leaseMs = ctx.config.RUN_TIME_BUDGET_MS + 2 * ctx.config.FETCH_TIMEOUT_MS + 60_000;
  const rows = await takeOverQueued(env.DB, [...byListing.keys()], QUEUE_OWNER, {
    owner: ctx.owner,
    now: ctx.now,
    leaseMs,
  });
  const taken = new Set(rows.map((r) => r.id));
  const resolved = options.sources
    ? resolveSources(env, options.sources)
    : await resolveRegistered(
        env,
        rows.map((r) => r.source_id),
      );
  // Already read by an earlier delivery, or no longer queued: nothing to do, and nothing twice.
  for (const [id, messages] of byListing) if (!taken.has(id)) for (const m of messages) m.ack();

  const byHost = new Map<string, ListingRow[]>();
  for (const row of rows) byHost.set(row.host ?? "", [...(byHost.get(row.host ?? "") ?? []), row]);
  await Promise.all(
    [...byHost.values()].map(async (hostRows) => {
      for (const row of hostRows) {
        const messages = byListing.get(row.id) ?? [];
        try {
          const entry = resolveListing(resolved, row);
          if (entry) await ingestListing(ctx, entry.source, entry.listing, row);
          for (const m of messages) m.ack();
        } catch (err) {
          console.log(
            JSON.stringify({ event: "queue.retry", level: "error", listingId: row.id, message: String(err) }),
          );
          for (const m of messages) m.retry();
        }
      }
    }),
  );
  return closeRun(ctx);
}
