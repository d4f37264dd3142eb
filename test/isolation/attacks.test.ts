// The attack suite (issue "The runtime cannot lie, leak or fall over"): on the worker pool exactly
// as users run it, with one worker so that both requests meet the same engine, alice's request
// tries every way to reach bob's; bob's outcome must equal what a fresh runtime gives him. Then
// failures of every kind, each named as what it is, with the next request served.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../runtime/index";
import type { Outcome } from "../../runtime/types";
import { attacker, VICTIM } from "./victim";

const ENTRY = `\nfunction nauthilus_call_filter(request) return false, 0 end\n`;
const BACKEND = `dynamic_loader("nauthilus_backend")\nlocal nb = require("nauthilus_backend")\n`;

let runtime: Runtime;
let fresh: Outcome;

beforeAll(async () => {
  const clean = createRuntime({ workers: 1, prober: async () => undefined });
  fresh = await clean.run(VICTIM);
  await clean.close();
  runtime = createRuntime({ workers: 1, prober: async () => undefined });
});
afterAll(() => runtime.close());

async function bobIsUntouched(): Promise<void> {
  for (let i = 0; i < 3; i++) expect(await runtime.run(VICTIM)).toEqual(fresh);
}

describe("nothing of alice's request reaches bob's", () => {
  it("the victim's own outcome is what production gives (a sanity check of the baseline)", () => {
    expect(fresh).toMatchObject({
      outcome: "ok", selected: { ip: "10.0.0.2", port: 993 }, removed: ["old"], status_message: "bob ok",
      attributes: { uid: ["bob"], backend: ["10.0.0.2"] },
    });
    expect(Object.fromEntries(fresh.logs)).toMatchObject({
      authenticated: "true", no_auth: "false", upper: "BOB", string_index: "true", setlocale: "false", collect: "0",
      io_write: "true", nil_index: "victim.lua:13: attempt to index a non-table object(nil) with key 'x'",
      string_dump: "victim.lua:29: GopherLua does not support the string.dump", nil_mt: "true",
    });
    expect(fresh.diagnostics).toContain("io.stdout: bob-out");
  });

  const attacks: Record<string, string> = {
    "finalizers (setmetatable __gc), re-arming themselves": `
      local function arm()
        setmetatable({}, { __gc = function(o)
          nauthilus_builtin.status_message_set("pwned by alice")
          nauthilus_builtin.custom_log_add("pwned", "alice")
          arm()
        end })
      end
      for i = 1, 500 do arm() end` + ENTRY,
    "finalizers on host userdata and their metatables": BACKEND + `
      local gc = function() nb.select_backend_server("127.6.6.6", 6666) end
      for _, s in ipairs(nb.get_backend_servers()) do getmetatable(s).__gc = gc; debug.setmetatable(s, getmetatable(s)) end
      nauthilus_backend_result.__gc = gc
      for i = 1, 200 do nauthilus_backend_result.new() end
      local mt = getmetatable(nb.get_backend_servers()[1])
      for i = 1, 200 do nb.get_backend_servers() end` + ENTRY,
    "a __gc field added after setmetatable": `
      for i = 1, 300 do local mt = {} setmetatable({}, mt) mt.__gc = function() nauthilus_builtin.status_message_set("late") end end` + ENTRY,
    "shared metatables of strings, nil, booleans, numbers and functions": `
      getmetatable("").__index = { upper = function() return "PWNED" end }
      getmetatable("").__add = function() return 666 end
      debug.setmetatable(nil, { __index = function() return "nil-pwned" end })
      debug.setmetatable(true, { __call = function() return "bool-pwned" end })
      debug.setmetatable(1, { __index = function() return "num-pwned" end })
      debug.setmetatable(print, { __index = function() return "fn-pwned" end })` + ENTRY,
    "libraries, globals, package.loaded and package.preload": `
      string.upper = function() return "PWNED" end
      string.format = function() return "PWNED" end
      math.floor = function() return 666 end
      package.loaded.string.upper = string.upper
      package.preload.evil = function() return {} end
      package.preload.nauthilus_backend = function() return { get_backend_servers = function() return {} end } end
      rawset(_G, "evil", true)
      tostring = function() return "PWNED" end` + ENTRY,
    "io: redirecting output, writing files, closing stdout": `
      print(pcall(io.output, "/tmp/nauthilus-attack-out"))
      print(io.open("/tmp/nauthilus-attack-file", "w"))
      io.output({ write = function() error("pwned") end })
      io.close()
      io.stdout.write = function() error("pwned") end` + ENTRY,
    "os: locale, environment, processes": `
      os.setlocale("de_DE.UTF-8")
      os.setlocale("C", "numeric")
      print(pcall(os.execute, "true"))
      print(pcall(os.tmpname))
      print(os.remove("/etc/passwd"))
      os.getenv = function() return "pwned" end` + ENTRY,
    "the collector's mode and parameters": `
      collectgarbage("stop") collectgarbage("generational") collectgarbage("setpause", 1000) collectgarbage("incremental", 1000, 1000)` + ENTRY,
    "debug: the chain driver's frames, locals and functions": `
      function nauthilus_call_filter(request)
        for level = 1, 20 do
          local info = debug.getinfo(level, "fS")
          if info == nil then break end
          if info.func then pcall(info.func, "x", 1, 2) end
          for i = 1, 30 do
            local name = debug.getlocal(level, i)
            if name == nil then break end
            debug.setlocal(level, i, nil)
          end
        end
        return false, 0
      end`,
    "debug: upvalues of every reachable function": `
      local seen = {}
      local function walk(t, depth)
        if depth > 3 or seen[t] then return end
        seen[t] = true
        for k, v in pairs(t) do
          if type(v) == "function" then
            for i = 1, 20 do
              local name, value = debug.getupvalue(v, i)
              if name == nil then break end
              if type(value) == "table" then walk(value, depth + 1) end
              debug.setupvalue(v, i, nil)
            end
          elseif type(v) == "table" then walk(v, depth + 1) end
        end
      end
      walk(_G, 0)
      walk(getmetatable(""), 0)` + ENTRY,
    "the chunk's own main function and its _ENV": `
      local main = debug.getinfo(1, "f").func
      debug.setupvalue(main, 1, setmetatable({}, { __index = function() return function() return "pwned" end end }))` + ENTRY,
    "coroutines left suspended, binary chunks, string.dump": `
      local co = coroutine.create(function() while true do coroutine.yield(nauthilus_builtin.status_message_set("co")) end end)
      coroutine.resume(co)
      print(pcall(string.dump, print))
      print(load("\\27Lua\\84\\0", "x", "b"))
      _G.keep = co` + ENTRY,
    "a finalizer armed through an error value": `
      local mt = {} local t = setmetatable({}, mt)
      mt.__gc = function() nauthilus_builtin.status_message_set("gc from alice") end
      error(t)`,
    "the io file metatable: a finalizer and a replaced method": `
      getmetatable(io.stdin).__gc = function() nauthilus_builtin.status_message_set("file gc from alice") end
      getmetatable(io.stdout).__index.write = function() nauthilus_builtin.status_message_set("write hijack") return true end
      getmetatable(io.stdin).__index.read = function() return "evil" end` + ENTRY,
    "the engine's entry points through debug.getinfo and their upvalues": `
      function nauthilus_call_filter(request)
        for level = 1, 12 do
          local info = debug.getinfo(level, "f")
          if info and info.func then
            for i = 1, 10 do
              local name, value = debug.getupvalue(info.func, i)
              if name == nil then break end
              debug.setupvalue(info.func, i, function() nauthilus_builtin.status_message_set("pwned") end)
            end
          end
        end
        return false, 0
      end`,
    "a runaway that is stopped at its deadline, leaving its state behind": `
      getmetatable("").__index = { upper = function() return "PWNED" end }
      setmetatable({}, { __gc = function() nauthilus_builtin.status_message_set("x") end })
      while true do end`,
  };
  for (const [name, source] of Object.entries(attacks)) {
    it(name, async () => {
      const a = await runtime.run(attacker(source, { timeoutSeconds: 1 }));
      expect(a.diagnostics.join("\n")).not.toMatch(/local runtime failure/);
      await bobIsUntouched();
    });
  }
});

describe("runaways are stopped at their line by the deadline, wherever they loop", () => {
  // The line: where the deadline is noticed; a list when the loop spans several lines.
  const cases: Record<string, [string, number | number[]]> = {
    "inside a coroutine (coroutine.wrap)": [`function nauthilus_call_filter(r)\n  coroutine.wrap(function()\n    while true do end\n  end)()\nend`, 3],
    "inside a coroutine whose error is caught again and again": [
      `function nauthilus_call_filter(r)\n  while true do\n    local co = coroutine.create(function() while true do end end)\n    coroutine.resume(co)\n  end\nend`, [2, 3, 4],
    ],
    // The handler is skipped past the deadline; the next instruction of the filter raises.
    "inside an xpcall message handler": [`function nauthilus_call_filter(r)\n  xpcall(function() error("x") end, function()\n    while true do end\n  end)\nend`, 5],
    "inside __tostring of an error value, which production never calls": [
      `function nauthilus_call_filter(r)\n  error(setmetatable({}, { __tostring = function() while true do end end }))\nend`, 0,
    ],
    "inside table.sort, implemented by the runtime": [`function nauthilus_call_filter(r)\n  local t = {} for i = 1, 300000 do t[i] = (i * 7919) % 1000003 end\n  while true do table.sort(t) end\nend`, 3],
  };
  for (const [name, [source, line]] of Object.entries(cases)) {
    it(name, async () => {
      const o = await runtime.run(attacker(source, { timeoutSeconds: 1 }));
      if (line === 0) expect(o.error).toMatch(/^table: 0x[0-9a-f]+$/);
      else {
        const lines = Array.isArray(line) ? line : [line];
        expect(o.outcome).toBe("tempfail");
        expect(lines.map((l) => `attack.lua:${l}: context deadline exceeded`)).toContain(o.error);
      }
      expect(o.diagnostics.join("\n")).not.toMatch(/terminated|local runtime failure/);
      await bobIsUntouched();
    });
  }
});

describe("a filter's own errors are the filter's, never the runtime's", () => {
  const cases: Record<string, [string, string]> = {
    "an __index on _G that raises when the entry is looked up": [`setmetatable(_G, { __index = function(t, k) error("idx " .. k) end })`, "attack.lua:1: idx nauthilus_call_filter"],
    // Nauthilus extends package.path with L.DoString before every filter (packagepath.go:28-32).
    "package removed before the next filter": [`package = nil` + ENTRY, "<string>:1: attempt to index a non-table object(nil) with key 'path'"],
    "package.path with a looping __concat": [
      `package.path = setmetatable({}, { __concat = function() while true do end end })` + ENTRY, "attack.lua:1: context deadline exceeded",
    ],
    "package.path with a __concat that answers": [
      `package.path = setmetatable({}, { __concat = function() nauthilus_builtin.custom_log_add("concat", "called") return "./?.lua" end })` + ENTRY, "",
    ],
    "attributes nested 3000 deep": [
      `dynamic_loader("nauthilus_backend") local nb = require("nauthilus_backend")\nlocal t = {} local c = t for i = 1, 3000 do c.a = {} c = c.a end\nlocal r = nauthilus_backend_result.new()\nr:attributes(t)` + ENTRY,
      "attack.lua:4: attributes nested deeper than 100 levels (or a table that contains itself): the local runtime stops here; production converts without a limit, and a table that contains itself crashes Nauthilus",
    ],
    "attributes that contain themselves": [
      `local t = {} t.x = t\nlocal r = nauthilus_backend_result.new()\nr:attributes(t)` + ENTRY,
      "attack.lua:3: attributes nested deeper than 100 levels (or a table that contains itself): the local runtime stops here; production converts without a limit, and a table that contains itself crashes Nauthilus",
    ],
  };
  for (const [name, [source, error]] of Object.entries(cases)) {
    it(name, async () => {
      const run = attacker(source, { timeoutSeconds: 2 });
      run.filters.push({ name: "second.lua", source: `function nauthilus_call_filter() nauthilus_builtin.custom_log_add("second", "ran") return false, 0 end` });
      const o = await runtime.run(run);
      expect(o.diagnostics.join("\n")).not.toMatch(/terminated|local runtime failure/);
      if (error) expect(o).toMatchObject({ outcome: "tempfail", error });
      else expect(o.logs).toEqual([["concat", "called"], ["second", "ran"]]);
      await bobIsUntouched();
    });
  }
});
