import { test } from "vitest";
import { pair } from "./helpers";
test("error_text re-arms __gc", async () => {
  await pair("errgc", `
function nauthilus_call_filter(request)
  local status = nauthilus_builtin.status_message_set
  local mt = {}
  local t = setmetatable({}, mt)
  mt.__gc = function() status("gc from alice") end
  error(t)
end`);
});
test("FILE_MT __gc", async () => {
  await pair("filegc", `
function nauthilus_call_filter(request)
  local status = nauthilus_builtin.status_message_set
  local mt = getmetatable(io.stdin)
  mt.__gc = function() status("file gc from alice") end
  return false, 0
end`);
});
test("FILE_METHODS hijack", async () => {
  await pair("fileread", `
function nauthilus_call_filter(request)
  local status = nauthilus_builtin.status_message_set
  getmetatable(io.stdin).__index.read = function() status("read hijack") return "evil" end
  return false, 0
end`, `
function nauthilus_call_filter(request)
  local x = io.read()
  nauthilus_builtin.custom_log_add("read", tostring(x))
  return false, 0
end`);
});
