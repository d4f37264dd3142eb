// The status line and log values of a load report: numbers in templates and concatenation.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers();
  const share = 1 / servers.length;
  const imap = servers.filter((s) => s.protocol === "imap").length;
  const parts = [
    `share=${share}`,
    `pct=${share * 100}%`,
    `ratio=${imap / servers.length}`,
    `third=${1 / 3}`,
    `big=${2 ** 53}`,
    `bigger=${2 ** 64}`,
    `tiny=${0.1 * 3}`,
    `neg_zero=${-0}`,
    `nan=${0 / 0}`,
    `inf=${-1 / 0}`,
    `exp=${1.5e-7}`,
    `e21=${123e20}`,
    `million=${1e6}`,
    `port_plus=${request.local_port + 1}`,
    `port_num=${Number(request.local_port) + 1}`,
    `counter=${request.brute_force_counter / 2}`,
    `nested=${`${imap}/${servers.length}`}`,
    `bool=${imap > 2}`,
    `concat=` + 0.1 + 0.2,
    `sum=` + (0.1 + 0.2),
    `div=${100 / 7}`,
    `float=${1234.5678 * 1000}`,
    `neg=${-1e-7}`,
    `product=${123456789 * 987654321}`,
    `pow70=${2 ** 70}`,
    `per_server=${request.brute_force_counter / servers.length}`,
    `zero_div=${servers.length / 0}`,
  ];
  nauthilus_builtin.custom_log_add("share", `${share}`);
  nauthilus_builtin.status_message_set(parts.join(" | "));
  return accept();
}
