import type { TestProject } from "vitest/node";
import { testServers } from "./fixture-origin.ts";

export default async function setup(project: TestProject) {
  const servers = await testServers();
  project.provide("fixtureOrigins", servers.sites.origins);
  project.provide("hubOrigin", servers.hub.origin);
  project.provide("farmOrigins", servers.farm.origins);
  return async () => {
    await servers.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    fixtureOrigins: Record<string, string>;
    hubOrigin: string;
    farmOrigins: string[];
  }
}
