// The only place the filter compiler settings live. filters-ts/tsconfig.json mirrors them for
// editors; test/build/tstl-options.test.ts keeps the two in step.
import path from "node:path";
import ts from "typescript";
import tstl from "typescript-to-lua";
import { PROJECT_ROOT } from "./project-root";

/** The repository root: where sdk/ and node_modules/ live. */
export const SDK_ROOT = PROJECT_ROOT;

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
    // Nauthilus modules come from the host (dynamic_loader), never from files: `require("nauthilus_x")`
    // must not make TypeScriptToLua look for nauthilus_x.lua.
    noResolvePaths: ["nauthilus_*"],
    sourceMapTraceback: false,
  };
}
