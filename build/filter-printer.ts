// How a compiled filter is laid out: our header, the JavaScript-meaning helpers the file uses,
// TypeScriptToLua's inlined lualib (with its classes shared across the filters of a request, and
// Map and Set iterating as JavaScript's do: build/lualib-collections.ts; generators as JavaScript's
// on gopher-lua: build/lualib-generators.ts; objects' keys in JavaScript's order:
// build/lualib-objects.ts; arrays' lengths and slots as JavaScript's: build/lualib-arrays.ts),
// then the filter. Done while printing, so that the .lua.map TypeScriptToLua writes points at the
// lines as they end up in the file.
import path from "node:path";
import type ts from "typescript";
import tstl from "typescript-to-lua";
import { loadInlineLualibFeatures } from "typescript-to-lua/dist/LuaLib";
import { helperSource, isHelper } from "./js-helpers";
import { usedHelpers } from "./js-semantics";
import { patchLualibArrays } from "./lualib-arrays";
import { patchLualibCollections } from "./lualib-collections";
import { patchLualibGenerators } from "./lualib-generators";
import { patchLualibObjects } from "./lualib-objects";
import { shareLualibDefinitions } from "./lualib-sharing";
import { sdkPackage } from "./project-root";

export class FilterPrinter extends tstl.LuaPrinter {
  constructor(
    private readonly host: tstl.EmitHost,
    private readonly filterProgram: ts.Program,
    private readonly fileName: string,
  ) {
    super(host, filterProgram, fileName);
  }

  protected printFile(file: tstl.File) {
    const helpers = new Set<string>(usedHelpers.get(this.fileName) ?? []);
    let lualib: string | undefined;
    if (file.luaLibFeatures.size > 0) {
      const target = this.options.luaTarget ?? tstl.LuaTarget.Lua51;
      const patched = patchLualibArrays(patchLualibObjects(patchLualibCollections(loadInlineLualibFeatures(file.luaLibFeatures, target, this.host))));
      // The helpers the patched lualib calls.
      for (const [name] of patched.matchAll(/\b__NF_\w+/g)) if (isHelper(name)) helpers.add(name);
      lualib = shareLualibDefinitions(patchLualibGenerators(patched), sdkPackage.version);
      // The Error class for __NF_caught (js-semantics.ts convertCaught) under a name no binding of
      // the filter shadows.
      if (file.luaLibFeatures.has(tstl.LuaLibFeature.Error)) lualib += "local __NF_Error = Error\n";
    }
    const chunks: Parameters<FilterPrinter["concatNodes"]> = [header(this.fileName, this.filterProgram), helperSource(helpers), file.trivia];
    if (lualib !== undefined) chunks.push("-- Lua Library inline imports\n", lualib, "-- End of Lua Library inline imports\n");
    chunks.push(...this.printStatementArray(file.statements));
    return this.concatNodes(...chunks);
  }
}

/** The first lines of every compiled filter; the path is relative to the project's folder. */
function header(fileName: string, program: ts.Program): string {
  const source = path.relative(tstl.getProjectRoot(program), fileName).split(path.sep).join("/");
  return (
    `-- Generated from ${source} by ${sdkPackage.name} ${sdkPackage.version} ` +
    `for Nauthilus v${sdkPackage.nauthilusVersion} (gopher-lua, Lua 5.1).\n` +
    `-- Do not edit: change the TypeScript source and run \`npx nauthilus-filters build\`.\n`
  );
}
