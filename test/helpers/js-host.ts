// A JavaScript fake of the Nauthilus host surface the SDK declares (sdk/*.d.ts), for running a
// TypeScript filter as JavaScript: the oracle a compiled filter is compared with. It follows the
// declarations' documented production semantics (last selection wins, the attribute getter returns
// a copy, the setter replaces and drops undefined values, a probe returns undefined on success),
// and runs a chain the way Nauthilus does: one fresh global scope per request, shared by its
// filters, each filter's top level then its entry, stopping at the first error or reject.
import vm from "node:vm";
import ts from "typescript";

export interface HostServer {
  ip: string;
  port: number;
  protocol: string;
  haproxy_v2: boolean;
  tls: boolean;
}

export interface JsChainResult {
  /** What an uncaught throw left the entry as: `String(e)` (`"Error: m"` for an Error). */
  error: string | null;
  /** Each entry that returned, in order. */
  filters: Array<{ action: unknown; code: unknown }>;
  /** The last `select_backend_server` call, port truncated as production does. */
  selected: { ip: string; port: number } | null;
  status: string | null;
  /** `custom_log_add` pairs, values as Go `%v` prints them. */
  logs: Array<[string, string]>;
  removed: string[];
  /** The attributes of the last applied result, read when the chain ends (a live reference). */
  applied: Record<string, unknown> | null;
  probes: string[];
}

const STRING_FIELDS = [
  "service", "session", "client_ip", "client_port", "client_net", "client_hostname", "client_id", "user_agent",
  "local_ip", "local_port", "username", "account", "account_field", "unique_user_id", "display_name", "password",
  "protocol", "brute_force_bucket", "feature", "status_message", "log_format", "log_level", "ssl", "ssl_session_id",
  "ssl_client_verify", "ssl_client_dn", "ssl_client_cn", "ssl_issuer", "ssl_client_not_before", "ssl_client_not_after",
  "ssl_subject_dn", "ssl_issuer_dn", "ssl_client_subject_dn", "ssl_client_issuer_dn", "ssl_protocol", "ssl_cipher",
  "ssl_serial", "ssl_fingerprint",
] as const;
const BOOLEAN_FIELDS = ["debug", "repeating", "user_found", "authenticated", "no_auth"] as const;

/** A request with every field present, as production passes it: strings default to "", booleans to false. */
export function fullRequest(fields: Partial<FilterRequest>): FilterRequest {
  const request: Record<string, unknown> = {};
  for (const f of BOOLEAN_FIELDS) request[f] = false;
  request.brute_force_counter = 0;
  for (const f of STRING_FIELDS) request[f] = "";
  return { ...request, ...fields } as unknown as FilterRequest;
}

/** Go's `%v` of a log value: a float64 in the shortest form, with an exponent from 1e+06 and below 1e-04. */
export function goValue(v: unknown): string {
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  if (typeof v !== "number") return "UNSUPPORTED";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  // strconv's shortest 'g': exponent form when the exponent is below -4 or at least 6.
  const [mantissa, exponent] = v.toExponential().split("e");
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(v);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** The filter's TypeScript as CommonJS JavaScript: no type check, the build does that. */
export function toJavaScript(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  }).outputText;
}

/** Runs `sources` (TypeScript filters) as one request's chain, in JavaScript, on the fake host. */
export function runChainAsJavaScript(
  sources: Array<{ name: string; source: string }>,
  request: FilterRequest,
  servers: HostServer[],
  probeErrors: Record<string, string> = {},
): JsChainResult {
  const out: JsChainResult = { error: null, filters: [], selected: null, status: null, logs: [], removed: [], applied: null, probes: [] };
  let applied: { attributes(): Record<string, unknown> } | null = null;

  // A fresh realm per request: what one request's filters leave in the globals is gone for the next.
  const context = vm.createContext({});
  // Host tables are made inside the realm, so that filters see ordinary arrays and objects there.
  const inRealm = vm.runInContext(
    `({
      servers: (list) => Array.from(list, (s) => Object.freeze(Object.assign({}, s))),
      names: (list) => Array.from(list, (n) => String(n)),
      copy: (attrs) => Object.assign({}, attrs),
      kept: (attrs) => Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined)),
    })`,
    context,
  ) as {
    servers(list: HostServer[]): HostServer[];
    names(list: readonly unknown[]): string[];
    copy(attrs: Record<string, unknown>): Record<string, unknown>;
    kept(attrs: Record<string, unknown>): Record<string, unknown>;
  };

  const backendModule = {
    get_backend_servers: () => inRealm.servers(servers),
    select_backend_server: (ip: string, port: number) => {
      if (typeof ip !== "string" || typeof port !== "number") throw new Error("bad argument to select_backend_server");
      out.selected = { ip, port: Math.trunc(port) };
    },
    apply_backend_result: (result: { attributes(): Record<string, unknown> }) => {
      applied = result;
    },
    remove_from_backend_result: (names: readonly string[]) => {
      out.removed.push(...inRealm.names(names));
    },
    check_backend_connection: (ip: string, port: number) => {
      out.probes.push(`${ip}:${port}`);
      return probeErrors[`${ip}:${port}`];
    },
  };
  const sdkModule = {
    accept: (code = 0) => [false, code],
    reject: (code = 1) => [true, code],
  };

  class BackendResult {
    #attrs: Record<string, unknown> = inRealm.copy({});
    attributes(attrs?: Record<string, unknown>): Record<string, unknown> | undefined {
      if (attrs === undefined) return inRealm.copy(this.#attrs);
      this.#attrs = inRealm.kept(attrs);
      return undefined;
    }
  }

  Object.assign(context, {
    nauthilus_builtin: Object.freeze({
      FILTER_ACCEPT: false,
      FILTER_REJECT: true,
      FILTER_RESULT_OK: 0,
      FILTER_RESULT_FAIL: 1,
      status_message_set: (m: string) => {
        out.status = m;
      },
      custom_log_add: (k: string, v: unknown) => {
        out.logs.push([k, goValue(v)]);
      },
    }),
    nauthilus_backend_result: Object.freeze({ new: () => new BackendResult() }),
    dynamic_loader: () => {},
    // TypeScriptToLua's $multi(a, b): two return values, an array here.
    $multi: (...values: unknown[]) => values,
  });

  const modules: Record<string, unknown> = { nauthilus_backend: backendModule, "nauthilus-sdk": sdkModule };
  const requireModule = (name: string) => {
    if (!(name in modules)) throw new Error(`module ${name} not found`);
    return modules[name];
  };

  for (const { name, source } of sources) {
    try {
      const factory = vm.runInContext(`(function (exports, require) {\n${toJavaScript(source)}\n})`, context, { filename: name });
      const exports: Record<string, unknown> = {};
      factory(exports, requireModule);
      const entry = exports.nauthilus_call_filter as (r: FilterRequest) => unknown;
      const result = entry(request);
      const [action, code] = Array.isArray(result) ? result : [result, undefined];
      out.filters.push({ action, code });
      if (action !== undefined && action !== null && action !== false) break;
    } catch (e) {
      out.error = String(e);
      break;
    }
  }
  out.applied = applied === null ? null : (applied as { attributes(): Record<string, unknown> }).attributes();
  return out;
}
