import { test } from "vitest";
import { createRuntime } from "../../runtime/index";
import { req, BOB } from "./helpers";
const F = (body: string) => `function nauthilus_call_filter(request)\n${body}\nreturn false, 0\nend`;
const cases: Array<[string, any]> = [
  ["G_index_no_entry", { filters: [{ name: "a.lua", source: `setmetatable(_G, {__index=function(t,k) error("idx "..k) end})` }] }],
  ["G_index_loop_no_entry", { filters: [{ name: "a.lua", source: `setmetatable(_G, {__index=function(t,k) while true do end end})` }] }],
  ["package_nil", { filters: [{ name: "a.lua", source: F(`package = nil`) }, { name: "b.lua", source: F(``) }] }],
  ["package_path_concat_loop", { filters: [{ name: "a.lua", source: F(`package.path = setmetatable({}, {__concat=function() while true do end end})`) }, { name: "b.lua", source: F(``) }] }],
  ["cyclic_attrs", { filters: [{ name: "a.lua", source: F(`local t = {} t.x = t local r = nauthilus_backend_result.new() r:attributes(t) dynamic_loader("nauthilus_backend") require("nauthilus_backend").apply_backend_result(r)`) }] }],
  ["deep_attrs", { filters: [{ name: "a.lua", source: F(`local t = {} local c = t for i=1,50000 do c.a = {} c = c.a end local r = nauthilus_backend_result.new() r:attributes(t) dynamic_loader("nauthilus_backend") require("nauthilus_backend").apply_backend_result(r)`) }] }],
  ["big_nonascii_attr", { filters: [{ name: "a.lua", source: F(`local s = ("\\200"):rep(40*1024*1024) local r = nauthilus_backend_result.new() r:attributes({k = s}) dynamic_loader("nauthilus_backend") require("nauthilus_backend").apply_backend_result(r)`) }] }],
  ["rep_huge", { filters: [{ name: "a.lua", source: F(`local s = ("x"):rep(2^31)`) }] }],
  ["catastrophic", { filters: [{ name: "a.lua", source: F(`string.find(("a"):rep(40), "^(a-)-(a-)-(a-)-(a-)-(a-)-(a-)-b")`) }] }],
  ["xpcall_handler_loop", { filters: [{ name: "a.lua", source: F(`xpcall(function() error("x") end, function() while true do end end) while true do end`) }] }],
  ["gsub_cb_loop", { filters: [{ name: "a.lua", source: F(`("abc"):gsub(".", function() while true do end end)`) }] }],
  ["sort_cmp_loop", { filters: [{ name: "a.lua", source: F(`table.sort({3,2,1}, function(a,b) while true do end end)`) }] }],
  ["sort_big_nocmp", { filters: [{ name: "a.lua", source: F(`local t = {} for i=1,3000000 do t[i] = (i*7919) % 3000017 end table.sort(t)`) }] }],
  ["tostring_loop", { filters: [{ name: "a.lua", source: F(`local t = setmetatable({}, {__tostring=function() while true do end end}) local s = tostring(t)`) }] }],
  ["err_obj_tostring_loop", { filters: [{ name: "a.lua", source: F(`error(setmetatable({}, {__tostring=function() while true do end end}))`) }] }],
  ["gsub_cstack", { filters: [{ name: "a.lua", source: F(`local function f() return (("x"):gsub(".", f)) end f()`) }] }],
  ["lua_recursion", { filters: [{ name: "a.lua", source: F(`local function f(n) return 1 + f(n+1) end f(1)`) }] }],
  ["coroutine_loop", { filters: [{ name: "a.lua", source: F(`local co = coroutine.wrap(function() while true do end end) co()`) }] }],
  ["close_loop", { filters: [{ name: "a.lua", source: F(`do local x <close> = setmetatable({}, {__close=function() while true do end end}) end`) }] }],
  ["huge_table", { filters: [{ name: "a.lua", source: F(`local t = {} for i=1,1e9 do t[i] = i end`) }] }],
  ["concat_huge", { filters: [{ name: "a.lua", source: F(`local t = {} for i=1,2e6 do t[i] = ("y"):rep(100) end local s = table.concat(t)`) }] }],
  ["huge_logs", { filters: [{ name: "a.lua", source: F(`for i=1,2e6 do nauthilus_builtin.custom_log_add("k"..i, "v") end`) }] }],
];
test("containment", async () => {
  const rt = createRuntime({ workers: 1, prober: async () => undefined });
  await rt.ready();
  for (const [name, over] of cases) {
    const run = { ...req(""), ...over, timeoutSeconds: 1 };
    const t0 = Date.now();
    let o: any;
    try { o = await rt.run(run); } catch (e) { o = { threw: String(e) }; }
    console.log(`=== ${name} (${Date.now() - t0}ms):`, JSON.stringify({ outcome: o.outcome, error: o.error?.slice?.(0, 300), threw: o.threw, diag: o.diagnostics?.map((d: string) => d.slice(0, 300)), logs: o.logs?.length }));
    const b = await rt.run(req(BOB, "bob"));
    if (b.outcome !== "ok" || b.selected?.ip !== "10.0.0.2" || b.status_message !== null) console.log(`!!! bob after ${name}:`, JSON.stringify(b));
  }
  await rt.close();
}, 300_000);
