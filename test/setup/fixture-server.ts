import type { TestProject } from "vitest/node";
import { OWN_SITES, testServers } from "./fixture-origin.ts";

export default async function setup(project: TestProject) {
  const servers = await testServers();
  project.provide("fixtureOrigins", servers.sites.origins);
  project.provide("hubOrigin", servers.hub.origin);
  project.provide("farmOrigins", servers.farm.origins);
  project.provide("faultFarmOrigins", servers.faultFarm.origins);
  project.provide("soakFarmOrigins", servers.soakFarm.origins);
  project.provide(
    "ownSites",
    Object.fromEntries(OWN_SITES.map(([file, site], i) => [file, servers.ownSites[i]!.origins[site]!])),
  );
  return async () => {
    await servers.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    fixtureOrigins: Record<string, string>;
    hubOrigin: string;
    farmOrigins: string[];
    faultFarmOrigins: string[];
    soakFarmOrigins: string[];
    /** test file name → the origin of its own copy of a site (OWN_SITES) */
    ownSites: Record<string, string>;
  }
}
