/**
 * One error shape for every error answer: { "error": { "code", "message", "details" } }.
 * `details` lists the valid values where that helps the caller fix the request.
 */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 413 | 414 | 500 | 503,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): Response {
  return new Response(JSON.stringify({ error: { code, message, details } }), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "access-control-allow-origin": "*",
      "cache-control": "no-store",
    },
  });
}

/** A value quoted back in an error message, cut so a huge or hostile input cannot bloat it. */
export function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
