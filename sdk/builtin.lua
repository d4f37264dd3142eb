-- nauthilus_builtin (sdk/builtin.d.ts): the constants, status_message_set and custom_log_add,
-- whose values reach the host as production logs them (Go %v, or UNSUPPORTED).
-- Runtime code (loaded by runtime/vm/lua/nauthilus.lua with the shared pieces in R); the
-- declarations authors compile against are beside it.
local R = ...
local host, gopher, to_host, check_string = R.host, R.gopher, R.to_host, R.check_string
-- F:455-469
local BUILTIN = { FILTER_ACCEPT = false, FILTER_REJECT = true, FILTER_RESULT_OK = 0, FILTER_RESULT_FAIL = 1 }
function BUILTIN.status_message_set(message)
  host.status_message_set(to_host(check_string(1, 1, message)))
end
function BUILTIN.custom_log_add(key, value)
  key = to_host(check_string(1, 1, key))
  local t = type(value)
  if t == "number" then
    host.custom_log_add(key, gopher.go_float(value))
  elseif t == "string" then
    host.custom_log_add(key, to_host(value))
  elseif t == "boolean" then
    host.custom_log_add(key, tostring(value))
  else
    host.custom_log_add(key, "UNSUPPORTED")
  end
end

return BUILTIN
