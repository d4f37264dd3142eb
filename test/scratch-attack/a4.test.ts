import { test } from "vitest";
import { createRuntime } from "../../runtime/index";
import { req, BOB, servers } from "./helpers";
const F = (body: string) => `function nauthilus_call_filter(request)\n${body}\nreturn false, 0\nend`;
const many = Array.from({ length: 300 }, (_, i) => ({ protocol: "imap", ip: `10.1.${i >> 8}.${i & 255}`, port: 143, haproxy_v2: false, tls: false }));
const cases: Array<[string, any]> = [
  ["catastrophic", { filters: [{ name: "a.lua", source: F(`string.find(("a"):rep(40), ".-.-.-.-.-.-.-.-.-.-.-.-b")`) }] }],
  ["co_in_filter_loop_escalated", { filters: [{ name: "a.lua", source: F(`local ok = pcall(function() while true do end end) local co = coroutine.create(function() local n=0 while true do n=n+1 end end) coroutine.resume(co)`) }] }],
  ["deep_attrs_5000", { timeoutSeconds: 60, filters: [{ name: "a.lua", source: F(`local t = {} local c = t for i=1,5000 do c.a = {} c = c.a end local r = nauthilus_backend_result.new() r:attributes(t) dynamic_loader("nauthilus_backend") require("nauthilus_backend").apply_backend_result(r)`) }] }],
  ["deep_attrs_20000", { timeoutSeconds: 60, filters: [{ name: "a.lua", source: F(`local t = {} local c = t for i=1,20000 do c.a = {} c = c.a end local r = nauthilus_backend_result.new() r:attributes(t) dynamic_loader("nauthilus_backend") require("nauthilus_backend").apply_backend_result(r)`) }] }],
  ["big_nonascii_attr_30s", { timeoutSeconds: 30, filters: [{ name: "a.lua", source: F(`local s = ("\\200"):rep(40*1024*1024) local r = nauthilus_backend_result.new() r:attributes({k = s}) dynamic_loader("nauthilus_backend") require("nauthilus_backend").apply_backend_result(r)`) }] }],
  ["many_servers", { servers: many, filters: [{ name: "a.lua", source: F(`dynamic_loader("nauthilus_backend") local s = require("nauthilus_backend").get_backend_servers() nauthilus_builtin.custom_log_add("n", #s) nauthilus_builtin.custom_log_add("last", s[#s].ip)`) }] }],
  ["nul_everywhere", { servers: [{ protocol: "im\u0000ap", ip: "10.0.0.1\u0000x\uD800", port: 143, haproxy_v2: false, tls: false }], request: { account: "al\u0000ice\uDC00", authenticated: true }, filters: [{ name: "a\u0000.lua", source: F(`dynamic_loader("nauthilus_backend") local s = require("nauthilus_backend").get_backend_servers() nauthilus_builtin.custom_log_add("ip\\0\\255", s[1].ip) nauthilus_builtin.custom_log_add("acc", request.account) nauthilus_builtin.custom_log_add("proto", s[1].protocol) nauthilus_builtin.status_message_set("m\\0\\255\\254") require("nauthilus_backend").select_backend_server(s[1].ip, 143) local r = nauthilus_backend_result.new() r:attributes({["k\\0\\200"] = "v\\0\\201"}) require("nauthilus_backend").apply_backend_result(r) require("nauthilus_backend").remove_from_backend_result({"x\\0\\255"}) error("e\\0\\255")`) }] }],
  ["nul_in_source", { filters: [{ name: "a.lua", source: F(`local s = "a\u0000b\u00ff" nauthilus_builtin.custom_log_add("len", #s)`) }] }],
  ["surrogate_in_source", { filters: [{ name: "a.lua", source: F(`local s = "\uD800x" nauthilus_builtin.custom_log_add("len", #s)`) }] }],
  ["non_utf8_attr_input", { attributes: { "a\u0000\uDFFF": ["v\u0000", 1, true] }, filters: [{ name: "a.lua", source: F(``) }] }],
  ["error_non_string_types", { filters: [{ name: "a.lua", source: F(`error(nil)`) }] }],
  ["error_number", { filters: [{ name: "a.lua", source: F(`error(1e300)`) }] }],
  ["return_weird", { filters: [{ name: "a.lua", source: `function nauthilus_call_filter() return setmetatable({}, {__eq=function() while true do end end}), "0x10" end` }] }],
  ["status_huge", { filters: [{ name: "a.lua", source: F(`nauthilus_builtin.status_message_set(("\\255"):rep(30*1024*1024))`) }] }],
];
test("containment2", async () => {
  const rt = createRuntime({ workers: 1, prober: async () => undefined });
  await rt.ready();
  for (const [name, over] of cases) {
    const run = { ...req(""), timeoutSeconds: 1, ...over };
    const t0 = Date.now();
    let o: any;
    try { o = await rt.run(run); } catch (e) { o = { threw: String(e).slice(0, 300) }; }
    console.log(`=== ${name} (${Date.now() - t0}ms):`, JSON.stringify({ outcome: o.outcome, error: o.error?.slice?.(0, 300), threw: o.threw, sel: o.selected, st: o.status_message?.slice(0, 40), removed: o.removed, attrs: o.attributes && JSON.stringify(o.attributes).slice(0, 200), diag: o.diagnostics?.map((d: string) => d.slice(0, 250)), logs: JSON.stringify(o.logs)?.slice(0, 300), filters: o.filters }));
    const b = await rt.run(req(BOB, "bob"));
    if (b.outcome !== "ok" || b.selected?.ip !== "10.0.0.2" || b.status_message !== null) console.log(`!!! bob after ${name}:`, JSON.stringify(b));
  }
  await rt.close();
}, 300_000);
