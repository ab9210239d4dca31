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

export async function fixtureRequests(): Promise<LoggedRequest[]> {
  return (await fetch(`${origin}/__fixture/requests`)).json();
}

export async function resetFixture(): Promise<void> {
  await (await fetch(`${origin}/__fixture/reset`, { method: "POST" })).arrayBuffer();
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
