import { it } from "vitest";
import { Engine } from "../../runtime/engine";
import { decideOutcome } from "../../runtime/outcome";

it("explore", async () => {
  const e = await Engine.create();
  const src = `dynamic_loader("nauthilus_backend")
local nb = require("nauthilus_backend")
local log = nauthilus_builtin.custom_log_add
local function L(k, ok, err) log(k, ok and "OK" or (type(err) == "string" and err or ("<" .. type(err) .. ">" .. tostring(err)))) end
function nauthilus_call_filter(request)
  L("tail", pcall(function() return nb.select_backend_server(nil, 1) end))
  L("stmt", pcall(function() nb.select_backend_server(nil, 1) end))
  L("idx", pcall(function() local k = "select_backend_server"; nb[k](nil, 1) end))
  L("cidx", pcall(function() nb["select_backend_server"](nil, 1) end))
  L("nanport", pcall(function() nb.select_backend_server("x", 0/0) end))
  L("open0", pcall(function() local f, m = io.open("a\\0b"); error(m, 0) end))
  L("openlong", pcall(function() local f, m = io.open(string.rep("a", 300)); error(m, 0) end))
  L("opendir", pcall(function() local f, m = io.open("/tmp"); error(m, 0) end))
  L("udkey", pcall(function() local s = nb.get_backend_servers()[1]; s[0/0] = 1 end))
  L("hash", pcall(function() nauthilus_backend_result.new():attributes({[{}] = 1}) end))
  L("hash2", pcall(function() nauthilus_backend_result.new():attributes({a = {[{a=1}] = 1}}) end))
  L("req0", pcall(function() require("a\\0b") end))
  L("env0", pcall(function() error(tostring(os.getenv("a\\0b")), 0) end))
  L("cbc", pcall(function() error(tostring(nb.check_backend_connection("1.2.3.4", 0/0, false, false)), 0) end))
  L("cbc2", pcall(function() error(tostring(nb.check_backend_connection(string.rep("\\200", 3000), 70000.5, false, false)), 0) end))
  L("cbc3", pcall(function() error(tostring(nb.check_backend_connection("\\0\\255", 1, true, true)), 0) end))
  L("rm", pcall(function() nb.remove_from_backend_result({ function() end, coroutine.create(print), nb.get_backend_servers()[1], 1/0, -0.0, 2^63 }) end))
  return false, 0/0
end
`;
  const src55 = `function nauthilus_call_filter(request)
  dynamic_loader("nauthilus_backend")
  local nb = require("nauthilus_backend")
  return nb.select_backend_server(request.client_net ~= "" and request.client_net or nil, 993)
end
`;
  for (const s of [src55]) { const rr = e.runChain({ filters: [{ name: "f1.lua", source: s }], servers: [], attributes: {}, request: {} }, { probe: () => undefined }); console.log("CASE55", rr.error); }
  const run = { filters: [{ name: "f1.lua", source: src }], servers: [{ protocol: "imap", ip: "::1", port: 1, haproxy_v2: false, tls: false }], attributes: {}, request: { authenticated: true } };
  const r = e.runChain(run, { probe: (ip, port, h, t) => JSON.stringify([ip, port, h, t]) });
  console.log(JSON.stringify(decideOutcome(run, { kind: "done", result: r }), null, 1));
});
