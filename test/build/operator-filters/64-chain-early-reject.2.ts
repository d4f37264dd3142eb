// Second filter: routes the logins the first filter let through.
import { get_backend_servers, select_backend_server, apply_backend_result } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const server = get_backend_servers().find((s) => s.protocol === request.protocol);
  if (server === undefined) return accept();
  select_backend_server(server.ip, server.port);
  const result = nauthilus_backend_result.new();
  result.attributes({ hostip: server.ip, port: String(server.port) });
  apply_backend_result(result);
  nauthilus_builtin.custom_log_add("routed", `${server.ip}:${server.port}`);
  nauthilus_builtin.status_message_set("routed");
  return accept();
}
