// The request crosses one boundary (runtime/nauthilus/request.ts → runtime/vm/wire.ts → the VM) whatever the
// entry point. Oracle: production's recordings of the request table (../shared/corpus cases 01,
// 02, 03 and 10 log type() and value of the fields), run through the library (in-process engine
// and worker pool) and the CLI (--request, and --config), with fields given explicitly and left
// out (production's zero values: false, 0, "").
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../runtime/index";
import { REQUEST_FIELDS, zeroValue } from "../../runtime/nauthilus/request";
import type { Outcome, RunRequest } from "../../runtime/types";
import { corpusRun, expectedLogs, loadCase } from "../helpers/corpus";
import { runInProcess } from "../helpers/runtime";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist/tools/nauthilus-filters.cjs");
const runtime = createRuntime({ workers: 1, prober: async () => undefined });
afterAll(() => runtime.close());

function withoutZeroFields(request: FilterRequest): Partial<FilterRequest> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(request)) if (value !== zeroValue(REQUEST_FIELDS.get(field)!)) out[field] = value;
  return out as Partial<FilterRequest>;
}

function viaCli(run: RunRequest, withConfig: boolean): Outcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "boundary-"));
  const files = run.filters.map((f) => {
    fs.writeFileSync(path.join(dir, f.name), f.source);
    return f.name;
  });
  fs.writeFileSync(path.join(dir, "request.json"), JSON.stringify(run.request));
  fs.writeFileSync(path.join(dir, "servers.json"), JSON.stringify(run.servers));
  fs.writeFileSync(path.join(dir, "attributes.json"), JSON.stringify(run.attributes));
  let args = ["run", "--request", "request.json", "--attributes", "attributes.json"];
  if (withConfig) {
    const yaml = [
      "server:", "  features: [backend_server_monitoring]",
      "lua:", "  filters:", ...files.map((f) => `    - name: ${f}\n      script_path: ${f}`),
      "  config:", `    package_path: "${run.packagePath}"`,
      "backend_server_monitoring:", "  backend_servers:",
      ...run.servers.map((s) => `    - { protocol: ${s.protocol}, ip: "${s.ip}", port: ${s.port}, haproxy_v2: ${s.haproxy_v2}, tls: ${s.tls} }`),
    ].join("\n");
    fs.writeFileSync(path.join(dir, "nauthilus.yml"), yaml);
    args = [...args, "--config", "nauthilus.yml"];
  } else {
    args = [...args, "--servers", "servers.json", "--package-path", run.packagePath ?? "", ...files];
  }
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`nauthilus-filters ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Outcome;
}

const ENTRY_POINTS: Record<string, (run: RunRequest) => Promise<Outcome>> = {
  "library, in-process engine": (run) => runInProcess(run),
  "library, worker pool": (run) => runtime.run(run),
  "CLI run --request": async (run) => viaCli(run, false),
  "CLI run --config --request": async (run) => viaCli(run, true),
};

describe.each(["01-request-booleans-all-false", "02-request-booleans-all-true", "03-request-field-types", "10-request-keys-via-pairs"])(
  "%s",
  (name) => {
    const c = loadCase(name);
    for (const [entry, run] of Object.entries(ENTRY_POINTS)) {
      it(`${entry}: the fields as recorded`, async () => {
        const o = await run(corpusRun(c));
        expect(o.logs).toEqual(expectedLogs(c));
        expect(o.outcome).toBe(c.expected.auth_result === "fail" && c.expected.outcome === "ok" ? "fail" : c.expected.outcome);
      });
      it(`${entry}: fields at their zero value left out`, async () => {
        const o = await run(corpusRun(c, withoutZeroFields(c.request)));
        expect(o.logs).toEqual(expectedLogs(c));
      });
    }
  },
);

describe("strings cross byte-exact", () => {
  const filter = {
    name: "bytes.lua",
    source: `dynamic_loader("nauthilus_backend")
local nb = require("nauthilus_backend")
function nauthilus_call_filter(request)
  local log = nauthilus_builtin.custom_log_add
  log("account", request.account)
  log("account_len", #request.account)
  log("protocol", request.protocol)
  for i, s in ipairs(nb.get_backend_servers()) do
    log("ip" .. i, s.ip) log("port" .. i, s.port) log("port_type" .. i, type(s.port)) log("tls" .. i, s.tls)
  end
  log("count", #nb.get_backend_servers())
  return false, 0
end
`,
  };
  it("a NUL, a lone surrogate and non-ASCII text in request and server fields", async () => {
    for (const run of Object.values(ENTRY_POINTS).slice(0, 2)) {
      const o = await run({
        filters: [filter],
        servers: [
          { protocol: "imap", ip: "a\u0000b", port: 143, haproxy_v2: false, tls: true },
          { protocol: "imap", ip: "x\ud800y", port: 993, haproxy_v2: true, tls: false },
        ],
        attributes: {},
        request: { account: "a\u0000b", protocol: "ïmap", authenticated: true },
      });
      expect(o.logs).toEqual([
        ["account", "a\u0000b"], ["account_len", "3"], ["protocol", "ïmap"],
        ["ip1", "a\u0000b"], ["port1", "143"], ["port_type1", "number"], ["tls1", "true"],
        // A lone surrogate is not UTF-8: it arrives as U+FFFD, as Go's JSON decoder makes it.
        ["ip2", "x\ufffdy"], ["port2", "993"], ["port_type2", "number"], ["tls2", "false"],
        ["count", "2"],
      ]);
    }
  });
  it("a string field given as bytes reaches Lua as those bytes (serve passes HTTP header bytes that are not UTF-8 this way); UTF-8 bytes are the string", async () => {
    for (const run of Object.values(ENTRY_POINTS).slice(0, 2)) {
      const o = await run({
        filters: [filter],
        servers: [],
        attributes: {},
        request: { account: new Uint8Array([0x6a, 0xf6, 0x00, 0xff]), protocol: new Uint8Array(Buffer.from("ïmap")), authenticated: true },
      });
      expect(o.logs).toEqual([["account", "j\ufffd\u0000\ufffd"], ["account_len", "4"], ["protocol", "ïmap"], ["count", "0"]]);
      expect(o.diagnostics).toContain('the custom log value of "account" is not UTF-8: its bytes are "j\\xf6\\x00\\xff"; shown with U+FFFD here, production keeps the bytes');
    }
  });

  it("bytes that are not UTF-8 are named with their exact bytes", async () => {
    const o = await runInProcess({
      filters: [{ name: "raw.lua", source: `function nauthilus_call_filter() nauthilus_builtin.custom_log_add("k", "a\\255b") nauthilus_builtin.status_message_set("\\0\\128") return false, 0 end` }],
      servers: [], attributes: {}, request: { authenticated: true },
    });
    expect(o.logs).toEqual([["k", "a\ufffdb"]]);
    expect(o.status_message).toBe("\u0000\ufffd");
    expect(o.diagnostics).toContain('the custom log value of "k" is not UTF-8: its bytes are "a\\xffb"; shown with U+FFFD here, production keeps the bytes');
    expect(o.diagnostics).toContain('the status message is not UTF-8: its bytes are "\\x00\\x80"; shown with U+FFFD here, production keeps the bytes');
  });
});
