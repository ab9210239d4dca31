// Where the bench lives and writes: everything it builds or stores goes under bench/.tmp
// (git-ignored), removed and re-created by each run.
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const BENCH = `${ROOT}/bench`;
export const TMP = `${BENCH}/.tmp`;
