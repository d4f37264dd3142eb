// Runs Lua on real PUC Lua 5.1 (lua-wasm-bindings) with a Lua stub of the Nauthilus host, for
// checking that generated code behaves on a 5.1 VM. The stub records what the filter did in a
// global table and the result comes back as a flat "key=value" string (the binding is string-only).
import luaBindings from "lua-wasm-bindings/dist/lua.51.js";

const { lua, lauxlib, lualib } = luaBindings;

export interface StubServer {
  ip: string;
  port: number;
  protocol: string;
  haproxy_v2: boolean;
  tls: boolean;
}

export interface Lua51Run {
  error?: string;
  action?: string;
  code?: string;
  selected?: string;
  applied?: string;
  removed?: string;
  status?: string;
  probes?: string;
  logs?: string;
  /** Chains only: each filter that ran, as "action:code", comma-separated. */
  filters?: string;
  entryType: string;
}

const STUB = `
__rec = { logs = {}, removed = {}, probes = {} }
local function lit(v) if type(v) == "string" then return string.format("%q", v) end return tostring(v) end
function dynamic_loader(name) __rec.loaded = name
  package.preload[name] = function()
    return {
      get_backend_servers = function() local t = {} for i, s in ipairs(__servers) do t[i] = s end return t end,
      select_backend_server = function(ip, port) __rec.selected = ip .. ":" .. tostring(port) end,
      apply_backend_result = function(b) __rec.applied = b end,
      remove_from_backend_result = function(names) for _, n in ipairs(names) do table.insert(__rec.removed, tostring(n)) end end,
      check_backend_connection = function(ip, port, hp, tls)
        table.insert(__rec.probes, ip .. ":" .. tostring(port))
        return __probe_errors[ip .. ":" .. tostring(port)]
      end,
    }
  end
end
nauthilus_builtin = { FILTER_ACCEPT = false, FILTER_REJECT = true, FILTER_RESULT_OK = 0, FILTER_RESULT_FAIL = 1,
  status_message_set = function(m) __rec.status = m end,
  custom_log_add = function(k, v) table.insert(__rec.logs, k .. "=" .. tostring(v)) end }
local BR = {}
BR.__index = BR
function BR:attributes(t) if t ~= nil then self.attrs = t end local c = {} for k, v in pairs(self.attrs or {}) do c[k] = v end return c end
nauthilus_backend_result = { new = function() return setmetatable({}, BR) end }
function __serialize()
  local out = {}
  local function put(k, v) if v ~= nil then table.insert(out, k .. "=" .. v) end end
  put("entryType", type(nauthilus_call_filter))
  put("action", __action ~= nil and tostring(__action) or nil)
  put("code", __code ~= nil and tostring(__code) or nil)
  put("selected", __rec.selected)
  if __rec.applied then
    local keys = {} for k in pairs(__rec.applied.attrs or {}) do table.insert(keys, k) end table.sort(keys)
    local parts = {} for _, k in ipairs(keys) do table.insert(parts, k .. ":" .. tostring(__rec.applied.attrs[k])) end
    put("applied", table.concat(parts, ","))
  end
  put("removed", table.concat(__rec.removed, ","))
  put("status", __rec.status)
  put("probes", table.concat(__rec.probes, ","))
  put("logs", table.concat(__rec.logs, ","))
  if __rec.filters then put("filters", table.concat(__rec.filters, ",")) end
  return table.concat(out, "\\n")
end
`;

function luaValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v); // a JSON string literal is a valid Lua string here (ASCII)
  return String(v);
}

function luaTable(obj: Record<string, unknown>): string {
  return `{ ${Object.entries(obj).map(([k, v]) => `${k} = ${luaValue(v)}`).join(", ")} }`;
}

/** Loads `code` as chunk `chunkName`, calls the global entry with `request`, returns what happened. */
export function runOnLua51(
  code: string,
  chunkName: string,
  request: Record<string, unknown>,
  servers: StubServer[] = [],
  probeErrors: Record<string, string> = {},
): Lua51Run {
  return run([{ code, chunkName }], false, request, servers, probeErrors);
}

/**
 * Runs a chain on one Lua state, as Nauthilus runs a request's filters: each chunk is loaded, its
 * top level run and its entry called with the same request table; the chain stops at the first
 * error or at a filter that rejects (any action but nil/false). `filters` lists each entry's result.
 */
export function runChainOnLua51(
  chunks: Array<{ code: string; chunkName: string }>,
  request: Record<string, unknown>,
  servers: StubServer[] = [],
  probeErrors: Record<string, string> = {},
): Lua51Run {
  return run(chunks, true, request, servers, probeErrors);
}

function run(
  chunks: Array<{ code: string; chunkName: string }>,
  recordFilters: boolean,
  request: Record<string, unknown>,
  servers: StubServer[],
  probeErrors: Record<string, string>,
): Lua51Run {
  const L = lauxlib.luaL_newstate();
  try {
    lualib.luaL_openlibs(L);
    const setup =
      STUB +
      `__servers = { ${servers.map((s) => luaTable({ ...s })).join(", ")} }\n` +
      `__probe_errors = ${luaTable(Object.fromEntries(Object.entries(probeErrors).map(([k, v]) => [`["${k}"]`, v])))}\n` +
      `__request = ${luaTable(request)}\n` +
      (recordFilters ? "__rec.filters = {}\n" : "");
    if (lauxlib.luaL_dostring(L, setup)) throw new Error(lua.lua_tostring(L, -1));
    let error: string | undefined;
    for (const { code, chunkName } of chunks) {
      if (lauxlib.luaL_loadbuffer(L, code, Buffer.byteLength(code), `@${chunkName}`) !== 0) {
        error = lua.lua_tostring(L, -1);
      } else if (lua.lua_pcall(L, 0, 0, 0) !== 0) {
        error = lua.lua_tostring(L, -1);
      } else {
        const call =
          "__action, __code = nauthilus_call_filter(__request)\n" +
          "if __rec.filters then table.insert(__rec.filters, tostring(__action) .. ':' .. tostring(__code)) end";
        if (lauxlib.luaL_dostring(L, call) !== 0) error = lua.lua_tostring(L, -1);
      }
      lua.lua_settop(L, 0);
      if (error !== undefined) break;
      // The binding has no lua_toboolean: Lua says whether the action rejects, as a string.
      lauxlib.luaL_dostring(L, "__rejects = tostring(__action ~= nil and __action ~= false)");
      lua.lua_getglobal(L, "__rejects");
      const rejected = lua.lua_tostring(L, -1) === "true";
      lua.lua_settop(L, 0);
      if (rejected) break;
    }
    if (lauxlib.luaL_dostring(L, "__out = __serialize()") !== 0) throw new Error(lua.lua_tostring(L, -1));
    lua.lua_getglobal(L, "__out");
    const fields = Object.fromEntries(
      lua
        .lua_tostring(L, -1)
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    return { ...fields, error, entryType: fields.entryType ?? "nil" } as Lua51Run;
  } finally {
    lua.lua_close(L);
  }
}
