// Sorts servers for a stable failover order and display names for the admin report.
import { get_backend_servers, select_backend_server, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

const NAMES = ["zoe", "Zoë", "émile", "Emile", "bob", "Bob", "10", "9", "1", "😀bot", "ｔｅｓｔ", "Ωmega", "_x", "a b"];

function byWeight(a: BackendServer, b: BackendServer): number {
  const wa = (a.tls ? 2 : 0) + (a.haproxy_v2 ? 1 : 0);
  const wb = (b.tls ? 2 : 0) + (b.haproxy_v2 ? 1 : 0);
  return wb - wa;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const servers = get_backend_servers();
  const weighted = [...servers].sort(byWeight);
  out.push(`weighted=${weighted.map((s) => s.ip).join(",")}`);
  const byPortThenIp = [...servers].sort((a, b) => a.port - b.port || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  out.push(`port_ip=${byPortThenIp.map((s) => `${s.port}/${s.ip}`).join(",")}`);
  out.push(`default=${[...NAMES].sort().join(",")}`);
  out.push(`desc=${[...NAMES].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)).join(",")}`);
  out.push(`ci=${[...NAMES].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)).slice(0, 6).join(",")}`);
  out.push(`by_len=${[...NAMES].sort((a, b) => a.length - b.length).join(",")}`);
  out.push(`numbers=${[10, 9, 1, -1, 0.5, 100].sort((a, b) => a - b).join(",")}`);
  out.push(`numbers_default=${[10, 9, 1, -1, 0.5, 100].sort().join(",")}`);
  out.push(`lt=${"a" < "B"},${"Zoë" > "Zoe"},${"😀" > "ｔ"},${"10" < "9"},${"" < "a"}`);
  const sorted = servers.filter((s) => s.protocol === request.protocol).sort((a, b) => (a.ip < b.ip ? -1 : 1));
  if (sorted.length > 0) select_backend_server(sorted[0]!.ip, sorted[0]!.port);
  out.push(`first=${sorted[0]?.ip ?? "none"}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
