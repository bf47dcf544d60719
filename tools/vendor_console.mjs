// Copy the browser builds the console serves from node_modules into the package (committed,
// so `make install` needs no npm): `npm ci && npm run vendor` after changing package.json.
import { copyFileSync, mkdirSync } from "node:fs";

const files = {
  "api/console/vendor": [
    ["cytoscape/dist/cytoscape.esm.min.mjs", "cytoscape.esm.min.js"],
    "chart.js/dist/chart.umd.min.js",
    "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui.css",
    "redoc/bundles/redoc.standalone.js",
  ],
  "tests/assets": ["axe-core/axe.min.js"],
};
for (const [dir, list] of Object.entries(files)) {
  mkdirSync(dir, { recursive: true });
  for (const entry of list) {
    const [from, name] = Array.isArray(entry) ? entry : [entry, entry.split("/").pop()];
    copyFileSync(`node_modules/${from}`, `${dir}/${name}`);
  }
}
