// The modules bench/run.mjs substitutes when it bundles bench/worker.ts: the real module when
// the file exists, else a stub with no exports. Typed loosely on purpose: the bench checks at run
// time whether the export it needs is there.
declare module "bench:feed-parser" {
  export const parseFeedDocument: unknown;
}
declare module "bench:tagger" {
  export const tagStory: unknown;
}
