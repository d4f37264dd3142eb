// `nauthilus-filters run` and `npm run demo` as a user runs them (the bundled tools).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist/tools/nauthilus-filters.cjs");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-run-"));
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
};

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

write("servers.json", JSON.stringify([{ protocol: "imap", ip: "10.0.0.5", port: 143, haproxy_v2: false, tls: false }]));
write("request.json", JSON.stringify({ account: "alice", authenticated: true, service: "nginx", session: "abc" }));
write("attributes.json", JSON.stringify({ "Proxy-Host": ["10.1.1.1"] }));
write(
  "pick.lua",
  `dynamic_loader("nauthilus_backend")
local b = require("nauthilus_backend")
function nauthilus_call_filter(request)
  local s = b.get_backend_servers()[1]
  if s then b.select_backend_server(s.ip, s.port) end
  b.remove_from_backend_result({ "Proxy-Host" })
  nauthilus_builtin.custom_log_add("n", #b.get_backend_servers())
  return false, 0
end
`,
);
write(
  "hostip.ts",
  `import { apply_backend_result } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const r = nauthilus_backend_result.new();
  r.attributes({ hostip: "10.0.0.5" });
  apply_backend_result(r);
  return accept();
}
`,
);

describe("nauthilus-filters run", () => {
  it("runs a chain of .lua and .ts filters and prints the outcome object", () => {
    const r = run(["run", "--servers", "servers.json", "--request", "request.json", "--attributes", "attributes.json", "pick.lua", "hostip.ts"]);
    expect(r.status).toBe(0);
    expect(r.json()).toEqual({
      outcome: "ok",
      error: null,
      error_ts: null,
      filters: [
        { name: "pick.lua", action: false, code: 0 },
        // A .ts filter runs under the name of its .lua, as production's script_path would be.
        { name: "dist/filters/hostip.lua", action: false, code: 0 },
      ],
      selected: { ip: "10.0.0.5", port: 143 },
      removed: ["Proxy-Host"],
      attributes: { hostip: ["10.0.0.5"] },
      headers: {
        nginx: [["Auth-Port", "143"], ["Auth-Server", "10.0.0.5"], ["Auth-Status", "OK"], ["Auth-User", "alice"]],
        header: [["X-Nauthilus-Hostip", "10.0.0.5"], ["X-Nauthilus-Memory-Cache", "Miss"], ["X-Nauthilus-Session", "abc"]],
      },
      status_message: null,
      logs: [["n", "1"]],
      diagnostics: [],
    });
  });

  it("--monitoring off empties the list; the outcome still exits 0 on a Lua error", () => {
    const off = run(["run", "--servers", "servers.json", "--request", "request.json", "--monitoring", "off", "pick.lua"]);
    expect(off.json()).toMatchObject({ outcome: "ok", selected: null, logs: [["n", "0"]] });
    const broken = write("broken.lua", "function nauthilus_call_filter(r)\n  error('boom')\nend\n");
    const r = run(["run", broken]);
    expect(r.status).toBe(0);
    expect(r.json()).toMatchObject({ outcome: "tempfail", error: "broken.lua:2: boom" });
  });

  it("a runtime error in a .ts filter names its TypeScript line next to the Lua one", () => {
    write(
      "crash.ts",
      `import { accept } from "nauthilus-sdk";
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const hosts: Record<string, { ip: string } | undefined> = {};
  if (request.protocol !== "") {
    const chosen = hosts[request.protocol];
    nauthilus_builtin.custom_log_add("ip", chosen!.ip);
  }
  return accept();
}
`,
    );
    write("imap.json", JSON.stringify({ protocol: "imap" }));
    const r = run(["run", "--request", "imap.json", "crash.ts"]);
    const outcome = r.json() as { error: string; error_ts: string };
    expect(outcome.error).toMatch(/^dist\/filters\/crash\.lua:\d+: attempt to index a non-table object\(nil\) with key 'ip'$/);
    expect(outcome.error_ts).toMatch(/^dist\/filters\/crash\.lua:\d+ \(crash\.ts:6:5\): attempt to index/);
  });

  it("--attributes null: the password backend returned no map", () => {
    write("null.json", "null");
    const r = run(["run", "--request", "request.json", "--servers", "servers.json", "--attributes", "null.json", "hostip.ts"]);
    expect(r.json()).toMatchObject({ outcome: "server_error", error: "assignment to entry in nil map", attributes: null });
  });

  it("--timeout bounds each filter", () => {
    const spin = write("spin.lua", "function nauthilus_call_filter(r)\n  while true do end\nend\n");
    const r = run(["run", "--timeout", "0.3", spin]);
    expect(r.json()).toMatchObject({ outcome: "tempfail", error: "spin.lua:2: context deadline exceeded" });
  });

  it("unusable arguments and files exit 2 with a message naming the problem", () => {
    write("bad-servers.json", JSON.stringify([{ protocol: "imap", ip: "1.2.3.4", port: 1, haproxy_v2: false, tls: false, test_username: "x" }]));
    const cases: Array<[string[], string]> = [
      [["run"], "no FILTER given"],
      [["run", "missing.lua"], "filter not found: missing.lua"],
      [["run", "--servers", "bad-servers.json", "pick.lua"], "bad-servers.json[0] has invalid keys: test_username"],
      [["run", "--servers", "request.json", "pick.lua"], "request.json: expected an array of servers"],
      [["run", "--monitoring", "maybe", "pick.lua"], '--monitoring must be on or off, got "maybe"'],
      [["run", "--timeout", "abc", "pick.lua"], "--timeout must be a positive number of seconds"],
      [["run", "--request", "servers.json", "pick.lua"], "expected an object of request fields"],
      [["frobnicate"], 'unknown command "frobnicate"'],
    ];
    write("typo.json", JSON.stringify({ acount: "x" }));
    cases.push([["run", "--request", "typo.json", "pick.lua"], 'unknown request field "acount"']);
    for (const [args, message] of cases) {
      const r = run(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });

  it("a .ts filter with a type error is unusable input (exit 2) with the diagnostic", () => {
    const bad = write("bad.ts", `import { accept } from "nauthilus-sdk";\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  const n: number = request.account;\n  return accept(n);\n}\n`);
    const r = run(["run", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("bad.ts:3:9 - error TS2322");
  });

  it("--help lists the commands and exits 0; each command has its own --help", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    for (const command of ["init", "build", "run", "test", "dev", "monitor", "serve"]) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(run(["run", "--help"])).toMatchObject({ status: 0, stdout: expect.stringContaining("Usage: nauthilus-filters run") });
    expect(run(["monitor", "--help"])).toMatchObject({ status: 0, stdout: expect.stringContaining("Usage: nauthilus-filters monitor") });
    expect(run(["serve", "--help"])).toMatchObject({ status: 0, stdout: expect.stringContaining("Usage: nauthilus-filters serve") });
  });

  it("serve refuses unusable arguments and files with exit 2, saying what is wrong", () => {
    expect(run(["serve"])).toMatchObject({ status: 2, stderr: expect.stringContaining("serve needs --config FILE") });
    expect(run(["serve", "--config", "x.yml", "--listen", "nohost"])).toMatchObject({ status: 2, stderr: expect.stringContaining("--listen must be HOST:PORT") });
    expect(run(["serve", "--config", "missing.yml"])).toMatchObject({ status: 2, stderr: expect.stringContaining("cannot read config missing.yml") });
    const users = write("bad-users.yml", "users:\n  - { username: a }\n");
    const config = write("serve.yml", "lua:\n  filters: []\n");
    expect(run(["serve", "--config", config, "--users", users])).toMatchObject({ status: 2, stderr: expect.stringMatching(/bad-users\.yml:2:\d+: missing "password"/) });
  });

  it("serve on an address in use says so and exits (nothing keeps the process alive)", async () => {
    const net = await import("node:net");
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as import("node:net").AddressInfo).port;
    const config = write("serve-busy.yml", "lua:\n  filters: []\n");
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [cli, "serve", "--config", config, "--listen", `127.0.0.1:${port}`], { cwd: dir });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => { child.kill(); resolve(null); }, 20_000);
      child.on("exit", (c) => { clearTimeout(timer); resolve(c); });
    });
    busy.close();
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}: the address is in use`);
  });

  it("init and dev answer --help without doing anything; --version names the SDK", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-init-help-"));
    for (const command of ["init", "dev"]) {
      const r = spawnSync(process.execPath, [cli, command, "--help"], { cwd: empty, encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: nauthilus-filters ${command}`);
    }
    expect(fs.readdirSync(empty)).toEqual([]);
    const bad = spawnSync(process.execPath, [cli, "init", "--force"], { cwd: empty, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(fs.readdirSync(empty)).toEqual([]);
    expect(run(["--version"]).stdout).toMatch(/^nauthilus-filters-sdk \d+\.\d+\.\d+ \(Nauthilus v1\.3\.9\)$/m);
  });

  it("on a closed pipe it stops quietly (no stack dump)", () => {
    // Megabytes of output: more than a pipe holds, so the write meets the closed pipe.
    const lua = write("quiet.lua", 'function nauthilus_call_filter(r)\n  for i = 1, 3000 do nauthilus_builtin.custom_log_add("k" .. i, string.rep("x", 1000)) end\n  return false, 0\nend\n');
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${cli}" run --json "${lua}" | head -c 1`], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe("");
  });
});

describe("--config and monitor", () => {
  it("run --config takes filters, servers, features and package_path from a Nauthilus config", () => {
    write(
      "nauthilus.yml",
      `server:
  features: [backend_server_monitoring]
backend_server_monitoring:
  backend_servers:
    - { protocol: imap, ip: 10.0.0.5, port: 143, tls: false, haproxy_v2: false }
lua:
  config:
    package_path: /opt/lua/?.lua
  filters:
    - name: pick
      script_path: pick.lua
`,
    );
    const r = run(["run", "--config", "nauthilus.yml", "--request", "request.json"]);
    expect(r.status).toBe(0);
    expect(r.json()).toMatchObject({ outcome: "ok", filters: [{ name: "pick.lua" }], selected: { ip: "10.0.0.5", port: 143 } });
    const off = run(["run", "--config", "nauthilus.yml", "--monitoring", "off"]);
    expect(off.json()).toMatchObject({ selected: null, logs: [["n", "0"]] });
  });

  it("a malformed config is unusable input naming the key and position", () => {
    const entry = "    - { protocol: imap, ip: 1.2.3.4, port: 1, tls: false, haproxy_v2: false, test_username: x }";
    write("bad.yml", `backend_server_monitoring:\n  backend_servers:\n${entry}\n`);
    const r = run(["run", "--config", "bad.yml", "pick.lua"]);
    expect(r.status).toBe(2);
    const column = entry.indexOf("test_username") + 1;
    expect(r.stderr).toContain(`bad.yml:3:${column}: backend_server_monitoring.backend_servers[0] has invalid keys: test_username`);
  });

  it("monitor prints a status table per round", async () => {
    const net = await import("node:net");
    const server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as import("node:net").AddressInfo).port;
    write(
      "monitor.yml",
      `server:\n  features: [backend_server_monitoring]\nbackend_server_monitoring:\n  backend_servers:\n` +
        `    - { protocol: imap, ip: 127.0.0.1, port: ${port}, tls: false, haproxy_v2: true }\n` +
        `    - { protocol: imap, ip: 127.0.0.1, port: 1, tls: false, haproxy_v2: false }\n`,
    );
    const r = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const { spawn } = require("node:child_process") as typeof import("node:child_process");
      const child = spawn(process.execPath, [cli, "monitor", "--config", "monitor.yml", "--interval", "0.2", "--rounds", "2"], { cwd: dir });
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d));
      child.on("close", (status) => resolve({ status, stdout }));
    });
    server.close();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^round 1: \\d+ ms, 1 of 2 alive, published a new list: 127\\.0\\.0\\.1:${port}$`, "m"));
    expect(r.stdout).toMatch(/^round 2: \d+ ms, 1 of 2 alive, list unchanged/m);
    expect(r.stdout).toMatch(new RegExp(`^imap 127\\.0\\.0\\.1:${port} proxy-v2\\s+yes\\s+[\\d.]+ ms$`, "m"));
    expect(r.stdout).toMatch(/^imap 127\.0\.0\.1:1\s+no\s+[\d.]+ ms\s+dial tcp 127\.0\.0\.1:1: connect: connection refused$/m);
  });
});

describe("npm run demo", () => {
  it("runs the director on the built-in servers and prints who goes where", () => {
    const r = spawnSync(process.execPath, [path.join(root, "dist/tools/demo.cjs")], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/alice@example\.org\s+-> ok, Auth-Server 10\.0\.0\.1\d, Auth-Port \d+/);
    const json = spawnSync(process.execPath, [path.join(root, "dist/tools/demo.cjs"), "--json"], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(json.stdout).outcome).toBe("ok");
  });
});
