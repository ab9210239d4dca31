import { type Schema, Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import itemSchema from "../../schemas/item.schema.json";
import sourceSchema from "../../schemas/source.schema.json";
import { openApiDocument, schemaFiles } from "../../src/http/openapi";
import { Item } from "../../src/model/item";
import { shippedFiles, shippedSources as sources } from "../../src/sources";
import { sampleItems } from "../helpers/sample-document";

// The checked-in files, as text: a difference in content or formatting is drift.
const checkedIn = import.meta.glob("../../schemas/*.json", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;
const byName = Object.fromEntries(
  Object.entries(checkedIn).map(([path, text]) => [path.slice(path.lastIndexOf("/") + 1), text]),
);

const FIX = "run `npm run schemas` and commit schemas/";

describe("schemas/ matches the zod models", () => {
  const generated = schemaFiles();

  it("holds exactly the files the models generate", () => {
    expect(Object.keys(byName).sort(), `schemas/ has missing or stale files: ${FIX}`).toEqual(
      Object.keys(generated).sort(),
    );
  });

  for (const [name, value] of Object.entries(generated)) {
    it(`${name} is up to date`, () => {
      const text = `${JSON.stringify(value, null, 2)}\n`;
      if (byName[name] !== text) {
        // Say which file and how to fix it before the (long) diff.
        expect.fail(`schemas/${name} differs from what src/model generates: ${FIX}`);
      }
    });
  }

  it("openapi.json is the document GET /openapi.json serves", () => {
    expect(JSON.parse(byName["openapi.json"] ?? "null")).toEqual(openApiDocument());
  });
});

describe("the published schemas say what the models say", () => {
  const validate = (schema: unknown, value: unknown) =>
    new Validator(schema as Schema, "2020-12", false).validate(value).valid;

  it("accepts items the Item model accepts and refuses what it refuses", () => {
    for (const item of sampleItems()) {
      expect(Item.safeParse(item).success).toBe(true);
      expect(validate(itemSchema, item)).toBe(true);
    }
    const base = sampleItems()[0]!;
    const broken: unknown[] = [
      { ...base, id: "XYZ" },
      { ...base, publishedAt: "2018-04-18 14:27" },
      { ...base, title: "" },
      { ...base, countries: ["Not A Slug"] },
      Object.fromEntries(Object.entries(base).filter(([k]) => k !== "url")),
    ];
    for (const value of broken) {
      expect(Item.safeParse(value).success).toBe(false);
      expect(validate(itemSchema, value)).toBe(false);
    }
    // zod strips unknown keys from what it outputs, so the output schema allows none.
    expect(Item.parse({ ...base, extra: 1 })).not.toHaveProperty("extra");
    expect(validate(itemSchema, { ...base, extra: 1 })).toBe(false);
  });

  it("accepts every configured source definition and refuses a broken one", () => {
    for (const source of sources) expect(validate(sourceSchema, source), source.id).toBe(true);
    // The shipped files as written (defaults left out, "$schema" for editors) are valid too.
    for (const [file, json] of Object.entries(shippedFiles)) expect(validate(sourceSchema, json), file).toBe(true);
    // Every file in src/sources/shipped/ is listed (a file left out would never seed the registry).
    const onDisk = Object.keys(import.meta.glob("../../src/sources/shipped/*.json")).map((p) => p.split("/").pop());
    expect(Object.keys(shippedFiles).sort()).toEqual(onDisk.sort());
    const { id: _dropped, ...withoutId } = sources[0]!;
    expect(validate(sourceSchema, withoutId)).toBe(false);
    expect(validate(sourceSchema, { ...sources[0]!, timeZone: 42 })).toBe(false);
    expect(validate(sourceSchema, { ...sources[0]!, kind: "carrier-pigeon" })).toBe(false);
  });

  it("every $ref in openapi.json resolves", () => {
    const doc = openApiDocument();
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (k === "$ref" && typeof x === "string") refs.add(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref.startsWith("#/"), ref).toBe(true);
      let node: unknown = doc;
      for (const part of ref.slice(2).split("/")) node = (node as Record<string, unknown> | undefined)?.[part];
      expect(node, ref).toBeTypeOf("object");
    }
  });
});
