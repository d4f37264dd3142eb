// Every emitted file is parsed by real PUC Lua 5.1 (lua-wasm-bindings, the VM TypeScriptToLua's
// own tests use): gopher-lua accepts the 5.1 grammar plus `goto`, so anything PUC 5.1 rejects
// (//, &, \x escapes, integer division, ...) would fail to load in production.
import { createRequire } from "node:module";

type Bindings = typeof import("lua-wasm-bindings/dist/lua.51.js");

let bindings: Bindings | undefined;
let state: ReturnType<Bindings["lauxlib"]["luaL_newstate"]> | undefined;

/** The bindings' emscripten glue installs process-wide handlers that abort the whole process on
 * any unhandled rejection (printing its own minified source): loaded here without them. */
function load(): Bindings {
  const events = ["unhandledRejection", "uncaughtException"];
  const listeners = (e: string) => process.listeners(e as "unhandledRejection") as Array<(...args: unknown[]) => void>;
  const before = events.map((e) => new Set(listeners(e)));
  const loaded = createRequire(import.meta.url)("lua-wasm-bindings/dist/lua.51.js") as Bindings & { default?: Bindings };
  events.forEach((e, i) => {
    for (const listener of listeners(e)) if (!before[i].has(listener)) process.removeListener(e, listener);
  });
  return loaded.default ?? loaded;
}

/** Returns undefined when `code` is a valid Lua 5.1 chunk, else PUC Lua's message (`<name>:<line>: ...`). */
export function checkLua51(code: string, chunkName: string): string | undefined {
  bindings ??= load();
  const { lua, lauxlib } = bindings;
  state ??= lauxlib.luaL_newstate();
  const L = state;
  try {
    const status = lauxlib.luaL_loadbuffer(L, code, Buffer.byteLength(code), `@${chunkName}`);
    return status === 0 ? undefined : lua.lua_tostring(L, -1);
  } finally {
    lua.lua_settop(L, 0);
  }
}
