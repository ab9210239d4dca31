import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ConfigError, type Env, readConfig } from "../../src/env";
import { lazy, lazyArray, unwrapLazy } from "../../src/model/lazy";

describe("values built on first use", () => {
  it("builds once, on the first read, and then behaves as the value", () => {
    let builds = 0;
    const value = lazy(() => {
      builds += 1;
      return {
        name: "caravan",
        nested: { n: 1 },
        greet(this: { name: string }) {
          return `hi ${this.name}`;
        },
      };
    });
    expect(builds).toBe(0);
    expect(value.name).toBe("caravan");
    expect(value.greet()).toBe("hi caravan");
    expect(Object.keys(value)).toEqual(["name", "nested", "greet"]);
    expect(JSON.parse(JSON.stringify(value))).toEqual({ name: "caravan", nested: { n: 1 } });
    expect({ ...value }.nested).toBe(value.nested);
    expect("nested" in value).toBe(true);
    expect(builds).toBe(1);
  });

  it("keeps arrays arrays and Maps working", () => {
    const list = lazyArray(() => [3, 1, 2]);
    expect(Array.isArray(list)).toBe(true);
    expect([...list].sort()).toEqual([1, 2, 3]);
    expect(list.map((n) => n * 2)).toEqual([6, 2, 4]);
    expect(list.length).toBe(3);
    expect(list.includes(2)).toBe(true);
    const map = lazy(() => new Map([["a", 1]]));
    expect(map.get("a")).toBe(1);
    expect(map.size).toBe(1);
    const built = unwrapLazy(map);
    expect(built).toBeInstanceOf(Map);
    expect(unwrapLazy(built)).toBe(built);
  });

  it("throws the builder's error at first use, and again at the next", () => {
    const broken = lazy<{ x: number }>(() => {
      throw new ConfigError("src/sources/x.json: id: too short");
    });
    expect(() => broken.x).toThrow(ConfigError);
    expect(() => broken.x).toThrow("src/sources/x.json: id: too short");
  });

  it("a bad Worker var is still a clear ConfigError, at the first readConfig", () => {
    const bad = { ...env, FEED_TTL_MINUTES: "0", CONTACT_URL: "not a url" } as Env;
    expect(() => readConfig(bad)).toThrow(ConfigError);
    expect(() => readConfig(bad)).toThrow(/invalid Worker vars: .*CONTACT_URL.*FEED_TTL_MINUTES/);
    expect(readConfig({ ...env, FEED_TTL_MINUTES: "30" } as Env).FEED_TTL_MINUTES).toBe(30);
  });
});
