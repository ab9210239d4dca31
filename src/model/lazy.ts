/**
 * A module-level value built on first use instead of at module load.
 *
 * Every new isolate runs every module's top-level code before it can answer its first request,
 * and the Worker is one bundle: a zod schema constructed, configured data checked or a matcher
 * compiled at the top of a module is paid by every cold start, whether or not that request needs
 * it (a feed poll never tags a story). Wrapping the expression, `export const x = lazy(() => …)`,
 * keeps the name, the type and every use as they were; the first property read builds the value
 * (and throws its error, such as a ConfigError, there), later reads go to the built value.
 *
 * The value stands behind a Proxy, so it must be an object; arrays use lazyArray so that
 * Array.isArray and spreading see an array. A function read from the value is bound to it
 * (Map, Set and class instances need their own `this`).
 */
export function lazy<T extends object>(build: () => T): T {
  return lazyBehind({} as T, build);
}

/** The built value behind a lazy() stand-in (anything else is returned as it is). */
export function unwrapLazy<T>(value: T): T {
  const real = (value as { [REAL]?: T } | null)?.[REAL];
  return real ?? value;
}

/**
 * Where identity matters, use the built value: zod's JSON Schema generation keys what it has
 * seen by object, so it must be given the schema itself, not its stand-in.
 */
const REAL = Symbol("lazy.real");

export function lazyArray<T>(build: () => T[]): T[] {
  return lazyBehind([] as T[], build);
}

function lazyBehind<T extends object>(target: T, build: () => T): T {
  let value: T | undefined;
  const real = (): T => {
    value ??= build();
    return value;
  };
  return new Proxy(target, {
    get(_, key) {
      if (key === REAL) return real();
      const v = Reflect.get(real(), key);
      return typeof v === "function" && key !== "constructor" ? v.bind(real()) : v;
    },
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor(t, key) {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      // The stand-in target lacks the value's own properties: report them as configurable, as
      // the Proxy rules require of a property the target does not have.
      if (d && !Reflect.getOwnPropertyDescriptor(t, key)) d.configurable = true;
      return d;
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    set: (_, key, v) => Reflect.set(real(), key, v),
    defineProperty: (_, key, d) => Reflect.defineProperty(real(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
  });
}
