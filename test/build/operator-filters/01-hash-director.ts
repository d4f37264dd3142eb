// Hash director: the same account always lands on the same backend of its protocol, with a
// secondary for failover.
import { get_backend_servers, select_backend_server, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

function hashAccount(name: string): number {
  let h = 5381;
  for (let i = 0; i < name.length; i++) {
    h = (h * 33 + name.charCodeAt(i)) % 4294967296;
  }
  return h;
}

function compareServers(a: BackendServer, b: BackendServer): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  return a.port - b.port;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const report: string[] = [];
  const key = (request.account || request.username).toLowerCase();
  const pool = get_backend_servers()
    .filter((s) => s.protocol === request.protocol)
    .sort(compareServers);
  report.push(`key=${key}`, `key_len=${key.length}`);
  report.push(`pool=${pool.map((s) => `${s.ip}:${s.port}`).join(",")}`);
  const h = hashAccount(key);
  report.push(`hash=${h}`, `hex=${h.toString(16)}`, `mod97=${h % 97}`);
  if (pool.length === 0) {
    report.push("chosen=none");
    nauthilus_builtin.status_message_set(report.join(" | "));
    return accept();
  }
  const index = h % pool.length;
  const chosen = pool[index];
  const secondary = pool[(index + 1) % pool.length];
  report.push(`index=${index}`, `chosen=${chosen!.ip}:${chosen!.port}`, `secondary=${secondary!.ip}`);

  select_backend_server(chosen!.ip, chosen!.port);
  nauthilus_builtin.custom_log_add("director_backend", `${chosen!.ip}:${chosen!.port}`);
  nauthilus_builtin.status_message_set(report.join(" | "));
  return accept();
}
