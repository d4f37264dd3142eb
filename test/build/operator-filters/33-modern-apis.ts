// Uses the newer array, string and object helpers an editor suggests.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers();
  const ips = servers.map((s) => s.ip);
  const out = [
    `sorted=${ips.toSorted().join(",")}`,
    `last_tls=${servers.findLast((s) => s.tls)?.ip}`,
    `last_index=${ips.lastIndexOf("10.0.1.3")}`,
    `at=${ips.at(-1)}`,
    `grouped=${Object.keys(Object.groupBy(servers, (s) => s.protocol)).length}`,
    `locale=${request.username.localeCompare("m")}`,
    `nfc=${request.display_name.normalize("NFC")}`,
    `uri=${encodeURIComponent(request.username)}`,
    `reversed=${ips.toReversed()[0]}`,
    `with=${ips.with(0, "x")[0]}`,
  ];
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
