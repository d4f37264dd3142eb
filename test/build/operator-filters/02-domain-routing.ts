// Domain routing: the login's domain picks an address range of backends; some domains are blocked,
// and the listener port says which service the client asked for.
import { get_backend_servers, select_backend_server } from "nauthilus_backend";
import { accept, reject } from "nauthilus-sdk";

const DOMAIN_POOLS: Record<string, string> = {
  "example.com": "10.0.1.",
  "bücher.de": "10.0.2.",
  "example.net": "10.0.4.",
};
const PORT_NAMES: Record<string, string> = { 143: "imap", 993: "imaps", 110: "pop3", 995: "pop3s", 587: "submission" };
const BLOCKED = ["spam.example", "old.example.com"];

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const login = request.account !== "" ? request.account : request.username;
  const [local, domain = ""] = login.split("@");
  const dom = domain.toLowerCase();
  out.push(`local=${local}`, `domain=${dom}`, `user_lc=${request.username.toLowerCase()}`);
  out.push(`user_uc=${request.username.toUpperCase()}`);
  out.push(`parts=${login.split("@").length}`);
  out.push(`listener=${PORT_NAMES[request.local_port] ?? "unknown"}`);
  out.push(`listener_num=${PORT_NAMES[Number(request.local_port)] ?? "unknown"}`);
  out.push(`known=${dom in DOMAIN_POOLS}`);
  const prefix = DOMAIN_POOLS[dom];
  out.push(`prefix=${prefix}`);
  out.push(`tld=${dom.split(".").pop()}`, `sub=${dom.split(".").slice(0, -1).join(".")}`);
  out.push(`blocked=${BLOCKED.includes(dom)}`);
  out.push(`port_keys=${Object.keys(PORT_NAMES).join(",")}`);
  out.push(`port_key_type=${typeof Object.keys(PORT_NAMES)[0]}`);
  const candidates = get_backend_servers().filter((s) => prefix !== undefined && s.ip.startsWith(prefix));
  out.push(`candidates=${candidates.map((s) => s.ip).join(",")}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  if (BLOCKED.includes(dom)) return reject();
  if (candidates.length > 0) select_backend_server(candidates[0]!.ip, candidates[0]!.port);
  return accept();
}
