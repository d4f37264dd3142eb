// Runs filter chains in-process on one shared engine (fast, for rule tables), or on a real worker
// pool (for containment). Outcomes come from the same code the CLI uses.
import fs from "node:fs";
import path from "node:path";
import { FilterCompiler } from "../../build/build-filters";
import { formatDiagnostic } from "../../build/diagnostics";
import { Engine, type HostServices } from "../../runtime/vm/engine";
import { decideOutcome } from "../../runtime/nauthilus/outcome";
import type { Outcome, RunRequest } from "../../runtime/types";
import { scratchDir } from "./filter-source";

let engine: Promise<Engine> | undefined;
const compiler = new FilterCompiler({ cwd: scratchDir, outDir: path.join(scratchDir, "out") });

export type Probes = Record<string, string | undefined>;

/** Runs `request` on the shared in-process engine; probes answer from `probes` ("ip:port" → error). */
export async function runInProcess(request: RunRequest, probes: Probes = {}): Promise<Outcome> {
  engine ??= Engine.create();
  const e = await engine;
  const services: HostServices = { probe: (ip, port) => probes[`${ip}:${port}`] };
  return decideOutcome(request, { kind: "done", result: e.runChain(request, services) });
}

/** Compiles a TypeScript filter to Lua with the SDK build, or throws with the diagnostics. */
export function compileTs(source: string, name: string): string {
  const file = path.join(scratchDir, `${name}.ts`);
  fs.writeFileSync(file, source);
  const result = compiler.compile([file]);
  const [filter] = result.filters;
  if (filter.lua === undefined) {
    throw new Error(`${name}.ts does not build:\n${[...result.diagnostics, ...filter.diagnostics].map((d) => formatDiagnostic(d, scratchDir)).join("\n")}`);
  }
  return filter.lua;
}

/** The 1-based line of the first line of `source` that contains `marker`. */
export function lineOf(source: string, marker: string): number {
  const index = source.split("\n").findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} not found in:\n${source}`);
  return index + 1;
}

/** Runs `code` as the top level of one filter (with a trivial entry) and returns what it printed. */
export async function luaPrints(code: string, name = "fidelity.lua"): Promise<{ printed: string[]; error: string | null }> {
  engine ??= Engine.create();
  const e = await engine;
  const result = e.runChain(
    {
      filters: [{ name, source: `${code}\nfunction nauthilus_call_filter() return false, 0 end\n` }],
      servers: [],
      attributes: {},
      request: {},
    },
    { probe: () => undefined },
  );
  return { printed: result.printed, error: result.error };
}
