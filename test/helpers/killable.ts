/**
 * A Worker that dies mid-run, as isolate eviction, a deploy or a CPU limit kill one: from the
 * moment of death the run's store calls never answer, so nothing it does afterwards reaches D1
 * and its promise never settles. The run is given an env whose DB is this gate around the real
 * one; what it committed before dying stays committed.
 */
const NEVER = new Promise<never>(() => {});

export interface Killable<E> {
  env: E;
  /** Kills the run now: every store call from here on hangs forever. */
  kill(): void;
  /** Resolves when the run has died (by kill(), or by reaching `dieAfterCalls`). */
  dead: Promise<void>;
  /** Store calls that completed before death. */
  readonly calls: number;
}

/**
 * `dieAfterCalls`: the run dies on its own right after this many store calls completed (the last
 * one committed, its answer lost), for a death at a chosen point.
 */
export function killable<E extends { DB: D1Database }>(env: E, dieAfterCalls = Number.POSITIVE_INFINITY): Killable<E> {
  let killed = false;
  let calls = 0;
  let announce: () => void = () => {};
  const dead = new Promise<void>((resolve) => {
    announce = resolve;
  });
  const kill = () => {
    killed = true;
    announce();
  };
  const real = new WeakMap<object, D1PreparedStatement>();

  async function gate<T>(call: () => Promise<T>): Promise<T> {
    if (killed) return NEVER;
    const result = await call();
    calls++;
    if (calls >= dieAfterCalls) kill();
    if (killed) return NEVER;
    return result;
  }

  function wrapStatement(stmt: D1PreparedStatement): D1PreparedStatement {
    const wrapped = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...values: unknown[]) => wrapStatement(target.bind(...values));
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return (...args: unknown[]) =>
            gate(() => (target[prop] as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    real.set(wrapped, stmt);
    return wrapped;
  }

  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrapStatement(target.prepare(sql));
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => gate(() => target.batch(statements.map((s) => real.get(s) ?? s)));
      }
      if (prop === "exec") return (sql: string) => gate(() => target.exec(sql));
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });

  return {
    env: { ...env, DB: db },
    kill,
    dead,
    get calls() {
      return calls;
    },
  };
}
