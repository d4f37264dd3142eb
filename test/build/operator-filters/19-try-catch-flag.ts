// Parses the per-user port override; a bad override falls back to the listener port. Written the
// usual way: a flag and a value set in the catch block.
import { accept } from "nauthilus-sdk";

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`bad port: ${text}`);
  return n;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  let port = 0;
  let failed = false;
  let message = "";
  try {
    port = parsePort(request.client_port === "1" ? "99999" : request.local_port);
  } catch (e) {
    failed = true;
    message = e instanceof Error ? e.message : String(e);
    port = 143;
  } finally {
    message += ";done";
  }
  nauthilus_builtin.status_message_set(`port=${port} | failed=${failed} | message=${message}`);
  return accept();
}
