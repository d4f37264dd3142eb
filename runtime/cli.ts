// `nauthilus-filters run …`: one request through a filter chain, printed as the Outcome JSON.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { FilterCompiler } from "../build/build-filters";
import { formatDiagnostic } from "../build/diagnostics";
import { createRuntime } from "./index";
import { InputError, parseAttributes, parseRequestObject, parseServers } from "./inputs";
import { RequestError, requestTable } from "./request";
import type { FilterScript, RunRequest } from "./types";

const HELP = `Usage: nauthilus-filters run [options] FILTER...

Runs one request through a chain of Nauthilus v1.3.9 filters on the local runtime and prints
the outcome as one JSON object. Each FILTER is a .lua file, or a .ts file compiled on the fly
with the SDK build; they run in the order given, on one Lua state, like lua.filters[].

  --servers FILE.json     the alive backend list: [{"protocol","ip","port","haproxy_v2","tls"}]
  --attributes FILE.json  the password backend's attributes {"name": [values]}, or null (no map)
  --request FILE.json     request fields (sdk/request.d.ts); missing fields are empty/false/0
  --timeout SECONDS       per-filter script timeout (NAUTHILUS_LUA_SCRIPT_TIMEOUT), default 120
  --package-path STRING   lua.config.package_path (appended to package.path before each filter)
  --monitoring on|off     the feature backend_server_monitoring (default on)
  -h, --help              this text

Exit status: 0 whatever the outcome; 2 for unusable arguments or files.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help" || command === undefined) {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== "run") throw new UsageError(`unknown command "${command}" (expected: run)`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      servers: { type: "string" },
      attributes: { type: "string" },
      request: { type: "string" },
      timeout: { type: "string" },
      "package-path": { type: "string" },
      monitoring: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("no FILTER given");
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  if (values.monitoring !== undefined && values.monitoring !== "on" && values.monitoring !== "off") {
    throw new UsageError(`--monitoring must be on or off, got "${values.monitoring}"`);
  }

  const request: RunRequest = {
    filters: loadFilters(positionals),
    servers: values.servers ? parseServers(readJson(values.servers), values.servers) : [],
    attributes: values.attributes ? parseAttributes(readJson(values.attributes), values.attributes) : {},
    request: values.request ? parseRequestObject(readJson(values.request), values.request) : {},
    timeoutSeconds: timeout,
    packagePath: values["package-path"],
    monitoring: values.monitoring !== "off",
  };
  requestTable(request.request); // reject unknown fields before starting workers

  const runtime = createRuntime({ workers: 1 });
  try {
    const outcome = await runtime.run(request);
    process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  } finally {
    await runtime.close();
  }
  return 0;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function loadFilters(paths: string[]): FilterScript[] {
  const compiler = paths.some((p) => p.endsWith(".ts"))
    ? new FilterCompiler({ cwd: process.cwd(), outDir: path.join(process.cwd(), "dist", "filters") })
    : undefined;
  return paths.map((given) => {
    if (!fs.existsSync(given)) throw new UsageError(`filter not found: ${given}`);
    if (!given.endsWith(".ts")) return { name: given, source: fs.readFileSync(given, "utf8") };
    const result = compiler!.compile([path.resolve(given)]);
    const [filter] = result.filters;
    const problems = [...result.diagnostics, ...filter.diagnostics].map((d) => formatDiagnostic(d));
    if (filter.lua === undefined) throw new UsageError(`${given} does not build:\n${problems.join("\n")}`);
    return { name: given, source: filter.lua };
  });
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    const known = e instanceof UsageError || e instanceof InputError || e instanceof RequestError || e.name === "TypeError" && "code" in e;
    process.stderr.write(`nauthilus-filters: ${e.message}\n${known ? "Run nauthilus-filters --help for the options.\n" : ""}`);
    process.exitCode = 2;
  },
);
