import { ConfigError } from "../env";
import { lazyArray } from "../model/lazy";
import { Source } from "../model/source";
import civilGe from "./shipped/civil-ge.json";
import diplomatCentralAsia from "./shipped/diplomat-central-asia.json";
import eurasianet from "./shipped/eurasianet.json";
import eurasianetRss from "./shipped/eurasianet-rss.json";
import jamnews from "./shipped/jamnews.json";
import meduzaEn from "./shipped/meduza-en.json";
import ocMedia from "./shipped/oc-media.json";
import rferl from "./shipped/rferl.json";

/**
 * The source definitions shipped with a deployment: one JSON file per source in
 * src/sources/shipped/, each valid against schemas/source.schema.json. They seed the source
 * registry in D1 (src/ingest/registry.ts); the registry, not this list, is what runs read.
 */
export const shippedFiles: Record<string, unknown> = {
  "eurasianet.json": eurasianet,
  "eurasianet-rss.json": eurasianetRss,
  "oc-media.json": ocMedia,
  "civil-ge.json": civilGe,
  "jamnews.json": jamnews,
  "rferl.json": rferl,
  "meduza-en.json": meduzaEn,
  "diplomat-central-asia.json": diplomatCentralAsia,
};

/**
 * The shipped definitions, checked by the zod model on first use (a broken file stops the
 * deploy's tests). Not at module load, which every cold start pays; see model/lazy.ts.
 */
export const shippedSources: Source[] = lazyArray(() =>
  Object.entries(shippedFiles).map(([file, json]) => {
    const parsed = Source.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`src/sources/shipped/${file}: ${issue?.path.join(".")}: ${issue?.message}`);
    }
    return parsed.data;
  }),
);

/** One shipped definition by id and kind (tests and fixtures name them). */
export function shippedSource<K extends Source["kind"]>(id: string, kind: K): Extract<Source, { kind: K }> {
  const source = shippedSources.find((s) => s.id === id);
  if (!source || source.kind !== kind) throw new Error(`no shipped ${kind} source "${id}"`);
  return source as Extract<Source, { kind: K }>;
}
