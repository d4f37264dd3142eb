// The only place the filter compiler settings live. filters-ts/tsconfig.json mirrors them for
// editors; test/build/tstl-options.test.ts keeps the two in step.
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import tstl from "typescript-to-lua";

/** The repository root: where sdk/ and node_modules/ live (also when bundled into dist/tools/). */
export const SDK_ROOT = findSdkRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Declaration files every filter is compiled against. */
export const SDK_FILES = [path.join(SDK_ROOT, "sdk", "index.d.ts")];

export function filterCompilerOptions(): tstl.CompilerOptions {
  return {
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // No DOM, no Node: what a filter may use is the ES library (whose host-less parts the build
    // rejects), the Lua 5.1 standard library and the SDK.
    lib: ["lib.esnext.d.ts"],
    types: ["lua-types/5.1", "@typescript-to-lua/language-extensions"],
    typeRoots: [path.join(SDK_ROOT, "node_modules")],
    strict: true,
    noEmit: false,
    skipLibCheck: true,
    // Production loads one script_path per filter: everything the file needs must be inside it.
    luaTarget: tstl.LuaTarget.Lua51,
    luaLibImport: tstl.LuaLibImportKind.Inline,
    // Nauthilus calls nauthilus_call_filter(request): a hidden self parameter would swallow request.
    noImplicitSelf: true,
    // Our own header (source file, SDK version) replaces TypeScriptToLua's.
    noHeader: true,
    sourceMapTraceback: false,
  };
}

function findSdkRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (ts.sys.fileExists(path.join(dir, "sdk", "index.d.ts"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find sdk/index.d.ts above ${start}`);
    dir = parent;
  }
}
