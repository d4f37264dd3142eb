// The one definition of the values that cross into the VM for a request: the 44 request fields
// (server/lualib/request.go:181-237) and the server record fields (F:292-317), each with its Lua
// kind and Go zero value. Validation (`prepareRun`), the wire to the VM (runtime/vm/engine.ts) and
// the Lua side (runtime/vm/lua/nauthilus.lua receives the names and kinds from here) all use it.
import type { BackendAttributes, FilterScript, FilterSourceMap, RequestInput, RunRequest, ServerRecord } from "../types";
import { fromBytes } from "../vm/wire";

export type FieldKind = "boolean" | "number" | "string";

const BOOLEAN_FIELDS = ["debug", "repeating", "user_found", "authenticated", "no_auth"] as const;
const NUMBER_FIELDS = ["brute_force_counter"] as const;
const STRING_FIELDS = [
  "service", "session", "client_ip", "client_port", "client_net", "client_hostname", "client_id", "user_agent",
  "local_ip", "local_port", "username", "account", "account_field", "unique_user_id", "display_name", "password",
  "protocol", "brute_force_bucket", "feature", "status_message", "ssl",
  "ssl_session_id", "ssl_client_verify", "ssl_client_dn", "ssl_client_cn", "ssl_issuer", "ssl_client_not_before",
  "ssl_client_not_after", "ssl_subject_dn", "ssl_issuer_dn", "ssl_client_subject_dn", "ssl_client_issuer_dn",
  "ssl_protocol", "ssl_cipher", "ssl_serial", "ssl_fingerprint", "log_format", "log_level",
] as const;

// Compile-time proof that the three lists name exactly the SDK's FilterRequest fields.
type Listed = (typeof BOOLEAN_FIELDS)[number] | (typeof NUMBER_FIELDS)[number] | (typeof STRING_FIELDS)[number];
const _everyFieldListed: Record<keyof FilterRequest, true> = {} as Record<Listed, true>;
const _noExtraField: Record<Listed, true> = {} as Record<keyof FilterRequest, true>;
void _everyFieldListed;
void _noExtraField;

/** Request field → its Lua kind, in the order the VM numbers them (1-based on the wire), which is
 * also the order production sets them (request.go:189-235): `pairs(request)` gives it. */
export const REQUEST_FIELDS: ReadonlyMap<string, FieldKind> = new Map([
  ...BOOLEAN_FIELDS.map((f) => [f, "boolean"] as const),
  ...NUMBER_FIELDS.map((f) => [f, "number"] as const),
  ...STRING_FIELDS.map((f) => [f, "string"] as const),
]);

/** Server record field → its Lua kind, in the order the wire carries them. */
export const SERVER_FIELDS: ReadonlyMap<keyof ServerRecord, FieldKind> = new Map([
  ["protocol", "string"], ["ip", "string"], ["port", "number"], ["haproxy_v2", "boolean"], ["tls", "boolean"],
] as const);

/** Go's zero value of a kind: what a field the request did not set holds. */
export function zeroValue(kind: FieldKind): boolean | number | string {
  return kind === "boolean" ? false : kind === "number" ? 0 : "";
}

/** Every request field at its zero value (copied for each request). */
const ZERO_REQUEST: Readonly<Record<string, boolean | number | string>> = Object.freeze(
  Object.fromEntries([...REQUEST_FIELDS].map(([field, kind]) => [field, zeroValue(kind)])),
);

export class RequestError extends Error {}

/** A RunRequest that passed `prepareRun`: every request field present, servers checked. */
export interface PreparedRun extends Omit<RunRequest, "request"> {
  readonly prepared: true;
  request: FilterRequest;
}

/** Validates a run once, at the runtime's entry: unknown or mistyped request fields, malformed
 * servers, filters and attributes are a RequestError naming what is wrong; missing request
 * fields get their zero values. A PreparedRun passes through unchanged. */
export function prepareRun(run: RunRequest | PreparedRun): PreparedRun {
  if ((run as PreparedRun).prepared === true) return run as PreparedRun;
  if (typeof run !== "object" || run === null) throw new RequestError(`a run request must be an object, got ${describe(run)}`);
  return {
    prepared: true,
    filters: checkFilters(run.filters),
    servers: checkServers(run.servers, "servers"),
    attributes: checkAttributes(run.attributes, "attributes"),
    request: requestTable(run.request ?? {}),
    timeoutSeconds: checkTimeout(run.timeoutSeconds),
    packagePath: run.packagePath === undefined ? undefined : checkString(run.packagePath, "packagePath"),
    monitoring: run.monitoring === undefined ? undefined : checkBoolean(run.monitoring, "monitoring"),
    loginAttempt: run.loginAttempt === undefined ? undefined : checkLoginAttempt(run.loginAttempt),
  };
}

/** Fills in the zero values; rejects unknown fields and wrong types with a message naming them. */
export function requestTable(partial: RequestInput | Record<string, unknown>): FilterRequest {
  if (typeof partial !== "object" || partial === null || Array.isArray(partial)) {
    throw new RequestError(`the request must be an object of request fields, got ${describe(partial)}`);
  }
  const table: Record<string, boolean | number | string> = { ...ZERO_REQUEST };
  for (const field in partial) {
    const value = (partial as Record<string, unknown>)[field];
    const kind = REQUEST_FIELDS.get(field);
    if (kind === undefined) throw new RequestError(`unknown request field "${field}" (the 44 fields: FilterRequest in the SDK)`);
    if (value === undefined) continue; // an optional property left out
    if (kind === "string" && value instanceof Uint8Array) {
      // Bytes that are UTF-8 travel as the string they are; others stay bytes, as production's Lua sees them.
      const decoded = fromBytes(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      (table as Record<string, unknown>)[field] = decoded.bytes ? new Uint8Array(value) : decoded.text;
      continue;
    }
    if (typeof value !== kind) throw new RequestError(`request field "${field}" must be a ${kind}, got ${describe(value)}`);
    if (kind === "number" && !Number.isFinite(value)) throw new RequestError(`request field "${field}" must be a finite number, got ${value}`);
    table[field] = value as boolean | number | string;
  }
  return table as unknown as FilterRequest;
}

/** The alive list: exactly the record fields with their kinds, ports 0..65535. */
export function checkServers(value: unknown, where: string): ServerRecord[] {
  if (!Array.isArray(value)) throw new RequestError(`${where}: expected an array of servers, got ${describe(value)}`);
  return value.map((entry, i) => {
    const at = `${where}[${i}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new RequestError(`${at}: expected an object {protocol, ip, port, haproxy_v2, tls}, got ${describe(entry)}`);
    }
    let keys = 0;
    for (const k in entry) if (Object.hasOwn(entry, k)) keys++;
    if (keys !== SERVER_FIELDS.size) {
      const extra = Object.keys(entry).filter((k) => !SERVER_FIELDS.has(k as keyof ServerRecord));
      if (extra.length > 0) throw new RequestError(`${at} has invalid keys: ${extra.join(", ")} (allowed: ${[...SERVER_FIELDS.keys()].join(", ")})`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, kind] of SERVER_FIELDS) {
      const v = (entry as Record<string, unknown>)[key];
      if (v === undefined) throw new RequestError(`${at}: missing "${key}" (${kind === "number" ? "a number" : `a ${kind}`})`);
      if (typeof v !== kind) throw new RequestError(`${at}: "${key}" must be a ${kind}, got ${describe(v)}`);
      out[key] = v;
    }
    const port = out.port as number;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RequestError(`${at}: "port" must be an integer from 0 to 65535, got ${port}`);
    return out as unknown as ServerRecord;
  });
}

function checkFilters(value: unknown): FilterScript[] {
  if (!Array.isArray(value)) throw new RequestError(`filters: expected an array of {name, source}, got ${describe(value)}`);
  return value.map((f, i) => {
    if (typeof f !== "object" || f === null) throw new RequestError(`filters[${i}]: expected {name, source}, got ${describe(f)}`);
    const { name, source, sourceMap } = f as Record<string, unknown>;
    const script: FilterScript = { name: checkString(name, `filters[${i}].name`), source: checkString(source, `filters[${i}].source`) };
    if (sourceMap !== undefined) script.sourceMap = checkSourceMap(sourceMap, `filters[${i}].sourceMap`);
    return script;
  });
}

function checkSourceMap(value: unknown, where: string): FilterSourceMap {
  const { mappings, sources } = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof mappings !== "string" || !Array.isArray(sources) || !sources.every((s) => typeof s === "string")) {
    throw new RequestError(`${where}: expected {mappings: string, sources: string[]}, got ${describe(value)}`);
  }
  return { mappings, sources: [...sources] };
}

/** The password backend's attributes: {name: [values]}, or null for no map at all. */
export function checkAttributes(value: unknown, where: string): BackendAttributes | null {
  if (value === null) return null;
  if (typeof value !== "object" || value === undefined || Array.isArray(value)) {
    throw new RequestError(`${where}: expected an object {name: [values]} or null, got ${describe(value)}`);
  }
  for (const [name, values] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(values)) throw new RequestError(`${where}: attribute "${name}" must be an array of values, got ${describe(values)}`);
    values.forEach((v, i) => {
      if (!["string", "number", "boolean"].includes(typeof v)) {
        throw new RequestError(`${where}: attribute "${name}" value [${i}] must be a string, number or boolean, got ${describe(v)}`);
      }
    });
  }
  return value as BackendAttributes;
}

/** Seconds per filter. Node timers hold at most 2^31-1 ms: anything longer means "no timeout
 * in practice" and is capped there, never wrapped around to 1 ms. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000) - 60;

function checkTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(value > 0)) throw new RequestError(`timeoutSeconds must be a positive number, got ${describe(value)}`);
  return Math.min(value, MAX_TIMEOUT_SECONDS);
}

function checkLoginAttempt(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new RequestError(`loginAttempt must be a whole number >= 0, got ${describe(value)}`);
  }
  return value;
}

function checkString(v: unknown, where: string): string {
  if (typeof v !== "string") throw new RequestError(`${where} must be a string, got ${describe(v)}`);
  return v;
}

function checkBoolean(v: unknown, where: string): boolean {
  if (typeof v !== "boolean") throw new RequestError(`${where} must be a boolean, got ${describe(v)}`);
  return v;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number" && !Number.isFinite(v)) return `number ${v}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}
