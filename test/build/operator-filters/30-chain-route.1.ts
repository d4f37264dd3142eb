// First filter of a chain: decides the route and leaves it for the next filter in a global.
import { get_backend_servers, select_backend_server, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

declare global {
  var routeHint: { pool: string; servers: BackendServer[]; byPort: Map<number, string> } | undefined;
  var routeLog: string[] | undefined;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers().filter((s) => s.protocol === request.protocol);
  const byPort = new Map<number, string>();
  for (const s of servers) byPort.set(s.port, s.ip);
  globalThis.routeHint = { pool: request.protocol + "-pool", servers, byPort };
  globalThis.routeLog = ["first"];
  if (servers.length > 0) select_backend_server(servers[0]!.ip, servers[0]!.port);
  nauthilus_builtin.status_message_set("routed by first");
  return accept();
}
