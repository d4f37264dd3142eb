// Logs the routing decision as JSON for the log shipper.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const first = get_backend_servers()[0];
  const decision = { user: request.username, backend: first?.ip ?? null, port: first?.port ?? 0 };
  nauthilus_builtin.custom_log_add("decision", JSON.stringify(decision));
  return accept();
}
