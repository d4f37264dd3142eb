// A seeded generator of Lua filters that call the host API (nauthilus_backend, nauthilus_backend_result,
// nauthilus_builtin, dynamic_loader, require, io.open, os.getenv, server userdata) with random arity
// and random values, and the model of what Nauthilus v1.3.9 on gopher-lua v1.1.1 answers to each call.
//
// The model is read from production's code (tag v1.3.9 of croessner/nauthilus: filter.go, backendresult.go,
// connection.go, logging.go, convert/convert.go; gopher-lua v1.1.1: auxlib.go CheckString/CheckInt/…,
// state.go frameFuncName/where/ToInt, vm.go OP_TAILCALL, compile.go getExprName) and from the recorded
// corpus (../shared/corpus/v139/5*-host-*). Where production depends on Go's map order, the model accepts
// every text production can give. Used by test/runtime/fuzz.test.ts.
import type { BackendAttributes, Outcome, RunRequest, ServerRecord } from "../../runtime/types";

// ------------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32)
// ------------------------------------------------------------------------------------------------

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

// ------------------------------------------------------------------------------------------------
// Go's and gopher's number texts
// ------------------------------------------------------------------------------------------------

const MIN_INT64 = -(2 ** 63);

/** Go's %v of a float64 (strconv 'g', shortest): exponent form when exp < -4 or exp >= 6. */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, expText] = x.toExponential().split("e");
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp >= 0) {
    if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length);
    return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
}

/** gopher's LNumber.String(): an integral value that fits int64 as an integer, else Go's %v. */
export function numberString(x: number): string {
  if (Number.isInteger(x) && x >= MIN_INT64 && x < 2 ** 63) return BigInt(x).toString();
  return goFloat(x);
}

/** Go's int(float64) on amd64: truncation; NaN and values beyond int64 give math.MinInt64. */
export function goInt(x: number): number {
  if (Number.isNaN(x) || x >= 2 ** 63 || x < MIN_INT64) return MIN_INT64;
  return Math.trunc(x);
}

function goIntText(x: number): string {
  return BigInt(goInt(x)).toString();
}

// ------------------------------------------------------------------------------------------------
// Values: each knows its Lua expression and everything the model needs about it
// ------------------------------------------------------------------------------------------------

export type LuaType = "nil" | "boolean" | "number" | "string" | "table" | "function" | "thread" | "userdata";

export type V =
  | { t: "nil"; lua: string }
  | { t: "boolean"; lua: string; b: boolean }
  | { t: "number"; lua: string; n: number }
  | { t: "string"; lua: string; bytes: Buffer }
  | { t: "function"; lua: string }
  | { t: "thread"; lua: string }
  | { t: "userdata"; lua: string; ud: "server"; server: ServerRecord }
  | { t: "userdata"; lua: string; ud: "result" }
  | TableV;

export interface TableV {
  t: "table";
  lua: string;
  /** Positional items (the array part in both VMs). */
  items: V[];
  /** Explicit [key] = value entries. */
  pairs: Array<[V, V]>;
  /** Tables the filter already has (the module, nauthilus_builtin, the result type, the server list). */
  special?: "module" | "builtin" | "result-type" | "server-list";
}

const lenient = new TextDecoder("utf-8");

/** A Lua string's bytes as the runtime shows them (UTF-8; U+FFFD where the bytes are not). */
export function text(bytes: Buffer): string {
  return lenient.decode(bytes);
}

function luaString(bytes: Buffer): string {
  let out = '"';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) out += String.fromCharCode(b);
    else out += `\\${String(b).padStart(3, "0")}`;
  }
  return `${out}"`;
}

const str = (s: string | Buffer): V => {
  const bytes = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  return { t: "string", lua: luaString(bytes), bytes };
};
const num = (lua: string, n: number): V => ({ t: "number", lua, n });
const NIL: V = { t: "nil", lua: "nil" };
function bool(rng: Rng): V {
  const b = rng.chance(0.5);
  return { t: "boolean", lua: String(b), b };
}

const NUMBERS: V[] = [
  num("0", 0), num("(-0.0)", -0), num("1", 1), num("1.5", 1.5), num("(0/0)", NaN), num("(1/0)", Infinity), num("(-1/0)", -Infinity),
  num("1e308", 1e308), num("2^63", 2 ** 63), num("(-2^63)", -(2 ** 63)), num("2^53", 2 ** 53), num("143", 143), num("993.9", 993.9),
  num("65535", 65535), num("65536", 65536), num("(-1)", -1), num("(-2.5)", -2.5), num("1000000", 1000000), num("1e-07", 1e-7),
];

/** Names that are neither modules production loads nor files anywhere near the test. */
const SHORT_STRINGS = [
  "", "x", "10.0.0.1", "::1", "2001:db8::25", "imap", "mail", "uid", "Proxy-Host", "143", " 12 ", "0x10", "1e2", "nan",
  "nauthilus_backend", "nauthilus_redis", "nauthilus_gll_x", "no_such_module", "%s%d%%", "a.b.c", "\r\nX-Evil: 1", "ünïcödé",
  "📫", "a b", "?",
];

function randomBytes(rng: Rng, max: number): Buffer {
  const n = rng.int(0, max);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = rng.chance(0.5) ? rng.int(0, 255) : rng.int(0x61, 0x7a);
  return out;
}

function genString(rng: Rng, allowHuge = true): V {
  const r = rng.next();
  if (r < 0.55) return str(rng.pick(SHORT_STRINGS));
  if (r < 0.7) return str(Buffer.from(rng.pick([[0x61, 0x00, 0x62], [0x80, 0xc8, 0xff], [0x00], [0xc3], [0xed, 0xa0, 0x80]])));
  if (r < 0.88 || !allowHuge) return str(randomBytes(rng, 24));
  // Huge strings: a few KB, repeated from a short unit (the expression stays short).
  const unit = rng.pick([Buffer.from("x"), Buffer.from([0x00, 0xff]), Buffer.from("ab."), Buffer.from("é")]);
  const count = rng.pick([300, 1000, 1500]);
  return { t: "string", lua: `string.rep(${luaString(unit)}, ${count})`, bytes: Buffer.concat(Array(count).fill(unit)) };
}

function genNumber(rng: Rng): V {
  if (rng.chance(0.3)) {
    const n = rng.int(-10, 70000);
    return num(n < 0 ? `(${n})` : String(n), n);
  }
  return rng.pick(NUMBERS);
}

export interface Scope {
  rng: Rng;
  /** 1-based index of the filter being generated, and lua.config.package_path: require's candidates. */
  filter: number;
  packagePath: string;
  /** The servers get_backend_servers returns in this request (none with the feature off). */
  visible: ServerRecord[];
}

/** The server userdata the filter's prologue names S1, S2, S3 (nil when the list is shorter). */
function serverHandle(scope: Scope, name: "S1" | "S2" | "S3"): V {
  const list = scope.visible;
  const server = name === "S1" ? list[0] : name === "S2" ? list[1] : list[list.length - 1];
  return server ? { t: "userdata", lua: name, ud: "server", server } : { t: "nil", lua: name };
}

function genHandle(scope: Scope): V {
  const rng = scope.rng;
  switch (rng.int(0, 11)) {
    case 0: return { t: "function", lua: "print" };
    case 1: return { t: "function", lua: "F" };
    case 2: return { t: "function", lua: "nb.get_backend_servers" };
    case 3: return { t: "thread", lua: "CO" };
    case 4: return serverHandle(scope, "S1");
    case 5: return serverHandle(scope, rng.pick(["S2", "S3"] as const));
    case 6: return { t: "userdata", lua: "R1", ud: "result" };
    case 7: return { t: "userdata", lua: "R2", ud: "result" };
    case 8: return { t: "userdata", lua: "R.new()", ud: "result" };
    case 9: return special(rng.pick(["module", "builtin", "result-type"] as const));
    case 10: return special("server-list", scope);
    default: return { t: "userdata", lua: "R1", ud: "result" };
  }
}

function special(kind: NonNullable<TableV["special"]>, scope?: Scope): TableV {
  const lua = { module: "nb", builtin: "B", "result-type": "R", "server-list": "SV" }[kind];
  const items = kind === "server-list" ? scope!.visible.map((server, i) => ({ t: "userdata" as const, lua: `SV[${i + 1}]`, ud: "server" as const, server })) : [];
  return { t: "table", lua, items, pairs: [], special: kind };
}

/** Map keys: numbers normalised as Lua normalises them (1.0 is 1, -0.0 is 0). */
function keyId(k: V): string {
  switch (k.t) {
    case "string": return `s${k.bytes.toString("hex")}`;
    case "number": return `n${k.n === 0 ? 0 : k.n}`;
    case "boolean": return `b${k.b}`;
    default: return `o${k.lua}`;
  }
}

const NUMERIC_KEYS: V[] = [num("0", 0), num("1", 1), num("2", 2), num("1.5", 1.5), num("1.9", 1.9), num("(-1)", -1), num("(-0.5)", -0.5), num("2^63", 2 ** 63), num("1e308", 1e308)];

export function genTable(scope: Scope, depth: number): TableV {
  const rng = scope.rng;
  const items: V[] = [];
  const pairs: Array<[V, V]> = [];
  const seen = new Set<string>();
  const shape = rng.next();
  const inner = () => genValue(scope, depth + 1, { noNil: true });
  if (shape < 0.3) {
    // A list (possibly empty).
    for (let i = rng.int(0, 4); i > 0; i--) items.push(inner());
  } else if (shape < 0.45) {
    // One numeric key alone: whether production sees a list depends on Go's int() of the key.
    pairs.push([rng.pick(NUMERIC_KEYS), inner()]);
  } else {
    // A map with at least one string key (production then always converts it to a map), maybe
    // with positional items and keys of every other kind, including tables (unhashable in Go).
    if (shape > 0.85) for (let i = rng.int(1, 2); i > 0; i--) items.push(inner());
    const add = (k: V) => {
      const id = keyId(k);
      if (seen.has(id)) return;
      seen.add(id);
      pairs.push([k, inner()]);
    };
    add(genString(rng, false));
    for (let i = rng.int(0, 3); i > 0; i--) {
      const r = rng.next();
      if (r < 0.45) add(genString(rng, false));
      // Not beside positional items: which of `{x, [1] = y}` wins is the constructor's order, not
      // the host API's (both VMs store the positional items last).
      else if (r < 0.6) add(items.length === 0 ? rng.pick(NUMERIC_KEYS) : genString(rng, false));
      else if (r < 0.7) add(bool(rng));
      else if (r < 0.85 && depth < 3) add(genTable(scope, depth + 1));
      else add(rng.pick<V>([{ t: "function", lua: "print" }, { t: "function", lua: "F" }, { t: "userdata", lua: "R1", ud: "result" }, { t: "thread", lua: "CO" }]));
    }
  }
  const parts = [...items.map((v) => v.lua), ...pairs.map(([k, v]) => `[${k.lua}] = ${v.lua}`)];
  return { t: "table", lua: `{${parts.join(", ")}}`, items, pairs };
}

export function genValue(scope: Scope, depth = 0, options: { noNil?: boolean } = {}): V {
  const rng = scope.rng;
  const r = rng.next();
  if (r < 0.07) return options.noNil ? genNumber(rng) : NIL;
  if (r < 0.13) return bool(rng);
  if (r < 0.33) return genNumber(rng);
  if (r < 0.55) return genString(rng, depth === 0);
  if (r < 0.75 && depth < 3) return genTable(scope, depth);
  const handle = genHandle(scope);
  // A value inside a table constructor must not be nil (that would leave a hole).
  if (options.noNil && handle.t === "nil") return genNumber(rng);
  return handle;
}

// ------------------------------------------------------------------------------------------------
// Production's conversion of a Lua table (convert.go LuaValueToGo at v1.3.9)
// ------------------------------------------------------------------------------------------------

const GO_LIST = "[]interface {}";
const GO_MAP = "map[interface {}]interface {}";
export const GO_MAP_EXPECTED = "interface conversion: interface {} is []interface {}, not map[interface {}]interface {}";
export const NIL_POINTER = "runtime error: invalid memory address or nil pointer dereference";

/** ForEach visits the array part in order, then string keys, then other keys (Go map order): a
 * table is a list while every key so far is a number whose int() is the next index. */
export function isGoList(t: TableV): boolean {
  if (t.special) return t.special === "server-list";
  if (t.pairs.some(([k]) => k.t !== "number")) return false;
  if (t.pairs.length === 0) return true;
  if (t.pairs.length > 1) throw new Error("generator invariant: at most one numeric key without a string key");
  return goInt((t.pairs[0][0] as { n: number }).n) === t.items.length + 1;
}

/** The errors converting `t` can raise (any of them, in Go's map order); empty: it converts. */
export function conversionErrors(t: TableV): Set<string> {
  const errors = new Set<string>();
  const of = (v: V) => (v.t === "table" ? conversionErrors(v) : new Set<string>());
  for (const item of t.items) for (const e of of(item)) errors.add(e);
  for (const [k, v] of t.pairs) {
    // mp[LuaValueToGo(key)] = LuaValueToGo(value): key, then value, then the hash of the key.
    const ek = of(k);
    const ev = of(v);
    for (const e of ek) errors.add(e);
    for (const e of ev) errors.add(e);
    if (k.t === "table" && ek.size === 0 && ev.size === 0) errors.add(`runtime error: hash of unhashable type ${isGoList(k) ? GO_LIST : GO_MAP}`);
  }
  return errors;
}

/** Lua type of a value once production stored it and the getter gave it back. */
function roundTripType(v: V): LuaType {
  if (v.t === "function" || v.t === "thread" || v.t === "userdata") return "string"; // convert.go: v.String()
  return v.t;
}

/** `k=type` for the string keys the getter returns, sorted by bytes, joined with ";". */
function signature(t: TableV): string {
  if (t.special) {
    const names = { module: ["apply_backend_result", "check_backend_connection", "get_backend_servers", "remove_from_backend_result", "select_backend_server"], builtin: [], "result-type": [], "server-list": [] }[t.special];
    if (t.special === "builtin") {
      return ["FILTER_ACCEPT=boolean", "FILTER_REJECT=boolean", "FILTER_RESULT_FAIL=number", "FILTER_RESULT_OK=number", "custom_log_add=string", "status_message_set=string"].join(";");
    }
    if (t.special === "result-type") return ["__index=table", "new=string"].join(";");
    return names.map((n) => `${n}=string`).join(";");
  }
  const entries = t.pairs
    .filter(([k]) => k.t === "string")
    .map(([k, v]) => Buffer.concat([(k as { bytes: Buffer }).bytes, Buffer.from(`=${roundTripType(v)}`)]));
  entries.sort(Buffer.compare);
  return text(Buffer.concat(entries.flatMap((e, i) => (i === 0 ? [e] : [Buffer.from(";"), e]))));
}

// ------------------------------------------------------------------------------------------------
// The model of one host call
// ------------------------------------------------------------------------------------------------

/** Where a call happens as gopher names it: `<chunk>:<line>:` and the call-site name. */
export interface Site {
  pos: string;
  name: string;
}

export type Ret = { type: Exclude<LuaType, "string"> } | { type: "string"; text: string | RegExp };

export type Effect =
  | { selected: { ip: string; port: number } }
  | { status: string }
  | { log: [string, string] }
  | { removed: string[]; opaque: boolean };

/** `explain` names the deviation for a text the model does not accept (the failure's category). */
export type Expect =
  | { ok: Ret; effects?: Effect[]; explain?: (got: string) => string | undefined }
  | { errors: Array<string | RegExp>; explain?: (got: string) => string | undefined };

const ok = (ret: Ret = { type: "nil" }, effects?: Effect[]): Expect => ({ ok: ret, effects });
const fail = (...errors: Array<string | RegExp>): Expect => ({ errors });
const explained = <E extends Expect>(e: E, explain: (got: string) => string | undefined): E => ({ ...e, explain });

const typeError = (site: Site, n: number, want: string, got: V | undefined) =>
  fail(`${site.pos} bad argument #${n} to ${site.name} (${want} expected, got ${(got ?? NIL).t})`);

/** CheckString: strings, and numbers converted with LNumber.String(). */
function asString(v: V | undefined): string | undefined {
  if (v?.t === "string") return text(v.bytes);
  if (v?.t === "number") return numberString(v.n);
  return undefined;
}

/** The probe both the in-process engine and the pool's prober use (deterministic). */
export function probeAnswer(ip: string, port: number): string | undefined {
  return port % 2 === 0 ? undefined : `dial tcp ${ip}:${port}: connect: connection refused`;
}

export const HOST_FUNCTIONS = ["select_backend_server", "check_backend_connection", "apply_backend_result", "remove_from_backend_result", "get_backend_servers"] as const;
export type HostFunction = (typeof HOST_FUNCTIONS)[number];

export function modelModuleCall(fn: HostFunction, args: V[], site: Site): Expect {
  const n = args.length;
  switch (fn) {
    case "get_backend_servers":
      return ok({ type: "table" });
    case "select_backend_server": {
      if (n !== 2) return fail(`${site.pos} bad argument #2 to ${site.name} (expected server (string) and port (number))`);
      const ip = asString(args[0]);
      if (ip === undefined) return typeError(site, 1, "string", args[0]);
      if (args[1].t !== "number") return typeError(site, 2, "number", args[1]);
      return ok({ type: "nil" }, [{ selected: { ip, port: goInt(args[1].n) } }]);
    }
    case "check_backend_connection": {
      if (n !== 4) return fail(`${site.pos} Invalid number of arguments. Expected 4, got ${n}`);
      const ip = asString(args[0]);
      if (ip === undefined) return typeError(site, 1, "string", args[0]);
      if (args[1].t !== "number") return typeError(site, 2, "number", args[1]);
      if (args[2].t !== "boolean") return typeError(site, 3, "boolean", args[2]);
      if (args[3].t !== "boolean") return typeError(site, 4, "boolean", args[3]);
      const port = goInt(args[1].n);
      if (port < 0 || port > 65535) return ok({ type: "string", text: `dial tcp: address ${goIntText(args[1].n)}: invalid port` });
      const answer = probeAnswer(args[0].t === "string" ? args[0].bytes.toString("utf8") : ip, port);
      return ok(answer === undefined ? { type: "nil" } : { type: "string", text: answer });
    }
    case "apply_backend_result": {
      const r = args[0] ?? NIL;
      if (r.t !== "userdata") return typeError(site, 1, "userdata", r);
      if (r.ud !== "result") return fail(`${site.pos} bad argument #1 to ${site.name} (expected lua backend_result)`);
      return ok();
    }
    case "remove_from_backend_result": {
      const t = args[0];
      if (t?.t !== "table") return fail(NIL_POINTER); // ToTable(1) is nil: Go's nil dereference, no position
      // nauthilus_builtin's values: FILTER_ACCEPT, FILTER_REJECT, FILTER_RESULT_OK, FILTER_RESULT_FAIL and two functions.
      const names: string[] = t.special === "builtin" ? ["false", "true", "0", "1"] : [];
      let opaque = Boolean(t.special);
      for (const v of [...t.items, ...t.pairs.map(([, v]) => v)]) {
        if (v.t === "string") names.push(text(v.bytes));
        else if (v.t === "number") names.push(numberString(v.n));
        else if (v.t === "boolean") names.push(String(v.b));
        else opaque = true; // "table: 0x…", "function: 0x…": addresses
      }
      return ok({ type: "nil" }, [{ removed: names, opaque }]);
    }
  }
}

/** result:attributes(...) with `self` first (BR:98-108, 248-260). */
export function modelAttributes(args: V[], site: Site): Expect {
  const self = args[0] ?? NIL;
  if (self.t !== "userdata") return typeError(site, 1, "userdata", self);
  if (self.ud !== "result") return fail(`${site.pos} bad argument #1 to ${site.name} (backend_result expected)`);
  if (args.length !== 2) return ok({ type: "table" });
  const t = args[1];
  if (t.t !== "table") return typeError(site, 2, "table", t);
  return explained(convert(t, ok()), (got) => conversionDeviation(t, got));
}

/** The setter's conversion: an error, the list panic, or `then`. */
function convert(t: TableV, then: Expect): Expect {
  const errors = conversionErrors(t);
  if (errors.size > 0) return fail(...errors);
  if (isGoList(t)) return fail(GO_MAP_EXPECTED);
  return then;
}

/** Whether `t` or a table inside it has a single fractional key in [1, 2): a list for Go's int(). */
function hasFractionalListKey(t: TableV): boolean {
  const own = !t.special && t.items.length === 0 && t.pairs.length === 1 && t.pairs[0][0].t === "number" && !Number.isInteger(t.pairs[0][0].n) && goInt(t.pairs[0][0].n) === 1;
  return own || [...t.items, ...t.pairs.flat()].some((v) => v.t === "table" && hasFractionalListKey(v));
}

function hasOpaqueValue(t: TableV): boolean {
  if (t.special) return true; // the module's, nauthilus_builtin's and the result type's functions, the server userdata
  return [...t.items, ...t.pairs.map(([, v]) => v)].some((v) => v.t === "function" || v.t === "thread" || v.t === "userdata" || (v.t === "table" && (Boolean(v.special) || hasOpaqueValue(v))));
}

function conversionDeviation(t: TableV, got: string): string | undefined {
  if (hasFractionalListKey(t)) {
    return "attributes: a table whose only key is a fraction like 1.5 is a list in production (convert.go: int(key) == len+1), so it raises the interface conversion or hashes as []interface {}";
  }
  if (/hash of unhashable type/.test(got)) return "attributes: which \"hash of unhashable type\" kind — production converts a table key (and the value) before hashing it, so an error inside the key wins";
  if (hasOpaqueValue(t) && got.startsWith("ok:")) return "attributes: function, coroutine and userdata values are dropped; production stores their text (convert.go: v.String(), e.g. \"function: 0x…\")";
  return undefined;
}

/** attributes(t) on a fresh result, then the getter's string keys and value types. */
export function modelRoundTrip(t: TableV): Expect {
  return explained(convert(t, ok({ type: "string", text: signature(t) })), (got) => conversionDeviation(t, got));
}

export type BuiltinFunction = "custom_log_add" | "status_message_set" | "dynamic_loader" | "require" | "open" | "getenv";

const OTHER_MODULES = new Set(["nauthilus_redis", "nauthilus_gll_x"]);

/** Go's os.Stat/os.Open error for a path made from `name` (every candidate shares the reason). */
function pathReason(bytes: Buffer, extra: number, separators: RegExp): string {
  if (bytes.includes(0)) return "invalid argument";
  const longestSegment = Math.max(...text(bytes).split(separators).map((s) => Buffer.byteLength(s)), 0);
  if (longestSegment + extra > 255 || bytes.length + 64 > 4095) return "file name too long";
  return "no such file or directory";
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function modelBuiltin(fn: BuiltinFunction, args: V[], site: Site, scope: Scope): Expect {
  const a = args[0];
  const s = asString(a);
  if (s === undefined) return typeError(site, 1, "string", a);
  switch (fn) {
    case "custom_log_add": {
      const v = args[1] ?? NIL;
      const value = v.t === "boolean" ? String(v.b) : v.t === "number" ? goFloat(v.n) : v.t === "string" ? text(v.bytes) : "UNSUPPORTED";
      return ok({ type: "nil" }, [{ log: [s, value] }]);
    }
    case "status_message_set":
      return ok({ type: "nil" }, [{ status: s }]);
    case "dynamic_loader":
      return ok();
    case "getenv":
      return ok();
    case "open": {
      const bytes = (a as { bytes?: Buffer }).bytes ?? Buffer.from(s);
      const reason = pathReason(bytes, 0, /\//);
      return explained(ok({ type: "string", text: `open ${s}: ${reason}` }), (got) => (got.endsWith(`: ${reason}`) ? undefined : `io.open: the message for a path Go rejects with "${reason}" is not Go's`));
    }
    case "require": {
      if (s === "nauthilus_backend") return ok({ type: "table" });
      const bytes = (a as { bytes?: Buffer }).bytes ?? Buffer.from(s);
      const reason = pathReason(bytes, 5, /[/.]/); // require turns dots into slashes
      // gopher: "module %s not found:\n\t%s, " with one line per candidate (GL/loadlib.go, baselib.go:546).
      const head = `${site.pos} module ${s} not found:\n\tno field package.preload['${s}']`;
      // package.path: gopher's default, then before filter k, k times ";<Nauthilus' 3 paths>;<package_path>";
      // split on ";" with empty segments kept (each one a "stat : …" line).
      const candidates = 3 + 4 * scope.filter;
      const lines = `(\\n\\tstat [\\s\\S]*?: (?:${reason}|no such file or directory)){${candidates}}`;
      const notFound = new RegExp(`^${escapeRegExp(head)}${lines}, $`);
      const explain = (got: string) => {
        const stats = got.split("\n\tstat ").length - 1;
        if (!got.includes(" not found:")) return undefined;
        if (stats !== candidates) return `require: "module … not found" lists ${stats} candidates where gopher lists ${candidates} (package.path split on ";" keeps empty segments: package_path "${scope.packagePath}", filter ${scope.filter})`;
        if (reason !== "no such file or directory" && !got.includes(reason)) return `require: a candidate gopher cannot stat for "${reason}" is reported as "no such file or directory" (gopher prints os.Stat's error)`;
        return undefined;
      };
      if (OTHER_MODULES.has(s)) {
        // Loaded by an earlier dynamic_loader in this request: the runtime's own refusal (production loads it).
        return explained(fail(notFound, new RegExp(`^(${escapeRegExp(site.pos)} )?module ${escapeRegExp(s)} is not provided by the local runtime`)), explain);
      }
      return explained(fail(notFound), explain);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Generated filters
// ------------------------------------------------------------------------------------------------

export interface Call {
  /** "#fz:<filter>:<n>", the custom log key the call's result is logged under. */
  key: string;
  line: number;
  source: string;
  op: string;
  /** Whether the pcall'd code returns the call's value (else "ok<nil>" is logged). */
  returns: boolean;
  /** How the call is written, for grouping deviations: "pcall(f, …)", "return f(…)", … */
  form: string;
  /** `<chunk>:<line>:` and the call-site name gopher gives the call ("" where no name is involved). */
  site: Site;
  expect: Expect;
}

export interface GeneratedFilter {
  name: string;
  source: string;
  calls: Call[];
  action: boolean;
  code: number;
  /** The entry's `return …` statement and its second value. */
  ret: string;
  codeLua: string;
}

const PROLOGUE = `dynamic_loader("nauthilus_backend")
local nb = require("nauthilus_backend")
local B, R = nauthilus_builtin, nauthilus_backend_result
local __log, __type, __tostring, __pairs, __sort, __concat = B.custom_log_add, type, tostring, pairs, table.sort, table.concat
local function __done(key, ok, a)
  if ok then
    if __type(a) == "string" then __log(key, "ok:" .. a) else __log(key, "ok<" .. __type(a) .. ">") end
  elseif __type(a) == "string" then __log(key, "err:" .. a)
  else __log(key, "err<" .. __type(a) .. ">" .. __tostring(a)) end
end
local function __sig(t)
  local parts = {}
  for k, v in __pairs(t) do
    if __type(k) == "string" and not k:find("^%a+: 0x") then parts[#parts + 1] = k .. "=" .. __type(v) end
  end
  __sort(parts)
  return __concat(parts, ";")
end
local SV = nb.get_backend_servers()
local S1, S2, S3 = SV[1], SV[2], SV[#SV]
local R1, R2 = R.new(), R:new(7, "x")
local CO = coroutine.create(function() end)
local F = function() return 1 end
local SEL, CHK, APPLY, REMOVE, SERVERS = nb.select_backend_server, nb.check_backend_connection, nb.apply_backend_result, nb.remove_from_backend_result, nb.get_backend_servers
local LOG, STATUS, LOADER, REQ, RA = B.custom_log_add, B.status_message_set, dynamic_loader, require, R1.attributes
local T = { pick = SEL, probe = CHK, use = APPLY, drop = REMOVE, list = SERVERS, add = LOG, say = STATUS, load = LOADER, need = REQ, attr = RA }
local K = "select_backend_server"
local KA = "attributes"
`;
const ALIAS: Record<string, [string, string]> = {
  select_backend_server: ["SEL", "pick"], check_backend_connection: ["CHK", "probe"], apply_backend_result: ["APPLY", "use"],
  remove_from_backend_result: ["REMOVE", "drop"], get_backend_servers: ["SERVERS", "list"], custom_log_add: ["LOG", "add"],
  status_message_set: ["STATUS", "say"], dynamic_loader: ["LOADER", "load"], require: ["REQ", "need"],
};

type Form = "direct" | "stmt" | "local" | "tail" | "resume" | "wrap";

interface CallShape {
  /** The callee as written for a call inside a closure, and the name gopher gives it. */
  callee: string;
  name: string;
  /** Arguments as passed, self included for a method call. */
  args: V[];
  argText: string;
  /** An expression for pcall(fn, ...) (the name is then "(anonymous)"), when the callee can be evaluated safely. */
  direct?: string;
}

class FilterWriter {
  lines: string[] = [];
  calls: Call[] = [];
  constructor(readonly name: string, readonly index: number) {
    this.lines.push(...PROLOGUE.trimEnd().split("\n"));
    this.lines.push("function nauthilus_call_filter(request)");
  }

  private key(): string {
    return `#fz:${this.index}:${this.calls.length + 1}`;
  }

  /** A call of `shape` in one of the forms; `model` gives the expectation for the call site. */
  call(rng: Rng, op: string, shape: CallShape, model: (site: Site) => Expect, returning = true): void {
    const key = this.key();
    const forms: Form[] = shape.direct ? ["direct", "stmt", "local", "tail"] : ["stmt", "local", "tail"];
    // Now and then from inside a coroutine (gopher: the same name and position; wrap passes the error on unchanged).
    const form = rng.chance(0.08) ? rng.pick<Form>(["resume", "wrap"]) : rng.pick(forms);
    const multiline = form !== "direct" && form !== "resume" && form !== "wrap" && rng.chance(0.3);
    const call = `${shape.callee}(${shape.argText})`;
    const body = {
      stmt: call,
      local: `local r = ${call} return r`,
      tail: `return ${call}`,
      resume: `local ok, r = coroutine.resume(coroutine.create(function() local v = ${call} return v end)) if not ok then error(r, 0) end return r`,
      wrap: `local r = coroutine.wrap(function() local v = ${call} return v end)() return r`,
      direct: "",
    }[form];
    const returns = form !== "stmt" && returning;
    let line: number;
    if (form === "direct") {
      const rest = shape.argText ? `, ${shape.argText}` : "";
      this.lines.push(`  __done("${key}", pcall(${shape.direct}${rest}))`);
      line = this.lines.length;
    } else if (multiline) {
      this.lines.push(`  __done("${key}", pcall(function()`, `    ${body}`, "  end))");
      line = this.lines.length - 1;
    } else {
      this.lines.push(`  __done("${key}", pcall(function() ${body} end))`);
      line = this.lines.length;
    }
    const site: Site = { pos: `${this.name}:${line}:`, name: form === "direct" ? "(anonymous)" : shape.name };
    const how = {
      direct: "pcall(f, …)", stmt: "f(…) as a statement", local: "local r = f(…)", tail: "return f(…) (a tail call)",
      resume: "f(…) in a coroutine, coroutine.resume", wrap: "f(…) in a coroutine, coroutine.wrap",
    }[form];
    this.calls.push({ key, line, source: this.lines[line - 1].trim(), op, returns, form: multiline ? `${how}, on its own line` : how, site, expect: model(site) });
  }

  /** Code that is not a host call by name (indexing a server, a round trip): returns its value. */
  code(op: string, body: string, model: (site: Site) => Expect, name = ""): void {
    const key = this.key();
    this.lines.push(`  __done("${key}", pcall(function() ${body} end))`);
    const line = this.lines.length;
    const site = { pos: `${this.name}:${line}:`, name };
    this.calls.push({ key, line, source: this.lines[line - 1].trim(), op, returns: true, form: op === "open" ? "local f, m = io.open(…)" : op, site, expect: model(site) });
  }

  finish(ret: string): string {
    this.lines.push(`  ${ret}`, "end", "");
    return this.lines.join("\n");
  }
}

function arity(rng: Rng, usual: number): number {
  return rng.chance(0.55) ? usual : rng.int(0, 6);
}

function genArgs(scope: Scope, n: number, plausible: Array<() => V>): V[] {
  const rng = scope.rng;
  return Array.from({ length: n }, (_, i) => (i < plausible.length && rng.chance(0.6) ? plausible[i]() : genValue(scope)));
}

const argText = (args: V[]) => args.map((a) => a.lua).join(", ");

/** How a module or builtin function is reached: field, string index, variable index, alias, table field, method. */
function moduleShape(rng: Rng, owner: string, fn: string, args: V[], ownerValue: V): CallShape {
  const [alias, field] = ALIAS[fn];
  const style = rng.int(0, 5);
  const direct = rng.pick([`${owner}.${fn}`, alias]);
  if (style === 0) return { callee: `${owner}.${fn}`, name: fn, args, argText: argText(args), direct };
  if (style === 1) return { callee: `${owner}["${fn}"]`, name: fn, args, argText: argText(args), direct };
  if (style === 2) return { callee: alias, name: alias, args, argText: argText(args), direct };
  if (style === 3) return { callee: `T.${field}`, name: field, args, argText: argText(args), direct };
  if (style === 4 && owner === "nb" && fn === "select_backend_server") return { callee: "nb[K]", name: "?", args, argText: argText(args), direct };
  // A method call: the owner is the first argument.
  return { callee: `${owner}:${fn}`, name: fn, args: [ownerValue, ...args], argText: argText(args) };
}

const plausibleIp = (scope: Scope) => () => (scope.rng.chance(0.8) ? genString(scope.rng) : genNumber(scope.rng));
const plausiblePort = (scope: Scope) => () => genNumber(scope.rng);
const plausibleBool = (scope: Scope) => () => bool(scope.rng);

function addModuleCall(w: FilterWriter, scope: Scope): void {
  const rng = scope.rng;
  const fn = rng.pick(HOST_FUNCTIONS);
  const nbValue = special("module");
  let args: V[];
  switch (fn) {
    case "select_backend_server":
      args = genArgs(scope, arity(rng, 2), [plausibleIp(scope), plausiblePort(scope)]);
      break;
    case "check_backend_connection":
      args = genArgs(scope, arity(rng, 4), [plausibleIp(scope), plausiblePort(scope), plausibleBool(scope), plausibleBool(scope)]);
      break;
    case "apply_backend_result":
      args = genArgs(scope, arity(rng, 1), [() => genHandle(scope)]);
      break;
    case "remove_from_backend_result":
      args = genArgs(scope, arity(rng, 1), [() => genTable(scope, 1)]);
      break;
    default:
      args = genArgs(scope, rng.int(0, 3), []);
  }
  const shape = moduleShape(rng, "nb", fn, args, nbValue);
  w.call(rng, fn, shape, (site) => modelModuleCall(fn, shape.args, site));
}

function addAttributesCall(w: FilterWriter, scope: Scope): void {
  const rng = scope.rng;
  const receivers: V[] = [
    { t: "userdata", lua: "R1", ud: "result" }, { t: "userdata", lua: "R2", ud: "result" }, { t: "userdata", lua: "R.new()", ud: "result" },
    serverHandle(scope, "S1"), serverHandle(scope, "S3"), special("module"),
  ];
  const recv = rng.chance(0.75) ? receivers[rng.int(0, 2)] : rng.pick(receivers);
  const rest = genArgs(scope, arity(rng, 1), [() => genTable(scope, 0)]);
  const style = rng.int(0, 5);
  const callOnRecv = (site: Site, args: V[]): Expect => {
    // Reaching `attributes` through the receiver: nil cannot be indexed; a server or the module has no such method.
    if (recv.t === "nil") return fail(`${site.pos} attempt to index a non-table object(nil) with key 'attributes'`);
    if (recv.t !== "userdata" || recv.ud !== "result") return fail(`${site.pos} attempt to call a non-function object`);
    return modelAttributes(args, site);
  };
  if (style <= 2) {
    // The method call: the receiver is self.
    w.call(rng, "attributes", { callee: `${recv.lua}:attributes`, name: "attributes", args: [recv, ...rest], argText: argText(rest) }, (site) => callOnRecv(site, [recv, ...rest]));
  } else if (style === 3) {
    // Called with a dot: the first argument is self.
    w.call(rng, "attributes", { callee: `${recv.lua}.attributes`, name: "attributes", args: rest, argText: argText(rest) }, (site) => callOnRecv(site, rest));
  } else if (style === 4) {
    w.call(rng, "attributes", { callee: "RA", name: "RA", args: rest, argText: argText(rest), direct: "R1.attributes" }, (site) => modelAttributes(rest, site));
  } else {
    w.call(rng, "attributes", { callee: "R2[KA]", name: "?", args: rest, argText: argText(rest), direct: "T.attr" }, (site) => modelAttributes(rest, site));
  }
}

function addBuiltinCall(w: FilterWriter, scope: Scope): void {
  const rng = scope.rng;
  const fn = rng.pick<BuiltinFunction>(["custom_log_add", "custom_log_add", "status_message_set", "dynamic_loader", "require", "open", "getenv"]);
  const nameArg = () => genString(rng);
  const args = genArgs(scope, arity(rng, fn === "custom_log_add" ? 2 : 1), [nameArg, () => genValue(scope)]);
  if (fn === "open") {
    // io.open returns nil and Go's error text: the text is logged (one argument: the mode has rules of its own).
    const one = args.slice(0, 1);
    w.code("open", `local f, m = io.open(${argText(one)}) if f then f:close() end return m`, (site) => modelBuiltin("open", one, site, scope), "open");
    return;
  }
  let shape: CallShape;
  if (fn === "getenv") {
    const one = args.slice(0, 1);
    shape = { callee: "os.getenv", name: "getenv", args: one, argText: argText(one), direct: "os.getenv" };
  } else if (fn === "dynamic_loader" || fn === "require") {
    const [alias, field] = ALIAS[fn];
    const style = rng.int(0, 3);
    const callee = [fn, `_G["${fn}"]`, alias, `T.${field}`][style];
    const name = [fn, fn, alias, field][style];
    shape = { callee, name, args, argText: argText(args), direct: rng.pick([fn, alias]) };
  } else {
    shape = moduleShape(rng, rng.pick(["B", "nauthilus_builtin"]), fn, args, special("builtin"));
  }
  w.call(rng, fn, shape, (site) => modelBuiltin(fn, shape.args, site, scope));
}

const SERVER_KEYS: V[] = [str("ip"), str("port"), str("protocol"), str("haproxy_v2"), str("tls"), str("name"), num("1", 1), num("1.5", 1.5), { t: "boolean", lua: "true", b: true }, { t: "table", lua: "{}", items: [], pairs: [] }];

function fieldText(server: ServerRecord, key: V): string {
  const k = asString(key);
  if (k === "ip" || k === "protocol") return server[k];
  if (k === "port") return numberString(server.port);
  if (k === "haproxy_v2" || k === "tls") return String(server[k]);
  return "nil";
}

const keyText = (key: V): string | RegExp => (key.t === "table" ? /table: 0x[0-9a-f]+/ : key.t === "boolean" ? String(key.b) : asString(key)!);

function indexError(site: Site, what: string, key: V): string | RegExp {
  const k = keyText(key);
  const head = `${site.pos} attempt to index a non-table object(${what}) with key '`;
  return typeof k === "string" ? `${head}${k}'` : new RegExp(`^${escapeRegExp(head)}${k.source}'$`);
}

function addServerAccess(w: FilterWriter, scope: Scope): void {
  const rng = scope.rng;
  const count = scope.visible.length;
  const j = rng.pick([1, 2, count, count + 1, 0]);
  const server = scope.visible[j - 1];
  const key = rng.pick(SERVER_KEYS);
  if (rng.chance(0.7)) {
    w.code("server-read", `return __tostring(SV[${j}][${key.lua}])`, (site) => {
      if (!server) return fail(indexError(site, "nil", key));
      // The server's __index is a Go function: CheckString(2), called by the VM (name "(anonymous)").
      if (asString(key) === undefined) return typeError({ pos: site.pos, name: "(anonymous)" }, 2, "string", key);
      return ok({ type: "string", text: fieldText(server, key) });
    });
  } else {
    const value = genValue(scope);
    w.code("server-write", `SV[${j}][${key.lua}] = ${value.lua}`, (site) => fail(indexError(site, server ? "userdata" : "nil", key)));
  }
}

function addResultNew(w: FilterWriter, scope: Scope): void {
  const rng = scope.rng;
  const args = genArgs(scope, rng.int(0, 3), []);
  const style = rng.int(0, 3);
  if (style === 0) w.call(rng, "new", { callee: "R.new", name: "new", args, argText: argText(args), direct: "R.new" }, () => ok({ type: "userdata" }));
  else if (style === 1) w.call(rng, "new", { callee: "R:new", name: "new", args, argText: argText(args) }, () => ok({ type: "userdata" }));
  else {
    // Only the method `attributes` exists on a result; other names read nil.
    const callee = rng.pick(["R1.new", "R1:new", "R2:authenticated", "nb.nope"]);
    w.call(rng, "missing-method", { callee, name: "", args, argText: argText(args) }, (site) => fail(`${site.pos} attempt to call a non-function object`));
  }
}

function addRoundTrip(w: FilterWriter, scope: Scope): void {
  const t = scope.rng.chance(0.9) ? genTable(scope, 0) : special(scope.rng.pick(["module", "builtin", "result-type"] as const));
  w.code("attributes-roundtrip", `local r = R.new() r:attributes(${t.lua}) return __sig(r:attributes())`, () => modelRoundTrip(t));
}

/** A value for the entry's first result and, for its second, what gopher's ToInt makes of it. */
const CODE_STRINGS: Array<[string, number]> = [["12", 12], [" 7 ", 7], ["0x10", 16], ["010", 8], ["1e2", 100], ["abc", 0], ["-2.7", -2], ["nan", MIN_INT64], ["inf", MIN_INT64], ["1e400", 0]];

function genReturn(scope: Scope): { lua: string; action: boolean; code: number; codeLua: string } {
  const rng = scope.rng;
  const first = rng.chance(0.75) ? rng.pick<V>([NIL, { t: "boolean", lua: "false", b: false }, { t: "boolean", lua: "B.FILTER_ACCEPT", b: false }]) : genValue(scope);
  const action = !(first.t === "nil" || (first.t === "boolean" && !first.b));
  const r = rng.next();
  if (r < 0.1) return { lua: `return ${first.lua}`, action, code: 0, codeLua: "(none)" };
  if (r < 0.15) return { lua: "return", action: false, code: 0, codeLua: "(none)" };
  let second: V;
  let code: number;
  if (r < 0.4) {
    const [s, c] = rng.pick(CODE_STRINGS);
    second = str(s);
    code = c;
  } else if (r < 0.75) {
    second = genNumber(rng);
    code = goInt((second as { n: number }).n);
  } else {
    second = genValue(scope);
    code = second.t === "number" ? goInt(second.n) : 0;
    if (second.t === "string") {
      // Only the texts whose ToInt is known are modelled; others become numbers.
      second = num("3", 3);
      code = 3;
    }
  }
  return { lua: `return ${first.lua}, ${second.lua}`, action, code, codeLua: second.lua };
}

export function genFilter(scope: Scope, name: string, index: number): GeneratedFilter {
  const rng = scope.rng;
  const w = new FilterWriter(name, index);
  for (let i = rng.int(8, 28); i > 0; i--) {
    const r = rng.next();
    if (r < 0.4) addModuleCall(w, scope);
    else if (r < 0.58) addAttributesCall(w, scope);
    else if (r < 0.76) addBuiltinCall(w, scope);
    else if (r < 0.86) addServerAccess(w, scope);
    else if (r < 0.93) addResultNew(w, scope);
    else addRoundTrip(w, scope);
  }
  const ret = genReturn(scope);
  return { name, source: w.finish(ret.lua), calls: w.calls, action: ret.action, code: ret.code, ret: ret.lua, codeLua: ret.codeLua };
}

// ------------------------------------------------------------------------------------------------
// Requests
// ------------------------------------------------------------------------------------------------

const PROTOCOLS = ["imap", "pop3", "smtp", "lmtp", "sieve", "", "ünï"];

function genIp(rng: Rng): string {
  switch (rng.int(0, 6)) {
    case 0: return `${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(0, 255)}`;
    case 1: return `2001:db8::${rng.int(0, 0xffff).toString(16)}`;
    case 2: return "::1";
    case 3: return `mx${rng.int(1, 99)}.example.org`;
    case 4: return rng.pick(["сервер.пример", "📫.example", "bücher.de", "a b", ""]);
    case 5: return `[${rng.int(0, 9)}]:${rng.int(0, 9)}`;
    default: return `10.0.${rng.int(0, 9)}.${rng.int(0, 255)}`;
  }
}

export interface GeneratedRequest {
  run: RunRequest;
  filters: GeneratedFilter[];
  visible: ServerRecord[];
}

export function genRequest(rng: Rng, maxServers = 100): GeneratedRequest {
  const count = rng.chance(0.2) ? 0 : rng.chance(0.6) ? rng.int(1, 4) : rng.int(5, maxServers);
  const servers: ServerRecord[] = Array.from({ length: count }, () => ({
    protocol: rng.pick(PROTOCOLS), ip: genIp(rng), port: rng.chance(0.1) ? rng.pick([0, 65535]) : rng.int(1, 65535),
    haproxy_v2: rng.chance(0.3), tls: rng.chance(0.5),
  }));
  const monitoring = rng.chance(0.9);
  const packagePath = rng.pick(["", "/etc/nauthilus/lua/?.lua"]);
  const scope: Scope = { rng, visible: monitoring ? servers : [], filter: 1, packagePath };
  const filterCount = rng.chance(0.7) ? 1 : rng.int(2, 3);
  const filters = Array.from({ length: filterCount }, (_, i) => genFilter({ ...scope, filter: i + 1 }, `fuzz/f${i + 1}.lua`, i + 1));
  const attributes: BackendAttributes | null = rng.chance(0.1) ? null : rng.chance(0.5) ? {} : { uid: ["alice"], mail: ["alice@example.org"], "Proxy-Host": ["10.0.0.1"] };
  return {
    run: {
      filters: filters.map((f) => ({ name: f.name, source: f.source })),
      servers,
      attributes,
      monitoring,
      packagePath,
      request: { authenticated: rng.chance(0.7), account: "alice", service: rng.pick(["nginx", "header", "json"]), session: "fuzz", protocol: "imap" },
    },
    filters,
    visible: scope.visible,
  };
}

// ------------------------------------------------------------------------------------------------
// Checking an outcome against the model
// ------------------------------------------------------------------------------------------------

/** What must never appear in an error text or a logged value: JavaScript or wasm leaking through. */
const JS_ISMS = [
  "TypeError", "RangeError", "ReferenceError", "SyntaxError", "undefined", "[object", "at <anonymous>", "is not a function", "Cannot read",
  "wasm", "memory access out of bounds", "Aborted", "internal", "ERR_", "ENAMETOOLONG", "ENOENT", "Uint8Array", "<Buffer", "[runtime ",
];

export function jsIsms(s: string): string[] {
  const cleaned = s.replace(/__len undefined/g, "");
  const found = JS_ISMS.filter((w) => cleaned.includes(w));
  if (/^userdata: 0x/.test(s)) found.push("a userdata as the error value");
  return found;
}

const POS = String.raw`[^\n:]+\.lua:\d+: `;
const NAME = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|\?|\(anonymous\))`;
const LUA_TYPE = "(?:nil|boolean|number|string|table|function|userdata|thread)";

/** gopher's and Nauthilus' wordings for the errors a host call can raise (corpus 50-58, contract §1-§4). */
export const GOPHER_WORDINGS: RegExp[] = [
  new RegExp(`^${POS}bad argument #\\d+ to ${NAME} \\((?:string|number|boolean|table|userdata) expected, got ${LUA_TYPE}\\)$`),
  new RegExp(`^${POS}bad argument #2 to ${NAME} \\(expected server \\(string\\) and port \\(number\\)\\)$`),
  new RegExp(`^${POS}bad argument #1 to ${NAME} \\(expected lua backend_result\\)$`),
  new RegExp(`^${POS}bad argument #1 to ${NAME} \\(backend_result expected\\)$`),
  new RegExp(`^${POS}Invalid number of arguments\\. Expected 4, got \\d+$`),
  /^runtime error: invalid memory address or nil pointer dereference$/,
  /^interface conversion: interface \{\} is \[\]interface \{\}, not map\[interface \{\}\]interface \{\}$/,
  /^runtime error: hash of unhashable type (?:\[\]interface \{\}|map\[interface \{\}\]interface \{\})$/,
  new RegExp(`^${POS}attempt to call a non-function object$`),
  new RegExp(`^${POS}attempt to index a non-table object\\(${LUA_TYPE}\\) with key '[\\s\\S]*'$`),
  new RegExp(`^${POS}module [\\s\\S]* not found:\\n\\tno field package\\.preload\\['[\\s\\S]*'\\](?:\\n\\tstat [\\s\\S]*?: (?:no such file or directory|invalid argument|file name too long|not a directory))+, $`),
  new RegExp(`^(?:${POS})?module \\S+ is not provided by the local runtime \\(nauthilus-filters-sdk implements only nauthilus_backend\\); in production dynamic_loader\\("\\S+"\\) loads it$`),
];

export interface Problem {
  /** Groups the same bug: shown once with a count. */
  category: string;
  detail: string;
}

function matches(m: string | RegExp, s: string): boolean {
  return typeof m === "string" ? m === s : m.test(s);
}

function show(m: string | RegExp | Ret): string {
  if (typeof m === "string") return JSON.stringify(m);
  if (m instanceof RegExp) return String(m);
  return m.type === "string" ? `ok:${show(m.text)}` : `ok<${m.type}>`;
}

/** The logged line of a call that returned normally. */
function retMatches(call: Call, ret: Ret, logged: string): boolean {
  if (!call.returns || ret.type === "nil") return logged === "ok<nil>";
  if (ret.type === "string") return logged.startsWith("ok:") && matches(ret.text, logged.slice(3));
  return logged === `ok<${ret.type}>`;
}

/** A text for a failure message: quoted, long ones cut in the middle. */
export function clip(s: string, max = 240): string {
  const q = JSON.stringify(s);
  return q.length <= max ? q : `${q.slice(0, max - 60)} …(${q.length} chars)… ${q.slice(-50)}`;
}

interface Parts {
  line?: number;
  name?: string;
  rest: string;
}

function parts(message: string): Parts {
  const m = /^[^\n:]+\.lua:(\d+): ([\s\S]*)$/.exec(message);
  const line = m ? Number(m[1]) : undefined;
  const body = m ? m[2] : message;
  const b = /^bad argument #(\d+) to (\(anonymous\)|\S+) (\([\s\S]*)$/.exec(body);
  return b ? { line, name: b[2], rest: `bad argument #${b[1]} to NAME ${b[3]}` } : { line, rest: body };
}

/** A wrong call-site name or position (whatever else differs): one bug per way of writing the call. */
function siteDeviation(call: Call, got: string, expected: Array<string | RegExp>): string | undefined {
  const posSource = new RegExp(escapeRegExp(call.site.pos)).source;
  const wantsPosition = expected.some((e) => (typeof e === "string" ? e.startsWith(call.site.pos) : e.source.includes(posSource)));
  const g = parts(got);
  const what: string[] = [];
  const twice = /^([^\n:]+\.lua:\d+: )/.exec(g.rest);
  if (twice && !expected.some((e) => (typeof e === "string" ? parts(e).rest.startsWith(twice[1]) : false))) {
    return `host call written as \`${call.form.replace(", on its own line", "")}\`: the error gets another <chunk>:<line>: in front (${wantsPosition ? "twice" : "where gopher has none"})`;
  }
  if (g.name !== undefined && call.site.name !== "" && g.name !== call.site.name) what.push(`names the function ${g.name} where gopher gives the call-site name`);
  if (wantsPosition && g.line === undefined) what.push("has no <chunk>:<line>: where gopher has one");
  else if (wantsPosition && g.line !== call.line) what.push(`points at line ${g.line! - call.line > 0 ? "+" : ""}${g.line! - call.line} from the call`);
  else if (!wantsPosition && g.line !== undefined) what.push("has a <chunk>:<line>: where gopher has none");
  if (what.length === 0) return undefined;
  const who = call.op === "open" ? "io.open" : call.op === "getenv" ? "os.getenv" : "host call";
  return `${who} written as \`${call.form.replace(", on its own line", "")}\`: the error ${what.join(" and ")}`;
}

/** A wrong text with the right name and position. */
function errorCategory(call: Call, got: string, expected: Array<string | RegExp>): string {
  const want = expected.find((e): e is string => typeof e === "string");
  if (want !== undefined) return `${call.op}: gopher raises \`${parts(want).rest.slice(0, 100)}\`, the runtime \`${parts(got).rest.slice(0, 100)}\``;
  return `${call.op}: no accepted text matches: got \`${parts(got).rest.slice(0, 100)}\``;
}

/** Compares one request's outcome with the model; returns what differs. */
export function checkOutcome(gen: GeneratedRequest, o: Outcome, label: string): Problem[] {
  const problems: Problem[] = [];
  const where = (f: GeneratedFilter, call?: Call) => `${label} ${call ? `${f.name}:${call.line}: ${call.source.length > 200 ? `${call.source.slice(0, 160)} … ${call.source.slice(-30)}` : call.source}` : f.name}`;
  const textsToScan = [o.error ?? "", ...o.logs.map(([, v]) => v), o.status_message ?? ""];
  for (const t of textsToScan) {
    const found = jsIsms(t);
    if (found.length > 0) problems.push({ category: `JavaScript leaks into a Lua-visible text (${found.join(", ")})`, detail: `${label}: ${clip(t)}` });
  }
  if (o.outcome === "server_error") {
    if (!o.diagnostics.some((d) => d.includes("HTTP 500"))) problems.push({ category: "server_error without a merge/nil-map diagnostic", detail: `${label}: ${o.error}` });
    return problems;
  }
  if (o.outcome === "tempfail") {
    const runtimeFailure = o.diagnostics.some((d) => /local runtime failure|terminated|the local runtime's/.test(d)) || /local runtime failure/.test(o.error ?? "");
    problems.push({
      category: runtimeFailure ? "the local runtime failed (worker death / VM failure)" : `a generated filter failed outside pcall: ${String(o.error).replace(/^[^\n:]+\.lua:\d+: /, "").slice(0, 80)}`,
      detail: `${label}: ${String(o.error).slice(0, 400)}${o.diagnostics.length ? ` [${o.diagnostics.join(" | ").slice(0, 300)}]` : ""}`,
    });
    return problems;
  }

  // Which filters ran: up to the first reject.
  const ran: GeneratedFilter[] = [];
  for (const f of gen.filters) {
    ran.push(f);
    if (f.action) break;
  }
  const rejected = ran[ran.length - 1].action;
  const expectedFilters = ran.map((f) => ({ name: f.name, action: f.action, code: f.code }));
  if (o.filters.length !== expectedFilters.length || o.filters.some((f, i) => f.name !== expectedFilters[i].name || f.action !== expectedFilters[i].action)) {
    problems.push({ category: "filters that ran / their actions", detail: `${label}: expected ${JSON.stringify(expectedFilters)}, got ${JSON.stringify(o.filters)}` });
    return problems;
  }
  o.filters.forEach((f, i) => {
    if (f.code !== expectedFilters[i].code) {
      problems.push({
        category:
          expectedFilters[i].code === MIN_INT64
            ? "nauthilus_call_filter's second result NaN, ±Inf or beyond int64 (a number or a numeric string): gopher's ToInt gives Go's int() of it, math.MinInt64 on amd64"
            : `nauthilus_call_filter's second result ${ran[i].codeLua}: gopher's ToInt gives ${BigInt(expectedFilters[i].code)}`,
        detail: `${where(ran[i])}: \`${clip(ran[i].ret, 120)}\` expected code ${BigInt(expectedFilters[i].code)}, got ${f.code}`,
      });
    }
  });

  // The logs, entry by entry: fuzz custom_log_add entries and each call's own result line.
  const logs = o.logs;
  let at = 0;
  let selected: { ip: string; port: number } | null = null;
  let status: string | null = null;
  const removed = new Set<string>();
  let opaqueRemovals = false;
  outer: for (const f of ran) {
    for (const call of f.calls) {
      const expect = call.expect;
      if ("ok" in expect) {
        for (const e of expect.effects ?? []) {
          if ("log" in e) {
            const got = logs[at];
            if (!got || got[0] !== e.log[0] || got[1] !== e.log[1]) {
              problems.push({ category: "custom_log_add entry", detail: `${where(f, call)}: expected ${clip(JSON.stringify(e.log))}, got ${clip(JSON.stringify(got))}` });
              break outer;
            }
            at++;
          } else if ("selected" in e) selected = e.selected;
          else if ("status" in e) status = e.status;
          else if ("removed" in e) {
            for (const n of e.removed) removed.add(n);
            opaqueRemovals ||= e.opaque;
          }
        }
      }
      const entry = logs[at];
      if (!entry || entry[0] !== call.key) {
        problems.push({ category: "missing or out-of-order result line", detail: `${where(f, call)}: expected key ${call.key}, got ${JSON.stringify(entry)?.slice(0, 200)}` });
        break outer;
      }
      at++;
      const logged = entry[1];
      if (logged.startsWith("err<")) {
        problems.push({ category: "a non-string error value reached Lua", detail: `${where(f, call)}: ${clip(logged)}` });
        continue;
      }
      if (logged.startsWith("err:")) {
        const message = logged.slice(4);
        let problem: Problem | undefined;
        if (!("errors" in expect)) {
          problem = { category: expect.explain?.(logged) ?? `${call.op}: production raises no error here`, detail: `${where(f, call)}: expected ${clip(show(expect.ok))}, got ${clip(message)}` };
        } else if (!expect.errors.some((m) => matches(m, message))) {
          problem = {
            category: siteDeviation(call, message, expect.errors) ?? expect.explain?.(message) ?? errorCategory(call, message, expect.errors),
            detail: `${where(f, call)}: expected ${expect.errors.map((e) => (typeof e === "string" ? clip(e) : clip(String(e)))).join(" or ")}, got ${clip(message)}`,
          };
        }
        if (!GOPHER_WORDINGS.some((re) => re.test(message))) {
          if (problem) problem.category += " [a text in no gopher wording]";
          else problem = { category: `error text in no gopher wording (${call.op})`, detail: `${where(f, call)}: ${clip(message)}` };
        }
        if (problem) problems.push(problem);
        continue;
      }
      if ("errors" in expect) {
        problems.push({ category: expect.explain?.(logged) ?? `${call.op}: production raises ${String(expect.errors[0]).replace(/^[^\n:]+\.lua:\d+: /, "").slice(0, 90)}`, detail: `${where(f, call)}: expected ${clip(expect.errors.map(show).join(" or "))}, got ${clip(logged)}` });
      } else if (!retMatches(call, expect.ok, logged)) {
        problems.push({ category: expect.explain?.(logged) ?? `${call.op}: wrong result`, detail: `${where(f, call)}: expected ${clip(call.returns ? show(expect.ok) : "ok<nil>")}, got ${clip(logged)}` });
      }
    }
  }
  if (problems.length === 0 && at !== logs.length) problems.push({ category: "unexpected extra log entries", detail: `${label}: ${JSON.stringify(logs.slice(at)).slice(0, 300)}` });
  if (problems.length > 0) return problems;

  if (o.status_message !== status) problems.push({ category: "status message", detail: `${label}: expected ${JSON.stringify(status)}, got ${JSON.stringify(o.status_message)}` });
  const wantSelected = rejected ? null : selected;
  if (JSON.stringify(o.selected) !== JSON.stringify(wantSelected) && !(o.selected && wantSelected && o.selected.ip === wantSelected.ip && o.selected.port === wantSelected.port)) {
    problems.push({ category: "selected server", detail: `${label}: expected ${JSON.stringify(wantSelected)}, got ${JSON.stringify(o.selected)}` });
  }
  if (!rejected) {
    for (const n of removed) if (!o.removed.includes(n)) problems.push({ category: "removed attribute names", detail: `${label}: ${JSON.stringify(n).slice(0, 100)} missing from ${JSON.stringify(o.removed).slice(0, 200)}` });
    for (const n of o.removed) {
      if (!removed.has(n) && !(opaqueRemovals && /^(table|function|userdata|thread): (builtin: )?0x[0-9a-f]+$/.test(n))) {
        problems.push({ category: "removed attribute names", detail: `${label}: unexpected ${JSON.stringify(n).slice(0, 100)}` });
      }
    }
  } else if (o.removed.length > 0) problems.push({ category: "removed attribute names", detail: `${label}: a rejected request removed ${JSON.stringify(o.removed)}` });
  return problems;
}
