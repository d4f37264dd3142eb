// Filters as the runtime runs them, from files: a .lua (with the .lua.map beside it, if any) or a
// .ts compiled on demand with its project's settings. Compiled filters are cached by content, in
// memory and under node_modules/.cache, so that a test run compiles each filter once.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT, sdkPackage } from "../build/project-root";
import { parseSourceMap } from "./vm/source-map";
import type { FilterScript } from "./types";

/** A .ts filter that does not build: the message lists the diagnostics at their TypeScript lines. */
export class FilterBuildError extends Error {
  constructor(
    readonly file: string,
    readonly diagnostics: string[],
  ) {
    super(`${file} does not build:\n${diagnostics.join("\n")}`);
    this.name = "FilterBuildError";
  }
}

export interface Compiled {
  /** The .lua path relative to cwd: the chunk name, as production's script_path would be. */
  name: string;
  lua: string;
  sourceMap?: string;
  /** Where the map would be written (its sources are relative to it). */
  mapFile: string;
}

export class FilterLoader {
  private readonly memory = new Map<string, Compiled>();
  private readonly compilers = new Map<string, import("../build/build-filters").FilterCompiler>();

  constructor(private readonly cwd = process.cwd()) {}

  /** Throws FilterBuildError for a .ts that does not build, and Error for a missing file. */
  async load(file: string): Promise<FilterScript> {
    const absolute = path.resolve(this.cwd, file);
    if (!fs.existsSync(absolute)) throw new Error(`filter not found: ${file}`);
    if (!absolute.endsWith(".ts")) {
      const mapFile = `${absolute}.map`;
      const map = fs.existsSync(mapFile) ? parseSourceMap(fs.readFileSync(mapFile, "utf8"), mapFile, this.cwd) : undefined;
      return { name: file, source: fs.readFileSync(absolute, "utf8"), ...(map ? { sourceMap: map } : {}) };
    }
    const compiled = await this.compile(absolute);
    const map = compiled.sourceMap === undefined ? undefined : parseSourceMap(compiled.sourceMap, path.resolve(this.cwd, compiled.mapFile), this.cwd);
    return { name: compiled.name, source: compiled.lua, ...(map ? { sourceMap: map } : {}) };
  }

  private async compile(file: string): Promise<Compiled> {
    const { findProject } = await import("../build/project");
    const project = findProject(file);
    const key = cacheKey(file, project);
    const hit = this.memory.get(key) ?? readCache(this.cwd, key);
    if (hit) {
      this.memory.set(key, hit);
      return hit;
    }
    const { FilterCompiler } = await import("../build/build-filters");
    const { formatDiagnostic } = await import("../build/diagnostics");
    const projectKey = project ?? "";
    let compiler = this.compilers.get(projectKey);
    if (!compiler) {
      const outDir = project === undefined ? path.join(this.cwd, "dist", "filters") : undefined;
      compiler = new FilterCompiler({ cwd: this.cwd, project, outDir });
      this.compilers.set(projectKey, compiler);
    }
    const result = compiler.compile([file]);
    const [filter] = result.filters;
    if (filter.lua === undefined) {
      throw new FilterBuildError(path.relative(this.cwd, file), [...result.diagnostics, ...filter.diagnostics].map((d) => formatDiagnostic(d, this.cwd)));
    }
    const relative = (p: string) => path.relative(this.cwd, p).split(path.sep).join("/");
    const compiled: Compiled = { name: relative(filter.output), lua: filter.lua, sourceMap: filter.sourceMap, mapFile: relative(`${filter.output}.map`) };
    this.memory.set(key, compiled);
    writeCache(this.cwd, key, compiled);
    return compiled;
  }
}

/** The filter's text, its project's settings and the SDK's identity decide the Lua. */
function cacheKey(file: string, project: string | undefined): string {
  const hash = crypto.createHash("sha256");
  hash.update(`${sdkPackage.version}\0${file}\0`);
  hash.update(fs.readFileSync(file));
  for (const settings of [project, path.join(PROJECT_ROOT, "preset", "tsconfig.json")]) {
    if (settings !== undefined) hash.update(`\0${settings}\0`).update(fs.readFileSync(settings));
  }
  // While the SDK itself is being changed (this repository), its declarations and build count too.
  for (const part of [path.join(PROJECT_ROOT, "sdk", "index.d.ts"), COMPILER_BUNDLE]) {
    if (fs.existsSync(part)) hash.update(`\0${fs.statSync(part).mtimeMs}`);
  }
  return hash.digest("hex").slice(0, 32);
}

/** The bundled compiler every tool of the package shares (the CLI, the tests, the dev loop). */
const COMPILER_BUNDLE = path.join(PROJECT_ROOT, "dist", "tools", "tstl-plugin.cjs");
/** Run from TypeScript sources (this repository's own tests), the compiler may change between
 * runs without any bundle changing: nothing is cached on disk then. */
const DISK_CACHE = !fileURLToPath(import.meta.url).endsWith(".ts");

/** Stores what a build compiled, so that tests that run the filter next find it compiled. */
export function rememberCompiled(cwd: string, file: string, project: string | undefined, compiled: Compiled): void {
  writeCache(cwd, cacheKey(file, project), compiled);
}

function cacheDir(cwd: string): string {
  const modules = path.join(cwd, "node_modules");
  return fs.existsSync(modules) ? path.join(modules, ".cache", "nauthilus-filters") : path.join(os.tmpdir(), "nauthilus-filters-cache");
}

function readCache(cwd: string, key: string): Compiled | undefined {
  if (!DISK_CACHE) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(cacheDir(cwd), `${key}.json`), "utf8")) as Compiled;
  } catch {
    return undefined;
  }
}

function writeCache(cwd: string, key: string, compiled: Compiled): void {
  if (!DISK_CACHE) return;
  try {
    const dir = cacheDir(cwd);
    fs.mkdirSync(dir, { recursive: true });
    const temp = path.join(dir, `${key}.${process.pid}.tmp`);
    fs.writeFileSync(temp, JSON.stringify(compiled));
    fs.renameSync(temp, path.join(dir, `${key}.json`));
  } catch {
    // A cache that cannot be written only costs a compile next time.
  }
}
