// Lists server positions and ports with the array iterator methods.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers();
  const positions = [...servers.keys()];
  const ports = [...servers.values()].map((s) => s.port);
  nauthilus_builtin.status_message_set(`positions=${positions.join(",")} | ports=${ports.join(",")}`);
  return accept();
}
