import type { TestProject } from "vitest/node";
import { fixtureSites } from "./fixture-origin.ts";

export default async function setup(project: TestProject) {
  const sites = await fixtureSites();
  project.provide("fixtureOrigins", sites.origins);
  return async () => {
    await sites.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    fixtureOrigins: Record<string, string>;
  }
}
