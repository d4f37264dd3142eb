// First filter: collects the optional parts of the login into a list shared with the next filter,
// and builds a set of protocols (which defines the lualib's Set class for the request).
import { accept } from "nauthilus-sdk";

declare global {
  var parts: Array<string | undefined> | undefined;
  var profile: { name?: string; session?: string; note?: string } | undefined;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const seen = new Set([request.protocol]);
  const parts: Array<string | undefined> = [];
  parts.push(request.display_name || undefined);
  parts.push(request.session || undefined);
  globalThis.parts = parts;
  globalThis.profile = { name: request.display_name || undefined, session: request.session || undefined };
  nauthilus_builtin.status_message_set(`protocols=${seen.size} parts=${parts.length}`);
  return accept();
}
