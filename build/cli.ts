// `nauthilus-filters build [--watch] [--project tsconfig.json] [--out-dir DIR] [paths…]`.
import path from "node:path";
import { parseArgs } from "node:util";
import { buildFilters, type BuildResult } from "./build-filters";
import { formatDiagnostic, relativePath } from "./diagnostics";
import { watchFilters } from "./watch";

export const BUILD_HELP = `Usage: nauthilus-filters build [options] [FILE.ts ...]

Compiles the TypeScript filters of a project into one self-contained Lua 5.1 file each (and a
.lua.map beside it), ready for a Nauthilus v1.3.9 lua.filters[].script_path. The settings come
from the project's tsconfig.json, which extends nauthilus-filters-sdk/preset/tsconfig.json;
\`tstl -p tsconfig.json\` writes the same files. Every emitted file is checked with a real Lua 5.1
parser.

  FILE.ts            filters to build (default: every filter the tsconfig.json includes)
  --project FILE     the project's tsconfig.json (default: tsconfig.json)
  --out-dir DIR      where the .lua files go (default: the tsconfig.json's outDir)
  --watch            rebuild a filter whenever it (or the SDK) changes; Ctrl-C stops
  -h, --help         this text

Exit status: 0 when every filter built, 1 when any filter has an error (its .lua is removed),
2 for unusable arguments.`;

export class BuildUsageError extends Error {
  name = "BuildUsageError";
}

/** Runs the build command; returns the exit status, or -1 while watching. */
export function buildCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        project: { type: "string", short: "p" },
        "out-dir": { type: "string" },
        watch: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new BuildUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(`${BUILD_HELP}\n`);
    return 0;
  }
  const cwd = process.cwd();
  const project = path.resolve(cwd, values.project ?? "tsconfig.json");
  const outDir = values["out-dir"] === undefined ? undefined : path.resolve(cwd, values["out-dir"]);
  const files = positionals.length > 0 ? positionals.map((f) => path.resolve(cwd, f)) : undefined;
  if (values.watch) {
    watchFilters({ cwd, project, outDir, files }, (result, removed) => {
      for (const r of removed) out.write(`removed ${relativePath(r, cwd)} (its source is gone)\n`);
      report(result, out);
    });
    return -1;
  }
  const result = buildFilters({ cwd, project, outDir, files });
  for (const r of result.removed ?? []) out.write(`removed ${relativePath(r, cwd)} (its source is gone)\n`);
  report(result, out);
  // A missing project, a file that is not there or not a filter: the arguments were unusable.
  const unusable = result.diagnostics.some((d) => d.code === 1092 || d.code === 1093 || d.code === 1094 || d.code === 1095);
  return unusable ? 2 : result.ok ? 0 : 1;
}

/** One line per filter (name, bytes, ms), then the diagnostics, then a total. */
export function report(result: BuildResult, out: NodeJS.WritableStream = process.stdout, cwd = process.cwd()): void {
  const lines: string[] = [];
  for (const d of result.diagnostics) lines.push(formatDiagnostic(d, cwd));
  const rows = result.filters.map((f) => ({
    name: path.basename(f.source, ".ts"),
    output: f.lua !== undefined ? relativePath(f.output, cwd) : "FAILED",
    bytes: f.lua !== undefined ? `${Buffer.byteLength(f.lua)} bytes` : "",
    ms: `${f.ms.toFixed(0)} ms`,
    diagnostics: f.diagnostics,
  }));
  const width = (key: "name" | "output" | "bytes" | "ms") => Math.max(0, ...rows.map((r) => r[key].length));
  const [wName, wOutput, wBytes, wMs] = [width("name"), width("output"), width("bytes"), width("ms")];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(wName)}  ${r.output.padEnd(wOutput)}  ${r.bytes.padStart(wBytes)}  ${r.ms.padStart(wMs)}`);
    for (const d of r.diagnostics) lines.push(`  ${formatDiagnostic(d, cwd)}`);
  }
  const built = result.filters.filter((f) => f.lua !== undefined).length;
  const failed = result.filters.length - built;
  lines.push(
    `${built} built, ${failed} failed${result.filters.length === 0 ? " (no filters found)" : ""} in ${result.ms.toFixed(0)} ms`,
  );
  out.write(`${lines.join("\n")}\n`);
}
