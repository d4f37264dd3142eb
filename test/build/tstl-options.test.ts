// filters-ts/tsconfig.json (what editors use) must say what build/tstl-options.ts (what the build
// uses) says, or authors see different errors in the editor than in the build.
import path from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { filterCompilerOptions } from "../../build/tstl-options";

it("filters-ts/tsconfig.json mirrors the build's compiler settings", () => {
  const file = path.resolve(__dirname, "../../filters-ts/tsconfig.json");
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  expect(error).toBeUndefined();
  const editor = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(file)).options;
  const build = filterCompilerOptions();
  for (const key of ["target", "module", "moduleResolution", "strict", "types"] as const) {
    expect(editor[key], key).toEqual(build[key]);
  }
  expect(editor.lib).toEqual(build.lib);
  expect(config.tstl).toEqual({
    luaTarget: build.luaTarget,
    luaLibImport: build.luaLibImport,
    noImplicitSelf: build.noImplicitSelf,
    noHeader: build.noHeader,
    noResolvePaths: build.noResolvePaths,
  });
});
