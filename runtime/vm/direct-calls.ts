// wasmoon 1.16 ships an assertion-enabled emscripten build: every call from JavaScript into Lua's C
// API goes through Module.ccall and a wrapper that checks the runtime and formats a message on
// every call, and the memory cap's allocator reaches realloc/free through the same wrapper.
// Measured on the director benchmark: about a fifth of a request (BENCHMARKS.md). This module
// makes one factory whose calls with only number arguments and a number (or no) result go
// straight to the wasm export; calls that pass strings keep wasmoon's ccall, which copies them
// onto the wasm stack.
import { LuaFactory } from "wasmoon";

/** The parts of wasmoon's module object this file touches (not in wasmoon's public types). */
interface EmscriptenModule {
  ccall(name: string, returnType: string | null, argTypes: string[], args: unknown[]): unknown;
  _realloc(pointer: number, size: number): number;
  _free(pointer: number): void;
}

type WasmFunction = (...args: unknown[]) => unknown;

/** True once the factory's calls go to the wasm exports (checked by test/runtime/direct-calls). */
export let directCallsActive = false;

/** What `WebAssembly.instantiate` resolves to (Node's types do not declare the namespace's values). */
type Instantiated = { exports: Record<string, unknown> } | { instance: { exports: Record<string, unknown> } };
interface WasmNamespace {
  instantiate(...args: unknown[]): Promise<Instantiated>;
}

/** A LuaFactory whose numeric C API calls and allocations skip the glue's per-call checks. */
export async function createLuaFactory(): Promise<LuaFactory> {
  const wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
  const instantiate = wasm.instantiate;
  let exports: Record<string, unknown> | undefined;
  // The glue keeps its exports private: they are seen once, as the module is instantiated.
  wasm.instantiate = async (...args: unknown[]) => {
    const result = await instantiate.apply(wasm, args);
    const found = "instance" in result ? result.instance.exports : result.exports;
    if (typeof found.lua_newstate === "function") exports ??= found;
    return result;
  };
  let module: EmscriptenModule;
  const factory = new LuaFactory();
  try {
    module = (await (factory as unknown as { getLuaModule(): Promise<{ module: EmscriptenModule }> }).getLuaModule()).module;
  } finally {
    wasm.instantiate = instantiate;
  }
  const raw = exports;
  if (raw === undefined || typeof raw.realloc !== "function" || typeof raw.free !== "function") return factory;

  const checked = module.ccall.bind(module);
  // wasmoon's wrappers pass the same argTypes array on every call of one function: the decision
  // is made once per function.
  const plans = new WeakMap<string[], WasmFunction | null>();
  module.ccall = (name, returnType, argTypes, args) => {
    let direct = plans.get(argTypes);
    if (direct === undefined) {
      const fn = raw[name];
      const numeric = argTypes.every((t) => t === "number") && (returnType === null || returnType === "number");
      direct = numeric && typeof fn === "function" ? (fn as WasmFunction) : null;
      plans.set(argTypes, direct);
    }
    return direct === null ? checked(name, returnType, argTypes, args) : direct(...args);
  };
  module._realloc = raw.realloc as EmscriptenModule["_realloc"];
  module._free = raw.free as EmscriptenModule["_free"];
  directCallsActive = true;
  return factory;
}
