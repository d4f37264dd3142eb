// `npm run build-filters [--watch] [--out-dir DIR] [paths…]`: a thin shell over build-filters.
import path from "node:path";
import { parseArgs } from "node:util";
import { buildFilters, DEFAULT_FILTER_DIR, DEFAULT_OUT_DIR, type BuildResult } from "./build-filters";
import { formatDiagnostic, relativePath } from "./diagnostics";
import { watchFilters } from "./watch";

const HELP = `Usage: npm run build-filters -- [options] [FILE.ts ...]

Compiles TypeScript filters into one self-contained Lua 5.1 file each, ready for a Nauthilus
v1.3.9 lua.filters[].script_path. Every emitted file is checked with a real Lua 5.1 parser.

  FILE.ts            filters to build (default: every ${DEFAULT_FILTER_DIR}/*.ts)
  --out-dir DIR      where the .lua files go (default: ${DEFAULT_OUT_DIR})
  --watch            rebuild a filter whenever it (or the SDK) changes; Ctrl-C stops
  -h, --help         this text

Exit status: 0 when every filter built, 1 when any filter has an error (its .lua is removed),
2 for unusable arguments.`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "out-dir": { type: "string" },
        watch: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    process.stderr.write(`build-filters: ${(e as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const options = { files: positionals.length > 0 ? positionals : undefined, outDir: values["out-dir"] };
  if (values.watch) {
    watchFilters(options, (result) => report(result));
    return -1;
  }
  const result = buildFilters(options);
  report(result);
  return result.ok ? 0 : 1;
}

/** One line per filter (name, bytes, ms), then the diagnostics, then a total. */
export function report(result: BuildResult, out = process.stdout, cwd = process.cwd()): void {
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

const code = main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
