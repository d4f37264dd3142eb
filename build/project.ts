// A filter project's settings: its tsconfig.json, which extends preset/tsconfig.json (the one place
// the compiler settings are written), or the preset alone for filters outside any project
// (`run file.ts`, the testing library).
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import tstl from "typescript-to-lua";
import { diagnostics } from "./diagnostics";
import { PROJECT_ROOT } from "./project-root";

export const PRESET = path.join(PROJECT_ROOT, "preset", "tsconfig.json");
export const SDK_DIR = path.join(PROJECT_ROOT, "sdk");

export interface FilterProject {
  /** The tsconfig.json read (absolute), or undefined for the preset alone. */
  configFile?: string;
  options: tstl.CompilerOptions;
  /** The project's filters (its .ts files), absolute. */
  filters: string[];
  /** Declaration files every filter is compiled against (the SDK's, and the project's own). */
  declarations: string[];
  /** Problems reading the tsconfig.json. */
  errors: ts.Diagnostic[];
}

/** Reads `configFile` (a tsconfig.json), or the preset when undefined. */
export function loadProject(configFile?: string): FilterProject {
  const file = path.resolve(configFile ?? PRESET);
  if (!fs.existsSync(file)) {
    return { options: {}, filters: [], declarations: [], errors: [diagnostics.projectNotFound(file)] };
  }
  const parsed = tstl.parseConfigFileWithSystem(file);
  const options: tstl.CompilerOptions = { ...parsed.options };
  // The build is this plugin: it is not loaded a second time from luaPlugins.
  options.luaPlugins = options.luaPlugins?.filter((p) => !("name" in p && /nauthilus-filters-sdk|tstl-plugin\.cjs$/.test(p.name)));
  const alone = configFile === undefined;
  // Outside a project, the emit paths and the header are relative to the filters' own folder.
  if (alone) delete options.configFilePath;
  // The preset's type packages are found beside this package, wherever npm put them.
  options.typeRoots = [...(options.typeRoots ?? [path.join(path.dirname(file), "node_modules", "@types")]), typeRoot()];
  if (!alone && options.luaTarget !== tstl.LuaTarget.Lua51) {
    return { configFile: file, options, filters: [], declarations: [], errors: [diagnostics.notFilterProject(file)] };
  }
  const names = parsed.fileNames.map((f) => path.resolve(f));
  return {
    configFile: alone ? undefined : file,
    options,
    filters: alone ? [] : names.filter((f) => isFilterSource(f)),
    declarations: names.filter((f) => f.endsWith(".d.ts")),
    errors: parsed.errors,
  };
}

export function isFilterSource(file: string): boolean {
  return file.endsWith(".ts") && !file.endsWith(".d.ts");
}

/** The node_modules folder that holds lua-types (nested in this package, or hoisted above it). */
function typeRoot(): string {
  for (let dir = PROJECT_ROOT; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules");
    if (fs.existsSync(path.join(candidate, "lua-types"))) return candidate;
    if (path.basename(dir) === "node_modules" && fs.existsSync(path.join(dir, "lua-types"))) return dir;
    if (path.dirname(dir) === dir) return path.join(PROJECT_ROOT, "node_modules");
  }
}

/**
 * The filter project a .ts file belongs to: the nearest tsconfig.json above it that uses the
 * preset (Lua 5.1 target), or undefined for a file outside any filter project.
 */
export function findProject(file: string): string | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "tsconfig.json");
    if (fs.existsSync(candidate)) {
      const parsed = tstl.parseConfigFileWithSystem(candidate);
      if (parsed.errors.length === 0 && parsed.options.luaTarget === tstl.LuaTarget.Lua51) return candidate;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
