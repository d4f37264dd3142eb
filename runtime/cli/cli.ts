// `nauthilus-filters run …`: one request through a filter chain, printed as the Outcome JSON.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sdkPackage } from "../../build/project-root";
import { ConfigError, loadConfig } from "../nauthilus/config";
import { createRuntime } from "../index";
import { FilterLoader } from "../filter-loader";
import { MONITOR_INTERVAL_MS, startMonitor } from "../monitoring/monitor";
import { Registry, type RegistryStatus } from "../monitoring/registry";
import { devCommand } from "./dev";
import { initProject } from "./init";
import { parseAttributes, parseRequestObject, parseServers } from "./inputs";
import { summarize } from "./summary";
import { testCommand } from "./test-command";
import { prepareRun, RequestError } from "../nauthilus/request";
import type { FilterScript } from "../types";

const HELP = `Usage: nauthilus-filters <command> [options]

Write Nauthilus v1.3.9 Lua filters in TypeScript, build them, and run them on a local runtime that
behaves like production.

  init       set up a filter project here: tsconfig.json (extends the SDK's preset), an example
             filter with its test, sample inputs, package.json scripts
  build      compile the project's filters to Lua 5.1 (and .lua.map)     build --help
  run        run one request through a chain of filters                  run --help
  test       run the project's tests (vitest) on the local runtime       test [vitest options]
  dev        rebuild a filter when it is saved and rerun its tests
  monitor    probe the configured backends like backend_server_monitoring  monitor --help
  serve      a local Nauthilus endpoint for nginx and other clients      serve --help

Exit status: 2 for unusable arguments or files; otherwise see each command.`;

const RUN_HELP = `Usage: nauthilus-filters run [options] [FILTER...]

Runs one request through a chain of Nauthilus v1.3.9 filters on the local runtime. Each FILTER is
a .lua file (its .lua.map beside it, if any, adds TypeScript positions to errors), or a .ts file
compiled on the fly with its project's settings; they run in the order given, on one Lua state,
like lua.filters[]. On a terminal it prints a short summary; otherwise (a pipe, a file) or with
--json, the outcome as one JSON object.

  --config FILE           a Nauthilus config: lua.filters[] (when no FILTER is given),
                          backend_server_monitoring.backend_servers[] (the list filters see
                          before the first monitoring round: all of them), server.features,
                          lua.config.package_path; the options below override it
  --servers FILE.json     the alive backend list: [{"protocol","ip","port","haproxy_v2","tls"}]
  --attributes FILE.json  the password backend's attributes {"name": [values]}; without it, or
                          with {} or null, there is no map at all (as production keeps none)
  --request FILE.json     request fields (FilterRequest); missing fields are empty/false/0
  --timeout SECONDS       per-filter script timeout (NAUTHILUS_LUA_SCRIPT_TIMEOUT), default 120
  --package-path STRING   lua.config.package_path (appended to package.path before each filter)
  --monitoring on|off     the feature backend_server_monitoring (default on)
  --json                  print the outcome as JSON even on a terminal
  -h, --help              this text

Sample inputs: samples/ after \`nauthilus-filters init\` (examples/ in the package).
Exit status: 0 whatever the outcome; 2 for unusable arguments or files.`;

const MONITOR_HELP = `Usage: nauthilus-filters monitor --config FILE [--interval SECONDS] [--rounds N]

Probes the configured backends like Nauthilus's backend_server_monitoring (all at once, then every
--interval seconds, default 10) and prints a table after every round: each server, alive or not,
its last error and latency, the round's duration and whether a new list was published. Ctrl-C
stops it; --rounds N stops after N rounds.`;

const INIT_HELP = `Usage: nauthilus-filters init

Sets up a filter project in the current folder: tsconfig.json (extends the SDK's preset),
filters/director.ts with test/director.test.ts, samples/ (request, servers, attributes, a
Nauthilus config), package.json scripts (build, test, dev), .vscode/settings.json and .gitignore.
Never overwrites a file: it says what it kept.`;

const DEV_HELP = `Usage: nauthilus-filters dev

Builds the project's filters, then rebuilds a filter whenever it is saved and reruns the tests
named after it (test/<filter>*.test.ts) in one vitest kept running; a saved test file runs again
by itself. A deleted filter loses its .lua and .lua.map. Ctrl-C stops it.`;

class UsageError extends Error {}

/** For commands without options: their help, or a usage error for anything else given. */
function noOptions(command: string, args: string[], help: string): number | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  throw new UsageError(`${command} takes no arguments, got "${args.join(" ")}" (nauthilus-filters ${command} --help)`);
}

function sdkVersion(): string {
  return `${sdkPackage.name} ${sdkPackage.version} (Nauthilus v${sdkPackage.nauthilusVersion})`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help" || command === "help" || command === undefined) {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-v") {
    process.stdout.write(`${sdkVersion()}\n`);
    return 0;
  }
  switch (command) {
    case "run":
      return run(rest);
    case "monitor":
      return monitor(rest);
    case "serve":
      return (await import("./serve")).serveCommand(rest);
    case "init":
      return noOptions("init", rest, INIT_HELP) ?? initProject(process.cwd());
    case "test":
      return testCommand(rest);
    case "dev":
      return noOptions("dev", rest, DEV_HELP) ?? devCommand();
    // The compiler (TypeScript) loads only for commands that compile.
    case "build":
      return (await import("../../build/cli")).buildCommand(rest);
    default:
      throw new UsageError(`unknown command "${command}" (expected: init, build, run, test, dev, monitor or serve)`);
  }
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      servers: { type: "string" },
      attributes: { type: "string" },
      request: { type: "string" },
      timeout: { type: "string" },
      "package-path": { type: "string" },
      monitoring: { type: "string" },
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  const config = values.config ? loadConfig(values.config) : undefined;
  const filterPaths = positionals.length > 0 ? positionals : (config?.filters.map((f) => f.scriptPath) ?? []);
  if (filterPaths.length === 0) throw new UsageError(config ? `${config.file} has no lua.filters and no FILTER was given` : "no FILTER given");
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
  if (values.monitoring !== undefined && values.monitoring !== "on" && values.monitoring !== "off") {
    throw new UsageError(`--monitoring must be on or off, got "${values.monitoring}"`);
  }

  // Validated once, here, before any worker starts; the runtime takes the prepared run as it is.
  const request = prepareRun({
    filters: await loadFilters(filterPaths),
    servers: values.servers ? parseServers(readJson(values.servers), values.servers) : [...(config?.servers ?? [])],
    attributes: values.attributes ? parseAttributes(readJson(values.attributes), values.attributes) : {},
    request: values.request ? parseRequestObject(readJson(values.request), values.request) : {},
    timeoutSeconds: timeout,
    packagePath: values["package-path"] ?? config?.packagePath,
    monitoring: values.monitoring !== undefined ? values.monitoring === "on" : (config?.monitoring ?? true),
  });

  const runtime = createRuntime({ workers: 1 });
  try {
    const outcome = await runtime.run(request);
    const json = values.json || !process.stdout.isTTY;
    process.stdout.write(json ? `${JSON.stringify(outcome, null, 2)}\n` : `${summarize(outcome)}\n`);
  } finally {
    await runtime.close();
  }
  return 0;
}

async function monitor(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: "string" }, interval: { type: "string" }, rounds: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${MONITOR_HELP}\n`);
    return 0;
  }
  if (!values.config) throw new UsageError("monitor needs --config FILE");
  const config = loadConfig(values.config);
  const interval = values.interval === undefined ? MONITOR_INTERVAL_MS / 1000 : Number(values.interval);
  if (!(interval > 0)) throw new UsageError(`--interval must be a positive number of seconds, got "${values.interval}"`);
  const rounds = values.rounds === undefined ? Infinity : Number(values.rounds);
  if (!(rounds >= 1) || !Number.isInteger(rounds === Infinity ? 1 : rounds)) throw new UsageError(`--rounds must be a whole number >= 1, got "${values.rounds}"`);
  if (!config.monitoring) process.stderr.write(`note: ${config.file} does not enable the feature backend_server_monitoring; probing anyway\n`);
  if (config.servers.length === 0) throw new UsageError(`${config.file} configures no backend_server_monitoring.backend_servers`);

  const registry = new Registry(config.servers);
  let seen = 0;
  await new Promise<void>((resolve) => {
    const m = startMonitor(registry, config.servers, {
      intervalMs: interval * 1000,
      onRound: (published) => {
        seen++;
        const live = process.stdout.isTTY ? "\x1b[2J\x1b[H" : "";
        process.stdout.write(live + renderStatus(registry.status(), published) + "\n");
        if (seen >= rounds) {
          m.stop();
          resolve();
        }
      },
    });
  });
  return 0;
}

/** The status view: one line per configured server, after a header line for the round. */
export function renderStatus(status: RegistryStatus, published: boolean): string {
  const alive = status.servers.filter((s) => s.alive).length;
  const rows = status.servers.map((s) => [
    `${s.server.protocol} ${s.server.ip.includes(":") ? `[${s.server.ip}]` : s.server.ip}:${s.server.port}${s.server.tls ? " tls" : ""}${s.server.haproxy_v2 ? " proxy-v2" : ""}`,
    s.alive ? "yes" : "no",
    s.lastLatencyMs === null ? "-" : `${s.lastLatencyMs.toFixed(1)} ms`,
    s.lastError ?? "",
  ]);
  const head = ["server", "alive", "latency", "last error"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [
    `round ${status.rounds}: ${status.lastRoundMs?.toFixed(0) ?? "-"} ms, ${alive} of ${status.servers.length} alive, ${published ? "published a new list" : "list unchanged"}: ${status.published.map((s) => `${s.ip}:${s.port}`).join(", ") || "(empty)"}`,
    line(head),
    ...rows.map(line),
  ].join("\n");
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

async function loadFilters(paths: string[]): Promise<FilterScript[]> {
  const loader = new FilterLoader();
  const scripts: FilterScript[] = [];
  for (const given of paths) {
    try {
      scripts.push(await loader.load(given));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return scripts;
}

// A reader that stops early (\`| head\`) is not an error of ours.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: Error) => {
    const known =
      e instanceof UsageError || e.name === "BuildUsageError" || e.name === "ServeUsageError" || e.name === "ServeStartError" || e.name === "UsersFileError" || e instanceof RequestError || e instanceof ConfigError || (e.name === "TypeError" && "code" in e);
    process.stderr.write(`nauthilus-filters: ${e.message}\n${known ? "Run nauthilus-filters --help for the options.\n" : ""}`);
    process.exitCode = 2;
  },
);
