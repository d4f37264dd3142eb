/**
 * director: send each account to the same mail backend every time.
 *
 * Among the live backends whose `protocol` matches the login's protocol, pick one by a stable
 * hash of `request.account` and hand it to nginx (`Auth-Server`/`Auth-Port`). The same account
 * lands on the same server as long as the set of live servers does not change, which keeps
 * IMAP caches and Dovecot's index files warm. The choice is logged as `director_backend`.
 *
 * The list is sorted by ip and port first: the registry publishes servers in probe-completion
 * order once membership changes, so hashing into the raw list would move users.
 */
import { get_backend_servers, select_backend_server, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

/** djb2 over the account's bytes, kept below 2^32 with arithmetic (no bitwise operators in 5.1). */
function accountHash(account: string): number {
  let hash = 5381;
  // string.len and string.byte count bytes; account.length would count UTF-16 code units.
  for (let i = 1; i <= string.len(account); i++) {
    hash = (hash * 33 + string.byte(account, i)) % 4294967296;
  }
  return hash;
}

function byAddress(a: BackendServer, b: BackendServer): boolean {
  if (a.ip !== b.ip) return a.ip < b.ip;
  return a.port < b.port;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  if (request.account === "") return accept();

  const candidates: BackendServer[] = [];
  for (const server of get_backend_servers()) {
    if (server.protocol === request.protocol) candidates.push(server);
  }
  if (candidates.length === 0) return accept();

  table.sort(candidates, byAddress);
  const chosen = candidates[accountHash(request.account) % candidates.length];
  if (chosen === undefined) return accept(); // cannot happen: the index is below the length
  select_backend_server(chosen.ip, chosen.port);
  nauthilus_builtin.custom_log_add("director_backend", `${chosen.ip}:${chosen.port}`);
  return accept();
}
