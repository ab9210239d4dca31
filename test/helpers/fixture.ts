import { env } from "cloudflare:test";

/** The fixture Eurasianet origin the Worker under test polls (set in vitest.config.ts). */
export const origin = env.EURASIANET_BASE_URL as string;

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  userAgent: string | null;
}

/** `site`: another copy of the site (a test that must not share its faults with other files). */
export async function fixtureRequests(site = origin): Promise<LoggedRequest[]> {
  return (await fetch(`${site}/__fixture/requests`)).json();
}

export async function resetFixture(site = origin): Promise<void> {
  await (await fetch(`${site}/__fixture/reset`, { method: "POST" })).arrayBuffer();
}

export async function overridePage(path: string, body: string): Promise<void> {
  const r = await fetch(`${origin}/__fixture/override?path=${encodeURIComponent(path)}`, { method: "PUT", body });
  if (!r.ok) throw new Error(`override failed: ${r.status}`);
  await r.arrayBuffer();
}

export async function failPage(path: string, status: number): Promise<void> {
  const r = await fetch(`${origin}/__fixture/fault?path=${encodeURIComponent(path)}&status=${status}`, {
    method: "PUT",
  });
  if (!r.ok) throw new Error(`fault failed: ${r.status}`);
  await r.arrayBuffer();
}

export async function fixturePage(path: string): Promise<string> {
  return (await fetch(`${origin}${path}`)).text();
}

/** A fault on one path of the fixture site (status, retryAfter, delayMs, reset, truncate, …; README). */
export async function faultPage(path: string, params: Record<string, string | number>, site = origin): Promise<void> {
  const q = new URLSearchParams({
    path,
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  const r = await fetch(`${site}/__fixture/fault?${q}`, { method: "PUT" });
  if (!r.ok) throw new Error(`fault failed: ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}
