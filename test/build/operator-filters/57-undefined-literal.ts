// Collects optional profile parts, with a gap where a part is missing.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const parts = [request.display_name || undefined, undefined, request.account || undefined, "end"];
  nauthilus_builtin.status_message_set(`len=${parts.length} | parts=${parts.join("/")}`);
  return accept();
}
