// Bundles the TypeScript command-line tools into dist/tools/ with esbuild, so they run on plain
// Node 20 (no TypeScript loader). Dependencies stay external: TypeScriptToLua finds its lualib
// relative to its own install folder and cannot be bundled.
import { build } from "esbuild";

await build({
  entryPoints: { "build-filters": "build/cli.ts" },
  outdir: "dist/tools",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
