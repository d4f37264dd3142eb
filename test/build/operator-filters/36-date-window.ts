// Sends POP3 users to the spare server during the nightly maintenance window.
import { get_backend_servers, select_backend_server } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const hour = new Date().getUTCHours();
  if (request.protocol === "pop3" && hour >= 2 && hour < 4) {
    const spare = get_backend_servers().find((s) => s.protocol === "pop3");
    if (spare) select_backend_server(spare.ip, spare.port);
  }
  return accept();
}
