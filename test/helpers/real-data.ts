/**
 * Real third-party pages and feeds live in `../shared/data/real`, beside this repository's CI,
 * and are not part of the repository. A glob (unlike a plain import) does not fail when the
 * folder is absent, so a clone on its own still loads every test file: the tests that need
 * these files skip, with the reason below in their names, and the closing line counts them.
 */
const files = import.meta.glob<string>(
  [
    "../../../shared/data/real/meduza/meduza-rss.xml",
    "../../../shared/data/real/articles/lt_LRT.json",
    "../../../shared/data/real/articles/lt_LRT_2024_03_31.html",
    "../../../shared/data/real/articles/us_VoiceOfAmerica.json",
    "../../../shared/data/real/articles/us_VoiceOfAmerica_2024_04_28.html",
  ],
  { query: "?raw", import: "default", eager: true },
);

const PREFIX = "../../../shared/data/real/";

/** Why real-data tests are skipped, or null when the files are here. */
export const REAL_DATA_MISSING: string | null = Object.keys(files).length
  ? null
  : "skipped: ../shared/data/real is not beside this clone";

/** A real file's text by its path under shared/data/real, or "" when the folder is absent. */
export function realFile(path: string): string {
  const text = files[PREFIX + path];
  if (text === undefined && !REAL_DATA_MISSING) throw new Error(`no real data file ${path}`);
  return text ?? "";
}

/** A describe title that says the block was skipped and why, when it was. */
export const realTitle = (title: string) => (REAL_DATA_MISSING ? `${title} (${REAL_DATA_MISSING})` : title);
