/**
 * Drift: a listing that answered 200 but does not look like one (a near-empty body, a selector
 * that matches nothing). A drift that makes the read useless is thrown as a DriftError and
 * recorded as a failure with the warning kept on the listing; a milder one (zero items) is only
 * kept as a warning.
 */
import type { Drift, ReadShape } from "../store/listings";
import { FetchError } from "./fetch/http";

/** A 200 answer with fewer bytes than this is not a listing page (a block or maintenance page). */
export const NEAR_EMPTY_BYTES = 512;

/** A drift that makes a read useless: recorded as a failure, with the warning kept on the listing. */
export class DriftError extends FetchError {
  constructor(
    readonly drift: Drift,
    url: string,
    status: number,
    readonly shape: ReadShape,
  ) {
    super(drift.message, url, status, null, drift.code === "near_empty_body" ? "empty_body" : "selector_miss");
  }
}

/** A drift warning when a 200 body is too small to be a real page, else null. */
export function nearEmpty(body: string, minBytes = NEAR_EMPTY_BYTES): Drift | null {
  const bytes = new TextEncoder().encode(body.trim()).byteLength;
  if (bytes >= minBytes) return null;
  return {
    code: "near_empty_body",
    message:
      bytes === 0
        ? "HTTP 200 with an empty body: the site may be down, blocking Caravan, or serving a maintenance page"
        : `HTTP 200 with a near-empty body (${bytes} bytes): the site may be down, blocking Caravan, or serving a maintenance page`,
  };
}
