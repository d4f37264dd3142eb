// Walks the failover list with for...in, as one would over an object.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers();
  const positions: string[] = [];
  for (const i in servers) positions.push(`${i}:${servers[i]!.port}`);
  nauthilus_builtin.status_message_set(`positions=${positions.join(",")}`);
  return accept();
}
