import type { Env } from "../env";

/** The Hono environment of every router and handler here: the Worker's bindings and vars. */
export type AppEnv = { Bindings: Env };
