// Runs a TypeScript benchmark: bundles it with esbuild into dist/bench/ (Node 20 cannot run
// TypeScript) and starts it. Usage: node bench/run.mjs bench/<name>.ts [args...]
import { spawnSync } from "node:child_process";
import path from "node:path";
import { build } from "esbuild";

const [entry, ...args] = process.argv.slice(2);
const outfile = path.join("dist", "bench", `${path.basename(entry, ".ts")}.cjs`);
await build({
  entryPoints: [entry], outfile, bundle: true, platform: "node", format: "cjs", target: "node20", packages: "external",
  logLevel: "warning", define: { "import.meta.url": "__import_meta_url" },
  banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
});
const r = spawnSync(process.execPath, [outfile, ...args], { stdio: "inherit" });
process.exitCode = r.status ?? 1;
