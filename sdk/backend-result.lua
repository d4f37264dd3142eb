-- nauthilus_backend_result (sdk/backend-result.d.ts): the global is the type's metatable, the
-- request's own; result:attributes converts like Nauthilus's LuaValueToGo.
-- Runtime code (loaded by runtime/vm/lua/nauthilus.lua with the shared pieces in R); the
-- declarations authors compile against are beside it.
local R = ...
local host, gopher, check_table, arg_error, raise, RESULT, to_go, to_lua, go_kind, GO_MAP_EXPECTED, TOO_DEEP, MAX_DEPTH, set_userdata_metatable = R.host, R.gopher, R.check_table, R.arg_error, R.raise, R.RESULT, R.to_go, R.to_lua, R.go_kind, R.GO_MAP_EXPECTED, R.TOO_DEEP, R.MAX_DEPTH, R.set_userdata_metatable
local string_format = string.format

-- nauthilus_backend_result (contract §4): the global is the type's metatable

local RESULT_METHODS = {}

function RESULT_METHODS.attributes(...)
  local n = select("#", ...)
  local self = ...
  local t = type(self)
  if t ~= "userdata" then arg_error(1, 1, "userdata expected, got " .. t) end
  local state = RESULT[self]
  if state == nil then arg_error(1, 1, "backend_result expected") end
  if n == 2 then
    local attributes = check_table(1, 2, (select(2, ...)))
    local ok, converted = pcall(to_go, attributes)
    if not ok then
      if converted ~= TOO_DEEP then error(converted, 0) end
      raise(1, string_format("attributes nested deeper than %d levels (or a table that contains itself): the local runtime stops here; production converts without a limit, and a table that contains itself crashes Nauthilus", MAX_DEPTH))
    end
    if go_kind(converted) == "list" then error(GO_MAP_EXPECTED, 0) end
    state.attributes = converted
    return
  end
  return to_lua(state.attributes or {})
end

local function new_result()
  local u = host.new_userdata(1)
  local id = #R.current.results + 1
  R.current.results[id] = u
  RESULT[u] = { id = id }
  set_userdata_metatable(u, R.current.result_type)
  return u
end

-- The type's metatable (the global nauthilus_backend_result) is the request's own.
local function new_backend_result_type()
  local T = { __index = gopher.fresh_copy(RESULT_METHODS), new = new_result }
  R.current.result_type = T
  return T
end

return new_backend_result_type
