// Where the repository's files are (sdk/, runtime/vm/lua/, node_modules/), found from this module's
// own location so it works from the sources and from the bundles in dist/tools/ alike.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "sdk", "index.d.ts"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the project root (sdk/index.d.ts) above ${start}`);
  }
}

/** This package's name, version and the Nauthilus version it targets. */
export const sdkPackage = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  nauthilusVersion: string;
};
