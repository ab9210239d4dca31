/**
 * Where a source may read story pages: the hosts of its own feeds or listings (with the Worker
 * var that re-points them applied) and of the URLs its definition names, plus the hosts it
 * lists in `hosts`. A story that links elsewhere is stored from its listing or feed alone, so a
 * feed cannot make the Worker fetch, and publish, whatever another host answers.
 */
import type { Source } from "../model/source";

export function sourceHosts(source: Source, listingUrls: string[]): Set<string> {
  const named = source.kind === "feed" ? [source.feedUrl, ...source.extraFeeds.map((f) => f.url)] : [source.baseUrl];
  const hosts = new Set(source.hosts.map(bare));
  for (const url of [...listingUrls, ...named]) {
    const host = URL.parse(url)?.host;
    if (host) hosts.add(bare(host));
  }
  return hosts;
}

/** Whether a story's page is on one of the hosts (a "www." prefix either way is the same host). */
export function onHosts(url: string, hosts: Set<string>): boolean {
  const host = URL.parse(url)?.host;
  return host !== undefined && hosts.has(bare(host));
}

function bare(host: string): string {
  return host.toLowerCase().replace(/^www\./, "");
}
