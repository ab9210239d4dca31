import type { Context } from "hono";
import { clip, HttpError } from "./errors";

/** The query as single values; unknown or repeated keys are a 400. */
export function readParams(c: Context, known: string[]): Record<string, string | undefined> {
  const params = new URL(c.req.url).searchParams;
  const out: Record<string, string | undefined> = {};
  for (const key of new Set(params.keys())) {
    if (!known.includes(key)) {
      throw new HttpError(400, "unknown_parameter", `unknown query parameter "${clip(key)}"`, { valid: known });
    }
    const all = params.getAll(key);
    if (all.length > 1) throw new HttpError(400, `invalid_${key}`, `${key} may be given once`, {});
    out[key] = all[0];
  }
  return out;
}

export function intParam(name: string, raw: string, min: number, max: number): number {
  if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new HttpError(
      400,
      `invalid_${name}`,
      `${name} must be a whole number from ${min} to ${max}, got "${clip(raw)}"`,
      {
        allowed: `${min}..${max}`,
      },
    );
  }
  return Number(raw);
}

export function flag(name: string, raw: string): boolean {
  if (raw === "1" || raw === "true") return true;
  if (raw === "0" || raw === "false") return false;
  throw new HttpError(400, `invalid_${name}`, `${name} must be 1, 0, true or false, got "${clip(raw)}"`, {
    allowed: ["1", "0", "true", "false"],
  });
}
