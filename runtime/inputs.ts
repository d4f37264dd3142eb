// Untyped input (JSON files, library callers in plain JS) checked as strictly as the types say,
// with messages that name the file, the position in it and what to write instead.
import type { BackendAttributes, ServerRecord } from "./types";

export class InputError extends Error {}

const SERVER_KEYS: Record<keyof ServerRecord, "string" | "number" | "boolean"> = {
  protocol: "string",
  ip: "string",
  port: "number",
  haproxy_v2: "boolean",
  tls: "boolean",
};

/** `--servers`: a JSON array of {protocol, ip, port, haproxy_v2, tls}, exactly those keys. */
export function parseServers(value: unknown, where: string): ServerRecord[] {
  if (!Array.isArray(value)) throw new InputError(`${where}: expected a JSON array of servers, got ${describe(value)}`);
  return value.map((entry, i) => {
    const at = `${where}: server [${i}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new InputError(`${at}: expected an object {protocol, ip, port, haproxy_v2, tls}, got ${describe(entry)}`);
    }
    const extra = Object.keys(entry).filter((k) => !(k in SERVER_KEYS));
    if (extra.length > 0) throw new InputError(`${at} has invalid keys: ${extra.join(", ")} (allowed: ${Object.keys(SERVER_KEYS).join(", ")})`);
    for (const [key, kind] of Object.entries(SERVER_KEYS)) {
      const v = (entry as Record<string, unknown>)[key];
      if (v === undefined) throw new InputError(`${at}: missing "${key}" (a ${kind})`);
      if (typeof v !== kind) throw new InputError(`${at}: "${key}" must be a ${kind}, got ${describe(v)}`);
    }
    const server = entry as ServerRecord;
    if (!Number.isInteger(server.port) || server.port < 0 || server.port > 65535) {
      throw new InputError(`${at}: "port" must be an integer from 0 to 65535, got ${server.port}`);
    }
    return { protocol: server.protocol, ip: server.ip, port: server.port, haproxy_v2: server.haproxy_v2, tls: server.tls };
  });
}

/** `--attributes`: the password backend's map {name: [values]}, or null for no map at all. */
export function parseAttributes(value: unknown, where: string): BackendAttributes | null {
  if (value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(`${where}: expected an object {name: [values]} or null, got ${describe(value)}`);
  }
  const out: BackendAttributes = {};
  for (const [name, values] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(values)) throw new InputError(`${where}: attribute "${name}" must be an array of values, got ${describe(values)}`);
    values.forEach((v, i) => {
      if (!["string", "number", "boolean"].includes(typeof v)) {
        throw new InputError(`${where}: attribute "${name}" value [${i}] must be a string, number or boolean, got ${describe(v)}`);
      }
    });
    out[name] = values as Array<string | number | boolean>;
  }
  return out;
}

/** `--request`: a JSON object of request fields (checked by runtime/request.ts). */
export function parseRequestObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`${where}: expected an object of request fields, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}
