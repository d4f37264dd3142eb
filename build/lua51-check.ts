// Every emitted file is parsed by real PUC Lua 5.1 (lua-wasm-bindings, the VM TypeScriptToLua's
// own tests use): gopher-lua accepts the 5.1 grammar plus `goto`, so anything PUC 5.1 rejects
// (//, &, \x escapes, integer division, ...) would fail to load in production.
import luaBindings from "lua-wasm-bindings/dist/lua.51.js";

const { lua, lauxlib } = luaBindings;
let state: ReturnType<typeof lauxlib.luaL_newstate> | undefined;

/** Returns undefined when `code` is a valid Lua 5.1 chunk, else PUC Lua's message (`<name>:<line>: ...`). */
export function checkLua51(code: string, chunkName: string): string | undefined {
  state ??= lauxlib.luaL_newstate();
  const L = state;
  try {
    const status = lauxlib.luaL_loadbuffer(L, code, Buffer.byteLength(code), `@${chunkName}`);
    return status === 0 ? undefined : lua.lua_tostring(L, -1);
  } finally {
    lua.lua_settop(L, 0);
  }
}
