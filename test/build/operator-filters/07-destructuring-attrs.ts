// Splits the backend attributes: the quota goes to its own header, everything else is passed on.
import { apply_backend_result, get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

type Attrs = Record<string, string>;

function backendAttributes(request: FilterRequest): Attrs {
  return {
    "X-Mail-Quota": request.account === "" ? "" : "10G",
    "X-Mail-Host": "mx1",
    Display: request.display_name,
    uid: request.unique_user_id,
  };
}

function describe({ ip, port, tls = false }: { ip: string; port: number; tls?: boolean }): string {
  return `${ip}/${port}${tls ? "s" : ""}`;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const attrs = backendAttributes(request);
  const { "X-Mail-Quota": quota, ...rest } = attrs;
  out.push(`quota=${quota}`, `rest=${Object.keys(rest).sort().join(",")}`, `rest_count=${Object.keys(rest).length}`);

  const [user, domain = "localhost", ...extra] = request.username.split("@");
  out.push(`user=${user}`, `domain=${domain}`, `extra=${extra.length}`);

  const [first, , third = "none", ...tail] = request.client_ip.split(".");
  out.push(`octets=${first}/${third}/${tail.join(".")}`);

  const { length } = request.display_name;
  out.push(`name_len=${length}`);

  const field = "X-Mail-Host";
  const { [field]: host, Display: shown = "anonymous" } = attrs;
  out.push(`host=${host}`, `shown=${shown}`);

  const config: { pools?: { primary?: string; backup?: string } } = { pools: { backup: "b1" } };
  const { pools: { primary = "p0", backup } = {} } = config;
  out.push(`pools=${primary}/${backup}`);

  let a = request.local_port;
  let b = request.client_port;
  [a, b] = [b, a];
  out.push(`swapped=${a}>${b}`);

  const servers = get_backend_servers();
  out.push(`described=${servers.slice(0, 2).map((s) => describe(s)).join(",")}`);
  const [, second] = servers;
  out.push(`second=${second!.ip}`);

  if (quota !== undefined && quota !== "") {
    const result = nauthilus_backend_result.new();
    result.attributes({ quota, ...rest });
    apply_backend_result(result);
  }
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
