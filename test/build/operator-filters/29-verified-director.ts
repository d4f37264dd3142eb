// Picks the first server of the protocol that answers a probe, and explains the failures.
import { check_backend_connection, get_backend_servers, select_backend_server } from "nauthilus_backend";
import { accept, reject } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const candidates = get_backend_servers()
    .filter((s) => s.protocol === request.protocol)
    .sort((a, b) => Number(b.tls) - Number(a.tls) || a.port - b.port);
  out.push(`candidates=${candidates.map((s) => `${s.ip}:${s.port}`).join(",")}`);
  const failures: string[] = [];
  for (const s of candidates) {
    const error = check_backend_connection(s.ip, s.port, s.haproxy_v2, s.tls);
    if (error === undefined) {
      select_backend_server(s.ip, s.port);
      out.push(`chosen=${s.ip}`);
      break;
    }
    const reason = error.includes("refused") ? "refused" : error.endsWith("timeout") ? "timeout" : "other";
    failures.push(`${s.ip}:${reason}:${error.split(": ").slice(-1)[0]}`);
  }
  out.push(`failures=${failures.join(";")}`, `failed=${failures.length}`);
  nauthilus_builtin.custom_log_add("probe_failures", String(failures.length));
  nauthilus_builtin.status_message_set(out.join(" | "));
  if (candidates.length > 0 && failures.length === candidates.length) return reject(nauthilus_builtin.FILTER_RESULT_FAIL);
  return accept();
}
