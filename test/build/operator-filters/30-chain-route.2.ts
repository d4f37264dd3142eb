// Second filter of a chain: reads the first filter's route and overrides the selection for TLS.
import { select_backend_server, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

declare global {
  var routeHint: { pool: string; servers: BackendServer[]; byPort: Map<number, string> } | undefined;
  var routeLog: string[] | undefined;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const hint = globalThis.routeHint;
  globalThis.routeLog?.push("second");
  const out = [`pool=${hint?.pool ?? "none"}`, `count=${hint?.servers.length ?? 0}`];
  const ports = hint ? [...hint.byPort.keys()].sort((a, b) => a - b) : [];
  out.push(`ports=${ports.join(",")}`, `is_map=${hint?.byPort instanceof Map}`);
  const tls = hint?.servers.find((s) => s.tls);
  if (tls !== undefined) select_backend_server(tls.ip, tls.port);
  out.push(`tls=${tls?.ip ?? "none"}`, `log=${globalThis.routeLog?.join(">") ?? ""}`, `status_seen=${request.status_message}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
