// TypeScript filters → one self-contained Lua 5.1 file each. The API never throws for a bad
// filter: every problem comes back as a diagnostic, and a filter with any error produces no Lua.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import ts from "typescript";
import tstl from "typescript-to-lua";
import { diagnostics, relativePath } from "./diagnostics";
import { checkFilter } from "./gopher-rules";
import { filterPlugin } from "./plugin";
import { isFilterSource, loadProject, type FilterProject } from "./project";

export interface CompiledFilter {
  /** The .ts file, absolute. */
  source: string;
  /** Where the Lua goes (TypeScriptToLua's emit path under the project's outDir), absolute. */
  output: string;
  /** The complete Lua chunk, header included; undefined when the filter has errors. */
  lua?: string;
  /** The standard source map written beside the Lua as `<output>.map`. */
  sourceMap?: string;
  diagnostics: ts.Diagnostic[];
  /** Time spent on this filter: its type check, rules, transform, print and 5.1 check. */
  ms: number;
}

export interface BuildResult {
  ok: boolean;
  /** Outputs of filters whose source is gone, removed by a whole-project build. */
  removed?: string[];
  filters: CompiledFilter[];
  /** Problems not tied to one filter (the tsconfig.json, compiler options, missing files). */
  diagnostics: ts.Diagnostic[];
  ms: number;
}

export interface BuildOptions {
  /** The project's tsconfig.json (default: tsconfig.json under cwd). */
  project?: string;
  /** .ts files to build; default: every filter of the project. */
  files?: string[];
  /** Overrides the project's outDir. */
  outDir?: string;
  cwd?: string;
}

/** Builds a project and writes: good filters atomically, failed filters leave no .lua behind. */
export function buildFilters(options: BuildOptions = {}): BuildResult {
  const cwd = options.cwd ?? process.cwd();
  const compiler = new FilterCompiler({
    cwd,
    project: path.resolve(cwd, options.project ?? "tsconfig.json"),
    outDir: options.outDir === undefined ? undefined : path.resolve(cwd, options.outDir),
  });
  const result = compiler.compile(options.files?.map((f) => path.resolve(cwd, f)) ?? compiler.projectFilters());
  writeOutputs(result.filters);
  if (options.files === undefined && compiler.project.errors.length === 0) {
    result.removed = removeOrphans(compiler, result.filters);
  }
  return result;
}

/**
 * After a whole-project build: the .lua (and .lua.map) this build wrote earlier for filters whose
 * source is gone, recognised by the header every compiled filter starts with. Anything else in
 * the output folder stays.
 */
function removeOrphans(compiler: FilterCompiler, built: readonly CompiledFilter[]): string[] {
  const outputs = new Set(built.map((f) => f.output));
  const removed: string[] = [];
  const visit = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith(".lua") && !outputs.has(file) && isOurs(file)) {
        fs.rmSync(file, { force: true });
        fs.rmSync(`${file}.map`, { force: true });
        removed.push(file);
      }
    }
  };
  const outDir = compiler.outDir();
  if (outDir !== undefined) visit(outDir); // without an outDir the Lua lies beside the sources: left alone
  return removed;
}

function isOurs(file: string): boolean {
  const head = Buffer.alloc(200);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return /^-- Generated from .* by nauthilus-filters-sdk /.test(head.toString("utf8"));
}

export function writeOutputs(filters: readonly CompiledFilter[]): void {
  for (const filter of filters) {
    const map = `${filter.output}.map`;
    if (filter.lua === undefined) {
      fs.rmSync(filter.output, { force: true });
      fs.rmSync(map, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(filter.output), { recursive: true });
    writeAtomically(filter.output, filter.lua);
    if (filter.sourceMap !== undefined) writeAtomically(map, filter.sourceMap);
  }
}

function writeAtomically(file: string, data: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

export interface CompilerSetup {
  /** Where relative paths in messages start. */
  cwd: string;
  /** The project's tsconfig.json; undefined: the preset alone (files outside any project). */
  project?: string;
  /** Overrides the project's outDir (absolute). */
  outDir?: string;
}

/**
 * Compiles filters in memory with TypeScriptToLua and the filter plugin, one emit per filter, so
 * one broken filter never stops the others. Keeps parsed source files between calls (keyed by
 * path and mtime) so that watch mode re-checks only what changed.
 */
export class FilterCompiler {
  readonly project: FilterProject;
  private readonly options: tstl.CompilerOptions;
  private readonly host: ts.CompilerHost;
  private readonly parsed = new Map<string, { mtime: number; file: ts.SourceFile }>();
  private readonly transpiler = new tstl.Transpiler();
  private program: ts.Program | undefined;

  constructor(private readonly setup: CompilerSetup) {
    this.project = loadProject(setup.project);
    this.options = { ...this.project.options, ...(setup.outDir === undefined ? {} : { outDir: setup.outDir }) };
    this.host = ts.createCompilerHost(this.options);
    this.host.getCurrentDirectory = () => setup.cwd;
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

  /** The project's filters as its tsconfig.json lists them now (files may come and go). */
  projectFilters(): string[] {
    return this.setup.project === undefined ? [] : loadProject(this.setup.project).filters;
  }

  /** The folder the Lua goes to, when the project names one (tsconfig paths are absolute here). */
  outDir(): string | undefined {
    return this.options.outDir === undefined ? undefined : path.resolve(this.setup.cwd, this.options.outDir);
  }

  /** Where a filter's Lua goes (after a first compile). */
  outputOf(source: string): string {
    if (this.program === undefined) throw new Error("outputOf before the first compile");
    return tstl.getEmitPath(source, this.program);
  }

  compile(files: readonly string[]): BuildResult {
    const started = performance.now();
    const global: ts.Diagnostic[] = [...this.project.errors];
    const existing = files.filter((f) => {
      if (fs.existsSync(f) && isFilterSource(f)) return true;
      const shown = relativePath(f, this.setup.cwd);
      global.push(fs.existsSync(f) ? diagnostics.notAFilter(shown) : diagnostics.fileNotFound(shown));
      return false;
    });
    const program = ts.createProgram({
      rootNames: [...this.project.declarations, ...existing],
      options: this.options,
      host: this.host,
      oldProgram: this.program,
    });
    this.program = program;
    if (this.project.errors.length === 0) global.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());

    const filters = existing.map((source) => {
      const filter: CompiledFilter = { source, output: tstl.getEmitPath(source, program), diagnostics: [], ms: 0 };
      const t0 = performance.now();
      if (global.length === 0) this.compileOne(program, program.getSourceFile(source)!, filter);
      filter.ms = performance.now() - t0;
      return filter;
    });
    const ok = global.length === 0 && filters.every((f) => f.lua !== undefined);
    return { ok, filters, diagnostics: global, ms: performance.now() - started };
  }

  private compileOne(program: ts.Program, sourceFile: ts.SourceFile, filter: CompiledFilter): void {
    const typeErrors = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    filter.diagnostics.push(...typeErrors);
    if (hasErrors(filter.diagnostics)) {
      // No transform runs after a type error; the build's own rules still report, as in the editor.
      filter.diagnostics.push(...checkFilter(program, sourceFile));
      return;
    }

    let code: string | undefined;
    let map: string | undefined;
    const emitted = this.transpiler.emit({
      program,
      sourceFiles: [sourceFile],
      plugins: [filterPlugin],
      writeFile: (fileName, data) => {
        if (fileName.endsWith(".lua")) code = data;
        else if (fileName.endsWith(".lua.map")) map = data;
      },
    });
    filter.diagnostics.push(...emitted.diagnostics);
    if (hasErrors(filter.diagnostics) || code === undefined) return;
    filter.lua = code;
    filter.sourceMap = map;
  }
}

function hasErrors(list: readonly ts.Diagnostic[]): boolean {
  return list.some((d) => d.category === ts.DiagnosticCategory.Error);
}
