-- The Nauthilus v1.3.9 filter host inside the VM: the wire to the host, the argument checks and
-- value conversion the host modules share, the per-request environment, dynamic_loader and
-- require, gopher's error wording at catch points, the chunk rewrite's helpers and the chain
-- driver. Argument checks live in Lua (not in JavaScript) so that errors carry gopher-lua's exact
-- text, the call-site name and the caller's <chunk>:<line>: (contract §1). The host modules live
-- beside their declarations (sdk/*.lua); the io/os host surface and the string library in
-- runtime/vm/lua/host-surface.lua and gopher-string.lua.
--
-- Loaded once per engine with the gopher fidelity table, the host functions, the host modules'
-- sources and the runtime parts' sources (runtime/vm/engine.ts).

local gopher, host, sdk_sources, runtime_sources = ...

local type, select, error, next, pcall, load, tostring = type, select, error, next, pcall, load, tostring
local setmetatable, getmetatable, rawget = setmetatable, getmetatable, rawget
local string_format, string_gsub, string_gmatch, table_concat = string.format, string.gsub, string.gmatch, table.concat
local math_type, math_floor = math.type, math.floor
local debug_getinfo, debug_setmetatable, debug_sethook = debug.getinfo, debug.setmetatable, debug.sethook
local os_clock, collectgarbage = os.clock, collectgarbage
local number_string = gopher.number_string

local N = {}

---------------------------------------------------------------------------------------------
-- Strings to the host (runtime/vm/wire.ts): plain ASCII as is, anything else as "\1" .. hex, so
-- NUL and bytes that are not UTF-8 arrive exactly. Everything a request hands to the host is
-- counted: past HOST_BYTES_LIMIT the call raises, before JavaScript holds the copy.
---------------------------------------------------------------------------------------------
local HOST_BYTES_LIMIT = 32 * 1024 * 1024
local host_bytes = 0
local LIMIT_MESSAGE = "not enough memory"

-- Hex in slices: string.format over string.byte is far faster than a gsub per byte.
local HEX_SLICE = 4096
local HEX_FORMAT = string.rep("%02x", HEX_SLICE)
local function hex(s)
  local parts, n = {}, #s
  for i = 1, n, HEX_SLICE do
    local j = math.min(i + HEX_SLICE - 1, n)
    local format = j - i + 1 == HEX_SLICE and HEX_FORMAT or string.rep("%02x", j - i + 1)
    parts[#parts + 1] = string_format(format, string.byte(s, i, j))
  end
  return table_concat(parts)
end

local function to_host_unbudgeted(s)
  if string.find(s, "^[\2-\127]*$") then return s end
  return "\1" .. hex(s)
end

local function count_host_bytes(s)
  host_bytes = host_bytes + #s
  if host_bytes > HOST_BYTES_LIMIT then
    N.host_limit_hit = true
    error(LIMIT_MESSAGE, 0)
  end
  return s
end

local function to_host(s)
  return to_host_unbudgeted(count_host_bytes(s))
end

local function from_hex(hex)
  return (string_gsub(hex, "%x%x", function(h) return string.char(tonumber(h, 16)) end))
end

-- Decodes the values runtime/vm/wire.ts packs into one string (pushing one string from JavaScript
-- is far cheaper than pushing tables or many values): per value a tag (s ASCII string, x hex
-- bytes, n number, t true, f false), the payload's length, ":" and the payload.
local function unpack_values(packed)
  local values, n, pos = {}, 0, 1
  local len = #packed
  while pos <= len do
    local tag = string.sub(packed, pos, pos)
    local colon = string.find(packed, ":", pos + 1, true)
    local size = tonumber(string.sub(packed, pos + 1, colon - 1))
    local payload = string.sub(packed, colon + 1, colon + size)
    n = n + 1
    if tag == "s" then values[n] = payload
    elseif tag == "x" then values[n] = from_hex(payload)
    elseif tag == "n" then values[n] = tonumber(payload)
    else values[n] = (tag == "t") end
    pos = colon + size + 1
  end
  return values
end

-- One string the host packed with packValues (probe answers, module sources).
local function from_host(packed)
  return unpack_values(packed)[1]
end

---------------------------------------------------------------------------------------------
-- gopher-lua's argument checks (GL/auxlib.go:20-97, 244-250)
---------------------------------------------------------------------------------------------

-- The name gopher prints is fixed at compile time from the call-site syntax (GL/compile.go,
-- GL/state.go:840-866): `mod.fn()` -> fn, an alias (local, upvalue or global) -> its name,
-- `b:m()` -> m, a computed key (`t[1]()`, `f()()`) -> ?, and a call from Go (pcall, xpcall,
-- metamethods, generic-for iterators) -> (anonymous). `level` is the host wrapper's stack level.
local function call_name(level)
  local info = debug_getinfo(level + 1, "n")
  local caller = debug_getinfo(level + 2, "S")
  if caller == nil or caller.what == "C" then return "(anonymous)" end
  if info.namewhat == "metamethod" or info.namewhat == "for iterator" then return "(anonymous)" end
  local name = info.name
  if name == nil or name == "integer index" or name == "?" then return "?" end
  return name
end

-- gopher's RaiseError prefixes `<chunk>:<line>:` of the nearest **Lua** frame at or above
-- `level` (for `pcall(mod.fn, x)`, the line of the pcall), so the prefix is computed here and
-- the error raised with level 0. The runtime's own Lua plays gopher's Go library and is skipped
-- like a Go frame. `level` is counted as the caller of this function sees it.
local function filter_position(level)
  local l = level + 1
  while true do
    local info = debug_getinfo(l, "Sl")
    if info == nil then return "" end
    if info.what ~= "C" and string.sub(info.source, 1, 9) ~= "=[runtime" then
      return info.short_src .. ":" .. info.currentline .. ": "
    end
    l = l + 1
  end
end
local where = filter_position

-- Raises `message` at the wrapper's caller (`level` = the wrapper's stack level seen from here).
local function raise(level, message)
  error(where(level + 2) .. message, 0)
end

local function arg_error(level, n, message)
  raise(level + 1, string_format("bad argument #%d to %s (%s)", n, call_name(level + 1), message))
end

local function check_string(level, n, v)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then return number_string(v) end
  arg_error(level + 1, n, "string expected, got " .. t)
end

-- Go's int() of a float64 on amd64: truncation, and math.MinInt64 for NaN, ±Inf and values
-- beyond int64 (CVTTSD2SQ).
local go_int = gopher.go_int

-- CheckInt: numbers only (a numeric string is rejected), truncated toward zero like Go's int().
local function check_int(level, n, v)
  local t = type(v)
  if t ~= "number" then arg_error(level + 1, n, "number expected, got " .. t) end
  return go_int(v)
end

local function check_bool(level, n, v)
  local t = type(v)
  if t ~= "boolean" then arg_error(level + 1, n, "boolean expected, got " .. t) end
  return v
end

local function check_table(level, n, v)
  local t = type(v)
  if t ~= "table" then arg_error(level + 1, n, "table expected, got " .. t) end
  return v
end

---------------------------------------------------------------------------------------------
-- Lua values <-> the Go values Nauthilus stores (server/lualib/convert/convert.go:160-205)
---------------------------------------------------------------------------------------------

local GO_MAP_EXPECTED = "interface conversion: interface {} is []interface {}, not map[interface {}]interface {}"

local function go_kind(v)
  local mt = getmetatable(v)
  return mt and mt.__go
end

local MAX_DEPTH = 100
local TOO_DEEP = {} -- raised by to_go past MAX_DEPTH levels

-- The text gopher's LValue.String() gives a function, coroutine or userdata.
local function address_text(v)
  return type(v) .. ": " .. string_format("%p", v)
end

-- Converts a Lua value into the value Nauthilus keeps, as LuaValueToGo does (convert.go:160-205):
-- numbers are float64; a table is a list while its keys, in LTable.ForEach's order (the array part,
-- then Go's map order; here sorted, deliberate difference 2), are
-- numbers whose int() counts 1, 2, 3, … (so {[1.5] = x} is a list), a map otherwise; every entry
-- is also put in the map, so a list or map as a key panics; other values become their text.
local function to_go(v, depth)
  depth = depth or 0
  if depth > MAX_DEPTH then error(TOO_DEEP, 0) end
  local t = type(v)
  if t == "number" then return v * 1.0 end -- float64, keeping -0 (v + 0.0 would not)
  if t == "string" or t == "boolean" then return v end
  if t ~= "table" then return address_text(v) end
  local list, map, is_array = {}, {}, true
  for k, val in gopher.sorted_pairs(v) do
    local gk = to_go(k, depth + 1)
    local gv = to_go(val, depth + 1)
    if is_array and type(k) == "number" and go_int(k) == #list + 1 then
      list[#list + 1] = gv
    else
      is_array = false
    end
    -- gopher's PCall turns the Go panic into this error value, without a position.
    if type(gk) == "table" then
      error("runtime error: hash of unhashable type " .. (go_kind(gk) == "list" and "[]interface {}" or "map[interface {}]interface {}"), 0)
    end
    map[gk] = gv
  end
  if is_array then return setmetatable(list, { __go = "list" }) end
  return setmetatable(map, { __go = "map" })
end

-- Go values back to Lua tables (the getter returns a new table each time).
local function to_lua(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, val in next, v do out[k] = to_lua(val) end
  return out
end

-- A compact encoding of Go values for the host (JSON with tagged values; NaN/Inf as text).
-- Strings travel as bytes: every byte outside printable ASCII is written as \u00XX, so the
-- host sees one character per byte (runtime/nauthilus/go-value.ts turns them back into bytes).
local function json_string(s)
  return '"' .. string_gsub(s, '[%c"\\\128-\255]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
    return string_format("\\u%04x", string.byte(c))
  end) .. '"'
end

local function encode(v)
  local t = type(v)
  if t == "string" then return '{"s":' .. json_string(v) .. "}" end
  if t == "boolean" then return v and '{"b":true}' or '{"b":false}' end
  if t == "number" then
    if v ~= v or v == 1 / 0 or v == -1 / 0 then return '{"n":"' .. gopher.go_float(v) .. '"}' end
    return '{"n":' .. string_format("%.17g", v) .. "}"
  end
  local kind = go_kind(v)
  local parts = {}
  if kind == "list" then
    for i = 1, #v do parts[i] = encode(v[i]) end
    return '{"l":[' .. table_concat(parts, ",") .. "]}"
  end
  local keys = {}
  for k in next, v do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) < type(b) end
    if type(a) == "boolean" then return (not a) and b end
    return a < b
  end)
  for i, k in ipairs(keys) do parts[i] = "[" .. encode(k) .. "," .. encode(v[k]) .. "]" end
  return '{"m":[' .. table_concat(parts, ",") .. "]}"
end

---------------------------------------------------------------------------------------------
-- Userdata: server records and backend results are userdata in production (F:292-317, BR:60-94)
---------------------------------------------------------------------------------------------

-- gopher-lua runs no finalizers (tables have no __gc there), while Lua 5.4 would run one later,
-- inside whichever request the collector happens to serve: a metatable is set with its __gc
-- hidden, so the object is never marked for finalization (the field stays readable).
local function without_finalizer(set)
  return function(v, mt)
    if type(mt) ~= "table" or rawget(mt, "__gc") == nil then return set(v, mt) end
    local gc = rawget(mt, "__gc")
    rawset(mt, "__gc", nil)
    local ok, result = pcall(set, v, mt)
    rawset(mt, "__gc", gc)
    if not ok then error(result, result == "cannot change a protected metatable" and 2 or 0) end
    return result
  end
end
local set_userdata_metatable = without_finalizer(debug_setmetatable)

local SERVER = setmetatable({}, { __mode = "k" }) -- userdata -> record
local RESULT = setmetatable({}, { __mode = "k" }) -- userdata -> { attributes = go map or nil }

local function readonly_error(_, key)
  error(string_format("attempt to index a non-table object(userdata) with key '%s'", gopher.tostring(key)), 2)
end

-- A new metatable per request: a filter can reach it with getmetatable and change it
-- (production: a fresh state per request).
local function server_index(u, key)
  local record = SERVER[u]
  local v = record and record[key]
  if v ~= nil then return v end -- a record's keys are strings: a hit passed the check below
  -- F:292-317: the field name is CheckString(2), so a non-string key raises.
  local t = type(key)
  if t ~= "string" and t ~= "number" then arg_error(1, 2, "string expected, got " .. t) end
  return v
end

-- The metatable is the request's own (a filter reaches it with getmetatable); its functions
-- hold no state and are shared.
local function new_server_mt()
  return { __index = server_index, __newindex = readonly_error, __concat = gopher.concat_error }
end

-- Loads code at run time (loadstring, load, loadfile, require) rewritten like a filter's chunk;
-- set at the end of this file, next to the rewrite's helpers.
local load_code
-- What load_code returns is a runtime function around the rewritten body: body by function.
local LOADED_BODY = setmetatable({}, { __mode = "k" })

local current -- the request being served: { env, servers, applied, filter_deadline }

local USERDATA_BATCH = 64

local function new_server(record, u)
  SERVER[u] = record
  set_userdata_metatable(u, current.server_mt)
  return u
end

---------------------------------------------------------------------------------------------
-- The host modules, one file each beside the declaration it implements (sdk/*.lua). They get the
-- shared pieces in R; R.current is the request being served.
---------------------------------------------------------------------------------------------

local R = {
  host = host, gopher = gopher, to_host = to_host, from_host = from_host, check_string = check_string,
  check_int = check_int, check_bool = check_bool, check_table = check_table, arg_error = arg_error, raise = raise,
  new_server = new_server, RESULT = RESULT, USERDATA_BATCH = USERDATA_BATCH, to_go = to_go, to_lua = to_lua,
  go_kind = go_kind, GO_MAP_EXPECTED = GO_MAP_EXPECTED, TOO_DEEP = TOO_DEEP, MAX_DEPTH = MAX_DEPTH,
  set_userdata_metatable = set_userdata_metatable, without_finalizer = without_finalizer,
}
local function host_module(name)
  return assert(load(sdk_sources[name], "=[runtime sdk/" .. name .. ".lua]"))(R)
end
-- The runtime's other parts in runtime/vm/lua/, by concern, with the same shared pieces.
local function runtime_module(name)
  return assert(load(runtime_sources[name], "=[runtime " .. name .. ".lua]"))(R)
end
local new_backend_module = host_module("nauthilus-backend")
local new_backend_result_type = host_module("backend-result")
local BUILTIN = host_module("builtin")

local function new_builtin()
  return gopher.fresh_copy(BUILTIN)
end

-- Modules Nauthilus v1.3.9 can load (F:89-108, loader.go:77-174) that this runtime does not
-- implement: they must fail loudly at require, never as an empty table.
local OTHER_MODULES = {
  nauthilus_context = true, nauthilus_http_request = true, nauthilus_ldap = true, nauthilus_redis = true,
  nauthilus_password = true, nauthilus_mail = true, nauthilus_misc = true, nauthilus_prometheus = true,
  nauthilus_psnet = true, nauthilus_gluacrypto = true, nauthilus_gluahttp = true,
}

local function is_known_module(name)
  return name == "nauthilus_backend" or OTHER_MODULES[name] or string.match(name, "^nauthilus_gll_") ~= nil
end

local function new_dynamic_loader(env)
  return function(name)
    name = check_string(1, 1, name)
    if not is_known_module(name) then return end -- production: a silent no-op (F:103-104)
    local preload = env.package.preload
    if name == "nauthilus_backend" then
      -- With the feature off the module still loads; its server list is empty (contract §3.1).
      preload[name] = function() return new_backend_module() end
      return
    end
    preload[name] = function()
      raise(2, string_format(
        "module %s is not provided by the local runtime (nauthilus-filters-sdk implements only nauthilus_backend); in production dynamic_loader(\"%s\") loads it",
        name, name))
    end
  end
end

---------------------------------------------------------------------------------------------
-- require as gopher-lua has it (GL/loadlib.go:30-47,88): preload, then package.path on disk
---------------------------------------------------------------------------------------------

local function new_require(env)
  return function(name)
    name = check_string(1, 1, name)
    local package = env.package
    local loaded = package.loaded[name]
    if loaded ~= nil then return loaded end
    local loader = package.preload[name]
    local messages = { string_format("\n\tno field package.preload['%s']", name) }
    if loader == nil then
      local file = string_gsub(name, "%.", "/")
      -- strings.Split(path, ";") keeps empty segments (GL/loadlib.go:30-47): each is a candidate.
      for template in string_gmatch(package.path .. ";", "([^;]*);") do
        local candidate = string_gsub(template, "%?", (string_gsub(file, "%%", "%%%%")))
        local source = host.read_file(to_host(candidate))
        if string.sub(source, 1, 1) ~= "e" then
          source = from_host(string.sub(source, 2))
          local chunk, syntax = load_code(source, "@" .. candidate, env)
          if not chunk then error(syntax, 2) end
          loader = chunk
          break
        end
        messages[#messages + 1] = string_format("\n\tstat %s: no such file or directory", candidate)
      end
    end
    -- gopher's text ends with ", " (GL/baselib.go:546: "module %s not found:\n\t%s, ").
    if loader == nil then raise(1, string_format("module %s not found:%s, ", name, table_concat(messages))) end
    local value = loader(name)
    if value == nil then value = package.loaded[name] == nil and true or package.loaded[name] end
    package.loaded[name] = value
    return value
  end
end

local HOST_SURFACE = runtime_module("host-surface")
local new_io, OS = HOST_SURFACE.new_io, HOST_SURFACE.OS


---------------------------------------------------------------------------------------------
-- The per-request environment: a fresh 5.1-shaped global table for every request, so nothing a
-- filter does to its globals or libraries outlives the request (production: a fresh state).
---------------------------------------------------------------------------------------------

local string_mt = getmetatable("")
-- Lua 5.4 does string arithmetic ("10" + 1) through the string metatable: keep its original fields.
local STRING_MT_ORIGINAL = {}
for k, v in next, string_mt do STRING_MT_ORIGINAL[k] = v end

-- The shared metatables of nil, booleans, numbers, functions and strings can only be reached
-- through getmetatable/debug.getmetatable/debug.setmetatable on a non-table value, and the
-- collector only stopped through collectgarbage: those are wrapped to mark the state dirty, and
-- only a dirty state is reset (a reset costs more than a whole small filter).
local shared_dirty = true

-- Undo what a previous request may have changed outside its environment.
local function reset_shared_state()
  if not shared_dirty then return end
  for k in next, string_mt do string_mt[k] = nil end
  for k, v in next, STRING_MT_ORIGINAL do string_mt[k] = v end
  gopher.install_vm_errors()
  shared_dirty = false
end

local function marks_dirty(f)
  return function(v, ...)
    if type(v) ~= "table" then shared_dirty = true end
    return f(v, ...)
  end
end


-- The 5.1-shaped libraries and base functions are built once; each request gets shallow copies.
local LIBRARY_TEMPLATE = gopher.libraries()
local BASE_TEMPLATE = gopher.base_functions()

local shallow_copy = gopher.copy

local fresh_copy = gopher.fresh_copy

-- The runtime's own functions keep their upvalues (host functions, the current request, shared
-- tables) out of reach: they would let a filter change what later requests see.
-- The chunk rewrite's helpers (runtime/vm/chunk-rewrite.ts) are parameters, locals and upvalues
-- of filter functions that production does not have: the debug library skips them, and counts
-- a filter's locals and upvalues as production would.
local function is_helper_name(name)
  return type(name) == "string" and string.sub(name, 1, 16) == "__nauthilus_sdk_"
end

local function filter_upvalues(f)
  return function(fn, n, ...)
    local info = type(fn) == "function" and debug_getinfo(fn, "S")
    if info and (info.what == "C" or string.sub(info.source, 1, 9) == "=[runtime") then return nil end
    if type(fn) == "function" and type(n) == "number" and n >= 1 then
      local seen, i = 0, 0
      repeat
        i = i + 1
        local name = debug.getupvalue(fn, i)
        if name ~= nil and not is_helper_name(name) then seen = seen + 1 end
      until name == nil or seen == n
      n = i
    end
    return f(fn, n, ...)
  end
end

local function is_runtime_function(fn)
  local info = type(fn) == "function" and debug_getinfo(fn, "S")
  return info and string.sub(info.source, 1, 9) == "=[runtime"
end

-- A debug function called through a wrapper sees one more frame: a stack level given by the
-- filter (a number, not a function, not another thread's) is shifted past the wrapper.
local function frame_args(a, ...)
  if type(a) == "number" then return a + 1, ... end
  return a, ...
end

-- debug.getinfo(level, "f") would hand a filter the chain driver itself (calling it again
-- would clear the deadline hook and restart the request): runtime functions are not given out.
local function hide_runtime_function(getinfo)
  return function(...)
    local info
    if type(...) == "thread" then info = getinfo(...) else info = getinfo(frame_args(...)) end
    if type(info) == "table" and info.func ~= nil and is_runtime_function(info.func) then
      info.func = nil
    end
    return info
  end
end

-- debug.getlocal/setlocal on a frame of the runtime's own Lua would read or change the driver's
-- state; those frames have no Lua locals in production (the driver is Go).
local function filter_frames(f)
  return function(a, ...)
    if type(a) == "thread" then
      local level = ...
      local info = type(level) == "number" and debug_getinfo(a, level, "S")
      if info and (info.what == "C" or string.sub(info.source, 1, 9) == "=[runtime") then return nil end
      return f(a, ...)
    end
    if type(a) == "number" then
      local info = debug_getinfo(a + 1, "S")
      -- Go functions have no locals in gopher (nil, observed); Lua 5.4's C frames would show their
      -- temporaries, among them the driver's own xpcall handler.
      if info and (info.what == "C" or string.sub(info.source, 1, 9) == "=[runtime") then return nil end
      local n = ...
      if info and type(n) == "number" and n >= 1 then
        local seen, i = 0, 0
        repeat
          i = i + 1
          local name = debug.getlocal(a + 1, i)
          if name ~= nil and not is_helper_name(name) then seen = seen + 1 end
        until name == nil or seen == n
        return f(a + 1, i, select(2, ...))
      end
    end
    return f(frame_args(a, ...))
  end
end

-- Runtime code never calls methods on strings (`s:sub()`): a filter may have replaced the string
-- metatable's __index for its request, and runtime code (the hook above all) must not fail.

-- The deadline error carries the position of the filter's innermost frame, as gopher's context
-- check fires in the VM loop of the filter's code. Library code the runtime implements in Lua
-- (table.sort, the host functions) runs on the filter's behalf and is interrupted too; the chain
-- driver never is (`current.in_filter` is false while it runs).
-- The chain driver's own functions (registered below): never interrupted, even while
-- `current.in_filter` is still set on their way back from a filter.
local DRIVER = {}

-- `level`: the interrupted function, as the caller of this function sees it.
local function interruptible(level)
  if not current.in_filter then return false end
  local info = debug_getinfo(level + 1, "fS")
  return info ~= nil and not DRIVER[info.func] and info.source ~= "=[runtime setup]"
end

-- The lines of the filter's own frames when an error left it, innermost first: compiled filters
-- get TypeScript positions from them (runtime/vm/source-map.ts). An error that an inlined helper
-- catches and raises again (the entry wrapper turning Error objects into messages) has lost the
-- frames where it started, so the frames of the filter's latest two error() calls are kept too.
local error_lines, raise_lines
local function chunk_lines(level)
  local lines = {}
  while #lines < 32 do
    local info = debug_getinfo(level, "Sl")
    if not info then break end
    if info.source == current.chunk_source and info.currentline > 0 then lines[#lines + 1] = info.currentline end
    level = level + 1
  end
  return table_concat(lines, ",")
end
local function escalated_hook()
  if interruptible(2) then
    raise_lines = chunk_lines(3) .. ";" .. string.match(raise_lines or "", "^[^;]*")
    error(filter_position(2) .. "context deadline exceeded", 0)
  end
end

-- The count hook that enforces the per-filter deadline. Once it passed, every instruction raises,
-- so a pcall inside the filter cannot swallow it for long (gopher checks its context the same way).
local function deadline_hook()
  if os_clock() >= current.deadline and interruptible(2) then
    debug_sethook(escalated_hook, "", 1)
    raise_lines = chunk_lines(3) .. ";" .. string.match(raise_lines or "", "^[^;]*")
    error(filter_position(2) .. "context deadline exceeded", 0)
  end
end

local function past_deadline()
  return current.in_filter and os_clock() >= current.deadline
end

-- gopher's call stack: 256 frames per state and per coroutine (CallStackSize, GL/state.go); a
-- call past it raises "stack overflow" at the calling line. Every function of a rewritten chunk
-- counts its frame while it runs (enter, and a to-be-closed FRAME that gives it back), pcall and
-- xpcall count theirs (Go functions have frames too) and restore the count when they return, as
-- errors unwind past frames; `return f(x)` hands its frame to f (tail), as gopher's OP_TAILCALL
-- reuses it, and takes it back when f returns (keep_frame). Observed on gopher-lua v1.1.1: a
-- recursion under pcall fails at the 257th frame (docs/fidelity.md D9, corpus 46).
local FRAME_LIMIT = 256
local frames = 0
local function frame_closed() frames = frames - 1 end
local FRAME = setmetatable({}, { __close = frame_closed })
local function enter()
  if frames >= FRAME_LIMIT then error(filter_position(3) .. "stack overflow", 0) end
  frames = frames + 1
  return FRAME
end
-- Functions of the filter's own chunks (not the runtime's, which are Go functions in
-- production), by function.
local FILTER_FUNCTION = setmetatable({}, { __mode = "k" })
local function is_filter_function(f)
  local known = FILTER_FUNCTION[f]
  if known == nil then
    local info = debug_getinfo(f, "S")
    known = info.what == "Lua" and string.sub(info.source, 1, 9) ~= "=[runtime"
    FILTER_FUNCTION[f] = known
  end
  return known
end
local function tail(f)
  if type(f) ~= "function" or not is_filter_function(f) then return false end
  frames = frames - 1
  return true
end
local function keep_frame(handed_over, ...)
  if handed_over then frames = frames + 1 end
  return ...
end
-- gopher-lua issue 448, as observed on gopher-lua v1.1.1: when pcall (not xpcall, not a
-- coroutine) catches an error, every open upvalue is closed: the closures made so far keep the
-- values of that moment in cells of their own (shared among them), and later assignments to the
-- locals are not seen by them, nor theirs by the locals. Every function a filter makes is
-- remembered (track, runtime/vm/chunk-rewrite.ts); detach gives each upvalue, grouped by its
-- identity, a fresh cell with its current value. Closed upvalues keep their value and sharing, so
-- detaching them too changes nothing. docs/fidelity.md D15, corpus 44.
local TRACKED = setmetatable({}, { __mode = "k" })
local function track(f)
  TRACKED[f] = true
  return f
end
local debug_getupvalue, debug_upvalueid, debug_upvaluejoin = debug.getupvalue, debug.upvalueid, debug.upvaluejoin
local function detach_upvalues()
  local groups = {}
  for f in next, TRACKED do
    local i = 1
    while true do
      local name, value = debug_getupvalue(f, i)
      if name == nil then break end
      if name ~= "_ENV" and not is_helper_name(name) then
        local id = debug_upvalueid(f, i)
        local group = groups[id]
        if group == nil then
          group = { value = value }
          groups[id] = group
        end
        group[#group + 1] = f
        group[#group + 1] = i
      end
      i = i + 1
    end
  end
  for _, group in next, groups do
    local value = group.value
    local cell = function() return value end
    for k = 1, #group, 2 do debug_upvaluejoin(group[k], group[k + 1], cell, 1) end
  end
end

-- pcall/xpcall: the frame of the protected call itself, and the count as it was afterwards.
local function protected_frames(saved, ...)
  frames = saved
  return ...
end

local coroutine_create, coroutine_resume, debug_gethook = coroutine.create, coroutine.resume, debug.gethook
-- debug.sethook's hooks belong to one thread: a coroutine starts with its creator's hook.
local function hooked(f)
  if type(f) ~= "function" then return f end
  local h, mask, count = debug_gethook()
  if h == nil then return f end
  return function(...)
    debug_sethook(h, mask, count)
    return f(...)
  end
end

---------------------------------------------------------------------------------------------
-- Library errors in gopher's wording. gopher's library functions are Go: their errors carry the
-- position of the nearest Lua frame and the call-site name ("(anonymous)" when pcall calls them
-- directly), `bad argument #1 to rep (number expected, got nil)`. Lua 5.4's C functions word
-- the same errors differently; the text is rewritten where an error is caught (pcall, xpcall,
-- coroutines, the chain driver), so the success path costs nothing.
---------------------------------------------------------------------------------------------

-- gopher's library functions: C functions, and the runtime's Lua implementations of them.
local function is_library(f)
  if type(f) ~= "function" or LOADED_BODY[f] then return false end
  local info = debug_getinfo(f, "S")
  return info.what == "C" or string.sub(info.source, 1, 9) == "=[runtime"
end

local RESUME_DEAD, YIELD_OUTSIDE = "can not resume a dead thread", "can not yield from outside of a coroutine"

local MESSAGE_REWRITES = {
  { "^(.-)attempt to call a %a+ value.*$", "%1attempt to call a non-function object" },
  { "^(.-)attempt to compare two (%a+) values$", "%1attempt to compare %2 with %2" },
  { "^(.-)attempt to get length of a %a+ value.*$", "%1__len undefined" },
  { "^(.-)attempt to (%a+) a '(%a+)' with a '(%a+)'$", "%1cannot perform %2 operation between %3 and %4" },
  { "^(.-)cannot resume dead coroutine$", "%1" .. RESUME_DEAD },
  { "^(.-)attempt to yield from outside a coroutine$", "%1" .. YIELD_OUTSIDE },
  { "^(.-)wrong number of arguments to '[%w_.]+'$", "%1wrong number of arguments" },
  { "^(.-)invalid capture index %%%d+.*$", "%1invalid capture index" },
  { "^(.-)unfinished capture$", "%1unfinished capture at EOS" },
}

-- The error value as gopher would have worded it. `position`: the nearest Lua frame's
-- `<chunk>:<line>: ` for an error that has none (gopher's library is Go and always has one), or
-- nil. `direct`: a library function called by pcall/xpcall itself, named "(anonymous)".
local function gopher_error(e, position_if_missing, direct)
  if type(e) ~= "string" then return e end
  -- A Go panic gopher recovered (runtime error, interface conversion) never has a position.
  if string.find(e, "^runtime error: ") or string.find(e, "^interface conversion: ") then return e end
  local position, rest = string.match(e, "^([^%s]+:%d+: )(.*)$")
  if position == nil then
    local runtime
    runtime, rest = string.match(e, "^(%[runtime [^%]]*%]:%d+: )(.*)$")
    position = position_if_missing or ""
    rest = rest or e
  end
  local n, name, detail = string.match(rest, "^bad argument #(%d+) to '([^']*)' %((.*)%)$")
  if n then
    name = direct and "(anonymous)" or (string.match(name, "^[%w_]+%.([%w_]+)$") or name)
    detail = string.gsub(detail, "got no value", "got nil")
    rest = "bad argument #" .. n .. " to " .. name .. " (" .. detail .. ")"
  end
  local text = position .. rest
  for i = 1, #MESSAGE_REWRITES do
    local rewritten, count = string.gsub(text, MESSAGE_REWRITES[i][1], MESSAGE_REWRITES[i][2])
    if count > 0 then return rewritten end
  end
  return text
end

-- pcall's results with the error reworded; `f` was the function pcall called.
local function caught(f, ok, ...)
  if ok then return ok, ... end
  local direct = is_library(f)
  -- Called in a tail call by pcall's wrapper: level 1 is this function, 2 pcall's caller.
  return false, gopher_error((...), direct and filter_position(1), direct)
end

-- Functions that need the request's environment find it as `current.env`, so that they can be
-- built once (closures made per request cost an allocation each, and every allocation crosses
-- into JavaScript for the memory cap).
LIBRARY_TEMPLATE.io = nil -- built per request by new_io
for k, v in next, OS do LIBRARY_TEMPLATE.os[k] = v end
-- The string library's Go functions as gopher has them (runtime/vm/lua/gopher-string.lua).
for name, f in next, runtime_module("gopher-string") do LIBRARY_TEMPLATE.string[name] = f end

LIBRARY_TEMPLATE.coroutine.create = function(f) return coroutine_create(hooked(f)) end
local function resumed(ok, ...)
  if ok then return ok, ... end
  return false, gopher_error((...))
end
-- Each coroutine has its own call stack (and frame count) in gopher; the resumer's count is
-- back when the coroutine yields, returns or fails.
local COROUTINE_FRAMES = setmetatable({}, { __mode = "k" })
local function after_resume(co, saved, ...)
  COROUTINE_FRAMES[co] = frames
  frames = saved
  return ...
end
local function resume_counted(co, ...)
  if type(co) ~= "thread" then return coroutine_resume(co, ...) end
  local saved = frames
  frames = COROUTINE_FRAMES[co] or 0
  return after_resume(co, saved, coroutine_resume(co, ...))
end
LIBRARY_TEMPLATE.coroutine.resume = function(co, ...)
  return resumed(resume_counted(co, ...))
end
-- gopher: no coroutine is running in the main thread.
LIBRARY_TEMPLATE.coroutine.running = function()
  local co, main = coroutine.running()
  if main then return nil end
  return co
end
-- gopher's wrap passes the error value on as it is; Lua 5.4's adds a position to strings.
LIBRARY_TEMPLATE.coroutine.wrap = function(f)
  local co = coroutine_create(hooked(f))
  return function(...)
    local r = table.pack(resume_counted(co, ...))
    if r[1] then return table.unpack(r, 2, r.n) end
    -- Only the dead-coroutine error is raised by wrap itself (with the caller's position);
    -- an error of the coroutine's body passes on unchanged.
    if r[2] == "cannot resume dead coroutine" then error(filter_position(1) .. RESUME_DEAD, 0) end
    error(gopher_error(r[2]), 0)
  end
end

BASE_TEMPLATE.getmetatable = marks_dirty(getmetatable)
-- gopher's next with a key that is not in the table ends the traversal (nil), no error.
local raw_next = next
BASE_TEMPLATE.next = function(t, k)
  -- Numbers are floats here (runtime/vm/chunk-rewrite.ts), and Lua 5.4's next does not turn 1.0
  -- into the array index 1 the way table indexing does.
  if math_type(k) == "float" then k = math.tointeger(k) or k end
  if k == nil or type(t) ~= "table" or rawget(t, k) ~= nil then return raw_next(t, k) end
  local ok, nk, nv = pcall(raw_next, t, k)
  if ok then return nk, nv end
  return nil
end
BASE_TEMPLATE.setmetatable = without_finalizer(setmetatable)
-- A message handler would run inside the deadline hook, where no hook fires: past the deadline
-- the error is passed through without it.
-- Lua 5.1's xpcall passes no arguments to f.
BASE_TEMPLATE.xpcall = function(f, handler)
  local saved = frames
  if saved >= FRAME_LIMIT then error("stack overflow", 2) end
  frames = saved + 1
  if type(handler) ~= "function" then return protected_frames(saved, xpcall(f, handler)) end
  local direct = is_library(f)
  return protected_frames(saved, xpcall(f, function(e)
    if past_deadline() then return e end
    -- At gopher's frame limit the handler cannot be called either: the error stays as it is.
    if frames >= FRAME_LIMIT then return gopher_error(e, direct and filter_position(1), direct) end
    return handler(gopher_error(e, direct and filter_position(1), direct))
  end))
end
local counted_pcall
local function after_pcall(ok, ...)
  if not ok then detach_upvalues() end
  return ok, ...
end
-- A value that cannot be called is gopher's "attempt to call a <type> value", caught.
local function callable(f)
  if type(f) == "function" then return true end
  local mt = debug.getmetatable(f)
  local handler = type(mt) == "table" and rawget(mt, "__call")
  return handler ~= nil and handler ~= false and handler ~= gopher.call_error -- not the VM-error stand-in
end
BASE_TEMPLATE.pcall = function(...)
  if select("#", ...) == 0 then error("bad argument #1 to 'pcall' (value expected)", 2) end
  local f = ...
  if not callable(f) then
    detach_upvalues()
    return false, "attempt to call a " .. type(f) .. " value"
  end
  return counted_pcall(...)
end
counted_pcall = function(f, ...)
  local saved = frames
  if saved >= FRAME_LIMIT then error("stack overflow", 2) end
  frames = saved + 1
  return protected_frames(saved, after_pcall(caught(f, pcall(f, ...))))
end
-- gopher's error (GL/baselib.go): a string message gets the position of the frame `level - 1`
-- above error itself, skipping Go frames (so level 1 and 2 both name a Lua line), nothing for 0.
BASE_TEMPLATE.error = function(...)
  if select("#", ...) == 0 then error("bad argument #1 to 'error' (value expected)", 2) end
  local message, level = ...
  level = level == nil and 1 or level
  if type(message) == "string" and type(level) == "number" and level > 0 then
    message = filter_position(level) .. message
  end
  -- Latest first; the one before stays for a helper that raises a caught error again.
  raise_lines = chunk_lines(3) .. ";" .. string.match(raise_lines or "", "^[^;]*")
  error(message, 0)
end
-- GL/baselib.go baseAssert: the message must be a string (OptString), raised with a position.
BASE_TEMPLATE.assert = function(...)
  local v, message = ...
  if v ~= nil and v ~= false then return ... end
  if message ~= nil and type(message) ~= "string" then
    error("bad argument #2 to 'assert' (string expected, got " .. type(message) .. ")", 2)
  end
  error(filter_position(1) .. (message or "assertion failed!"), 0)
end
BASE_TEMPLATE.tostring = function(...)
  if select("#", ...) == 0 then error("bad argument #1 to 'tostring' (value expected)", 2) end
  return gopher.tostring((...))
end
BASE_TEMPLATE.tonumber = function(...)
  if select("#", ...) == 0 then error("bad argument #1 to 'tonumber' (value expected)", 2) end
  return gopher.tonumber(...)
end
-- gopher ignores every argument, runs Go's collector and returns nothing (GL/baselib.go:66-69);
-- so the VM's collector mode and parameters can never change here.
BASE_TEMPLATE.collectgarbage = function() end
BASE_TEMPLATE.loadfile = function(path)
  path = check_string(1, 1, path)
  local answer = host.read_file(to_host(path))
  if string.sub(answer, 1, 1) == "e" then return nil, "can not open file: " .. path end
  return load_code(from_host(string.sub(answer, 2)), "@" .. path, current.env)
end
BASE_TEMPLATE.dofile = function(path)
  local chunk, message = current.env.loadfile(path)
  if not chunk then raise(1, message) end
  return chunk()
end
BASE_TEMPLATE.print = function(...)
  local tostring = current.env.tostring
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  host.print(to_host(table_concat(parts, "\t")))
end
BASE_TEMPLATE.loadstring = function(source, chunkname)
  source = check_string(1, 1, source)
  -- gopher prints a given name as it is ("=x:1:"), and names an unnamed chunk <string>.
  return load_code(source, "=" .. (chunkname == nil and "<string>" or check_string(1, 2, chunkname)), current.env)
end
-- Lua 5.1's load takes a reader function only (a string is loadstring's).
BASE_TEMPLATE.load = function(chunk, chunkname)
  if type(chunk) ~= "function" then error("bad argument #1 to 'load' (function expected, got " .. type(chunk) .. ")", 2) end
  local pieces = {}
  while true do
    local piece = chunk()
    if piece == nil or piece == "" then break end
    if type(piece) ~= "string" then return nil, "reader function must return a string" end
    pieces[#pieces + 1] = piece
  end
  return load_code(table_concat(pieces), "=" .. (chunkname == nil and "?" or check_string(1, 2, chunkname)), current.env)
end
BASE_TEMPLATE.getfenv = function() return current.env end
-- Lua 5.4 keeps a function's environment in its _ENV upvalue: setfenv sets that upvalue where
-- the function has one (a chunk from loadstring always does). A function without one has no
-- environment to change here.
BASE_TEMPLATE.setfenv = function(f, env)
  if type(f) == "number" then
    local info = debug_getinfo(f + 1, "f")
    f = info and info.func
  end
  if type(f) ~= "function" or type(env) ~= "table" then error("bad argument #1 to 'setfenv' (function expected)", 2) end
  local body = LOADED_BODY[f]
  if body then BASE_TEMPLATE.setfenv(body, env) return f end
  for i = 1, 255 do
    local name = debug.getupvalue(f, i)
    if name == nil then break end
    if name == "_ENV" then
      debug.upvaluejoin(f, i, function() return env end, 1)
      return f
    end
  end
  error("setfenv: this function has no environment of its own in the local runtime (Lua 5.4); see docs/fidelity.md", 2)
end
-- GL/baselib.go: os.time-free 5.1 helpers that filters meet in old code.
BASE_TEMPLATE.newproxy = function(add_metatable)
  local u = host.new_userdata(1)
  if add_metatable == true then set_userdata_metatable(u, {}) end
  return u
end
-- gopher's module (GL/loadlib.go): the global table is made, then a call from Go (pcall) is refused.
BASE_TEMPLATE.module = function(name)
  name = check_string(1, 1, name)
  local env, t = current.env, current.env
  for part in string_gmatch(name, "[^.]+") do
    if type(rawget(t, part)) ~= "table" then rawset(t, part, {}) end
    t = rawget(t, part)
  end
  local caller = debug_getinfo(2, "S")
  if caller == nil or caller.what == "C" then raise(1, "module() can not be called from GFunctions.") end
  t._NAME, t._M, t._PACKAGE = name, t, string.match(name, "^(.*%.)") or ""
  env.package.loaded[name] = t
  return t
end
-- gopher's channel library (Go channels) does not exist here: it fails loudly when used.
local function no_channel() raise(1, "channel is not provided by the local runtime (production: gopher-lua's Go channels)") end
BASE_TEMPLATE.channel = { make = no_channel, select = no_channel }

-- gopher's debug library (GL/debuglib.go:14-25): no hooks, no registry access (it would let a
-- request leave values behind), and none of the runtime's own frames, functions or upvalues.
local DEBUG_TEMPLATE = {
  getinfo = hide_runtime_function(LIBRARY_TEMPLATE.debug.getinfo),
  getlocal = filter_frames(LIBRARY_TEMPLATE.debug.getlocal),
  getmetatable = marks_dirty(LIBRARY_TEMPLATE.debug.getmetatable),
  getupvalue = filter_upvalues(LIBRARY_TEMPLATE.debug.getupvalue),
  setlocal = filter_frames(LIBRARY_TEMPLATE.debug.setlocal),
  setmetatable = marks_dirty(without_finalizer(LIBRARY_TEMPLATE.debug.setmetatable)),
  setupvalue = filter_upvalues(LIBRARY_TEMPLATE.debug.setupvalue),
  traceback = LIBRARY_TEMPLATE.debug.traceback,
  getfenv = BASE_TEMPLATE.getfenv,
  setfenv = BASE_TEMPLATE.setfenv,
}
LIBRARY_TEMPLATE.debug = nil

-- `current` must be set (new_io makes the request's files).
local function new_env()
  local env = fresh_copy(BASE_TEMPLATE)
  local libs = {}
  for name, lib in next, LIBRARY_TEMPLATE do
    libs[name] = fresh_copy(lib)
    env[name] = libs[name]
  end
  libs.io = new_io()
  env.io = libs.io
  env.debug = fresh_copy(DEBUG_TEMPLATE)
  env._G = env
  env.package = {
    -- gopher-lua's default package.path (LUA_PATH unset, GL/loadlib.go:14-27)
    path = "./?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua", cpath = "", preload = {},
    loaded = {
      _G = env, string = libs.string, table = libs.table, math = libs.math, coroutine = libs.coroutine, os = libs.os,
      io = libs.io, debug = env.debug,
    },
  }
  env.package.loaded.package = env.package
  -- 5.1's package.loaders: preload, then package.path (what require walks).
  env.package.loaders = {
    function(name) return env.package.preload[name] or string_format("\n\tno field package.preload['%s']", name) end,
    function(name)
      local file = string_gsub(name, "%.", "/")
      for template in string_gmatch(env.package.path .. ";", "([^;]*);") do
        local candidate = string_gsub(template, "%?", (string_gsub(file, "%%", "%%%%")))
        local answer = host.read_file(to_host(candidate))
        if string.sub(answer, 1, 1) ~= "e" then return load_code(from_host(string.sub(answer, 2)), "@" .. candidate, env) end
      end
      return string_format("\n\tno file for module '%s' on package.path", name)
    end,
  }
  env.require = new_require(env)
  env.dynamic_loader = new_dynamic_loader(env)
  env.nauthilus_builtin = new_builtin()
  env.nauthilus_backend_result = new_backend_result_type()
  return env
end

---------------------------------------------------------------------------------------------
-- The chain driver, called by runtime/vm/engine.ts
---------------------------------------------------------------------------------------------

-- The request table's fields and their zero values (runtime/nauthilus/request.ts sends them once).
local REQUEST_FIELDS, REQUEST_DEFAULTS, SERVER_FIELDS = {}, {}, {}
function N.set_fields(names, kinds, server_names)
  REQUEST_FIELDS, REQUEST_DEFAULTS, SERVER_FIELDS = {}, {}, {}
  for i = 1, #server_names do SERVER_FIELDS[i] = server_names[i] end
  for i = 1, #names do
    REQUEST_FIELDS[i] = names[i]
    -- Not `kind == "boolean" and false or ...`: that expression can never yield false.
    local zero
    if kinds[i] == "boolean" then zero = false elseif kinds[i] == "number" then zero = 0 else zero = "" end
    REQUEST_DEFAULTS[names[i]] = zero
  end
end

-- The alive list of the previous request: the registry's snapshot rarely changes, and its
-- records are only ever read (server userdata are read-only), so an unchanged list is reused.
local last_servers = {}

-- request_packed: (field index, value) pairs for the fields that differ from their zero value.
-- servers_packed: five values per server (protocol, ip, port, haproxy_v2, tls), or nil when the
-- list is the same as the previous request's. monitoring: the feature backend_server_monitoring.
function N.begin_request(monitoring, request_packed, servers_packed)
  reset_shared_state()
  host_bytes, N.host_limit_hit = 0, false
  gopher.forget_noted()
  local request = fresh_copy(REQUEST_DEFAULTS)
  local values = unpack_values(request_packed)
  for i = 1, #values, 2 do request[REQUEST_FIELDS[values[i]]] = values[i + 1] end
  -- pairs(request) in the order request.go:189-235 sets the fields (REQUEST_FIELDS' order).
  gopher.set_key_order(request, REQUEST_FIELDS)
  if servers_packed ~= nil then
    local v = unpack_values(servers_packed)
    local width = #SERVER_FIELDS
    last_servers = {}
    for i = 0, #v // width - 1 do
      local record = {}
      for f = 1, width do record[SERVER_FIELDS[f]] = v[i * width + f] end
      last_servers[i + 1] = record
    end
  end
  -- results: every backend result of the request by id (0: the empty one Nauthilus starts with).
  current = {
    servers = monitoring and last_servers or {}, request = request, results = {}, applied = 0,
    server_mt = new_server_mt(),
  }
  R.current = current
  current.env = new_env()
  string_mt.__index = current.env.string
end


-- The error value as Nauthilus logs it: gopher's LValue.String(), which never calls
-- __tostring or __name (a table is "table: 0x..."), so no filter code runs here.
local function error_text(e)
  local t = type(e)
  if t == "string" then return e end
  if t == "table" or t == "userdata" or t == "function" or t == "thread" then return address_text(e) end
  return gopher.tostring(e)
end

-- What the host gets for a failed filter: the text, plus whether the host-bound byte limit
-- (not a Lua error of production's) caused it.
-- The message handler of the driver's xpcall; it leaves the error value as it is.
local function note_error_lines(e)
  error_lines = chunk_lines(3)
  return e
end

local function failure(e)
  current.in_filter = false
  debug_sethook()
  local limit = N.host_limit_hit
  N.host_limit_hit = false
  return "error", to_host_unbudgeted(error_text(gopher_error(e))), limit, (error_lines or "") .. ";" .. (raise_lines or "")
end

-- gopher's ToInt (GL/state.go:1660-1670): numbers truncated toward zero, strings through
-- parseNumber (Go ParseInt base 0, then ParseFloat: "1e2" -> 100, "010" -> 8), anything else 0.
local function to_int(v)
  if type(v) == "string" then v = gopher.parse_number(v) end
  if type(v) ~= "number" then return 0 end
  return go_int(v)
end

-- The segments Nauthilus appends to package.path before every filter (packagepath.go:28-32);
-- the state is shared, so filter k sees them k times, as in production.
local NAUTHILUS_PATH = ";/usr/local/share/nauthilus/lua/?.lua;/usr/share/nauthilus/lua/?.lua;/usr/app/lua-plugins.d/share/?.lua;"

-- Compiled chunks by id (runtime/vm/engine.ts registers each distinct source once). A chunk's main
-- function is reused across requests with its _ENV upvalue pointed at the request's environment:
-- requests on one engine run one after another, and every run creates its closures anew.
local CHUNKS = {}

-- packed: the chunk name, the source (runtime/vm/wire.ts, byte-exact) and whether it was rewritten
-- by runtime/vm/chunk-rewrite.ts (then it returns the filter's code as a function of the helpers).
-- A chunk gopher refuses to compile carries gopher's message (runtime/vm/gopher-syntax-error.ts)
-- and is never loaded.
function N.register_chunk(id, packed)
  local v = unpack_values(packed)
  CHUNKS[id] = { name = v[1], source = v[2], rewritten = v[3], syntax = v[4] ~= "" and v[4] or nil }
end

-- The helpers a rewritten chunk receives (runtime/vm/chunk-rewrite.ts CHUNK_HELPERS, in order).

-- `a .. b` (runtime/vm/chunk-rewrite.ts): strings and numbers joined with gopher's number text;
-- a __concat metamethod sees the operands as they are; anything else is gopher's error at the
-- filter's line (GL/vm.go stringConcat).
local concat_error = gopher.concat_error
local function own_concat(v)
  local mt = debug.getmetatable(v)
  local handler = type(mt) == "table" and rawget(mt, "__concat")
  return handler and handler ~= concat_error
end
local function concat(a, b)
  local ta, tb = type(a), type(b)
  if (ta == "string" or ta == "number") and (tb == "string" or tb == "number") then
    if ta == "number" then a = number_string(a) end
    if tb == "number" then b = number_string(b) end
    return a .. b
  end
  if own_concat(a) or own_concat(b) then return a .. b end
  error(string_format("cannot perform concat operation between %s and %s", ta, tb), 2)
end
-- `#v` (runtime/vm/chunk-rewrite.ts): gopher's OP_LEN. Strings and values with __len as Lua's
-- `#`, other tables gopher's length, anything else gopher's error at the filter's line.
local table_length = gopher.length
local function length(v)
  local t = type(v)
  if t == "string" then return #v end
  local mt = debug.getmetatable(v)
  local handler = type(mt) == "table" and rawget(mt, "__len")
  if handler and handler ~= gopher.len_error then return #v end
  if t == "table" then return table_length(v) end
  error("__len undefined", 2)
end
-- `a .. b .. c ...` (three or more operands, runtime/vm/chunk-rewrite.ts): gopher's OP_CONCAT
-- over the operands, joined from the right, each pair under the rules of `concat` above.
local function concat_n(...)
  local n = select("#", ...)
  local parts = { ... }
  local plain = true
  for i = 1, n do
    local v = parts[i]
    local t = type(v)
    if t == "number" then parts[i] = number_string(v)
    elseif t ~= "string" then plain = false; break end
  end
  if plain then return table_concat(parts, "", 1, n) end
  local acc = select(n, ...)
  for i = n - 1, 1, -1 do
    local a = select(i, ...)
    local ta, tb = type(a), type(acc)
    if (ta == "string" or ta == "number") and (tb == "string" or tb == "number") then
      acc = (ta == "number" and number_string(a) or a) .. (tb == "number" and number_string(acc) or acc)
    elseif own_concat(a) or own_concat(acc) then
      acc = a .. acc
    else
      error(string_format("cannot perform concat operation between %s and %s", ta, tb), 2)
    end
  end
  return acc
end
-- A numeric for's init, limit or step (runtime/vm/chunk-rewrite.ts): numbers only. gopher runs a
-- step of 0 as "not positive": no iteration when init < limit, else forever with the same value;
-- Lua 5.4 refuses it, and the smallest negative step does the same (the value stays, as adding
-- it to any number but 0 rounds back; docs/fidelity.md D33).
local function for_number(v, what)
  if type(v) ~= "number" then error("for statement " .. what .. " must be a number", 2) end
  if v == 0 and what == "step" then return -5e-324 end
  return v
end

-- A store and a table constructor report their keys: pairs gives them in that order (gopher.lua).
local stored, constructed, constructor_key = gopher.record_key, gopher.constructed, gopher.constructor_key
-- Arithmetic operators (gopher.lua: -0 results as gopher stores them, gopher's errors).
local arith = gopher.arithmetic

-- `chunkname` as Lua's load takes it ("=name" or "@path"); gopher prints the name given.
load_code = function(source, chunkname, env)
  local answer = host.rewrite_chunk(to_host_unbudgeted(source), to_host_unbudgeted(string.sub(chunkname, 2)))
  if answer == nil then return load(source, chunkname, "t", env) end
  local v = unpack_values(answer)
  if v[1] == "e" then return nil, v[2] end -- gopher refuses to compile it: its message
  local outer, syntax = load(v[2], chunkname, "t", env)
  if not outer then return nil, syntax end
  local body = outer()
  local f = function(...) return body(keep_frame, concat, for_number, length, concat_n, enter, tail, track, stored, constructed, constructor_key, arith.add, arith.sub, arith.mul, arith.div, arith.mod, arith.pow, arith.unm, gopher.orders, gopher.no_order, ...) end
  LOADED_BODY[f] = body
  return f
end

local function run_chunk(chunk, rewritten)
  if rewritten then return chunk()(keep_frame, concat, for_number, length, concat_n, enter, tail, track, stored, constructed, constructor_key, arith.add, arith.sub, arith.mul, arith.div, arith.mod, arith.pow, arith.unm, gopher.orders, gopher.no_order) end
  return chunk()
end

function N.forget_chunks()
  CHUNKS = {}
end

local function chunk_for(id, env)
  local entry = CHUNKS[id]
  if entry.fn == nil and entry.syntax == nil then
    entry.fn, entry.syntax = load(entry.source, "@" .. entry.name, "t", env)
    entry.source = nil
    return entry.fn, entry.syntax, entry.rewritten
  end
  if entry.fn then debug.setupvalue(entry.fn, 1, env) end
  return entry.fn, entry.syntax, entry.rewritten
end

-- packagepath.go:28-32 runs this text with L.DoString (chunk name "<string>"), so a quote in
-- lua.config.package_path is a syntax error and package.path's metamethods apply.
local PATH_CHUNKS = {}

local function path_chunk(extra, env)
  local entry = PATH_CHUNKS[extra]
  if entry == nil then
    local fn, syntax = load("package.path = package.path .. '" .. NAUTHILUS_PATH .. extra .. "'", "=<string>", "t", env)
    entry = { fn = fn, syntax = syntax }
    PATH_CHUNKS[extra] = entry
  end
  if entry.fn then debug.setupvalue(entry.fn, 1, env) end
  return entry.fn, entry.syntax
end

local function encoded_attributes(id)
  local u = current.results[id]
  local attributes = u and RESULT[u].attributes
  if attributes == nil then return nil end
  return count_host_bytes(encode(attributes))
end

-- Runs one filter of the chain. Returns:
--   "ok", action (boolean), code (integer), then for the merge (filter.go:635-672): the encoded
--        attributes of the result applied before the filter (read now) and after it, and whether
--        they are the same object
--   "error", message            (Lua error, deadline, missing entry)
local function entry_of(env) return env.nauthilus_call_filter end

local function encoded_pair(before, now)
  return encoded_attributes(before), encoded_attributes(now)
end

function N.run_filter(id, package_path_packed, timeout_seconds)
  local env = current.env
  frames = 0 -- the chunk, then the entry function, each called from Go
  local applied_before = current.applied
  error_lines, raise_lines = nil, nil
  current.deadline = os_clock() + timeout_seconds
  current.in_filter = true
  debug_sethook(deadline_hook, "", 1000)
  -- Nauthilus extends package.path with Lua code, under the filter's timeout (filter.go:497-503).
  local extend, bad_path = path_chunk(from_host(package_path_packed), env)
  if not extend then return failure(bad_path) end
  local ok, e = pcall(extend)
  if not ok then return failure(e) end
  local chunk, syntax, rewritten = chunk_for(id, env)
  if not chunk then return failure(syntax) end
  current.chunk_source = "@" .. CHUNKS[id].name
  ok, e = xpcall(run_chunk, note_error_lines, chunk, rewritten)
  if not ok then return failure(e) end
  -- The global may be behind a filter's __index: looked up as filter code.
  local found, entry = pcall(entry_of, env)
  if not found then return failure(entry) end
  if type(entry) ~= "function" then
    current.in_filter = false
    debug_sethook()
    -- Called from Go with no Lua frame: no position, hence gopher's leading space.
    return "missing-entry", " attempt to call a non-function object", false
  end
  local results = table.pack(xpcall(entry, note_error_lines, current.request))
  if not results[1] then return failure(results[2]) end
  current.in_filter = false
  debug_sethook()
  local action = results[2]
  local applied_now = current.applied
  local encoded, before, after = pcall(encoded_pair, applied_before, applied_now)
  if not encoded then return failure(before) end
  return "ok", action ~= nil and action ~= false, to_int(results[3]), before, after, applied_before == applied_now
end

DRIVER[N.run_filter], DRIVER[N.begin_request], DRIVER[failure], DRIVER[error_text] = true, true, true, true
-- The frame count's bookkeeping runs between a filter's instructions (and frame_closed while an
-- error unwinds its frames): the deadline fires at the filter's next instruction instead.
DRIVER[frame_closed], DRIVER[enter], DRIVER[tail], DRIVER[keep_frame] = true, true, true, true
DRIVER[protected_frames], DRIVER[after_resume], DRIVER[track], DRIVER[after_pcall] = true, true, true, true
DRIVER[BASE_TEMPLATE.pcall], DRIVER[BASE_TEMPLATE.xpcall], DRIVER[counted_pcall] = true, true, true
DRIVER[run_chunk], DRIVER[note_error_lines], DRIVER[chunk_lines] = true, true, true
DRIVER[stored], DRIVER[constructed], DRIVER[constructor_key] = true, true, true
for _, f in pairs(arith) do DRIVER[f] = true end

return N
