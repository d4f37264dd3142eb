// Describes the servers with a named helper passed to map and filter.
import { get_backend_servers, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

function describe(s: BackendServer): string {
  return `${s.ip}:${s.port}`;
}

const isTls = (s: BackendServer): boolean => s.tls;

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers();
  nauthilus_builtin.status_message_set(`all=${servers.map(describe).join(",")} | tls=${servers.filter(isTls).length}`);
  return accept();
}
