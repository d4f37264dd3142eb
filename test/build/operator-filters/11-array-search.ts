// Looks up the login in small tables: weights, maintenance lists, port lists.
import { get_backend_servers } from "nauthilus_backend";
import { accept, reject } from "nauthilus-sdk";

const MAINTENANCE = ["10.0.1.7", "10.0.2.6"];
const WEIGHTS = [3, 1, 4, 1, 5, 9, 2, 6];

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const servers = get_backend_servers();
  out.push(`total_weight=${WEIGHTS.reduce((a, b) => a + b, 0)}`);
  out.push(`max_weight=${WEIGHTS.reduce((a, b) => Math.max(a, b))}`);
  out.push(`concat=${WEIGHTS.reduceRight((acc, w) => acc + w, "")}`);
  out.push(`empty_sum=${([] as number[]).reduce((a, b) => a + b, 0)}`);
  out.push(`ports_sum=${servers.reduce((sum, s) => sum + s.port, 0)}`);
  const byProto = servers.reduce<Record<string, number>>((acc, s) => {
    acc[s.protocol] = (acc[s.protocol] ?? 0) + 1;
    return acc;
  }, {});
  out.push(`imap_count=${byProto["imap"]}`, `smtp_count=${byProto["smtp"]}`);

  const tlsServer = servers.find((s) => s.tls && s.protocol === request.protocol);
  out.push(`tls=${tlsServer?.ip}`, `tls_index=${servers.findIndex((s) => s.tls)}`);
  out.push(`missing_index=${servers.findIndex((s) => s.port === 1)}`);
  out.push(`all_have_ports=${servers.every((s) => s.port > 0)}`, `some_proxy=${servers.some((s) => s.haproxy_v2)}`);
  out.push(`empty_every=${([] as number[]).every((x) => x > 100)}`, `empty_some=${([] as number[]).some((x) => x > 100)}`);
  out.push(`first_one=${WEIGHTS.indexOf(1)}`, `one_after=${WEIGHTS.indexOf(1, 2)}`, `neg_from=${WEIGHTS.indexOf(2, -3)}`);
  out.push(`has9=${WEIGHTS.includes(9)}`, `has9_from=${WEIGHTS.includes(9, 6)}`, `has_str=${MAINTENANCE.includes(request.client_ip)}`);
  const parsed = [request.local_port, request.client_port, "x"].map((p) => Number(p));
  out.push(`nan_includes=${parsed.includes(NaN)}`, `nan_index=${parsed.indexOf(NaN)}`);
  const inMaintenance = servers.filter((s) => MAINTENANCE.indexOf(s.ip) !== -1).map((s) => s.ip);
  out.push(`maintenance=${inMaintenance.join(",")}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  if (inMaintenance.length === servers.length) return reject();
  return accept();
}
