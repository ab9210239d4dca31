/**
 * A module-level value made the first time it is asked for, then kept.
 *
 * Every new isolate runs the top level of every module before its first answer. Some values are
 * dear to make and needed by few requests: a regular expression with Unicode property escapes
 * (\p{L}) loads the engine's Unicode tables when it is created, not when it first runs, so one at
 * module level costs every cold start even though only ingest or a search uses it. `once(() => …)`
 * moves that cost to the first caller. (For schemas and data that keep their plain names, see
 * lazy() in model/lazy.ts.)
 */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
