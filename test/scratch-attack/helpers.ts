import { Engine } from "../../runtime/engine";
import { decideOutcome } from "../../runtime/outcome";
export const servers = [{ protocol: "imap", ip: "10.0.0.1", port: 143, haproxy_v2: false, tls: false }, { protocol: "imap", ip: "10.0.0.2", port: 143, haproxy_v2: false, tls: false }];
export function req(src: string, account = "alice", extra: any = {}) {
  return { filters: [{ name: "a.lua", source: src }], servers, attributes: {}, request: { account, authenticated: true }, ...extra } as any;
}
export const BOB = `
function nauthilus_call_filter(request)
  dynamic_loader("nauthilus_backend")
  local nb = require("nauthilus_backend")
  local t = {}
  for i = 1, 200000 do t[i % 100] = {i} end
  local s = ("x"):rep(3)
  local ok = io.write and 1
  nb.select_backend_server("10.0.0.2", 143)
  nauthilus_builtin.custom_log_add("user", request.account)
  return false, 0
end`;
export function show(name: string, run: any, r: any) {
  const o = decideOutcome(run, { kind: "done", result: r });
  console.log(`=== ${name}:`, JSON.stringify({ outcome: o.outcome, error: o.error, selected: o.selected, status: o.status_message, logs: o.logs, printed: r.printed, diag: o.diagnostics }));
  return o;
}
export async function pair(name: string, alice: string, bob = BOB) {
  const e = await Engine.create();
  const ra = req(alice);
  let r: any;
  try { r = e.runChain(ra, { probe: () => undefined }); show(name + " alice", ra, r); } catch (x) { console.log(`=== ${name} alice THREW`, String(x)); }
  const rb = req(bob, "bob");
  for (let i = 0; i < 2; i++) {
    try { r = e.runChain(rb, { probe: () => undefined }); show(name + " bob" + i, rb, r); } catch (x) { console.log(`=== ${name} bob THREW`, String(x)); }
  }
  e.close();
}
