// What the Node side of the bench needs from the project's own code, bundled by run.mjs with
// esbuild so the bench uses the same SQL and the same source definition as the Worker.

import { shippedSource } from "../src/sources";

export const eurasianet = shippedSource("eurasianet", "html");
export { countrySlugs, regionOf, topicSlugs, topicWithParents } from "../src/sources/taxonomy";
export { buildItemQuery } from "../src/store/query";
