// Runaway filters of every kind are stopped, the request ends in a tempfail, and the runtime
// serves the next request; concurrent requests never see each other's state.
import { afterAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../runtime/index";
import type { RunRequest } from "../../runtime/types";

const runtime = createRuntime({ workers: 2, memoryLimitBytes: 64 * 1024 * 1024, prober: async () => undefined });
afterAll(() => runtime.close());

const GOOD = `dynamic_loader("nauthilus_backend")
local b = require("nauthilus_backend")
function nauthilus_call_filter(request)
  b.select_backend_server("10.0.0.1", 143)
  return false, 0
end
`;
const servers = [{ protocol: "imap", ip: "10.0.0.1", port: 143, haproxy_v2: false, tls: false }];
const request = { authenticated: true, account: "alice", service: "nginx" };

function chain(source: string, timeoutSeconds = 0.5): RunRequest {
  return { filters: [{ name: "runaway.lua", source }], servers, attributes: {}, request, timeoutSeconds };
}

async function stillServes(): Promise<void> {
  const o = await runtime.run({ ...chain(GOOD), timeoutSeconds: 5 });
  expect(o).toMatchObject({ outcome: "ok", selected: { ip: "10.0.0.1", port: 143 } });
}

describe("runaway filters are stopped and the runtime keeps serving", () => {
  it("while true do end: <chunk>:<line>: context deadline exceeded", async () => {
    const o = await runtime.run(chain(`function nauthilus_call_filter(r)\n  while true do end\nend\n`));
    expect(o).toMatchObject({ outcome: "tempfail", error: "runaway.lua:2: context deadline exceeded" });
    await stillServes();
  });

  it("a loop around pcall of a loop cannot swallow the deadline", async () => {
    const o = await runtime.run(chain(`function nauthilus_call_filter(r)\n  while true do pcall(function() while true do end end) end\nend\n`));
    expect(o.outcome).toBe("tempfail");
    expect(o.error).toMatch(/^runaway\.lua:2: context deadline exceeded$/);
    await stillServes();
  });

  it("a catastrophic string.find pattern (inside C) is stopped by terminating the thread", async () => {
    const started = Date.now();
    const o = await runtime.run(
      chain(`function nauthilus_call_filter(r)\n  string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40) .. "b")\nend\n`),
    );
    expect(o.outcome).toBe("tempfail");
    expect(o.error).toBe("runaway.lua: context deadline exceeded");
    expect(o.diagnostics.join("\n")).toContain("terminated the filter's thread");
    expect(Date.now() - started).toBeLessThan(5000);
    await stillServes();
  });

  it("unbounded memory growth hits the memory cap", async () => {
    const o = await runtime.run(
      chain(`function nauthilus_call_filter(r)\n  local t = {}\n  while true do t[#t + 1] = string.rep("x", 1000000) .. #t end\nend\n`, 30),
    );
    expect(o.outcome).toBe("tempfail");
    expect(o.error).toBe("not enough memory");
    await stillServes();
  });

  it("concurrent requests never see each other's globals, selections or attributes", async () => {
    const filter = (n: number) => `dynamic_loader("nauthilus_backend")
local b = require("nauthilus_backend")
mine = (mine or 0) + ${n}
function nauthilus_call_filter(request)
  b.select_backend_server("10.0.0.${n}", ${n})
  local r = nauthilus_backend_result.new()
  r:attributes({ who = "${n}", seen = mine })
  b.apply_backend_result(r)
  return false, 0
end
`;
    const runs = Array.from({ length: 24 }, (_, i) => i + 1).map((n) =>
      runtime.run({ filters: [{ name: `f${n}.lua`, source: filter(n) }], servers, attributes: { uid: [`u${n}`] }, request }),
    );
    const outcomes = await Promise.all(runs);
    outcomes.forEach((o, i) => {
      const n = i + 1;
      expect(o.selected).toEqual({ ip: `10.0.0.${n}`, port: n });
      expect(o.attributes).toEqual({ uid: [`u${n}`], who: [String(n)], seen: [n] });
    });
  });
});
