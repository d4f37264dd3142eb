// The second request of every attack: bob's filter reads everything an earlier request could
// have changed (libraries, shared metatables, io, os, the collector, package, the host module)
// and acts on the host. Its outcome must be the same after every attack as on a fresh runtime.
import type { RunRequest } from "../../runtime/types";

export const VICTIM_SOURCE = `dynamic_loader("nauthilus_backend")
local nb = require("nauthilus_backend")
local log = nauthilus_builtin.custom_log_add

function nauthilus_call_filter(request)
  -- garbage, so that any finalizer left by an earlier request would get its chance to run
  for i = 1, 2000 do local t = { i, tostring(i) } end
  log("account", request.account)
  log("authenticated", request.authenticated)
  log("no_auth", request.no_auth)
  log("upper", ("bob"):upper())
  log("string_index", tostring(getmetatable("").__index == string))
  log("nil_index", select(2, pcall(function() local t = nil; return t.x end)))
  log("number_index", select(2, pcall(function() local n = 1; return n.x end)))
  log("call_bool", select(2, pcall(function() local b = true; return b() end)))
  log("arith", tostring(pcall(function() return "10" + 1 end)))
  log("format", string.format("%d %s", 3.7, 1 / 2))
  log("tostring", tostring(10 / 2))
  log("floor", math.floor(2.5))
  log("huge", math.huge)
  log("setlocale", tostring(os.setlocale()))
  log("collect", select("#", collectgarbage("count")))
  log("io_write", tostring(io.write("bob-out")))
  log("io_type", tostring(io.type(io.stdout)))
  log("package_loaded", tostring(package.loaded.nauthilus_backend == nb))
  log("preload", tostring(package.preload.evil))
  log("global", tostring(rawget(_G, "evil")))
  log("nil_mt", tostring(debug.getmetatable(nil) ~= nil))
  log("string_dump", select(2, pcall(string.dump, print)))
  local servers = nb.get_backend_servers()
  log("servers", #servers)
  local s = servers[2]
  log("server", s.protocol .. " " .. s.ip .. " " .. s.port .. " " .. tostring(s.tls) .. " " .. tostring(s.haproxy_v2))
  nb.select_backend_server(s.ip, s.port)
  nb.remove_from_backend_result({ "old" })
  local r = nauthilus_backend_result.new()
  r:attributes({ backend = s.ip })
  nb.apply_backend_result(r)
  nauthilus_builtin.status_message_set("bob ok")
  return nauthilus_builtin.FILTER_ACCEPT, nauthilus_builtin.FILTER_RESULT_OK
end
`;

export const SERVERS: RunRequest["servers"] = [
  { protocol: "imap", ip: "10.0.0.1", port: 143, haproxy_v2: false, tls: false },
  { protocol: "imap", ip: "10.0.0.2", port: 993, haproxy_v2: true, tls: true },
];

export const VICTIM: RunRequest = {
  filters: [{ name: "victim.lua", source: VICTIM_SOURCE }],
  servers: SERVERS,
  attributes: { old: ["x"], uid: ["bob"] },
  request: { account: "bob", username: "bob@example.org", authenticated: true, service: "nginx", session: "bob-session" },
};

/** alice's request running `source` as her filter (top level and entry). */
export function attacker(source: string, extra: Partial<RunRequest> = {}): RunRequest {
  return {
    filters: [{ name: "attack.lua", source }],
    servers: SERVERS,
    attributes: { old: ["x"] },
    request: { account: "alice", authenticated: true, service: "nginx", session: "alice-session" },
    ...extra,
  };
}
