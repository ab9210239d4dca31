import { type Env, readConfig, userAgent } from "../env";
import { feedUrl, OUTPUT_FORMATS } from "../render/formats";
import { FEED_KINDS } from "../sources/feeds";

// Topic URLs per publish request: hubs accept repeated hub.url, but keep requests modest.
const TOPICS_PER_REQUEST = 60;

export interface PublishResult {
  /** Topic URLs the hub accepted. */
  published: string[];
  errors: string[];
}

/**
 * Tells the WebSub hub (W3C WebSub §6) which feeds changed, so subscribers are pushed the update
 * instead of waiting for their next poll. Only the feeds the run changed are named, each in every
 * format, at the deployment's public URL. Skipped without a hub or a public URL; a hub that fails
 * is logged, never an error of the run.
 */
export async function publishChangedFeeds(env: Env, changedFeeds: string[]): Promise<PublishResult> {
  const config = readConfig(env);
  const result: PublishResult = { published: [], errors: [] };
  if (!config.WEBSUB_HUB_URL || !config.PUBLIC_URL) return result;
  const origin = new URL(config.PUBLIC_URL).origin;
  const topics = changedFeeds.flatMap((key) => {
    // A feed's URL follows from its key ("all", "<kind>:<slug>"); other keys name no feed.
    const [kind, slug] = key.split(":");
    const path =
      key === "all"
        ? "/feeds/all"
        : kind && slug && (FEED_KINDS as string[]).includes(kind)
          ? `/feeds/${kind}/${slug}`
          : null;
    return path ? OUTPUT_FORMATS.map((f) => feedUrl(origin, path, f)) : [];
  });
  for (let i = 0; i < topics.length; i += TOPICS_PER_REQUEST) {
    const batch = topics.slice(i, i + TOPICS_PER_REQUEST);
    const body = new URLSearchParams([
      ["hub.mode", "publish"],
      ...batch.map((t) => ["hub.url", t] as [string, string]),
    ]);
    try {
      const r = await fetch(config.WEBSUB_HUB_URL, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": userAgent(config) },
        body,
        signal: AbortSignal.timeout(config.FETCH_TIMEOUT_MS),
      });
      await r.body?.cancel();
      if (r.status >= 200 && r.status < 300) result.published.push(...batch);
      else result.errors.push(`hub answered HTTP ${r.status}`);
    } catch (err) {
      result.errors.push(`hub unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log(JSON.stringify({ event: "websub.publish", topics: result.published.length, errors: result.errors }));
  return result;
}
