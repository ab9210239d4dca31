/**
 * Admin authentication: `Authorization: Bearer <ADMIN_TOKEN>`, ADMIN_TOKEN being a Worker secret.
 *
 * - The token is compared in constant time: both sides are hashed with SHA-256 (so the lengths
 *   are equal whatever was sent) and the digests compared with crypto.subtle.timingSafeEqual.
 * - Without a valid token the answer is 401 and nothing else: no data, no side effect.
 * - Without ADMIN_TOKEN configured (or one shorter than MIN_TOKEN_LENGTH) every admin route
 *   answers 401 saying so; the admin API is off rather than open.
 * - The token is never logged nor echoed.
 */

import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";

export const MIN_TOKEN_LENGTH = 16;

export async function tokenMatches(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined | null): string | null {
  const m = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  return m ? m[1]! : null;
}

function unauthorized(message: string): Response {
  const response = errorResponse(401, "unauthorized", message);
  response.headers.set("www-authenticate", 'Bearer realm="caravan-admin"');
  return response;
}

/** Lets a request through only with the admin token; every answer it lets out is `no-store`. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN ?? "";
  if (expected.length < MIN_TOKEN_LENGTH) {
    return unauthorized(
      `the admin API is off: ADMIN_TOKEN is not set (or shorter than ${MIN_TOKEN_LENGTH} characters); set it with \`wrangler secret put ADMIN_TOKEN\``,
    );
  }
  const given = bearerToken(c.req.header("authorization"));
  if (given === null || !(await tokenMatches(given, expected))) {
    return unauthorized("a valid admin token is required: Authorization: Bearer <ADMIN_TOKEN>");
  }
  await next();
  c.res.headers.set("cache-control", "no-store");
  c.res.headers.set("x-content-type-options", "nosniff");
};
