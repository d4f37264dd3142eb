// Compiles filter snippets in memory with one shared compiler (parsed lib files are reused), from
// files in a temporary folder so that diagnostics carry a real file:line:col.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { FilterCompiler, type CompiledFilter } from "../../build/build-filters";
import { formatDiagnostic } from "../../build/diagnostics";

export const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-filters-test-"));
const compiler = new FilterCompiler({ cwd: scratchDir, outDir: path.join(scratchDir, "out") });
let counter = 0;

/** A complete filter around `body` (statements of the entry function). */
export function filterWith(body: string, imports = 'import { accept, reject } from "nauthilus-sdk";\nimport * as backend from "nauthilus_backend";'): string {
  return `${imports}\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n${body}\n}\n`;
}

export function compileSource(source: string, name = `snippet${++counter}`): CompiledFilter {
  const file = path.join(scratchDir, `${name}.ts`);
  fs.writeFileSync(file, source);
  const result = compiler.compile([file]);
  const [filter] = result.filters;
  filter.diagnostics.push(...result.diagnostics);
  return filter;
}

/** Diagnostics as `file:line:col - error CODE: message` lines, file relative to the scratch folder. */
export function formatted(filter: CompiledFilter): string[] {
  return filter.diagnostics.map((d) => formatDiagnostic(d, scratchDir));
}

export function errorCodes(filter: CompiledFilter): string[] {
  return formatted(filter)
    .map((line) => /(?:error) ((?:NF|TS|TSTL)\d+):/.exec(line)?.[1])
    .filter((c): c is string => c !== undefined);
}

export { ts };
