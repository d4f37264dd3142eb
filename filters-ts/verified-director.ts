/**
 * verified-director: choose a backend, prove it answers, fall back to the next one.
 *
 * The monitoring registry probes every 10 s, so a server that died a moment ago can still be in
 * the list. This filter walks the live servers for the login's protocol in a per-account order
 * (the same account starts at the same server), probes each with `check_backend_connection`
 * (TCP, PROXY v2 and TLS exactly as the server is configured) and selects the first that
 * answers. When none answers it sets a status message and rejects the login, so that the client
 * gets a clear message instead of a connection to a dead server.
 *
 * Every call to check_backend_connection opens a connection: this costs one connect (plus a
 * TLS handshake) per login. Use it where a wrong route is worse than that cost.
 */
import {
  check_backend_connection,
  get_backend_servers,
  select_backend_server,
  type BackendServer,
} from "nauthilus_backend";
import { accept, reject } from "nauthilus-sdk";

const MAX_PROBES = 3;

function byAddress(a: BackendServer, b: BackendServer): boolean {
  if (a.ip !== b.ip) return a.ip < b.ip;
  return a.port < b.port;
}

function startIndex(account: string, count: number): number {
  let sum = 0;
  for (let i = 1; i <= string.len(account); i++) sum = (sum * 31 + string.byte(account, i)) % 1000003;
  return sum % count;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  if (!request.authenticated) return accept();

  const candidates: BackendServer[] = [];
  for (const server of get_backend_servers()) {
    if (server.protocol === request.protocol) candidates.push(server);
  }
  if (candidates.length === 0) {
    nauthilus_builtin.status_message_set("No mail server is available for this protocol, try again later");
    return reject(nauthilus_builtin.FILTER_RESULT_FAIL);
  }

  // The registry's order changes with probe timing; sort so an account keeps its start server.
  table.sort(candidates, byAddress);
  const first = startIndex(request.account, candidates.length);
  const tries = math.min(MAX_PROBES, candidates.length);
  for (let n = 0; n < tries; n++) {
    const server = candidates[(first + n) % candidates.length];
    if (server === undefined) continue; // cannot happen: the index is below the length
    const error = check_backend_connection(server.ip, server.port, server.haproxy_v2, server.tls);
    if (error === undefined) {
      select_backend_server(server.ip, server.port);
      nauthilus_builtin.custom_log_add("verified_backend", `${server.ip}:${server.port}`);
      return accept();
    }
    nauthilus_builtin.custom_log_add(`probe_failed_${n + 1}`, error);
  }

  nauthilus_builtin.status_message_set("No mail server answers right now, try again later");
  return reject(nauthilus_builtin.FILTER_RESULT_FAIL);
}
