// Walks servers, maps and arrays with for...of and iterator helpers to build a summary.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const servers = get_backend_servers();
  const indexed: string[] = [];
  for (const [i, s] of servers.entries()) if (s.protocol === request.protocol) indexed.push(`${i}=${s.port}`);
  out.push(`entries=${indexed.join(",")}`);

  const ports = new Map<string, number[]>();
  for (const { protocol, port } of servers) ports.set(protocol, [...(ports.get(protocol) ?? []), port]);
  const summary: string[] = [];
  for (const [proto, list] of ports) summary.push(`${proto}:${list.join("/")}`);
  out.push(`summary=${summary.join(",")}`);
  out.push(`from_map=${Array.from(ports, ([k, v]) => `${k}${v.length}`).join(",")}`);
  out.push(`max_port=${Math.max(...new Set(servers.map((s) => s.port)))}`);
  out.push(`spread_entries=${[...ports.entries()].length}`);

  const iter = ports.keys();
  const first = iter.next();
  const second = iter.next();
  out.push(`next=${first.value},${second.value},${first.done}`);
  const words = ["x", "y", "z"];
  let joined = "";
  for (const w of words) {
    if (w === "y") words.push("w");
    joined += w;
  }
  out.push(`grow_while_iterating=${joined}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
