import type { Hono } from "hono";
import type { AppEnv } from "./app-env";
import { errorResponse } from "./errors";

/** Every public route is read-only: these are the methods it answers. */
export const ALLOWED_METHODS = ["GET", "HEAD", "OPTIONS"] as const;
const ALLOW = ALLOWED_METHODS.join(", ");

/**
 * Response headers a script on another origin may read. Without this list a browser hides the
 * validators, so an app could not send If-None-Match back and every poll would cost a full body.
 */
export const CORS_EXPOSE_HEADERS = "ETag, Last-Modified, Link";

/**
 * Request headers a cross-origin script may send: the conditional-GET validators are not on the
 * Fetch standard's safelist, so a browser asks first (preflight) before sending them.
 */
export const CORS_ALLOW_HEADERS = "If-None-Match, If-Modified-Since, Cache-Control, Accept";

/** CORS headers of a readable answer (feeds, API): any origin, validators visible. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": CORS_EXPOSE_HEADERS,
};

/** The answer to OPTIONS, preflight or not: what may be asked, cached by the browser for a day. */
export function preflightResponse(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      allow: ALLOW,
      "access-control-allow-origin": "*",
      "access-control-allow-methods": ALLOW,
      "access-control-allow-headers": CORS_ALLOW_HEADERS,
      "access-control-max-age": "86400",
    },
  });
}

export function methodNotAllowed(method: string): Response {
  const r = errorResponse(405, "method_not_allowed", `${method} is not allowed here: this route is read-only`, {
    allowed: [...ALLOWED_METHODS],
  });
  r.headers.set("allow", ALLOW);
  return r;
}

/**
 * Gives read-only routes their other methods: OPTIONS answers a preflight, anything else is a
 * 405 with Allow. Register after the GET handlers of the same paths, which keep GET and HEAD.
 */
export function readOnlyRoutes(app: Hono<AppEnv>, paths: readonly string[]): void {
  for (const path of paths) {
    app.options(path, () => preflightResponse());
    app.all(path, (c) => methodNotAllowed(c.req.method));
  }
}
