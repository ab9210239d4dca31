import { env } from "cloudflare:test";

const MIN = 60_000;

/** Only these listings are due at `at`, read in the order given; every other listing is due in a month. */
export async function onlyDue(at: number, ...ids: string[]): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("UPDATE listings SET next_fetch_at = ?, lease_owner = NULL, lease_until = NULL").bind(
      at + 30 * 24 * 60 * MIN,
    ),
    ...ids.map((lid, i) =>
      env.DB.prepare("UPDATE listings SET next_fetch_at = ? WHERE id = ?").bind(at - (ids.length - i) * MIN, lid),
    ),
  ]);
}

/** Controlled run clock: it stands still, and every answer from a site moves it on by `stepMs`. */
export function answerClock(start: number, stepMs: number) {
  let t = start;
  const answers: { url: string; at: number }[] = [];
  const realFetch = globalThis.fetch;
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit) => {
    try {
      return await realFetch(input, init);
    } finally {
      t += stepMs;
      answers.push({ url: input instanceof Request ? input.url : String(input), at: t });
    }
  };
  globalThis.fetch = wrapped as typeof fetch;
  return {
    clock: () => t,
    /** When the answer to the request for `path` arrived (the last one, if asked twice). */
    answeredAt(path: string): number {
      const hit = answers.findLast((a) => new URL(a.url).pathname + new URL(a.url).search === path);
      if (!hit) throw new Error(`${path} was not asked for`);
      return hit.at;
    },
    restore() {
      globalThis.fetch = realFetch;
    },
  };
}
