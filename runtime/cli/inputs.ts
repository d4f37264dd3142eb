// The CLI's JSON input files, checked with the runtime's one definition of each shape
// (runtime/nauthilus/request.ts), so a file and a library call are held to the same rules.
import { checkAttributes, checkServers, describe, RequestError } from "../nauthilus/request";
import type { BackendAttributes, ServerRecord } from "../types";

/** `--servers`: a JSON array of {protocol, ip, port, haproxy_v2, tls}, exactly those keys. */
export function parseServers(value: unknown, where: string): ServerRecord[] {
  return checkServers(value, where);
}

/** `--attributes`: the password backend's map {name: [values]}, or null for no map at all. */
export function parseAttributes(value: unknown, where: string): BackendAttributes | null {
  return checkAttributes(value, where);
}

/** `--request`: a JSON object of request fields (their kinds are checked by prepareRun). */
export function parseRequestObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RequestError(`${where}: expected an object of request fields, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}
