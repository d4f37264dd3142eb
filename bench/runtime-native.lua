-- Baseline for bench/runtime.ts: Debian lua5.4 runs the same compiled filter with a Lua stub of
-- the host, a fresh environment and a fresh module per request (what the runtime guarantees).
-- Usage: lua5.4 bench/runtime-native.lua FILTER.lua REQUESTS
local path, n = arg[1], tonumber(arg[2])
local source = assert(io.open(path)):read("a")
local servers = {}
for i = 1, 10 do servers[i] = { protocol = "imap", ip = "10.0.0." .. i, port = 143, haproxy_v2 = false, tls = false } end
local request = { account = "alice@example.org", protocol = "imap", authenticated = true }
local SERVER_MT = { __index = function(u, k) return u.__r[k] end }
local selected

local function new_env()
  local env = {}
  for k, v in pairs(_G) do env[k] = v end
  env.string, env.table, env.math = setmetatable({}, { __index = string }), setmetatable({}, { __index = table }), setmetatable({}, { __index = math })
  local preload = {}
  env.dynamic_loader = function(name)
    preload[name] = function()
      return {
        get_backend_servers = function()
          local out = {}
          for i = 1, #servers do out[i] = setmetatable({ __r = servers[i] }, SERVER_MT) end
          return out
        end,
        select_backend_server = function(ip, port) selected = ip end,
      }
    end
  end
  env.require = function(name) return preload[name]() end
  env.nauthilus_builtin = { custom_log_add = function() end, status_message_set = function() end }
  return env
end

local t0 = os.clock()
for _ = 1, n do
  local env = new_env()
  local chunk = assert(load(source, "@" .. path, "t", env))
  chunk()
  env.nauthilus_call_filter(request)
end
local elapsed = os.clock() - t0
print(string.format("%.1f", n / elapsed))
