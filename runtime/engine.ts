// One wasmoon Lua state that serves requests one after another, each in a fresh environment
// (runtime/lua/nauthilus.lua builds it), running the filter chain of contract §5 synchronously.
// Owners: runtime/worker.ts (one engine per worker thread) and tests that run in-process.
import fs from "node:fs";
import path from "node:path";
import { decorateFunction, LuaFactory, LuaRawResult, type LuaEngine } from "wasmoon";
import { PROJECT_ROOT } from "../build/project-root";
import { decodeGoValue, type GoMap } from "./go-value";
import { gopherHazards } from "./lua-hazards";
import { mergeStep } from "./result-merge";
import type { FilterCall, RunRequest } from "./types";
import { REQUEST_FIELDS, requestTable } from "./request";

type Backend = typeof import("nauthilus_backend");
type Builtin = typeof nauthilus_builtin;

/** What the VM may call on the host. Typed against the SDK: a change there breaks this file. */
interface HostApi {
  select_backend_server: Backend["select_backend_server"];
  remove_from_backend_result: Backend["remove_from_backend_result"];
  check_backend_connection: Backend["check_backend_connection"];
  status_message_set: Builtin["status_message_set"];
  /** The value arrives formatted as production logs it (Go %v, or "UNSUPPORTED"). */
  custom_log_add: (key: string, value: string) => void;
  print: (line: string) => void;
  /** A module file on package.path, or undefined when there is none. */
  read_module: (candidate: string) => string | undefined;
  new_userdata: unknown;
}

/** The services an engine's owner provides. */
export interface HostServices {
  /** check_backend_connection's probe; blocks the VM (not other engines) until it has an answer. */
  probe(ip: string, port: number, haproxyV2: boolean, tls: boolean): string | undefined;
  /** Told before each filter starts, so the owner can time the filter from outside the VM. */
  onFilterStart?(index: number): void;
}

/** What the chain did, before the outcome rules (runtime/outcome.ts) turn it into an Outcome. */
export interface ChainResult {
  calls: FilterCall[];
  /** The Lua error value that stopped the chain (tempfail), or null. */
  error: string | null;
  rejected: boolean;
  selected: { ip: string; port: number } | null;
  removed: string[];
  /** The filters' merged backend result (filter.go:635-672); what apply_backend_result gave. */
  merged: GoMap;
  /** Set when the merge panicked: production answers HTTP 500. */
  mergePanic: { message: string; production: "always" | "depends-on-map-order" } | null;
  statusMessage: string | null;
  logs: Array<[string, string]>;
  printed: string[];
  /** Constructs in the filters' Lua that production runs differently (runtime/lua-hazards.ts). */
  hazards: string[];
}

export interface EngineOptions {
  /** Lua heap cap in bytes: an allocation beyond it raises `not enough memory` in the filter. */
  memoryLimitBytes?: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 120; // NAUTHILUS_LUA_SCRIPT_TIMEOUT's default
export const DEFAULT_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;

const LUA_DIR = path.join(PROJECT_ROOT, "runtime", "lua");
const MAX_CACHED_CHUNKS = 256;

/** One string for many values (see unpack_values in runtime/lua/nauthilus.lua). */
function packValues(values: unknown[]): string {
  let out = "";
  for (const v of values) {
    if (typeof v === "string") out += `s${Buffer.byteLength(v)}:${v}`;
    else if (typeof v === "number") {
      const text = Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? String(v) : v.toPrecision(17);
      out += `n${text.length}:${text}`;
    } else out += v ? "t0:" : "f0:";
  }
  return out;
}

function decodeMap(encoded: unknown): GoMap | undefined {
  return typeof encoded === "string" ? (decodeGoValue(JSON.parse(encoded)) as GoMap) : undefined;
}

let factory: LuaFactory | undefined;

export class Engine {
  private state: ChainResult | undefined;
  private readonly chunks = new Map<string, number>();
  private readonly hazards = new Map<number, string[]>();
  /** The packed alive list of the previous request (the VM keeps its parsed form). */
  private lastServers: string | undefined;
  private chunkIds = 0;
  private services: HostServices | undefined;

  private constructor(private readonly lua: LuaEngine) {}

  static async create(options: EngineOptions = {}): Promise<Engine> {
    factory ??= new LuaFactory();
    const lua = await factory.createEngine({ enableProxy: false, injectObjects: false, traceAllocations: true });
    const engine = new Engine(lua);
    lua.global.set("__host", engine.hostApi());
    lua.global.set("__gopher_source", fs.readFileSync(path.join(LUA_DIR, "gopher.lua"), "utf8"));
    lua.global.set("__nauthilus_source", fs.readFileSync(path.join(LUA_DIR, "nauthilus.lua"), "utf8"));
    lua.global.set("__request_fields", [...REQUEST_FIELDS.keys()]);
    lua.global.set("__request_kinds", [...REQUEST_FIELDS.values()]);
    lua.doStringSync(`
      local gopher = assert(load(__gopher_source, "=[runtime gopher.lua]"))()
      local N = assert(load(__nauthilus_source, "=[runtime nauthilus.lua]"))(gopher, __host)
      __host, __gopher_source, __nauthilus_source = nil, nil, nil
      -- Entry points for the host, protected: an error in the runtime's own Lua must come back
      -- as a value, never unwind into wasm (that aborts the whole instance).
      local function protect(f)
        return function(...)
          local r = table.pack(pcall(f, ...))
          if not r[1] then return "internal", tostring(r[2]) end
          return table.unpack(r, 2, r.n)
        end
      end
      __nauthilus_begin_request = protect(N.begin_request)
      __nauthilus_run_filter = protect(N.run_filter)
      __nauthilus_register_chunk = protect(N.register_chunk)
      __nauthilus_forget_chunks = protect(N.forget_chunks)
      N.set_request_fields(__request_fields, __request_kinds)
      __request_fields, __request_kinds = nil, nil
    `);
    lua.global.setTop(0);
    lua.global.setMemoryMax(options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES);
    return engine;
  }

  /** Runs one request's filter chain. Synchronous: a runaway filter is stopped by its deadline
   * hook or, failing that, by the owner terminating the thread. */
  runChain(request: RunRequest, services: HostServices): ChainResult {
    const state: ChainResult = {
      calls: [], error: null, rejected: false, selected: null, removed: [], merged: new Map(), mergePanic: null,
      statusMessage: null, logs: [], printed: [], hazards: [],
    };
    this.state = state;
    this.services = services;
    const global = this.lua.global;
    try {
      const monitoring = request.monitoring ?? true;
      const table = requestTable(request.request) as unknown as Record<string, unknown>;
      // Only fields that differ from their zero value travel (most are empty in practice).
      const fields: unknown[] = [];
      let index = 0;
      for (const [field, kind] of REQUEST_FIELDS) {
        index++;
        const value = table[field];
        if (value !== (kind === "boolean" ? false : kind === "number" ? 0 : "")) fields.push(index, value);
      }
      const servers: unknown[] = [];
      for (const s of request.servers) servers.push(s.protocol, s.ip, s.port, s.haproxy_v2, s.tls);
      const packedServers = packValues(servers);
      const sameServers = packedServers === this.lastServers;
      this.lastServers = packedServers;
      const [status, message] = global.call("__nauthilus_begin_request", monitoring, packValues(fields), sameServers ? undefined : packedServers);
      if (status === "internal") {
        this.lastServers = undefined;
        throw new Error(`the runtime's Lua failed to start the request: ${String(message)}`);
      }
      const timeout = request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      const packagePath = request.packagePath ?? "";
      for (const [index, filter] of request.filters.entries()) {
        services.onFilterStart?.(index);
        const id = this.chunkId(filter.name, filter.source);
        state.hazards.push(...(this.hazards.get(id) ?? []));
        const [status, a, b, before, after, sameObject] = global.call("__nauthilus_run_filter", id, packagePath, timeout);
        if (status !== "ok") {
          state.error = String(a);
          break;
        }
        state.calls.push({ name: filter.name, action: Boolean(a), code: Number(b) });
        const merge = mergeStep(state.merged, { before: decodeMap(before), after: decodeMap(after), sameObject: Boolean(sameObject) });
        if ("panic" in merge) {
          state.mergePanic = { message: merge.panic, production: merge.production };
          break;
        }
        state.merged = merge.merged;
        if (a) {
          state.rejected = true;
          break;
        }
      }
    } finally {
      global.setTop(0);
      this.state = undefined;
      this.services = undefined;
    }
    return state;
  }

  /** Each distinct (name, source) is sent to the VM and compiled once per engine. */
  private chunkId(name: string, source: string): number {
    const key = `${name}\0${source}`;
    let id = this.chunks.get(key);
    if (id === undefined) {
      if (this.chunks.size >= MAX_CACHED_CHUNKS) {
        this.chunks.clear();
        this.hazards.clear();
        this.lua.global.call("__nauthilus_forget_chunks");
      }
      id = ++this.chunkIds;
      this.chunks.set(key, id);
      const found = gopherHazards(source, name);
      if (found.length > 0) this.hazards.set(id, found);
      this.lua.global.call("__nauthilus_register_chunk", id, name, source);
    }
    return id;
  }

  memoryUsed(): number {
    return this.lua.global.getMemoryUsed();
  }

  close(): void {
    this.lua.global.close();
  }

  private current(): ChainResult {
    if (!this.state) throw new Error("host function called outside a request");
    return this.state;
  }

  private hostApi(): HostApi {
    return {
      select_backend_server: (ip, port) => {
        this.current().selected = { ip, port };
      },
      remove_from_backend_result: (names) => {
        this.current().removed.push(...names);
      },
      check_backend_connection: (ip, port, haproxyV2, tls) => {
        this.current();
        return this.services!.probe(ip, port, haproxyV2, tls);
      },
      status_message_set: (message) => {
        this.current().statusMessage = message;
      },
      custom_log_add: (key, value) => {
        this.current().logs.push([key, value]);
      },
      print: (line) => {
        this.current().printed.push(line);
      },
      read_module: (candidate) => {
        try {
          return fs.readFileSync(candidate, "utf8");
        } catch {
          return undefined;
        }
      },
      // Raw userdata for server records and backend results: Lua 5.4 cannot make userdata itself.
      new_userdata: decorateFunction(
        (thread: { lua: { lua_newuserdatauv(L: number, size: number, uv: number): number }; address: number }, n: number) => {
          for (let i = 0; i < n; i++) thread.lua.lua_newuserdatauv(thread.address, 0, 0);
          return new LuaRawResult(n);
        },
        { receiveThread: true },
      ),
    };
  }
}
