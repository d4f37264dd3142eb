// The rules of ../shared/spec/nauthilus-v1.3-contract.md §1-§5, §7 and §8, one row each, written
// twice: as hand-written Lua and as TypeScript compiled by the SDK build. Expected texts are
// production's, copied from the contract (and from the v1.3.9 sources where it is silent);
// `at(i, marker)` is `<chunk>:<line>:` of the line of filter i that contains `marker`.
import { expect } from "vitest";
import type { Outcome, RunRequest, ServerRecord } from "../../runtime/types";

export interface Ctx {
  variant: "lua" | "ts";
  /** `<chunk>:<line>:` of the first line of filter `i` containing `marker`. */
  at(i: number, marker: string): string;
  chunk(i: number): string;
}

export interface Case {
  id: string;
  /** Each filter as [Lua, TypeScript]; use L()/T() for the usual frame. */
  filters: Array<[string, string]>;
  run?: Partial<Omit<RunRequest, "filters">>;
  probes?: Record<string, string | undefined>;
  expect: (o: Outcome, ctx: Ctx) => void;
}

/** A Lua filter: dynamic_loader + require, then `body` inside nauthilus_call_filter, then accept. */
export function L(body: string, top = ""): string {
  return `dynamic_loader("nauthilus_backend")
local b = require("nauthilus_backend")
${top}
function nauthilus_call_filter(request)
${body}
  return nauthilus_builtin.FILTER_ACCEPT, nauthilus_builtin.FILTER_RESULT_OK
end
`;
}

/** The same frame in TypeScript. */
export function T(body: string, top = ""): string {
  return `import * as b from "nauthilus_backend";
import { accept, reject } from "nauthilus-sdk";
${top}
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
${body}
  return accept();
}
`;
}

const imap = (ip: string, port = 143, extra: Partial<ServerRecord> = {}): ServerRecord => ({
  protocol: "imap", ip, port, haproxy_v2: false, tls: false, ...extra,
});
const SERVERS = [imap("10.0.0.1"), { ...imap("10.0.0.2", 110), protocol: "pop3" }, imap("10.0.0.3", 993, { tls: true, haproxy_v2: true })];
const OK_REQUEST = { authenticated: true, account: "alice", service: "nginx", session: "s-1", protocol: "imap" };
// The password backend found the user with one attribute. Nauthilus keeps no map for a backend
// result without attributes (auth.go:1060), so filter attributes need at least one to be added to.
const BACKEND = { uid: ["u1"] };

const errorIs = (text: string) => (o: Outcome) => {
  expect(o.error).toBe(text);
  expect(o.outcome).toBe("tempfail");
};

export const cases: Case[] = [
  // §1 Error texts --------------------------------------------------------------------------
  {
    id: "§1 CheckString accepts a number and converts it (1.5 -> \"1.5\")",
    filters: [[L(`  b.select_backend_server(1.5, 993)`), T(`  b.select_backend_server(1.5 as unknown as string, 993);`)]],
    run: { servers: SERVERS },
    expect: (o) => expect(o.selected).toEqual({ ip: "1.5", port: 993 }),
  },
  {
    id: "§1 CheckInt truncates a float port (143.7 -> 143)",
    filters: [[L(`  b.select_backend_server("10.0.0.1", 143.7)`), T(`  b.select_backend_server("10.0.0.1", 143.7);`)]],
    run: { servers: SERVERS, request: OK_REQUEST },
    expect: (o) => {
      expect(o.selected).toEqual({ ip: "10.0.0.1", port: 143 });
      expect(o.headers.nginx).toContainEqual(["Auth-Port", "143"]);
    },
  },
  {
    id: "§1 CheckInt rejects a numeric string, at the caller's line, named as called",
    filters: [[
      L(`  b.select_backend_server("10.0.0.1", "993")`),
      T(`  b.select_backend_server("10.0.0.1", "993" as unknown as number);`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "select_backend_server(")} bad argument #2 to select_backend_server (number expected, got string)`)(o),
  },
  {
    id: "§1 the name is the call-site name: a local alias",
    filters: [[
      L(`  local s = b.select_backend_server\n  s("10.0.0.1", nil)`),
      T(`  const s = b.select_backend_server;\n  s("10.0.0.1", undefined as unknown as number);`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "s(\"10.0.0.1\"")} bad argument #2 to s (number expected, got nil)`)(o),
  },
  {
    id: "§1 the name is the call-site name: an upvalue alias (what TypeScriptToLua's named imports compile to)",
    filters: [[
      L(`  sel("10.0.0.1", true)`, `local sel = b.select_backend_server`),
      T(`  sel("10.0.0.1", true as unknown as number);`, `const sel = b.select_backend_server;`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "sel(\"10.0.0.1\"")} bad argument #2 to sel (number expected, got boolean)`)(o),
  },
  {
    id: "§1 under pcall the name is (anonymous) and the position is the pcall's line",
    filters: [[
      L(`  local ok, e = pcall(b.select_backend_server, "10.0.0.1", nil)\n  error(e, 0)`),
      T(`  const [ok, e] = pcall(b.select_backend_server, "10.0.0.1", undefined as unknown as number);\n  error(e as string, 0);`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "pcall(b.")} bad argument #2 to (anonymous) (number expected, got nil)`)(o),
  },
  {
    id: "§1 calling nil: attempt to call a non-function object",
    filters: [[
      L(`  local t = {}\n  t.missing()`),
      T(`  const t = {} as { missing: () => void };\n  t.missing();`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "missing()")} attempt to call a non-function object`)(o),
  },
  {
    id: "§1 indexing nil: attempt to index a non-table object(nil) with key 'x'",
    filters: [[
      L(`  local t = nil\n  local y = t.x`),
      T(`  const t = undefined as unknown as { x: number };\n  const y = t.x;`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, ".x")} attempt to index a non-table object(nil) with key 'x'`)(o),
  },
  {
    id: "§1 CheckBool accepts exactly booleans (0 is not false)",
    filters: [[
      L(`  b.check_backend_connection("10.0.0.1", 143, 0, false)`),
      T(`  b.check_backend_connection("10.0.0.1", 143, 0 as unknown as boolean, false);`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "check_backend_connection(")} bad argument #3 to check_backend_connection (boolean expected, got number)`)(o),
  },

  // §2 dynamic_loader -----------------------------------------------------------------------
  {
    id: "§2 dynamic_loader(nil) is an argument error",
    filters: [[L(`  dynamic_loader(nil)`), T(`  dynamic_loader(undefined as unknown as string);`)]],
    expect: (o, c) => errorIs(`${c.at(0, "dynamic_loader(nil)")} bad argument #1 to dynamic_loader (string expected, got nil)`)(o),
  },
  {
    id: "§2 require without dynamic_loader lists preload and every package.path candidate, ending in \", \"",
    filters: [[
      `local b = require("nauthilus_backend")\nfunction nauthilus_call_filter(request) return false, 0 end\n`,
      // The build emits dynamic_loader before every require it sees; only an aliased require escapes it.
      `const load = require;\nconst b = load("nauthilus_backend");\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult { return $multi(false, 0); }\n`,
    ]],
    run: { packagePath: "/etc/nauthilus/lua/?.lua" },
    expect: (o, c) =>
      errorIs(
        `${c.at(0, '"nauthilus_backend")')} module nauthilus_backend not found:\n` +
          "\tno field package.preload['nauthilus_backend']\n" +
          "\tstat ./nauthilus_backend.lua: no such file or directory\n" +
          "\tstat /usr/local/share/lua/5.1/nauthilus_backend.lua: no such file or directory\n" +
          "\tstat /usr/local/share/lua/5.1/nauthilus_backend/init.lua: no such file or directory\n" +
          "\tstat /usr/local/share/nauthilus/lua/nauthilus_backend.lua: no such file or directory\n" +
          "\tstat /usr/share/nauthilus/lua/nauthilus_backend.lua: no such file or directory\n" +
          "\tstat /usr/app/lua-plugins.d/share/nauthilus_backend.lua: no such file or directory\n" +
          "\tstat /etc/nauthilus/lua/nauthilus_backend.lua: no such file or directory, ",
      )(o),
  },
  {
    id: "§2 an unknown module name is a silent no-op",
    filters: [[L(`  dynamic_loader("no_such_module")`), T(`  dynamic_loader("no_such_module");`)]],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.outcome).toBe("ok"),
  },
  {
    id: "§2 a Nauthilus module this runtime does not implement fails loudly at require",
    filters: [[
      L(`  dynamic_loader("nauthilus_redis")\n  local r = require("nauthilus_redis")`),
      T(`  dynamic_loader("nauthilus_redis");\n  const r = require("nauthilus_redis");`),
    ]],
    expect: (o, c) =>
      errorIs(
        `${c.at(0, 'require("nauthilus_redis")')} module nauthilus_redis is not provided by the local runtime (nauthilus-filters-sdk implements only nauthilus_backend); in production dynamic_loader("nauthilus_redis") loads it`,
      )(o),
  },
  {
    id: "§2 calling dynamic_loader twice is harmless and require returns the cached table",
    filters: [[
      L(`  dynamic_loader("nauthilus_backend")\n  if require("nauthilus_backend") ~= b then error("not cached", 0) end`),
      T(`  dynamic_loader("nauthilus_backend");\n  if (require("nauthilus_backend") !== b) error("not cached", 0);`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.outcome).toBe("ok"),
  },
  {
    id: "§2 one dynamic_loader serves the later filters of the request",
    filters: [
      [L(``), T(``)],
      [
        `local b2 = require("nauthilus_backend")\nfunction nauthilus_call_filter(request)\n  b2.select_backend_server("10.0.0.9", 143)\n  return false, 0\nend\n`,
        `const b2 = require("nauthilus_backend");\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  b2.select_backend_server("10.0.0.9", 143);\n  return $multi(false, 0);\n}\n`,
      ],
    ],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.selected).toEqual({ ip: "10.0.0.9", port: 143 }),
  },

  // §3.1 get_backend_servers ----------------------------------------------------------------
  {
    id: "§3.1 all protocols, in the registry's order, as userdata with the five fields; other keys read nil",
    filters: [[
      L(`  local parts = {}
  for _, s in ipairs(b.get_backend_servers()) do
    table.insert(parts, type(s) .. " " .. s.protocol .. " " .. s.ip .. " " .. tostring(s.port) .. " " .. tostring(s.haproxy_v2) .. " " .. tostring(s.tls) .. " " .. tostring(s.name))
  end
  nauthilus_builtin.status_message_set(table.concat(parts, "|"))`),
      T(`  const parts: string[] = [];
  for (const s of b.get_backend_servers()) {
    parts.push(\`\${type(s)} \${s.protocol} \${s.ip} \${s.port} \${s.haproxy_v2} \${s.tls} \${tostring((s as unknown as { name: string }).name)}\`);
  }
  nauthilus_builtin.status_message_set(parts.join("|"));`),
    ]],
    run: { servers: SERVERS, request: { ...OK_REQUEST, authenticated: false } },
    expect: (o) =>
      expect(o.status_message).toBe(
        "userdata imap 10.0.0.1 143 false false nil|userdata pop3 10.0.0.2 110 false false nil|userdata imap 10.0.0.3 993 true true nil",
      ),
  },
  {
    id: "§3.1 a server record is read-only",
    filters: [[
      L(`  local s = b.get_backend_servers()[1]\n  s.ip = "10.9.9.9"`),
      T(`  const s = b.get_backend_servers()[0];\n  (s as { ip: string }).ip = "10.9.9.9";`),
    ]],
    run: { servers: SERVERS },
    expect: (o, c) => errorIs(`${c.at(0, '"10.9.9.9"')} attempt to index a non-table object(userdata) with key 'ip'`)(o),
  },
  {
    id: "§3.1 pairs over a server record fails",
    filters: [[
      L(`  for k, v in pairs(b.get_backend_servers()[1]) do end`),
      T(`  for (const [k, v] of pairs(b.get_backend_servers()[0] as unknown as LuaTable<string, unknown>)) { }`),
    ]],
    run: { servers: SERVERS },
    expect: (o, c) => errorIs(`${c.at(0, "pairs(")} bad argument #1 to pairs (table expected, got userdata)`)(o),
  },
  {
    id: "§3.1 every call returns a new table",
    filters: [[
      L(`  if b.get_backend_servers() == b.get_backend_servers() then error("same table", 0) end`),
      T(`  if (b.get_backend_servers() === b.get_backend_servers()) error("same table", 0);`),
    ]],
    run: { servers: SERVERS, request: OK_REQUEST },
    expect: (o) => expect(o.outcome).toBe("ok"),
  },
  {
    id: "§3.1 with the feature off the list is empty (and nginx gets no Internal failure)",
    filters: [[
      L(`  nauthilus_builtin.custom_log_add("n", #b.get_backend_servers())`),
      T(`  nauthilus_builtin.custom_log_add("n", b.get_backend_servers().length);`),
    ]],
    run: { servers: SERVERS, monitoring: false, request: OK_REQUEST },
    expect: (o) => {
      expect(o.logs).toEqual([["n", "0"]]);
      expect(o.headers.nginx).toContainEqual(["Auth-Status", "OK"]);
    },
  },
  {
    id: "§7 with the feature off nginx is sent to the fixed backend of the mail protocol (auth.go:614-625)",
    filters: [[
      L(`  b.select_backend_server("10.0.0.1", 143)`),
      T(`  b.select_backend_server("10.0.0.1", 143);`),
    ]],
    run: { servers: SERVERS, monitoring: false, request: OK_REQUEST },
    expect: (o) => {
      // The selection is ignored: imap goes to 127.0.0.1:9931 (definitions/const.go:229-233).
      expect(o.headers.nginx).toEqual([["Auth-Port", "9931"], ["Auth-Server", "127.0.0.1"], ["Auth-Status", "OK"], ["Auth-User", "alice"]]);
    },
  },
  {
    id: "§7 with the feature off a protocol that is not smtp, imap or pop3 gets no backend",
    filters: [[L(``), T(``)]],
    run: { servers: SERVERS, monitoring: false, request: { ...OK_REQUEST, protocol: "sieve" } },
    expect: (o) => expect(o.headers.nginx).toEqual([["Auth-Status", "OK"], ["Auth-User", "alice"]]),
  },

  // §3.2 select_backend_server --------------------------------------------------------------
  {
    id: "§3.2 a colon call counts the module as an argument",
    filters: [[
      L(`  b:select_backend_server("10.0.0.1", 143)`),
      T(`  (b as unknown as { select_backend_server(this: unknown, ip: string, port: number): void }).select_backend_server("10.0.0.1", 143);`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "select_backend_server(")} bad argument #2 to select_backend_server (expected server (string) and port (number))`)(o),
  },
  {
    id: "§3.2 last call wins, across filters",
    filters: [
      [L(`  b.select_backend_server("10.0.0.1", 143)\n  b.select_backend_server("10.0.0.3", 993)`), T(`  b.select_backend_server("10.0.0.1", 143);\n  b.select_backend_server("10.0.0.3", 993);`)],
      [L(`  b.select_backend_server("10.0.0.2", 110)`), T(`  b.select_backend_server("10.0.0.2", 110);`)],
    ],
    run: { servers: SERVERS, request: OK_REQUEST },
    expect: (o) => {
      expect(o.selected).toEqual({ ip: "10.0.0.2", port: 110 });
      expect(o.headers.nginx).toEqual([["Auth-Port", "110"], ["Auth-Server", "10.0.0.2"], ["Auth-Status", "OK"], ["Auth-User", "alice"]]);
    },
  },
  {
    id: "§3.2 the selection is not used when a later filter errors",
    filters: [
      [L(`  b.select_backend_server("10.0.0.1", 143)`), T(`  b.select_backend_server("10.0.0.1", 143);`)],
      [L(`  error("boom")`), T(`  error("boom");`)],
    ],
    run: { servers: SERVERS, request: OK_REQUEST },
    expect: (o, c) => {
      expect(o).toMatchObject({ outcome: "tempfail", selected: null, error: `${c.at(1, "boom")} boom` });
      expect(o.headers.nginx).toEqual([["Auth-Status", "Temporary server problem, try again later"]]);
    },
  },
  {
    id: "§3.2 the selection is not used when a filter rejects",
    filters: [[L(`  b.select_backend_server("10.0.0.1", 143)\n  do return true, 1 end`), T(`  b.select_backend_server("10.0.0.1", 143);\n  return reject();`)]],
    run: { servers: SERVERS, request: OK_REQUEST },
    expect: (o) => expect(o).toMatchObject({ outcome: "fail", selected: null }),
  },

  // §3.3 apply_backend_result ---------------------------------------------------------------
  {
    id: "§3.3 nil is rejected as userdata expected",
    filters: [[L(`  b.apply_backend_result(nil)`), T(`  b.apply_backend_result(undefined as unknown as BackendResult);`)]],
    expect: (o, c) => errorIs(`${c.at(0, "apply_backend_result(")} bad argument #1 to apply_backend_result (userdata expected, got nil)`)(o),
  },
  {
    id: "§3.3 another userdata is rejected as not a backend_result",
    filters: [[
      L(`  b.apply_backend_result(b.get_backend_servers()[1])`),
      T(`  b.apply_backend_result(b.get_backend_servers()[0] as unknown as BackendResult);`),
    ]],
    run: { servers: SERVERS },
    expect: (o, c) => errorIs(`${c.at(0, "apply_backend_result(")} bad argument #1 to apply_backend_result (expected lua backend_result)`)(o),
  },
  {
    id: "§3.3 a live reference: edits after apply are seen; a second apply replaces the first",
    filters: [[
      L(`  local r1 = nauthilus_backend_result.new()
  r1:attributes({ first = "1" })
  b.apply_backend_result(r1)
  local r2 = nauthilus_backend_result.new()
  b.apply_backend_result(r2)
  r2:attributes({ hostip = "10.0.0.3" })`),
      T(`  const r1 = nauthilus_backend_result.new();
  r1.attributes({ first: "1" });
  b.apply_backend_result(r1);
  const r2 = nauthilus_backend_result.new();
  b.apply_backend_result(r2);
  r2.attributes({ hostip: "10.0.0.3" });`),
    ]],
    run: { servers: SERVERS, request: { ...OK_REQUEST, service: "header" }, attributes: BACKEND },
    expect: (o) => {
      expect(o.attributes).toEqual({ uid: ["u1"], hostip: ["10.0.0.3"] });
      expect(o.headers.header).toContainEqual(["X-Nauthilus-Hostip", "10.0.0.3"]);
    },
  },

  // §3.4 remove_from_backend_result ---------------------------------------------------------
  {
    id: "§3.4 a string argument raises Go's nil pointer error, without a position",
    filters: [[L(`  b.remove_from_backend_result("Proxy-Host")`), T(`  b.remove_from_backend_result("Proxy-Host" as unknown as string[]);`)]],
    expect: errorIs("runtime error: invalid memory address or nil pointer dereference"),
  },
  {
    id: "§3.4 values (not keys) are collected as strings, accumulate over filters and form a set",
    filters: [
      [L(`  b.remove_from_backend_result({ x = "Proxy-Host", 1, true })`), T(`  b.remove_from_backend_result({ x: "Proxy-Host", 1: 1, 2: true } as unknown as string[]);`)],
      [L(`  b.remove_from_backend_result({ "Proxy-Host", "mail" })`), T(`  b.remove_from_backend_result(["Proxy-Host", "mail"]);`)],
    ],
    run: { servers: SERVERS, request: OK_REQUEST, attributes: { "Proxy-Host": ["a"], mail: ["m"], uid: ["u"] } },
    expect: (o) => {
      expect(o.removed).toEqual(["1", "Proxy-Host", "mail", "true"]);
      expect(o.attributes).toEqual({ uid: ["u"] });
    },
  },

  // §3.5 check_backend_connection -----------------------------------------------------------
  {
    id: "§3.5 four arguments exactly, else a positioned count error",
    filters: [[
      L(`  b.check_backend_connection("10.0.0.1", 143, false)`),
      T(`  (b.check_backend_connection as unknown as (...a: unknown[]) => void)("10.0.0.1", 143, false);`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "check_backend_connection")} Invalid number of arguments. Expected 4, got 3`)(o),
  },
  {
    id: "§3.5 nil on success, the probe's error text on failure",
    filters: [[
      L(`  local ok = b.check_backend_connection("10.0.0.1", 143, false, false)
  local bad = b.check_backend_connection("10.0.0.3", 993, true, true)
  nauthilus_builtin.custom_log_add("ok", tostring(ok))
  nauthilus_builtin.custom_log_add("bad", bad)`),
      T(`  const ok = b.check_backend_connection("10.0.0.1", 143, false, false);
  const bad = b.check_backend_connection("10.0.0.3", 993, true, true);
  nauthilus_builtin.custom_log_add("ok", tostring(ok));
  nauthilus_builtin.custom_log_add("bad", bad ?? "nil");`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS },
    probes: { "10.0.0.3:993": "dial tcp 10.0.0.3:993: connect: connection refused" },
    expect: (o) => expect(o.logs).toEqual([["ok", "nil"], ["bad", "dial tcp 10.0.0.3:993: connect: connection refused"]]),
  },

  // §4 nauthilus_backend_result -------------------------------------------------------------
  {
    id: "§4 .new() and :new() are the same; the global is the metatable; not a module",
    filters: [[
      L(`  local a = nauthilus_backend_result.new()
  local c = nauthilus_backend_result:new(1, 2)
  if getmetatable(a) ~= nauthilus_backend_result or getmetatable(c) ~= nauthilus_backend_result then error("mt", 0) end
  local ok = pcall(require, "nauthilus_backend_result")
  if ok then error("required", 0) end`),
      T(`  const a = nauthilus_backend_result.new();
  const c = (nauthilus_backend_result as unknown as { readonly new: (this: unknown, ...x: unknown[]) => BackendResult }).new(1, 2);
  if (getmetatable(a) !== nauthilus_backend_result || getmetatable(c) !== nauthilus_backend_result) error("mt", 0);
  const [ok] = pcall(require, "nauthilus_backend_result");
  if (ok) error("required", 0);`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.outcome).toBe("ok"),
  },
  {
    id: "§4 only the method attributes exists in filters",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r:authenticated(true)`),
      T(`  const r = nauthilus_backend_result.new() as unknown as { authenticated(v: boolean): void };\n  r.authenticated(true);`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "authenticated(true)")} attempt to call a non-function object`)(o),
  },
  {
    id: "§4 a wrong self: nil",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r.attributes()`),
      T(`  const r = nauthilus_backend_result.new();\n  (r as unknown as { attributes(this: void): void }).attributes();`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "attributes()")} bad argument #1 to attributes (userdata expected, got nil)`)(o),
  },
  {
    id: "§4 a wrong self: foreign userdata",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r.attributes(b.get_backend_servers()[1])`),
      T(`  const r = nauthilus_backend_result.new() as unknown as { attributes(this: void, s: unknown): void };\n  r.attributes(b.get_backend_servers()[0]);`),
    ]],
    run: { servers: SERVERS },
    expect: (o, c) => errorIs(`${c.at(0, "attributes(")} bad argument #1 to attributes (backend_result expected)`)(o),
  },
  {
    id: "§4 the setter checks its table",
    filters: [[
      L(`  nauthilus_backend_result.new():attributes("x")`),
      T(`  nauthilus_backend_result.new().attributes("x" as unknown as BackendResultAttributes);`),
    ]],
    expect: (o, c) => errorIs(`${c.at(0, "attributes(")} bad argument #2 to attributes (table expected, got string)`)(o),
  },
  {
    id: "§4 an array-only table (including {}) raises Go's interface conversion, without a position",
    // TypeScript: through a variable, since the literal `attributes({})` is build error NF1039.
    filters: [[L(`  nauthilus_backend_result.new():attributes({})`), T(`  const none: BackendResultAttributes = {};\n  nauthilus_backend_result.new().attributes(none);`)]],
    expect: errorIs("interface conversion: interface {} is []interface {}, not map[interface {}]interface {}"),
  },
  {
    id: "§4 one or three arguments make a getter returning a new table ({} when unset)",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()
  local empty = r:attributes()
  r:attributes({ a = "1" })
  local got = r:attributes()
  got.a = "changed"
  local again = r:attributes(1, 2)
  nauthilus_builtin.custom_log_add("empty", next(empty) == nil)
  nauthilus_builtin.custom_log_add("a", again.a)`),
      T(`  const r = nauthilus_backend_result.new();
  const empty = r.attributes();
  r.attributes({ a: "1" });
  const got = r.attributes();
  got["a"] = "changed";
  const again = (r as unknown as { attributes(...x: unknown[]): BackendResultAttributes }).attributes(1, 2);
  nauthilus_builtin.custom_log_add("empty", next(empty as unknown as LuaTable)[0] === undefined);
  nauthilus_builtin.custom_log_add("a", again["a"] as string);`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.logs).toEqual([["empty", "true"], ["a", "1"]]),
  },
  {
    id: "§4 numbers become float64 (shown as Go %v), nil values are dropped",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()
  r:attributes({ big = 1000000, port = 993, gone = nil, flag = true })
  b.apply_backend_result(r)`),
      T(`  const r = nauthilus_backend_result.new();
  r.attributes({ big: 1000000, port: 993, gone: undefined as unknown as string, flag: true });
  b.apply_backend_result(r);`),
    ]],
    run: { request: { ...OK_REQUEST, service: "header" }, servers: SERVERS, attributes: BACKEND },
    expect: (o) => {
      expect(Object.keys(o.attributes!).sort()).toEqual(["big", "flag", "port", "uid"]);
      expect(o.headers.header).toEqual(expect.arrayContaining([["X-Nauthilus-Big", "1e+06"], ["X-Nauthilus-Port", "993"], ["X-Nauthilus-Flag", "true"]]));
    },
  },

  // §5 the filter contract ------------------------------------------------------------------
  {
    id: "§5 filters share globals and the request table; top-level code runs per request",
    filters: [
      [L(`  request.seen_by_first = true`, `counter = (counter or 0) + 1`), T(`  (request as unknown as { seen_by_first: boolean }).seen_by_first = true;`, `declare let counter: number | undefined;\ncounter = (counter ?? 0) + 1;`)],
      [
        `function nauthilus_call_filter(request)\n  nauthilus_builtin.custom_log_add("counter", counter)\n  nauthilus_builtin.custom_log_add("seen", request.seen_by_first)\n  return false, 0\nend\n`,
        `declare const counter: number;\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  nauthilus_builtin.custom_log_add("counter", counter);\n  nauthilus_builtin.custom_log_add("seen", (request as unknown as { seen_by_first: boolean }).seen_by_first);\n  return $multi(false, 0);\n}\n`,
      ],
    ],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.logs).toEqual([["counter", "1"], ["seen", "true"]]),
  },
  {
    id: "§5 a missing entry function is a tempfail with gopher's message (no position)",
    // TypeScript must export the entry; a value that is nil at run time gets past the types.
    filters: [[`local x = 1\n`, `export const nauthilus_call_filter = undefined as unknown as FilterEntry;\n`]],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => {
      expect(o).toMatchObject({ outcome: "tempfail", error: " attempt to call a non-function object" });
      expect(o.diagnostics.join("\n")).toContain("defines no global nauthilus_call_filter");
    },
  },
  {
    id: "§5 a missing entry re-runs the function an earlier filter defined",
    filters: [
      [L(`  nauthilus_builtin.custom_log_add("ran", "first")`), T(`  nauthilus_builtin.custom_log_add("ran", "first");`)],
      [`local y = 2\n`, `export const nauthilus_call_filter = undefined as unknown as FilterEntry;\n`],
    ],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o, c) => {
      if (c.variant === "ts") {
        // A compiled filter always assigns the global (here: nil), so it never re-runs another
        // filter's entry by accident: production gives the same tempfail for this Lua.
        expect(o).toMatchObject({ outcome: "tempfail", error: " attempt to call a non-function object" });
        return;
      }
      expect(o.outcome).toBe("ok");
      expect(o.filters).toEqual([{ name: c.chunk(0), action: false, code: 0 }, { name: c.chunk(1), action: false, code: 0 }]);
      expect(o.logs).toEqual([["ran", "first"], ["ran", "first"]]);
    },
  },
  {
    id: "§5 only nil/false accept: 0 rejects",
    filters: [[L(`  do return 0, 0 end`), T(`  return $multi(0 as unknown as boolean, 0);`)]],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o, c) => {
      expect(o.outcome).toBe("fail");
      expect(o.filters).toEqual([{ name: c.chunk(0), action: true, code: 0 }]);
    },
  },
  {
    id: "§5 the code is read with ToInt: numeric strings parsed (\"1e2\" -> 100, \"010\" -> 8), else 0",
    filters: [
      [L(`  do return false, "1e2" end`), T(`  return $multi(false, "1e2" as unknown as number);`)],
      [L(`  do return false, "010" end`), T(`  return $multi(false, "010" as unknown as number);`)],
      [L(`  do return false, "abc" end`), T(`  return $multi(false, "abc" as unknown as number);`)],
      [L(`  do return nil, -2.7 end`), T(`  return $multi(undefined as unknown as boolean, -2.7);`)],
    ],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.filters.map((f) => f.code)).toEqual([100, 8, 0, -2]),
  },
  {
    id: "§5 the first reject stops the chain; the status message is used",
    filters: [
      [L(`  nauthilus_builtin.status_message_set("Go away")\n  do return true, 1 end`), T(`  nauthilus_builtin.status_message_set("Go away");\n  return reject();`)],
      [L(`  error("must not run")`), T(`  error("must not run");`)],
    ],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o, c) => {
      expect(o).toMatchObject({ outcome: "fail", error: null, status_message: "Go away", filters: [{ name: c.chunk(0), action: true, code: 1 }] });
      expect(o.headers.nginx).toEqual([["Auth-Status", "Go away"], ["Auth-Wait", "0"]]);
    },
  },
  {
    id: "§5 a Lua error is a tempfail and nothing is applied (no logs, no status, no removals)",
    filters: [[
      L(`  b.remove_from_backend_result({ "mail" })\n  nauthilus_builtin.custom_log_add("k", "v")\n  nauthilus_builtin.status_message_set("s")\n  error({ code = 1 })`),
      T(`  b.remove_from_backend_result(["mail"]);\n  nauthilus_builtin.custom_log_add("k", "v");\n  nauthilus_builtin.status_message_set("s");\n  error({ code: 1 } as unknown as string);`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS, attributes: { mail: ["m"] } },
    expect: (o) => {
      expect(o).toMatchObject({ outcome: "tempfail", logs: [], status_message: null, removed: [], attributes: { mail: ["m"] } });
      expect(o.error).toMatch(/^table: 0x[0-9a-f]+$/);
    },
  },
  {
    id: "§5 a filter past its timeout fails with <chunk>:<line>: context deadline exceeded, even under pcall",
    filters: [[
      L(`  while true do pcall(function() while true do end end) end`),
      T(`  while (true) { pcall(() => { while (true) { /* spin */ } }); }`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS, timeoutSeconds: 0.2 },
    expect: (o, c) => {
      expect(o.outcome).toBe("tempfail");
      expect(o.error).toMatch(new RegExp(`^${escape(c.chunk(0))}:\\d+: context deadline exceeded$`));
    },
  },
  {
    id: "§5 ACCEPT never turns a failed password check into success; attributes and selection still apply",
    filters: [[L(`  b.select_backend_server("10.0.0.1", 143)\n  b.remove_from_backend_result({ "mail" })`), T(`  b.select_backend_server("10.0.0.1", 143);\n  b.remove_from_backend_result(["mail"]);`)]],
    run: { request: { ...OK_REQUEST, authenticated: false }, servers: SERVERS, attributes: { mail: ["m"] } },
    expect: (o) => {
      expect(o).toMatchObject({ outcome: "fail", selected: { ip: "10.0.0.1", port: 143 }, removed: ["mail"], attributes: {} });
      expect(o.headers.nginx).toEqual([["Auth-Status", "Invalid login or password"], ["Auth-Wait", "0"]]);
    },
  },
  {
    id: "§5 custom_log_add: numbers as Go %v, unsupported values as UNSUPPORTED",
    filters: [[
      L(`  nauthilus_builtin.custom_log_add("n", 1000000)\n  nauthilus_builtin.custom_log_add("f", 0.5)\n  nauthilus_builtin.custom_log_add("t", {})\n  nauthilus_builtin.custom_log_add("b", false)`),
      T(`  nauthilus_builtin.custom_log_add("n", 1000000);\n  nauthilus_builtin.custom_log_add("f", 0.5);\n  nauthilus_builtin.custom_log_add("t", {} as unknown as string);\n  nauthilus_builtin.custom_log_add("b", false);`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.logs).toEqual([["n", "1e+06"], ["f", "0.5"], ["t", "UNSUPPORTED"], ["b", "false"]]),
  },
  {
    id: "§4 boolean and number keys are kept by the conversion and dropped when applied",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r:attributes({ [true] = "x", [false] = "y", [3] = "z", k = "v" })\n  b.apply_backend_result(r)`),
      T(`  const r = nauthilus_backend_result.new();\n  const t = { k: "v" } as unknown as LuaTable<string | number | boolean, string>;\n  t.set(true, "x");\n  t.set(3, "z");\n  r.attributes(t as unknown as BackendResultAttributes);\n  b.apply_backend_result(r);`),
    ]],
    run: { request: { ...OK_REQUEST, service: "header" }, servers: SERVERS, attributes: BACKEND },
    expect: (o) => {
      expect(o.outcome).toBe("ok");
      expect(o.attributes).toEqual({ uid: ["u1"], k: ["v"] });
    },
  },
  {
    id: "§5 a list-valued attribute applied by one filter crashes the next filter's merge (HTTP 500)",
    filters: [
      [L(`  local r = nauthilus_backend_result.new()\n  r:attributes({ groups = { "a", "b" } })\n  b.apply_backend_result(r)`), T(`  const r = nauthilus_backend_result.new();\n  r.attributes({ groups: ["a", "b"] });\n  b.apply_backend_result(r);`)],
      [L(``), T(``)],
    ],
    run: { request: OK_REQUEST, servers: SERVERS, attributes: BACKEND },
    expect: (o) => {
      expect(o).toMatchObject({ outcome: "server_error", error: "runtime error: comparing uncomparable type []interface {}" });
      expect(o.headers).toEqual({ nginx: [], header: [] });
      expect(o.diagnostics.join("\n")).toContain("HTTP 500");
    },
  },
  {
    id: "§5 a list-valued attribute in a single filter is fine (header shows [a b])",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r:attributes({ groups = { "a", "b" } })\n  b.apply_backend_result(r)`),
      T(`  const r = nauthilus_backend_result.new();\n  r.attributes({ groups: ["a", "b"] });\n  b.apply_backend_result(r);`),
    ]],
    run: { request: { ...OK_REQUEST, service: "header" }, servers: SERVERS, attributes: BACKEND },
    expect: (o) => {
      expect(o.outcome).toBe("ok");
      expect(o.headers.header).toContainEqual(["X-Nauthilus-Groups", "[a b]"]);
    },
  },

  // §7 HTTP responses -----------------------------------------------------------------------
  {
    id: "§7 nginx: the feature on and no live server -> Auth-Status: Internal failure",
    filters: [[L(`  b.select_backend_server("10.0.0.1", 143)`), T(`  b.select_backend_server("10.0.0.1", 143);`)]],
    run: { request: OK_REQUEST, servers: [] },
    expect: (o) => expect(o.headers.nginx).toEqual([["Auth-Status", "Internal failure"], ["Auth-User", "alice"]]),
  },
  {
    id: "§7 nginx: Auth-Server/Auth-Port only for a non-empty ip and a port > 0",
    filters: [[L(`  b.select_backend_server("", 143)`), T(`  b.select_backend_server("", 143);`)]],
    run: { request: OK_REQUEST, servers: SERVERS },
    expect: (o) => expect(o.headers.nginx).toEqual([["Auth-Status", "OK"], ["Auth-User", "alice"]]),
  },
  {
    id: "§7 attributes are added only where the backend has none: remove first to replace",
    filters: [[
      L(`  b.remove_from_backend_result({ "mail" })
  local r = nauthilus_backend_result.new()
  r:attributes({ ["Proxy-Host"] = "10.0.0.3", mail = "new@example.org" })
  b.apply_backend_result(r)`),
      T(`  b.remove_from_backend_result(["mail"]);
  const r = nauthilus_backend_result.new();
  r.attributes({ "Proxy-Host": "10.0.0.3", mail: "new@example.org" });
  b.apply_backend_result(r);`),
    ]],
    run: { request: { ...OK_REQUEST, service: "header" }, servers: SERVERS, attributes: { "Proxy-Host": ["10.0.0.1"], mail: ["old@example.org"] } },
    expect: (o) => {
      expect(o.attributes).toEqual({ "Proxy-Host": ["10.0.0.1"], mail: ["new@example.org"] });
      expect(o.headers.header).toEqual([
        ["X-Nauthilus-Mail", "new@example.org"],
        ["X-Nauthilus-Memory-Cache", "Miss"],
        ["X-Nauthilus-Proxy-Host", "10.0.0.1"],
        ["X-Nauthilus-Session", "s-1"],
      ]);
    },
  },
  {
    id: "§7 header names canonicalised like Go; an empty value sends no header; multi-values joined",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r:attributes({ ["proxy-host"] = "h", display_name = "D", empty = "" })\n  b.apply_backend_result(r)`),
      T(`  const r = nauthilus_backend_result.new();\n  r.attributes({ "proxy-host": "h", display_name: "D", empty: "" });\n  b.apply_backend_result(r);`),
    ]],
    run: { request: { ...OK_REQUEST, service: "header" }, servers: SERVERS, attributes: { memberOf: ["a", "b"], dn: ["cn=x", "o=y"] } },
    expect: (o) =>
      expect(o.headers.header).toEqual([
        ["X-Nauthilus-Display_name", "D"],
        ["X-Nauthilus-Dn", "cn=x;o=y"],
        ["X-Nauthilus-Memberof", "a,b"],
        ["X-Nauthilus-Memory-Cache", "Miss"],
        ["X-Nauthilus-Proxy-Host", "h"],
        ["X-Nauthilus-Session", "s-1"],
      ]),
  },
  {
    id: "§7 hostile values: CR/LF become spaces and blanks are trimmed; invalid header names are dropped",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r:attributes({ note = " a\\r\\nX-Evil: 1 ", ["bad name"] = "x", ["x:y"] = "z" })\n  b.apply_backend_result(r)`),
      T(`  const r = nauthilus_backend_result.new();\n  r.attributes({ note: " a\\r\\nX-Evil: 1 ", "bad name": "x", "x:y": "z" });\n  b.apply_backend_result(r);`),
    ]],
    run: { request: { ...OK_REQUEST, service: "header" }, servers: SERVERS, attributes: BACKEND },
    expect: (o) =>
      expect(o.headers.header).toEqual([
        ["X-Nauthilus-Memory-Cache", "Miss"],
        ["X-Nauthilus-Note", "a  X-Evil: 1"],
        ["X-Nauthilus-Session", "s-1"],
        ["X-Nauthilus-Uid", "u1"],
      ]),
  },
  {
    id: "§7 a filter attribute over a nil backend map crashes (HTTP 500), with a diagnostic",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r:attributes({ hostip = "10.0.0.1" })\n  b.apply_backend_result(r)`),
      T(`  const r = nauthilus_backend_result.new();\n  r.attributes({ hostip: "10.0.0.1" });\n  b.apply_backend_result(r);`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS, attributes: null },
    expect: (o) => {
      expect(o).toMatchObject({ outcome: "server_error", error: "assignment to entry in nil map", attributes: null });
      expect(o.diagnostics.join("\n")).toContain("nil map");
    },
  },

  {
    id: "§7 an empty backend result is no map at all (auth.go:1060): a filter attribute crashes it the same way",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r:attributes({ hostip = "10.0.0.1" })\n  b.apply_backend_result(r)`),
      T(`  const r = nauthilus_backend_result.new();\n  r.attributes({ hostip: "10.0.0.1" });\n  b.apply_backend_result(r);`),
    ]],
    run: { request: OK_REQUEST, servers: SERVERS, attributes: {} },
    expect: (o) => expect(o).toMatchObject({ outcome: "server_error", error: "assignment to entry in nil map", attributes: null }),
  },

  // §8 numbers ------------------------------------------------------------------------------
  {
    id: "§8 tostring prints integral values as integers and the rest in Go's shortest form",
    filters: [[
      L(`  local parts = { tostring(10 / 2), tostring(1 / 3), tostring(1e15), tostring(1234567.5), tostring(1e-5), tostring(0/0), tostring(1/0), tostring(-1/0) }
  nauthilus_builtin.status_message_set(table.concat(parts, " "))`),
      T(`  const parts = [tostring(10 / 2), tostring(1 / 3), tostring(1e15), tostring(1234567.5), tostring(1e-5), tostring(0 / 0), tostring(1 / 0), tostring(-1 / 0)];
  nauthilus_builtin.status_message_set(parts.join(" "));`),
    ]],
    run: { request: { ...OK_REQUEST, authenticated: false }, servers: SERVERS },
    expect: (o) => expect(o.status_message).toBe("5 0.3333333333333333 1000000000000000 1.2345675e+06 1e-05 NaN +Inf -Inf"),
  },
  {
    id: "§8 header values use Go %v also for integral values (1000000 -> 1e+06, 993 -> 993)",
    filters: [[
      L(`  local r = nauthilus_backend_result.new()\n  r:attributes({ a = 1000000, p = 993, f = 1234567.5 })\n  b.apply_backend_result(r)`),
      T(`  const r = nauthilus_backend_result.new();\n  r.attributes({ a: 1000000, p: 993, f: 1234567.5 });\n  b.apply_backend_result(r);`),
    ]],
    run: { request: { ...OK_REQUEST, service: "header" }, servers: SERVERS, attributes: BACKEND },
    expect: (o) => expect(o.headers.header).toEqual(expect.arrayContaining([["X-Nauthilus-A", "1e+06"], ["X-Nauthilus-P", "993"], ["X-Nauthilus-F", "1.2345675e+06"]])),
  },
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
