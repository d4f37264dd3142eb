// Bundles the TypeScript command-line tools into dist/tools/ with esbuild, so they run on plain
// Node 20 (no TypeScript loader). Dependencies stay external: TypeScriptToLua finds its lualib
// relative to its own install folder and cannot be bundled.
// CommonJS output on purpose: importing the 9 MB typescript.js from an ES module makes Node scan
// it for named exports (~300 ms per start); require() does not.
import { build } from "esbuild";

await build({
  entryPoints: {
    "tstl-plugin": "build/plugin.ts",
    "editor-plugin": "build/editor-plugin.ts",
    testing: "runtime/testing.ts",
    runtime: "runtime/index.ts",
    "nauthilus-filters": "runtime/cli/cli.ts",
    "runtime-worker": "runtime/vm/worker.ts",
    demo: "runtime/cli/demo.ts",
  },
  outdir: "dist/tools",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
  define: { "import.meta.url": "__import_meta_url" },
  // The shebang makes dist/tools/nauthilus-filters.cjs the package's bin; Node ignores it elsewhere.
  banner: { js: '#!/usr/bin/env node\nconst __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
});
