/**
 * The source kinds the pipeline reads, by the `kind` of a source definition. Adding a kind is
 * one module in this folder and one line here (docs/adding-a-kind.md).
 */
import type { Source } from "../../model/source";
import { feedKind } from "./feed";
import { htmlKind } from "./html";
import type { SourceKind } from "./kind";

const kinds: { [K in Source["kind"]]: SourceKind<Extract<Source, { kind: K }>, { url: string }> } = {
  html: htmlKind,
  feed: feedKind,
};

/** The kind module that reads this source. */
export function kindOf<S extends Source>(source: S): SourceKind<S, { url: string }> {
  return kinds[source.kind] as unknown as SourceKind<S, { url: string }>;
}
