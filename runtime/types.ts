// The runtime's public types. Server records and the request use the SDK's own declarations, so
// what authors compile against and what the runtime hands to filters are one definition.
import type { BackendServer } from "nauthilus_backend";
import type { FilterSourceMap } from "./vm/source-map";

export type { BackendServer, FilterSourceMap };

/** A backend server as configured and as the registry publishes it (contract §6). */
export type ServerRecord = { -readonly [K in keyof BackendServer]: BackendServer[K] };

/** A filter of the chain: its chunk name (the script path as configured) and its Lua source. */
export interface FilterScript {
  name: string;
  source: string;
  /** For a compiled filter: its source map, so that errors also name TypeScript lines. */
  sourceMap?: FilterSourceMap;
}

/** The password backend's attributes: name → values (Nauthilus keeps a list per name). */
export type BackendAttributes = Record<string, AttributeValue[]>;

/** The request fields a run is given: FilterRequest's, strings also as bytes. */
export type RequestInput = { -readonly [K in keyof FilterRequest]?: FilterRequest[K] extends string ? string | Uint8Array : FilterRequest[K] };

/** One request through the filter chain. */
export interface RunRequest {
  filters: FilterScript[];
  /** The alive list the registry holds when the request's filters start. */
  servers: ServerRecord[];
  /** The password backend's attributes; null: the backend returned no map at all. */
  attributes: BackendAttributes | null;
  /** The request table; missing fields get production's defaults. A string field may be given
   * as its exact bytes (a Uint8Array) where they are not UTF-8, as an HTTP header can carry. */
  request: RequestInput;
  /** NAUTHILUS_LUA_SCRIPT_TIMEOUT: seconds per filter (default 120). */
  timeoutSeconds?: number;
  /** lua.config.package_path: extra package.path entries. */
  packagePath?: string;
  /** Whether the feature backend_server_monitoring is on (default true). */
  monitoring?: boolean;
  /** nginx's Auth-Login-Attempt header (default 1, a first try): decides Auth-Wait on failure. */
  loginAttempt?: number;
}

/** What one filter's nauthilus_call_filter returned. */
export interface FilterCall {
  name: string;
  action: boolean;
  code: number;
}

/** The JSON object `nauthilus-filters run` prints (issue #3). */
export interface Outcome {
  outcome: "ok" | "fail" | "tempfail" | "server_error";
  /** The error as production reports it (Lua positions), or null. */
  error: string | null;
  /** For compiled filters: `error` with the TypeScript position next to each Lua one. */
  error_ts: string | null;
  filters: FilterCall[];
  selected: { ip: string; port: number } | null;
  removed: string[];
  attributes: BackendAttributes | null;
  headers: { nginx: Array<[string, string]>; header: Array<[string, string]> };
  status_message: string | null;
  logs: Array<[string, string]>;
  diagnostics: string[];
}
