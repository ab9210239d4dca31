import { describe, expect, it } from "vitest";
import type * as z from "zod";
import { Config, ConfigError, type Env, readConfig } from "../../src/env";

// readConfig checks the vars in plain code (a new isolate's first answer reads them); the zod
// model Config is the contract. For every var and a range of values, both must take or refuse
// the same ones and give the same values.
const VALUES = [
  undefined,
  "",
  "0",
  "1",
  "-1",
  "15",
  " 30 ",
  "1441",
  "1e3",
  "0x10",
  "1.5",
  "30s",
  "Infinity",
  "99999999999",
  "true",
  "false",
  "TRUE",
  "https://caravan.example.org",
  "http://127.0.0.1:8787/hub",
  "ftp://files.example.org",
  "mailto:ops@example.org",
  "caravan.example.org",
  "//caravan.example.org",
  "not a url",
];

// The zod model is an object schema (typed as its parsed Config in env.ts).
const NAMES = Object.keys((Config as unknown as z.ZodObject).shape) as (keyof Config)[];

function viaZod(env: Record<string, string | undefined>) {
  const input = Object.fromEntries(NAMES.map((n) => [n, env[n] || undefined]));
  return Config.safeParse(input);
}

function viaReader(env: Record<string, string | undefined>) {
  try {
    return { success: true as const, data: readConfig(env as unknown as Env) };
  } catch (err) {
    if (err instanceof ConfigError) return { success: false as const, message: err.message };
    throw err;
  }
}

describe("readConfig and the zod model of the vars", () => {
  it("covers every var", () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(12);
    expect(NAMES).toContain("FEED_TTL_MINUTES");
    expect(NAMES).toContain("PUBLIC_URL");
  });

  it("agree on every value of every var", () => {
    const disagreements: string[] = [];
    for (const name of NAMES) {
      for (const value of VALUES) {
        const env = { [name]: value };
        const zod = viaZod(env);
        const reader = viaReader(env);
        if (zod.success !== reader.success) {
          disagreements.push(`${name}=${JSON.stringify(value)}: zod ${zod.success}, reader ${reader.success}`);
        } else if (zod.success && reader.success && !Object.is(zod.data[name], reader.data[name])) {
          disagreements.push(`${name}=${JSON.stringify(value)}: zod ${zod.data[name]}, reader ${reader.data[name]}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("gives the defaults when nothing is set, and names each bad var with what is valid", () => {
    const defaults = viaReader({});
    expect(defaults).toMatchObject({ success: true, data: { FEED_TTL_MINUTES: 15, ALLOW_LOOPBACK_FETCH: false } });
    expect(defaults.success && defaults.data.PUBLIC_URL).toBeUndefined();
    const bad = viaReader({ FEED_TTL_MINUTES: "0", PUBLIC_URL: "ftp://x.example", ALLOW_LOOPBACK_FETCH: "yes" });
    expect(bad.success).toBe(false);
    expect(!bad.success && bad.message).toBe(
      'invalid Worker vars: FEED_TTL_MINUTES: expected 1 to 1440, got 0; PUBLIC_URL: expected an http or https URL, got "ftp://x.example"; ALLOW_LOOPBACK_FETCH: expected "true" or "false", got "yes"',
    );
  });
});
