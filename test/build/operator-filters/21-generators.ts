// Round-robin over the live servers of the protocol with a generator.
import { get_backend_servers, select_backend_server, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

function* rotation(servers: BackendServer[], start: number): Generator<BackendServer> {
  for (let i = 0; i < servers.length; i++) yield servers[(start + i) % servers.length]!;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const pool = get_backend_servers().filter((s) => s.protocol === request.protocol);
  const order: string[] = [];
  for (const s of rotation(pool, request.account.length)) order.push(s.ip);
  const first = rotation(pool, 0).next();
  if (!first.done) select_backend_server(first.value.ip, first.value.port);
  nauthilus_builtin.status_message_set(`order=${order.join(",")}`);
  return accept();
}
