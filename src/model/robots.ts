/** What robots.txt says to Caravan: kept per host in D1 (src/store/hosts.ts), read by src/ingest/fetch/robots.ts. */
export interface RobotsRules {
  allow: string[];
  disallow: string[];
  /** Seconds between requests the site asked for, or null. */
  crawlDelaySeconds: number | null;
}
