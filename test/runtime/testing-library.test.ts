// nauthilus-filters-sdk/testing itself: what a user's test meets when a filter does not build,
// when an assertion fails, and the probe answers (declared, and real ones on loopback).
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assertOutcome, filterChain, FilterBuildError, OutcomeMismatch, server } from "../../runtime/testing";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-testing-"));
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

const probeAll = write(
  "probe.lua",
  `dynamic_loader("nauthilus_backend")
local nb = require("nauthilus_backend")
function nauthilus_call_filter(request)
  for _, s in ipairs(nb.get_backend_servers()) do
    nauthilus_builtin.custom_log_add(s.ip .. ":" .. s.port, nb.check_backend_connection(s.ip, s.port, false, false) or "ok")
  end
  return nauthilus_builtin.FILTER_ACCEPT, nauthilus_builtin.FILTER_RESULT_OK
end
`,
);

describe("nauthilus-filters-sdk/testing", () => {
  it("a .ts filter that does not build rejects the run with its diagnostics at TypeScript lines", async () => {
    const bad = write("bad.ts", `import { accept } from "nauthilus-sdk";\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  const { length: x } = request.account;\n  return accept(x);\n}\n`);
    const error = await filterChain([bad]).run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FilterBuildError);
    expect((error as FilterBuildError).diagnostics.join("\n")).toMatch(/bad\.ts:3:\d+ - error NF1041: Destructuring 'length'/);
  });

  it("a runaway filter fails its test after the testing library's 2 s default, at its TypeScript line", async () => {
    const loop = write("loop.ts", `import { accept } from "nauthilus-sdk";\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  let i = 0;\n  while (request.protocol !== "never") i++;\n  return accept(i);\n}\n`);
    const started = Date.now();
    const outcome = await filterChain([loop]).run({ request: { protocol: "imap" } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.outcome).toBe("tempfail");
    expect(outcome.error_ts).toMatch(/loop\.ts:4:\d+\): context deadline exceeded$/);
  });

  it("declared probe answers come back in production's words; undeclared servers answer ok", async () => {
    const chain = filterChain([probeAll], { servers: [server("imap", "10.0.0.1", 143), server("imap", "::1", 993), server("imap", "10.0.0.3", 143)] });
    const outcome = await chain.run({ probes: { "10.0.0.1:143": "refused", "[::1]:993": "timeout" } });
    expect(outcome.logs).toEqual([
      ["10.0.0.1:143", "dial tcp 10.0.0.1:143: connect: connection refused"],
      ["::1:993", "dial tcp [::1]:993: i/o timeout"],
      ["10.0.0.3:143", "ok"],
    ]);
  });

  it('probes: "real" connects for real (loopback): a listener answers, a closed port refuses', async () => {
    const listener = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const open = (listener.address() as net.AddressInfo).port;
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const chain = filterChain([probeAll], { servers: [server("imap", "127.0.0.1", open), server("imap", "127.0.0.1", closed)] });
    try {
      const outcome = await chain.run({ probes: "real" });
      expect(outcome.logs).toEqual([
        [`127.0.0.1:${open}`, "ok"],
        [`127.0.0.1:${closed}`, `dial tcp 127.0.0.1:${closed}: connect: connection refused`],
      ]);
    } finally {
      await chain.close();
      listener.close();
    }
  });

  it("assertOutcome names every differing field, and the error at its TypeScript line", async () => {
    const crash = write(
      "crash.ts",
      `import { accept } from "nauthilus-sdk";\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  const table: Record<string, { ip: string } | undefined> = {};\n  nauthilus_builtin.custom_log_add("ip", table[request.account]!.ip);\n  return accept();\n}\n`,
    );
    const outcome = await filterChain([crash]).run({ request: { account: "x" } });
    let thrown: unknown;
    try {
      assertOutcome(outcome, { outcome: "ok", selected: { ip: "10.0.0.1" }, logs: [] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(OutcomeMismatch);
    const message = (thrown as Error).message;
    expect(message).toContain('outcome.outcome: expected "ok", got "tempfail"');
    expect(message).toContain('outcome.selected: expected {"ip":"10.0.0.1"}, got null');
    expect(message).toMatch(/the chain stopped with: dist\/filters\/crash\.lua:\d+ \(.*crash\.ts:4:3\): attempt to index a non-table object\(nil\) with key 'ip'/);
    expect(() => assertOutcome(outcome, { outcome: "tempfail", logs: [] })).not.toThrow();
  });
});
