// nauthilus-filters-sdk/testing: run a filter chain (.ts compiled on demand, or .lua) the way
// Nauthilus v1.3.9 runs it, from any test runner, and assert on the outcome with messages that
// name TypeScript lines.
//
//   const chain = filterChain(["filters/director.ts"], { servers: [imap("10.0.0.1"), imap("10.0.0.2")] });
//   const outcome = await chain.run({ request: { account: "alice@example.org", protocol: "imap" } });
//   assertOutcome(outcome, { outcome: "ok", selected: { ip: "10.0.0.2", port: 143 } });
//
// Requests run on one in-process engine per test file (a fresh Lua environment each, as
// production gives every request a fresh state): thousands of requests a second.
import { decideOutcome } from "./nauthilus/outcome";
import { createRuntime, type Runtime } from "./index";
import { FilterLoader } from "./filter-loader";
import { dialError } from "./monitoring/probe";
import { Engine } from "./vm/engine";
import type { BackendAttributes, FilterScript, Outcome, RunRequest, ServerRecord } from "./types";

export type { Outcome, ServerRecord, BackendAttributes } from "./types";
export { FilterBuildError } from "./filter-loader";

/**
 * What check_backend_connection answers for a server, by "ip:port" ("[::1]:993" for IPv6):
 * "ok", "refused", "timeout", "reset", or any other text as the error itself. Servers not
 * listed answer "ok".
 */
export type ProbeAnswers = Record<string, "ok" | "refused" | "timeout" | "reset" | (string & {})>;

export interface ChainInput {
  /** Request fields; the rest keep production's empty values. */
  request?: Partial<FilterRequest>;
  /** The alive backend list the filters see. */
  servers?: ServerRecord[];
  /** The password backend's attributes. Without any (null, {} or left out) production keeps no
   * map at all, and a filter that applies attributes makes it answer HTTP 500. */
  attributes?: BackendAttributes | null;
  /** Declared probe answers, or "real" for real TCP/PROXY v2/TLS probes (loopback). */
  probes?: ProbeAnswers | "real";
  /** Seconds per filter before `context deadline exceeded`. Default 2 here (production: 120),
   * so that a runaway filter fails its test instead of holding the test file for two minutes. */
  timeoutSeconds?: number;
  /** The feature backend_server_monitoring (default on). */
  monitoring?: boolean;
  packagePath?: string;
}

export interface FilterChain {
  /** Runs one request; rejects with FilterBuildError when a .ts filter does not build. */
  run(input?: ChainInput): Promise<Outcome>;
  /** Stops the worker that "real" probes use (nothing to stop otherwise). */
  close(): Promise<void>;
}

const TEST_TIMEOUT_SECONDS = 2;

let loader: FilterLoader | undefined;
let engine: Promise<Engine> | undefined;

/** A chain of filter files, run in the order given (like lua.filters[]); `defaults` apply to every run. */
export function filterChain(files: string[], defaults: ChainInput = {}): FilterChain {
  let scripts: Promise<FilterScript[]> | undefined;
  let runtime: Runtime | undefined;
  const load = () => {
    loader ??= new FilterLoader();
    const l = loader;
    scripts ??= Promise.all(files.map((f) => l.load(f)));
    scripts.catch(() => (scripts = undefined)); // a fixed filter is loaded again on the next run
    return scripts;
  };
  return {
    async run(input = {}) {
      const merged = { ...defaults, ...input, request: { ...defaults.request, ...input.request } };
      const run: RunRequest = {
        filters: await load(),
        servers: merged.servers ?? [],
        attributes: merged.attributes === undefined ? {} : merged.attributes,
        request: merged.request,
        timeoutSeconds: merged.timeoutSeconds ?? TEST_TIMEOUT_SECONDS,
        monitoring: merged.monitoring,
        packagePath: merged.packagePath,
      };
      if (merged.probes === "real") {
        runtime ??= createRuntime({ workers: 1 });
        return runtime.run(run);
      }
      engine ??= Engine.create();
      const answers = merged.probes ?? {};
      const result = (await engine).runChain(run, { probe: (ip, port) => probeAnswer(answers, ip, port) });
      return decideOutcome(run, { kind: "done", result });
    },
    async close() {
      await runtime?.close();
      runtime = undefined;
    },
  };
}

/** The socket error each shorthand stands for; the text is the real prober's. */
const SHORTHANDS: Record<string, string> = { refused: "ECONNREFUSED", reset: "ECONNRESET", timeout: "ETIMEDOUT" };

function probeAnswer(answers: ProbeAnswers, ip: string, port: number): string | undefined {
  const address = ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
  const answer = answers[address] ?? "ok";
  if (answer === "ok") return undefined;
  const code = Object.hasOwn(SHORTHANDS, answer) ? SHORTHANDS[answer] : undefined;
  return code === undefined ? answer : dialError(address, { code, message: answer });
}

/** A server record with the usual defaults (no PROXY header, no TLS). */
export function server(protocol: string, ip: string, port: number, options: { haproxy_v2?: boolean; tls?: boolean } = {}): ServerRecord {
  return { protocol, ip, port, haproxy_v2: options.haproxy_v2 ?? false, tls: options.tls ?? false };
}

type Expected<T> = T extends Array<infer U> ? Array<Expected<U>> : T extends object ? { [K in keyof T]?: Expected<T[K]> } : T;

/** The outcome fields an assertion names. */
export type ExpectedOutcome = Expected<Outcome>;

/** An assertion failure that lists every differing field and, for an error, its TypeScript line. */
export class OutcomeMismatch extends Error {
  constructor(message: string, readonly outcome: Outcome) {
    super(message);
    this.name = "OutcomeMismatch";
  }
}

/**
 * Checks the fields `expected` names (objects partially, arrays element by element and whole
 * length); throws OutcomeMismatch with every difference, and the filter error at its TypeScript
 * line when the chain failed.
 */
export function assertOutcome(outcome: Outcome, expected: ExpectedOutcome): void {
  const differences: string[] = [];
  compare(outcome, expected, "outcome", differences);
  if (differences.length === 0) return;
  const lines = [`the outcome differs from the expected one:`, ...differences.map((d) => `  ${d}`)];
  if (outcome.error !== null) lines.push(`the chain stopped with: ${outcome.error_ts ?? outcome.error}`);
  for (const d of outcome.diagnostics) lines.push(`diagnostic: ${d}`);
  throw new OutcomeMismatch(lines.join("\n"), outcome);
}

function compare(actual: unknown, expected: unknown, where: string, out: string[]): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push(`${where}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    expected.forEach((e, i) => compare(actual[i], e, `${where}[${i}]`, out));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") {
      out.push(`${where}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) continue;
      compare((actual as Record<string, unknown>)[key], value, `${where}.${key}`, out);
    }
    return;
  }
  if (!Object.is(actual, expected)) out.push(`${where}: expected ${show(expected)}, got ${show(actual)}`);
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}
