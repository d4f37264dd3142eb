-- The nauthilus_backend module (sdk/nauthilus-backend.d.ts), as Nauthilus v1.3.9 has it: a new
-- table at every require, argument checks in gopher's words, server records as userdata.
-- Runtime code (loaded by runtime/vm/lua/nauthilus.lua with the shared pieces in R); the
-- declarations authors compile against are beside it.
local R = ...
local host, gopher, to_host, from_host, check_string, check_int, check_bool, arg_error, raise, new_server, RESULT, USERDATA_BATCH = R.host, R.gopher, R.to_host, R.from_host, R.check_string, R.check_int, R.check_bool, R.arg_error, R.raise, R.new_server, R.RESULT, R.USERDATA_BATCH
local string_format = string.format

local function new_backend_module()
  local M = {}

  function M.get_backend_servers()
    local servers = R.current.servers
    local n = #servers
    local out = {}
    if n == 0 then return out end
    -- The host pushes userdata onto the Lua stack: a bounded batch at a time, never more than
    -- the stack was grown for.
    local i = 0
    while i < n do
      local handles = { host.new_userdata(math.min(n - i, USERDATA_BATCH)) }
      for k = 1, #handles do out[i + k] = new_server(servers[i + k], handles[k]) end
      i = i + #handles
    end
    return out
  end

  function M.select_backend_server(...)
    if select("#", ...) ~= 2 then
      arg_error(1, 2, "expected server (string) and port (number)")
    end
    local ip, port = ...
    ip = check_string(1, 1, ip)
    port = check_int(1, 2, port)
    host.select_backend_server(to_host(ip), port)
  end

  function M.apply_backend_result(result)
    local t = type(result)
    if t ~= "userdata" then arg_error(1, 1, "userdata expected, got " .. t) end
    if RESULT[result] == nil then arg_error(1, 1, "expected lua backend_result") end
    -- A live reference: later result:attributes{...} calls are seen (contract §3.3).
    R.current.applied = RESULT[result].id
  end

  function M.remove_from_backend_result(names)
    -- ToTable(1) returns nil for anything else and Nauthilus dereferences it (checked).
    if type(names) ~= "table" then error("runtime error: invalid memory address or nil pointer dereference", 0) end
    for _, v in gopher.pairs(names) do host.remove_from_backend_result(to_host(gopher.tostring(v))) end
  end

  function M.check_backend_connection(...)
    local n = select("#", ...)
    if n ~= 4 then raise(1, string_format("Invalid number of arguments. Expected 4, got %d", n)) end
    local ip, port, haproxy_v2, tls = ...
    ip = check_string(1, 1, ip)
    port = check_int(1, 2, port)
    haproxy_v2 = check_bool(1, 3, haproxy_v2)
    tls = check_bool(1, 4, tls)
    -- Go's dialer rejects the port before any connection (net.Resolver.LookupPort).
    if port < 0 or port > 65535 then return string_format("dial tcp: address %d: invalid port", port) end
    local answer = host.check_backend_connection(to_host(ip), port, haproxy_v2, tls)
    if answer == nil then return nil end
    return from_host(answer)
  end

  return M
end

return new_backend_module
