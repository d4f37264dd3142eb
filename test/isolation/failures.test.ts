// Failures of every kind, each named as what it is in the outcome (`error` stays production's
// text where production has one; a diagnostic says what really happened), and the next request
// served. Plus the host-API defects of the isolation issue, each with the behaviour production has.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../runtime/index";
import { decideOutcome } from "../../runtime/nauthilus/outcome";
import { WorkerPool, type PoolOptions } from "../../runtime/vm/pool";
import type { Outcome, RunRequest } from "../../runtime/types";
import { attacker, VICTIM } from "./victim";

const ENTRY = `\nfunction nauthilus_call_filter(request) return false, 0 end\n`;
const BACKEND = `dynamic_loader("nauthilus_backend")\nlocal nb = require("nauthilus_backend")\n`;
const fixture = (name: string) => path.join(__dirname, "fixtures", name);

const runtime = createRuntime({ workers: 1, prober: async () => undefined });
afterAll(() => runtime.close());

async function servesBob(run: (r: RunRequest) => Promise<Outcome> = (r) => runtime.run(r)): Promise<void> {
  expect(await run(VICTIM)).toMatchObject({ outcome: "ok", selected: { ip: "10.0.0.2", port: 993 }, status_message: "bob ok" });
}

describe("each failure is named as what it is, and the next request is served", () => {
  it("the Lua heap cap: `not enough memory`, and a diagnostic naming the cap", async () => {
    const o = await runtime.run(attacker(`local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1024) .. i end` + ENTRY, { timeoutSeconds: 60 }));
    expect(o).toMatchObject({ outcome: "tempfail", error: "not enough memory" });
    expect(o.diagnostics.join("\n")).toMatch(/Lua heap reached the local runtime's cap/);
    await servesBob();
  });

  it("strings handed to the host beyond 32 MiB (the JavaScript heap's guard): `not enough memory`, named", async () => {
    const o = await runtime.run(attacker(`local s = string.rep("x", 50 * 1024 * 1024)\nfor i = 1, 12 do nauthilus_builtin.custom_log_add("k" .. i, s) end` + ENTRY, { timeoutSeconds: 60 }));
    expect(o).toMatchObject({ outcome: "tempfail", error: "not enough memory" });
    expect(o.diagnostics.join("\n")).toMatch(/handed the host more than 32 MiB in one request/);
    await servesBob();
  });

  it("a Lua stack overflow is the filter's error", async () => {
    const o = await runtime.run(attacker(`local function f() return 1 + f() end\nf()` + ENTRY));
    expect(o.outcome).toBe("tempfail");
    expect(o.error).toMatch(/^attack\.lua:1: stack overflow/);
    await servesBob();
  });

  it("a runaway inside C (a catastrophic pattern): the thread is terminated, the error says the deadline, the diagnostic why", async () => {
    const o = await runtime.run(attacker(`string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")` + ENTRY, { timeoutSeconds: 0.5 }));
    expect(o).toMatchObject({ outcome: "tempfail", error: "attack.lua: context deadline exceeded" });
    expect(o.diagnostics.join("\n")).toMatch(/terminated the filter's thread/);
    await servesBob();
  });

  it("a request posted to a thread behind one that must be terminated is run again on the new thread, with its own result", async () => {
    // The pool posts two jobs per thread (runtime/vm/pool.ts PIPELINE_DEPTH): the second waits in
    // the thread's queue while the first runs into a C-level runaway and the thread is killed.
    const [killed, bob] = await Promise.all([
      runtime.run(attacker(`string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")` + ENTRY, { timeoutSeconds: 0.5 })),
      runtime.run(VICTIM),
    ]);
    expect(killed).toMatchObject({ outcome: "tempfail", error: "attack.lua: context deadline exceeded" });
    expect(bob).toMatchObject({ outcome: "ok", selected: { ip: "10.0.0.2", port: 993 }, status_message: "bob ok" });
  });

  const standIn = (file: string, extra: Partial<PoolOptions> = {}) => {
    const pool = new WorkerPool({ workers: 1, prober: async () => undefined, workerFile: fixture(file), ...extra });
    return { pool, run: async (r: RunRequest) => decideOutcome(r, await pool.run(r)) };
  };

  it("a VM failure (a wasm trap) is a local runtime failure, not a production error", async () => {
    const { pool, run } = standIn("failing-vm-worker.cjs");
    const o = await run(attacker(ENTRY));
    expect(o).toMatchObject({ outcome: "tempfail", error: "attack.lua: local runtime failure: the local runtime's Lua VM failed" });
    expect(o.diagnostics[0]).toMatch(/RuntimeError: unreachable.*not a result production would give/);
    await pool.close();
  });

  it("a crashed worker thread is named, and a new one takes the next request", async () => {
    const { pool, run } = standIn("crashing-worker.cjs");
    const o = await run(attacker(ENTRY));
    expect(o).toMatchObject({ outcome: "tempfail", error: "attack.lua: local runtime failure: the local runtime's worker thread crashed" });
    expect(o.diagnostics[0]).toMatch(/worker went away/);
    expect((await run(attacker(ENTRY))).error).toMatch(/worker thread crashed/); // the replacement served it
    await pool.close();
  });

  it("a worker thread that cannot start answers every request with why, and is not started again and again", async () => {
    const pool = new WorkerPool({ workers: 2, prober: async () => undefined, workerFile: "/nonexistent/runtime-worker.cjs" });
    const started = Date.now();
    await expect(pool.run(attacker(ENTRY))).rejects.toThrow(/^cannot start a runtime worker \(\/nonexistent\/runtime-worker\.cjs\): .*run node build\/bundle-tools\.mjs/);
    await expect(pool.run(attacker(ENTRY))).rejects.toThrow(/^cannot start a runtime worker/);
    expect(Date.now() - started).toBeLessThan(5000);
    await pool.close();
  });

  it("a worker thread out of JavaScript heap is named", async () => {
    const pool = new WorkerPool({ workers: 1, prober: async () => undefined, workerHeapMb: 16 });
    const run = async (r: RunRequest) => decideOutcome(r, await pool.run(r));
    const o = await run(attacker(`local s = string.rep("y", 15 * 1024 * 1024)\nnauthilus_builtin.custom_log_add("a", s)\nnauthilus_builtin.status_message_set(s)` + ENTRY, { timeoutSeconds: 60 }));
    expect(o.error).toBe("attack.lua: local runtime failure: the local runtime's worker thread ran out of JavaScript heap");
    await pool.close();
  });

  it("close(): a running request resolves as closed, a queued one is rejected, nothing restarts", async () => {
    const { pool, run } = standIn("silent-worker.cjs");
    await pool.ready();
    const running = run(attacker(ENTRY));
    // Settled into a value at once: the rejection comes with close(), before the assertion.
    const queued = run(attacker(ENTRY)).then(() => "resolved", (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 50));
    await pool.close();
    expect((await running).error).toBe("attack.lua: local runtime failure: the runtime was closed before the request finished");
    expect(await queued).toBe("the runtime was closed before the request started");
    await expect(run(attacker(ENTRY))).rejects.toThrow("the runtime is closed");
  });

  it("a timeout beyond what a Node timer holds does not fire after 1 ms", async () => {
    const o = await runtime.run(attacker(`local c = os.clock() while os.clock() - c < 0.05 do end` + ENTRY, { timeoutSeconds: 1e10 }));
    expect(o.outcome).toBe("ok");
  });
});

describe("probe answers reach the request that asked", () => {
  it("a probe still pending when its request is killed never answers a later request", async () => {
    const slow = createRuntime({
      workers: 1,
      prober: (ip) => new Promise((resolve) => setTimeout(() => resolve(`answer for ${ip}`), ip === "10.9.9.9" ? 2500 : 10)),
    });
    const probe = (ip: string, timeoutSeconds: number) =>
      slow.run(attacker(BACKEND + `function nauthilus_call_filter(r)\n  nauthilus_builtin.custom_log_add("probe", tostring(nb.check_backend_connection("${ip}", 143, false, false)))\n  return false, 0\nend`, { timeoutSeconds }));
    const killed = await probe("10.9.9.9", 0.5);
    expect(killed.error).toBe("attack.lua: context deadline exceeded");
    expect((await probe("10.1.1.1", 5)).logs).toEqual([["probe", "answer for 10.1.1.1"]]);
    await new Promise((r) => setTimeout(r, 1500)); // the late answer arrives now
    expect((await probe("10.2.2.2", 5)).logs).toEqual([["probe", "answer for 10.2.2.2"]]);
    await slow.close();
  });
});

describe("host-API defects of the isolation issue, as production behaves", () => {
  it("100 servers: every ip and port right on every request (no heap corruption)", async () => {
    const servers = Array.from({ length: 100 }, (_, i) => ({ protocol: "imap", ip: `10.1.${i >> 8}.${i & 255}`, port: 1000 + i, haproxy_v2: i % 2 === 0, tls: i % 3 === 0 }));
    const source = BACKEND + `function nauthilus_call_filter(r)\n  local out = {}\n  for i, s in ipairs(nb.get_backend_servers()) do out[i] = s.ip .. ":" .. s.port .. ":" .. tostring(s.haproxy_v2) .. ":" .. tostring(s.tls) end\n  nauthilus_builtin.custom_log_add("all", table.concat(out, ","))\n  return false, 0\nend`;
    const want = servers.map((s) => `${s.ip}:${s.port}:${s.haproxy_v2}:${s.tls}`).join(",");
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => runtime.run({ ...attacker(source), servers })));
    for (const o of outcomes) expect(o.logs).toEqual([["all", want]]);
  });

  it("remove_from_backend_result({}) is accepted (production iterates nothing)", async () => {
    const o = await runtime.run(attacker(BACKEND + `function nauthilus_call_filter(r)\n  nauthilus_builtin.custom_log_add("r", tostring(pcall(nb.remove_from_backend_result, {})))\n  return false, 0\nend`));
    expect(o).toMatchObject({ outcome: "ok", removed: [], logs: [["r", "true"]] });
  });

  it("attribute tables with table keys fail at the attributes call with Go's panic text", async () => {
    const o = await runtime.run(attacker(`function nauthilus_call_filter(r)\n  local b = nauthilus_backend_result.new()\n  nauthilus_builtin.custom_log_add("e", select(2, pcall(b.attributes, b, { [{}] = 1, [{ a = 1 }] = 2 })))\n  return false, 0\nend`));
    expect(o.logs[0][1]).toMatch(/^runtime error: hash of unhashable type (\[\]interface \{\}|map\[interface \{\}\]interface \{\})$/);
  });

  it("ports out of range: Go's int() and dialer", async () => {
    const o = await runtime.run({
      ...attacker(BACKEND + `function nauthilus_call_filter(r)\n  nauthilus_builtin.custom_log_add("probe", nb.check_backend_connection("127.0.0.1", 70000, false, false))\n  nb.select_backend_server("10.0.0.9", 1e308)\n  return false, 0\nend`),
    });
    expect(o.logs).toEqual([["probe", "dial tcp: address 70000: invalid port"]]);
    expect(o.headers.nginx.map(([k]) => k)).not.toContain("Auth-Port"); // int(1e308) is MinInt64: not > 0
    expect(o.headers.nginx.map(([k]) => k)).not.toContain("Auth-Server");
  });
});

describe("the CLI's stdout carries the JSON only", () => {
  it("io.write and print of a filter land in the outcome's diagnostics", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stdout-"));
    fs.writeFileSync(path.join(dir, "w.lua"), `io.write("written ") io.stdout:write("more") print("printed")` + ENTRY);
    const r = spawnSync(process.execPath, [path.resolve(__dirname, "../../dist/tools/nauthilus-filters.cjs"), "run", "w.lua"], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout) as Outcome;
    expect(o.diagnostics).toEqual(["print: printed", "io.stdout: written ", "io.stdout: more"]);
  });
});
