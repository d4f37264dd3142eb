// From what the filter chain did to what Nauthilus v1.3.9 answers: auth.go:1800-1845 (apply
// or not), 553-627 (success headers), 750-790 (failure), 857-870 (tempfail), 649-686 (attribute
// headers). Pure: the same inputs always give the same Outcome.
import type { ChainResult } from "../vm/engine";
import { formatGoValue } from "./go-format";
import type { GoMap, GoValue } from "./go-value";
import { applyAttributeHeaders, renderHeaderLines } from "./headers";
import type { PoolResult } from "../vm/pool";
import { prepareRun, type PreparedRun } from "./request";
import type { Outcome, RunRequest } from "../types";
import { withTsPositions } from "../vm/source-map";
import { fromBytes } from "../vm/wire";

export const PASSWORD_FAIL = "Invalid login or password"; // definitions/const.go:203
export const TEMP_FAIL = "Temporary server problem, try again later"; // definitions/const.go:206
const TEMP_FAIL_CODE = "451 4.3.0"; // definitions/const.go:215, nginx + SMTP only
const NGINX_WAIT_DELAY = 10; // nginx_wait_delay default (definitions.WaitDelay)
const MAX_LOGIN_ATTEMPTS = 15;
/** X-Nauthilus-Memory-Cache of an answer not served from the in-process cache (auth.go:588-594). */
export const MEMORY_CACHE_MISS = "Miss";
/** Where nginx is sent when backend_server_monitoring is off (definitions/const.go:223-239). */
const FIXED_BACKENDS: Record<string, { ip: string; port: number }> = {
  smtp: { ip: "127.0.0.1", port: 5871 },
  imap: { ip: "127.0.0.1", port: 9931 },
  pop3: { ip: "127.0.0.1", port: 9951 },
}; // max_login_attempts default (definitions/const.go:245)

type Attributes = Record<string, unknown[]>;

export function decideOutcome(run: RunRequest | PreparedRun, result: PoolResult): Outcome {
  const prepared = prepareRun(run);
  const o = decide(prepared, result);
  // Compiled filters: the TypeScript positions beside production's Lua ones.
  const frames = result.kind === "done" ? result.result.errorFrames : undefined;
  const errorTs = o.error === null ? null : (withTsPositions(o.error, prepared.filters, frames) ?? null);
  const diagnostics = o.diagnostics.map((d) => withTsPositions(d, prepared.filters) ?? d);
  return inDocumentedOrder({ ...o, diagnostics }, errorTs);
}

/** The keys in the order the CLI documents them (JSON output keeps insertion order). */
function inDocumentedOrder(o: Decided, errorTs: string | null): Outcome {
  return {
    outcome: o.outcome, error: o.error, error_ts: errorTs, filters: o.filters, selected: o.selected, removed: o.removed,
    attributes: o.attributes, headers: o.headers, status_message: o.status_message, logs: o.logs, diagnostics: o.diagnostics,
  };
}

type Decided = Omit<Outcome, "error_ts">;

/** How the runtime stopped a chain that could not finish by itself, as the outcome names it. */
function stoppedOutcome(run: PreparedRun, result: Extract<PoolResult, { kind: "stopped" }>, backend: Attributes | null): Decided {
  const filter = run.filters[result.filterIndex]?.name ?? "(no filter)";
  if (result.cause === "timeout") {
    return tempfail(asText(run.request), `${filter}: context deadline exceeded`, [
      `the runtime terminated the filter's thread: the filter ran past its timeout inside a C function ` +
        `(e.g. a catastrophic string pattern) or somewhere the deadline check cannot run, so the line is unknown; production reports <chunk>:<line>: context deadline exceeded`,
    ], backend);
  }
  const what = {
    "engine-failure": "the local runtime's Lua VM failed",
    "worker-crashed": "the local runtime's worker thread crashed",
    "js-heap": "the local runtime's worker thread ran out of JavaScript heap",
    closed: "the runtime was closed before the request finished",
  }[result.cause];
  return tempfail(asText(run.request), `${filter}: local runtime failure: ${what}`, [
    `${what} while running ${filter} (${result.detail}); this is a failure of the local runtime, not a result production ` +
      `would give: the runtime started a fresh worker and serves the next request`,
  ], backend);
}

function decide(run: PreparedRun, result: PoolResult): Decided {
  const request = asText(run.request);
  const monitoring = run.monitoring ?? true;
  // Nauthilus keeps the password backend's attributes only when there is at least one
  // (server/core/auth.go:1060): an empty map is no map at all.
  const backend = run.attributes === null || Object.keys(run.attributes).length === 0 ? null : cloneAttributes(run.attributes);

  if (result.kind === "stopped") return stoppedOutcome(run, result, backend);
  const chain = result.result;
  const diagnostics: string[] = [
    ...chain.hazards,
    ...chain.printed.map((line) => `print: ${line}`),
    ...chain.output.map(([stream, text]) => `io.${stream}: ${text}`),
    ...chain.byteNotes,
  ];

  if (chain.error !== null) {
    if (chain.errorKind === "missing-entry") {
      diagnostics.push("a filter defines no global nauthilus_call_filter (production logs this error with a stack traceback)");
    } else if (chain.errorKind === "host-limit") {
      diagnostics.push(
        "the filters handed the host more than 32 MiB in one request (custom_log_add, status_message_set, print, io.write, …): " +
          "the local runtime stops the filter there with `not enough memory`; production would keep it all",
      );
    } else if (chain.error.endsWith("not enough memory")) {
      diagnostics.push("the Lua heap reached the local runtime's cap (256 MiB by default); production has no cap (docs/fidelity.md D16)");
    }
    // The lines of the filters that returned before the error stay (corpus 59, 63).
    return tempfail(request, chain.error, diagnostics, backend, chain.calls);
  }
  if (chain.mergePanic) {
    diagnostics.push(
      `production crashes combining the filters' results (filter.go:593 compares list- or map-valued attributes with !=) and answers HTTP 500` +
        (chain.mergePanic.production === "depends-on-map-order" ? "; in production this happens on some requests only (Go map order)" : "") +
        ": apply only string, number or boolean attributes when more than one filter runs",
    );
    return serverError(chain, chain.mergePanic.message, diagnostics, backend);
  }

  const base = {
    filters: chain.calls,
    status_message: chain.statusMessage,
    logs: chain.logs,
  };
  if (chain.rejected) {
    return {
      outcome: "fail",
      error: null,
      ...base,
      selected: null,
      removed: [],
      attributes: toJsonAttributes(backend),
      headers: failureHeaders(run, chain.statusMessage),
      diagnostics,
    };
  }

  // Accept: removals, then additions only where absent, then the selection (auth.go:1820-1838).
  const removed = [...new Set(chain.removed)].sort();
  const attributes = backend;
  if (attributes) for (const name of removed) delete attributes[name];
  for (const [key, value] of chain.merged) {
    if (typeof key !== "string") continue; // non-string keys are dropped (auth.go:1827)
    if (attributes === null) {
      diagnostics.push(
        `production crashes adding filter attribute "${key}": the password backend returned no attributes (a nil map: Nauthilus keeps none when there are none, auth.go:1060) and Nauthilus assigns to it; answered with HTTP 500. Apply attributes only when request.user_found`,
      );
      return serverError(chain, "assignment to entry in nil map", diagnostics, null);
    }
    if (!(key in attributes)) attributes[key] = [value];
  }
  const selected = chain.selected;
  const authenticated = request.authenticated;
  if (!authenticated) {
    return {
      outcome: "fail", error: null, ...base, selected, removed, attributes: toJsonAttributes(attributes),
      headers: failureHeaders(run, chain.statusMessage), diagnostics,
    };
  }
  return {
    outcome: "ok", error: null, ...base, selected, removed, attributes: toJsonAttributes(attributes),
    headers: successHeaders(request, run, monitoring, selected, attributes ?? {}),
    diagnostics,
  };
}

/** The request with fields given as bytes (not UTF-8) shown as text: headers here are text (with
 * U+FFFD), where production writes the bytes. */
function asText(request: FilterRequest): FilterRequest {
  const values = Object.values(request) as unknown[];
  if (!values.some((v) => v instanceof Uint8Array)) return request;
  return Object.fromEntries(
    Object.entries(request).map(([k, v]) => [k, v instanceof Uint8Array ? fromBytes(Buffer.from(v)).text : v]),
  ) as unknown as FilterRequest;
}

function tempfail(request: FilterRequest, error: string, diagnostics: string[], backend: Attributes | null, filters: Outcome["filters"] = []): Decided {
  const nginx = new Map([["Auth-Status", TEMP_FAIL]]);
  if (request.service === "nginx" && request.protocol === "smtp") nginx.set("Auth-Error-Code", TEMP_FAIL_CODE);
  return {
    outcome: "tempfail", error, filters, selected: null, removed: [], attributes: toJsonAttributes(backend),
    headers: { nginx: authLines(nginx), header: renderHeaderLines(new Map([["X-Nauthilus-Session", request.session]])) },
    status_message: null, logs: [], diagnostics,
  };
}

function serverError(chain: ChainResult, error: string, diagnostics: string[], backend: Attributes | null): Decided {
  return {
    outcome: "server_error", error, filters: chain.calls, selected: null, removed: [], attributes: toJsonAttributes(backend),
    headers: { nginx: [], header: [] }, status_message: null, logs: [], diagnostics,
  };
}

export function failureHeaders(run: PreparedRun, statusMessage: string | null): Outcome["headers"] {
  const nginx = new Map([["Auth-Status", statusMessage || PASSWORD_FAIL]]);
  nginx.set("Auth-Wait", String(authWait(run.loginAttempt ?? 1)));
  return { nginx: authLines(nginx), header: renderHeaderLines(new Map([["X-Nauthilus-Session", asText(run.request).session]])) };
}

/**
 * The nginx endpoint's Auth-Wait after a failure: int(nginx_wait_delay * tanh(0.03 * n)), where n
 * is nginx's Auth-Login-Attempt capped at 255, then increased by one while below
 * max_login_attempts (auth.go:735-752). 0 for nginx's first attempts, which makes nginx close the
 * connection after its error; 5 from the 19th attempt on.
 */
export function authWait(loginAttempt: number): number {
  let n = Math.min(loginAttempt, 255);
  if (n < MAX_LOGIN_ATTEMPTS) n++;
  return Math.trunc(NGINX_WAIT_DELAY * Math.tanh(0.03 * n));
}

function successHeaders(
  request: FilterRequest,
  run: PreparedRun,
  monitoring: boolean,
  selected: { ip: string; port: number } | null,
  attributes: Attributes,
): Outcome["headers"] {
  const common = new Map([
    ["Auth-Status", "OK"],
    ["X-Nauthilus-Session", request.session],
    ["X-Nauthilus-Memory-Cache", MEMORY_CACHE_MISS],
  ]);
  if (request.service !== "basic" && request.account !== "") common.set("Auth-User", request.account);

  const nginx = new Map(common);
  if (monitoring) {
    if (run.servers.length === 0) nginx.set("Auth-Status", "Internal failure");
    else if (selected && selected.ip !== "" && selected.port > 0) {
      nginx.set("Auth-Server", selected.ip);
      nginx.set("Auth-Port", String(selected.port));
    }
  } else {
    // Monitoring off: a fixed backend per mail protocol, the env defaults (auth.go:614-625,
    // definitions/const.go:223-239); NAUTHILUS_<PROTO>_BACKEND_ADDRESS/_PORT are not read here.
    const fixed = FIXED_BACKENDS[request.protocol];
    if (fixed && Object.hasOwn(FIXED_BACKENDS, request.protocol)) {
      nginx.set("Auth-Server", fixed.ip);
      nginx.set("Auth-Port", String(fixed.port));
    }
  }
  const header = applyAttributeHeaders(new Map(common), attributes);
  return {
    nginx: authLines(nginx),
    header: renderHeaderLines(header).filter(([name]) => name.startsWith("X-Nauthilus-")),
  };
}

function authLines(headers: Map<string, string>): Array<[string, string]> {
  return renderHeaderLines(headers).filter(([name]) => name.startsWith("Auth-"));
}

function cloneAttributes(a: Record<string, unknown[]>): Attributes {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, [...v]]));
}

/** JSON form of the attribute map: Go maps become objects (keys as Go %v), NaN/Inf as text. */
function toJsonAttributes(a: Attributes | null): Outcome["attributes"] {
  if (a === null) return null;
  return Object.fromEntries(Object.entries(a).map(([k, values]) => [k, values.map((v) => toJson(v as GoValue))])) as Outcome["attributes"];
}

function toJson(v: GoValue): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : formatGoValue(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Map) return Object.fromEntries([...(v as GoMap)].map(([k, w]) => [formatGoValue(k), toJson(w)]));
  return v;
}
