// Copies the chosen server with a weight added, and lists what a server carries, for the log.
import { get_backend_servers, select_backend_server } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers().filter((s) => s.protocol === request.protocol);
  const weighted = servers.map((s) => ({ ...s, weight: s.tls ? 2 : 1 }));
  const best = weighted.sort((a, b) => b.weight - a.weight)[0];
  const out = [`best=${best?.ip ?? "none"}:${best?.port ?? 0}`, `weight=${best?.weight ?? 0}`];
  if (servers.length > 0) out.push(`fields=${Object.keys(servers[0]!).sort().join(",")}`);
  if (best !== undefined) select_backend_server(best.ip, best.port);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
