// TypeScript filters → one self-contained Lua 5.1 file each. The API never throws for a bad
// filter: every problem comes back as a diagnostic, and a filter with any error produces no Lua.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import ts from "typescript";
import tstl from "typescript-to-lua";
import { diagnostics, relativePath } from "./diagnostics";
import { checkFilter } from "./gopher-rules";
import { checkLua51 } from "./lua51-check";
import { helperSource } from "./js-helpers";
import { shareLualibDefinitions } from "./lualib-sharing";
import { usedHelpers } from "./js-semantics";
import { filterPlugin } from "./plugin";
import { filterCompilerOptions, SDK_FILES, SDK_ROOT } from "./tstl-options";

export const DEFAULT_FILTER_DIR = "filters-ts";
export const DEFAULT_OUT_DIR = path.join("dist", "filters");

const sdkPackage = JSON.parse(fs.readFileSync(path.join(SDK_ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  nauthilusVersion: string;
};

export interface CompiledFilter {
  /** The .ts file, absolute. */
  source: string;
  /** Where the Lua goes: `<outDir>/<basename>.lua`, absolute. */
  output: string;
  /** The complete Lua chunk, header included; undefined when the filter has errors. */
  lua?: string;
  diagnostics: ts.Diagnostic[];
  /** Time spent on this filter: its type check, rules, transform, print and 5.1 check. */
  ms: number;
}

export interface BuildResult {
  ok: boolean;
  filters: CompiledFilter[];
  /** Problems not tied to one filter (compiler options, missing files). */
  diagnostics: ts.Diagnostic[];
  ms: number;
}

export interface BuildOptions {
  /** .ts files to build; default: every filters-ts/*.ts under cwd. */
  files?: string[];
  /** Default: dist/filters under cwd. */
  outDir?: string;
  cwd?: string;
}

/** Builds and writes: good filters atomically, failed filters leave no .lua behind. */
export function buildFilters(options: BuildOptions = {}): BuildResult {
  const cwd = options.cwd ?? process.cwd();
  const outDir = path.resolve(cwd, options.outDir ?? DEFAULT_OUT_DIR);
  const files = options.files?.map((f) => path.resolve(cwd, f)) ?? listFilterSources(path.join(cwd, DEFAULT_FILTER_DIR));
  const result = new FilterCompiler({ cwd, outDir }).compile(files);
  writeOutputs(result.filters);
  return result;
}

export function listFilterSources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .sort()
    .map((name) => path.join(dir, name));
}

export function writeOutputs(filters: readonly CompiledFilter[]): void {
  for (const filter of filters) {
    if (filter.lua === undefined) {
      fs.rmSync(filter.output, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(filter.output), { recursive: true });
    const temp = `${filter.output}.${process.pid}.tmp`;
    fs.writeFileSync(temp, filter.lua);
    fs.renameSync(temp, filter.output);
  }
}

/**
 * Compiles filters in memory. Keeps parsed source files between calls (keyed by path and mtime)
 * so that watch mode re-checks only what changed.
 */
export class FilterCompiler {
  private readonly options = filterCompilerOptions();
  private readonly host: ts.CompilerHost;
  private readonly parsed = new Map<string, { mtime: number; file: ts.SourceFile }>();
  private readonly transpiler = new tstl.Transpiler();
  private program: ts.Program | undefined;

  constructor(private readonly where: { cwd: string; outDir: string }) {
    this.host = ts.createCompilerHost(this.options);
    const parse = this.host.getSourceFile.bind(this.host);
    this.host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const mtime = ts.sys.getModifiedTime?.(fileName)?.getTime() ?? -1;
      const hit = this.parsed.get(fileName);
      if (hit && hit.mtime === mtime) return hit.file;
      const file = parse(fileName, languageVersion, onError, shouldCreate);
      if (file) this.parsed.set(fileName, { mtime, file });
      return file;
    };
  }

  compile(files: readonly string[]): BuildResult {
    const started = performance.now();
    const global: ts.Diagnostic[] = [];
    const existing = files.filter((f) => {
      if (fs.existsSync(f)) return true;
      global.push(diagnostics.fileNotFound(relativePath(f, this.where.cwd)));
      return false;
    });
    const program = ts.createProgram({
      rootNames: [...SDK_FILES, ...existing],
      options: this.options,
      host: this.host,
      oldProgram: this.program,
    });
    this.program = program;
    global.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());

    const outputs = new Map<string, string>();
    const filters = existing.map((source) => {
      const output = path.join(this.where.outDir, `${path.basename(source, ".ts")}.lua`);
      const filter: CompiledFilter = { source, output, diagnostics: [], ms: 0 };
      const t0 = performance.now();
      const sourceFile = program.getSourceFile(source)!;
      const clash = outputs.get(output);
      if (clash) filter.diagnostics.push(diagnostics.duplicateOutput(sourceFile, relativePath(output, this.where.cwd), clash));
      outputs.set(output, relativePath(source, this.where.cwd));
      if (global.length === 0 && filter.diagnostics.length === 0) this.compileOne(program, sourceFile, filter);
      filter.ms = performance.now() - t0;
      return filter;
    });
    const ok = global.length === 0 && filters.every((f) => f.lua !== undefined);
    return { ok, filters, diagnostics: global, ms: performance.now() - started };
  }

  private compileOne(program: ts.Program, sourceFile: ts.SourceFile, filter: CompiledFilter): void {
    const typeErrors = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    filter.diagnostics.push(...typeErrors, ...checkFilter(program, sourceFile));
    if (hasErrors(filter.diagnostics)) return;

    let code: string | undefined;
    usedHelpers.delete(sourceFile.fileName);
    const emitted = this.transpiler.emit({
      program,
      sourceFiles: [sourceFile],
      plugins: [filterPlugin],
      writeFile: (fileName, data) => {
        if (fileName.endsWith(".lua")) code = data;
      },
    });
    filter.diagnostics.push(...emitted.diagnostics);
    if (hasErrors(filter.diagnostics) || code === undefined) return;

    // TypeScriptToLua warns about Lua truthiness; the build emits JavaScript truthiness instead.
    filter.diagnostics = filter.diagnostics.filter((d) => !flattenMessage(d).startsWith("Only false and nil evaluate to 'false' in Lua"));
    const helpers = helperSource(usedHelpers.get(sourceFile.fileName) ?? []);
    const lua = header(relativePath(filter.source, this.where.cwd)) + helpers + shareLualibDefinitions(code, sdkPackage.version);
    const luaPath = relativePath(filter.output, this.where.cwd);
    const rejected = checkLua51(lua, luaPath);
    if (rejected !== undefined) {
      filter.diagnostics.push(diagnostics.lua51Rejected(sourceFile, luaPath, rejected));
      return;
    }
    filter.lua = lua;
  }
}

function header(source: string): string {
  return (
    `-- Generated from ${source} by ${sdkPackage.name} ${sdkPackage.version} ` +
    `for Nauthilus v${sdkPackage.nauthilusVersion} (gopher-lua, Lua 5.1).\n` +
    `-- Do not edit: change the TypeScript source and run \`npm run build-filters\`.\n`
  );
}

function flattenMessage(d: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, "\n");
}

function hasErrors(list: readonly ts.Diagnostic[]): boolean {
  return list.some((d) => d.category === ts.DiagnosticCategory.Error);
}
