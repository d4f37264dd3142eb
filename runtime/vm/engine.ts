// One wasmoon Lua state that serves requests one after another, each in a fresh environment
// (runtime/vm/lua/nauthilus.lua builds it), running the filter chain of contract §5 synchronously.
// Owners: runtime/vm/worker.ts (one engine per worker thread) and tests that run in-process.
import fs from "node:fs";
import path from "node:path";
import { decorateFunction, LuaRawResult, type LuaEngine, type LuaFactory } from "wasmoon";
import { PROJECT_ROOT } from "../../build/project-root";
import { decodeGoValue, type GoMap } from "../nauthilus/go-value";
import { rewriteChunk } from "./chunk-rewrite";
import { createLuaFactory } from "./direct-calls";
import { gopherCompileError } from "./gopher-syntax-error";
import { gopherHazards } from "./lua-hazards";
import { mergeStep } from "../nauthilus/result-merge";
import type { FilterCall, RunRequest } from "../types";
import { prepareRun, REQUEST_FIELDS, SERVER_FIELDS, zeroValue, type PreparedRun } from "../nauthilus/request";
import { bytesFromVm, fromVm, packValues, quoteBytes, type VmString } from "./wire";

type Backend = typeof import("nauthilus_backend");
type Builtin = typeof nauthilus_builtin;

/** A string as it crosses from the VM (runtime/vm/wire.ts): plain ASCII, or "\x01" + hex. */
type Wire = string;
/** A value packed for the VM with packValues. */
type Packed = string;

/** What the VM may call on the host, typed against the SDK (a change there breaks this file);
 * strings arrive in their wire form. */
interface HostApi {
  select_backend_server: (ip: Wire, port: Parameters<Backend["select_backend_server"]>[1]) => void;
  /** One name at a time (remove_from_backend_result's table is walked in Lua). */
  remove_from_backend_result: (name: Wire) => void;
  check_backend_connection: (
    ip: Wire, ...rest: Parameters<Backend["check_backend_connection"]> extends [string, ...infer R] ? R : never
  ) => Packed | undefined;
  status_message_set: (message: Wire & Parameters<Builtin["status_message_set"]>[0]) => void;
  /** The value arrives formatted as production logs it (Go %v, or "UNSUPPORTED"). */
  custom_log_add: (key: Wire, value: Wire) => void;
  print: (line: Wire) => void;
  /** io.write and io.stdout/io.stderr writes: the stream's name and the text. */
  write_output: (stream: Wire, text: Wire) => void;
  /** A host file's content ("v" + packed) or why it cannot be read ("e" + packed Go-style text). */
  read_file: (path: Wire) => string;
  /** os.getenv: the packed value, or undefined when unset or empty (Go's os.Getenv). */
  getenv: (name: Wire) => Packed | undefined;
  /** Code loaded at run time (loadstring, require, …) rewritten like a filter's chunk, or
   * undefined when it does not parse (runtime/vm/chunk-rewrite.ts). */
  /** A chunk loaded at run time: "e" and gopher's compile error, or "r" and the rewritten chunk,
   * or nothing (run as it is). `name`: the chunk name as gopher prints it. */
  rewrite_chunk: (source: Wire, name: Wire) => Packed | undefined;
  new_userdata: unknown;
}

/** Largest host file a filter may read (io.open, require, dofile); larger ones fail to open. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** The services an engine's owner provides. */
export interface HostServices {
  /** check_backend_connection's probe; blocks the VM (not other engines) until it has an answer. */
  probe(ip: string, port: number, haproxyV2: boolean, tls: boolean): string | undefined;
  /** Told before each filter starts, so the owner can time the filter from outside the VM. */
  onFilterStart?(index: number): void;
}

/** Why the chain stopped with an error: a Lua error (production's text), no entry function, or
 * the runtime's cap on what a request may hand to the host (no production equivalent). */
export type ChainErrorKind = "lua" | "missing-entry" | "host-limit";

/** What the chain did, before the outcome rules (runtime/nauthilus/outcome.ts) turn it into an Outcome. */
export interface ChainResult {
  calls: FilterCall[];
  /** The Lua error value that stopped the chain (tempfail), or null. */
  error: string | null;
  errorKind: ChainErrorKind | null;
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
  /** What the filters wrote to io.stdout/io.stderr (production: Nauthilus's own output). */
  output: Array<[string, string]>;
  /** Strings that were not UTF-8, named with their exact bytes (the outcome shows U+FFFD). */
  byteNotes: string[];
  /** Constructs in the filters' Lua that production runs differently (runtime/vm/lua-hazards.ts). */
  hazards: string[];
  /** Where the error left the failing filter's chunk: its frames' lines, innermost first. */
  errorFrames?: { filter: string; lines: number[] };
  /** Milliseconds each filter that started took, in chain order (the failing one included). */
  filterMs: number[];
}

export interface EngineOptions {
  /** Lua heap cap in bytes: an allocation beyond it raises `not enough memory` in the filter. */
  memoryLimitBytes?: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 120; // NAUTHILUS_LUA_SCRIPT_TIMEOUT's default
export const DEFAULT_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;

const LUA_DIR = path.join(PROJECT_ROOT, "runtime", "vm", "lua");
/** sdk/<name>.lua: the host modules, each beside its declaration (sdk/<name>.d.ts). */
const SDK_HOST_MODULES = ["nauthilus-backend", "backend-result", "builtin"];
/** runtime/vm/lua/*.lua parts that nauthilus.lua loads with its shared pieces. */
const RUNTIME_PARTS = ["host-surface", "gopher-string"];
const MAX_CACHED_CHUNKS = 256;

function decodeMap(encoded: unknown): GoMap | undefined {
  return typeof encoded === "string" ? (decodeGoValue(JSON.parse(encoded)) as GoMap) : undefined;
}

/** Go's text for the errno values opening a file meets (syscall.Errno.Error()). */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "no such file or directory", ENOTDIR: "not a directory", EACCES: "permission denied", EPERM: "operation not permitted",
  ENAMETOOLONG: "file name too long", ELOOP: "too many levels of symbolic links", EISDIR: "is a directory", EINVAL: "invalid argument",
  EMFILE: "too many open files", EIO: "input/output error",
};

/** A host file for io.open/require/dofile: "v" + the packed bytes, or "e" + Go's error text. */
function readHostFile(path: Buffer): string {
  const shown = path.toString("latin1");
  const fail = (reason: string) => "e" + packValues([Buffer.from(`open ${shown}: ${reason}`, "latin1")]);
  if (path.includes(0)) return fail("invalid argument"); // Go's syscall layer rejects a NUL
  try {
    const stat = fs.statSync(path);
    if (stat.isDirectory()) return "e" + packValues([Buffer.from(`read ${shown}: is a directory`, "latin1")]);
    if (stat.size > MAX_FILE_BYTES) return fail(`larger than the ${MAX_FILE_BYTES >> 20} MiB the local runtime lets a filter read`);
    return "v" + packValues([fs.readFileSync(path)]);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    return fail(ERRNO_TEXT[code] ?? `${code || "error"} (the local runtime's file access failed)`);
  }
}

let factory: Promise<LuaFactory> | undefined;

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
    factory ??= createLuaFactory();
    const lua = await (await factory).createEngine({ enableProxy: false, injectObjects: false, traceAllocations: true });
    const engine = new Engine(lua);
    lua.global.set("__host", engine.hostApi());
    lua.global.set("__gofmt_source", fs.readFileSync(path.join(LUA_DIR, "go-fmt.lua"), "utf8"));
    lua.global.set("__pattern_source", fs.readFileSync(path.join(LUA_DIR, "gopher-pattern.lua"), "utf8"));
    lua.global.set("__gopher_source", fs.readFileSync(path.join(LUA_DIR, "gopher.lua"), "utf8"));
    lua.global.set("__nauthilus_source", fs.readFileSync(path.join(LUA_DIR, "nauthilus.lua"), "utf8"));
    // The host modules live beside the declarations they implement.
    lua.global.set("__sdk_sources", Object.fromEntries(
      SDK_HOST_MODULES.map((name) => [name, fs.readFileSync(path.join(PROJECT_ROOT, "sdk", `${name}.lua`), "utf8")]),
    ));
    lua.global.set("__runtime_sources", Object.fromEntries(
      RUNTIME_PARTS.map((name) => [name, fs.readFileSync(path.join(LUA_DIR, `${name}.lua`), "utf8")]),
    ));
    lua.global.set("__request_fields", [...REQUEST_FIELDS.keys()]);
    lua.global.set("__request_kinds", [...REQUEST_FIELDS.values()]);
    lua.global.set("__server_fields", [...SERVER_FIELDS.keys()]);
    // Named like the runtime's files, so that the entry points it defines stay hidden from
    // filters (debug.getinfo gives out no function of a "=[runtime" chunk).
    lua.global.set("__setup_source", `
      local gofmt = assert(load(__gofmt_source, "=[runtime go-fmt.lua]"))()
      local gopher = assert(load(__gopher_source, "=[runtime gopher.lua]"))(gofmt, assert(load(__pattern_source, "=[runtime gopher-pattern.lua]"))())
      local N = assert(load(__nauthilus_source, "=[runtime nauthilus.lua]"))(gopher, __host, __sdk_sources, __runtime_sources)
      __host, __gofmt_source, __pattern_source, __gopher_source, __nauthilus_source, __sdk_sources, __runtime_sources = nil, nil, nil, nil, nil, nil, nil
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
      N.set_fields(__request_fields, __request_kinds, __server_fields)
      __request_fields, __request_kinds, __server_fields = nil, nil, nil
    `);
    lua.doStringSync(`assert(load(__setup_source, "=[runtime setup]"))() __setup_source = nil`);
    lua.global.setTop(0);
    lua.global.setMemoryMax(options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES);
    return engine;
  }

  /** Runs one request's filter chain. Synchronous: a runaway filter is stopped by its deadline
   * hook or, failing that, by the owner terminating the thread. The run is validated here unless
   * it was prepared already (runtime/nauthilus/request.ts). */
  runChain(run: RunRequest | PreparedRun, services: HostServices): ChainResult {
    const request = prepareRun(run);
    const state: ChainResult = {
      calls: [], error: null, errorKind: null, rejected: false, selected: null, removed: [], merged: new Map(), mergePanic: null,
      statusMessage: null, logs: [], printed: [], output: [], byteNotes: [], hazards: [], filterMs: [],
    };
    this.state = state;
    this.services = services;
    const global = this.lua.global;
    try {
      const monitoring = request.monitoring ?? true;
      // String fields may hold bytes that are not UTF-8 (a Uint8Array): they travel as bytes.
      const table = request.request as unknown as Record<string, string | number | boolean | Uint8Array>;
      // Only fields that differ from their zero value travel (most are empty in practice).
      const fields: Array<string | number | boolean | Uint8Array> = [];
      let index = 0;
      for (const [field, kind] of REQUEST_FIELDS) {
        index++;
        const value = table[field];
        if (value !== zeroValue(kind)) fields.push(index, value);
      }
      const servers: Array<string | number | boolean> = [];
      for (const s of request.servers) for (const field of SERVER_FIELDS.keys()) servers.push(s[field]);
      const packedServers = packValues(servers);
      const sameServers = packedServers === this.lastServers;
      this.lastServers = packedServers;
      const [status, message] = global.call("__nauthilus_begin_request", monitoring, packValues(fields), sameServers ? undefined : packedServers);
      if (status === "internal") {
        this.lastServers = undefined;
        throw new Error(`the runtime's Lua failed to start the request: ${String(message)}`);
      }
      const timeout = request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      const packagePath = packValues([request.packagePath ?? ""]);
      for (const [index, filter] of request.filters.entries()) {
        services.onFilterStart?.(index);
        const started = performance.now();
        const id = this.chunkId(filter.name, filter.source);
        state.hazards.push(...(this.hazards.get(id) ?? []));
        const [status, a, b, before, after, sameObject] = global.call("__nauthilus_run_filter", id, packagePath, timeout);
        state.filterMs.push(performance.now() - started);
        if (status === "internal") throw new Error(`the runtime's Lua failed running ${filter.name}: ${String(a)}`);
        if (status !== "ok") {
          state.error = this.text(a as Wire, `the error of ${filter.name}`);
          // The failing frames' lines, then those of the filter's latest error() call.
          const lines = (typeof before === "string" ? before : "").split(/[;,]/).filter((l) => l !== "").map(Number);
          state.errorFrames = { filter: filter.name, lines };
          state.errorKind = status === "missing-entry" ? "missing-entry" : b ? "host-limit" : "lua";
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
      // gopher compiles the filter first: its refusal, in its words, is the chunk's syntax error.
      const latin1 = (text: string) => Buffer.from(text, "utf8").toString("latin1"); // one char per byte
      const refused = gopherCompileError(latin1(source), latin1(name));
      const found = refused === null ? gopherHazards(source, name) : [];
      if (found.length > 0) this.hazards.set(id, found);
      const rewritten = refused === null ? rewriteChunk(source) : null;
      const syntax = refused === null ? "" : Buffer.from(refused, "latin1");
      this.lua.global.call("__nauthilus_register_chunk", id, packValues([name, rewritten ?? source, rewritten !== null, syntax]));
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

  /** A wire string as text; where its bytes are not UTF-8 the outcome says so, with the bytes. */
  private text(wire: Wire, what: string): string {
    const s: VmString = fromVm(wire);
    if (s.bytes) {
      this.state?.byteNotes.push(
        `${what} is not UTF-8: its bytes are ${quoteBytes(s.bytes)}; shown with U+FFFD here, production keeps the bytes`,
      );
    }
    return s.text;
  }

  private hostApi(): HostApi {
    return {
      select_backend_server: (ip, port) => {
        this.current().selected = { ip: this.text(ip, "the selected server's address"), port };
      },
      remove_from_backend_result: (name) => {
        this.current().removed.push(this.text(name, "an attribute name given to remove_from_backend_result"));
      },
      check_backend_connection: (ip, port, haproxyV2, tls) => {
        this.current();
        const answer = this.services!.probe(bytesFromVm(ip).toString(), port, haproxyV2, tls);
        return answer === undefined ? undefined : packValues([answer]);
      },
      status_message_set: (message) => {
        this.current().statusMessage = this.text(message, "the status message");
      },
      custom_log_add: (key, value) => {
        const k = this.text(key, "a custom log key");
        this.current().logs.push([k, this.text(value, `the custom log value of "${k}"`)]);
      },
      print: (line) => {
        this.current().printed.push(this.text(line, "a printed line"));
      },
      write_output: (stream, text) => {
        this.current().output.push([fromVm(stream).text, this.text(text, "text written to io.stdout/io.stderr")]);
      },
      read_file: (file) => readHostFile(bytesFromVm(file)),
      rewrite_chunk: (source, name) => {
        const bytes = bytesFromVm(source);
        const refused = gopherCompileError(bytes.toString("latin1"), bytesFromVm(name).toString("latin1"));
        if (refused !== null) return packValues(["e", Buffer.from(refused, "latin1")]);
        const rewritten = rewriteChunk(bytes);
        return rewritten === null ? undefined : packValues(["r", rewritten]);
      },
      getenv: (name) => {
        const value = process.env[bytesFromVm(name).toString()];
        return value ? packValues([value]) : undefined;
      },
      // Raw userdata for server records and backend results: Lua 5.4 cannot make userdata itself.
      // The Lua side asks for bounded batches; the stack is grown before anything is pushed.
      new_userdata: decorateFunction(
        (
          thread: { lua: { lua_newuserdatauv(L: number, size: number, uv: number): number; lua_checkstack(L: number, n: number): number }; address: number },
          n: number,
        ) => {
          if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`new_userdata: batch of ${n}`);
          if (!thread.lua.lua_checkstack(thread.address, n + 8)) throw new Error("new_userdata: the Lua stack cannot grow");
          for (let i = 0; i < n; i++) thread.lua.lua_newuserdatauv(thread.address, 0, 0);
          return new LuaRawResult(n);
        },
        { receiveThread: true },
      ),
    };
  }
}
