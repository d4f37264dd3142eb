// The example filters: built by the real pipeline, accepted by Lua 5.1, and doing on a 5.1 VM
// what their documentation says. Expected choices are computed here in JavaScript, independently.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFilters, type BuildResult } from "../../build/build-filters";
import { runOnLua51, type StubServer } from "../helpers/lua51";

const root = path.resolve(__dirname, "../..");
let out: string;
let result: BuildResult;
const lua = (name: string) => fs.readFileSync(path.join(out, `${name}.lua`), "utf8");

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-examples-"));
  result = buildFilters({ cwd: root, project: "filters-ts/tsconfig.json", outDir: out });
});

const servers: StubServer[] = [
  { ip: "10.0.0.3", port: 143, protocol: "imap", haproxy_v2: false, tls: false },
  { ip: "10.0.0.1", port: 110, protocol: "pop3", haproxy_v2: false, tls: false },
  { ip: "10.0.0.2", port: 993, protocol: "imap", haproxy_v2: true, tls: true },
  { ip: "10.0.0.1", port: 143, protocol: "imap", haproxy_v2: false, tls: false },
];
const request = { account: "alice@example.org", protocol: "imap", authenticated: true, username: "alice" };

function djb2(s: string): number {
  let h = 5381;
  for (const byte of Buffer.from(s)) h = (h * 33 + byte) % 4294967296;
  return h;
}
const byAddress = (a: StubServer, b: StubServer) => (a.ip !== b.ip ? (a.ip < b.ip ? -1 : 1) : a.port - b.port);

describe("example filters", () => {
  it("all three build", () => {
    expect(result.ok).toBe(true);
    expect(result.filters.map((f) => path.basename(f.output)).sort()).toEqual(["director.lua", "hostip.lua", "verified-director.lua"]);
  });

  it("each is accepted by luac5.1 -p (Debian lua5.1)", () => {
    const luac = spawnSync("luac5.1", ["-v"]);
    if (luac.error) {
      // CI installs lua5.1; locally the PUC 5.1 wasm check in the build already ran.
      expect(process.env.CI, "luac5.1 is required in CI").toBeFalsy();
      return;
    }
    for (const f of result.filters) execFileSync("luac5.1", ["-p", f.output]);
  });

  it("each defines the global nauthilus_call_filter on Lua 5.1", () => {
    for (const f of result.filters) {
      const run = runOnLua51(f.lua!, f.output, { ...request, authenticated: false, account: "" });
      expect(run.error).toBeUndefined();
      expect(run.entryType).toBe("function");
    }
  });

  it("director: same account, same server, among servers of the login's protocol", () => {
    const imap = servers.filter((s) => s.protocol === "imap").sort(byAddress);
    for (const account of ["alice@example.org", "bob@example.org", "carol", "dave@x", "jürgen@beispiel.de", "😀@example.org"]) {
      const expected = imap[djb2(account) % imap.length];
      const run = runOnLua51(lua("director"), "director.lua", { ...request, account }, servers);
      expect(run.error).toBeUndefined();
      expect(run.action).toBe("false");
      expect(run.code).toBe("0");
      expect(run.selected).toBe(`${expected.ip}:${expected.port}`);
      expect(run.logs).toBe(`director_backend=${expected.ip}:${expected.port}`);
    }
  });

  it("director: no server of the protocol → accept without a selection", () => {
    const run = runOnLua51(lua("director"), "director.lua", { ...request, protocol: "smtp" }, servers);
    expect(run).toMatchObject({ action: "false", code: "0" });
    expect(run.selected).toBeUndefined();
  });

  it("hostip: removes Proxy-Host and applies the first imap server as hostip", () => {
    const run = runOnLua51(lua("hostip"), "hostip.lua", { ...request, user_found: true }, servers);
    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ action: "false", code: "0", removed: "Proxy-Host", applied: "hostip:10.0.0.3" });
    // An unknown user: nothing applied (production has no attribute map to add to).
    const unknown = runOnLua51(lua("hostip"), "hostip.lua", { ...request, user_found: false }, servers);
    expect(unknown).toMatchObject({ action: "false", code: "0", removed: "" });
    expect(unknown.applied).toBeUndefined();
  });

  it("verified-director: falls back past a dead server, rejects with a message when none answers", () => {
    const imap = servers.filter((s) => s.protocol === "imap").sort(byAddress);
    let sum = 0;
    for (const byte of Buffer.from(request.account)) sum = (sum * 31 + byte) % 1000003;
    const first = sum % imap.length;
    const addr = (i: number) => `${imap[(first + i) % imap.length].ip}:${imap[(first + i) % imap.length].port}`;

    const fallback = runOnLua51(lua("verified-director"), "vd.lua", request, servers, { [addr(0)]: "dial tcp: i/o timeout" });
    expect(fallback).toMatchObject({ action: "false", selected: addr(1), probes: `${addr(0)},${addr(1)}` });

    const dead = Object.fromEntries([0, 1, 2].map((i) => [addr(i), "connection refused"]));
    const none = runOnLua51(lua("verified-director"), "vd.lua", request, servers, dead);
    expect(none).toMatchObject({ action: "true", code: "1", status: "No mail server answers right now, try again later" });
    expect(none.selected).toBeUndefined();
  });

  it("output starts with a comment naming the source file (relative to the project's tsconfig.json) and the SDK version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(lua("director").split("\n")[0]).toBe(
      `-- Generated from director.ts by ${pkg.name} ${pkg.version} for Nauthilus v${pkg.nauthilusVersion} (gopher-lua, Lua 5.1).`,
    );
  });

  it("dynamic_loader comes before the require, and nothing requires a lualib bundle", () => {
    const code = lua("director");
    expect(code.indexOf('dynamic_loader("nauthilus_backend")')).toBeGreaterThan(0);
    expect(code.indexOf('dynamic_loader("nauthilus_backend")')).toBeLessThan(code.indexOf('require("nauthilus_backend")'));
    for (const f of result.filters) expect(f.lua).not.toMatch(/require\("lualib_bundle"\)|nauthilus-sdk/);
  });

  it("is byte-for-byte deterministic", () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-examples-"));
    expect(buildFilters({ cwd: root, project: "filters-ts/tsconfig.json", outDir: again }).ok).toBe(true);
    for (const name of ["director", "hostip", "verified-director"]) {
      expect(fs.readFileSync(path.join(again, `${name}.lua`))).toEqual(fs.readFileSync(path.join(out, `${name}.lua`)));
    }
  });
});

describe("README", () => {
  it("the authoring guide's example builds without diagnostics", async () => {
    const { compileSource, formatted } = await import("../helpers/filter-source");
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const example = /## Authoring a filter[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const filter = compileSource(example!, "readme-example");
    expect(formatted(filter)).toEqual([]);
    const run = runOnLua51(filter.lua!, "readme.lua", request, servers);
    expect(run).toMatchObject({ action: "false", selected: "10.0.0.3:143", applied: "hostip:10.0.0.3" });
  });
});

describe("only the helpers a filter uses are inlined", () => {
  // A helper block is `local function __NF_x(…)` up to the first `end` at column 0. Reachable:
  // what the filter's own code names, then what those helpers name, transitively.
  function check(lua: string): { defined: string[]; reachable: string[] } {
    const blocks = new Map<string, string>();
    const rest = lua.replace(/^local function (__NF_\w+)\([\s\S]*?^end\n/gm, (block, name: string) => {
      blocks.set(name, block.slice(block.indexOf("\n")));
      return "";
    });
    const reachable = new Set<string>();
    const visit = (text: string) => {
      for (const [, name] of text.matchAll(/\b(__NF_\w+)\b/g)) {
        if (!blocks.has(name) || reachable.has(name)) continue;
        reachable.add(name);
        visit(blocks.get(name)!);
      }
    };
    visit(rest);
    return { defined: [...blocks.keys()].sort(), reachable: [...reachable].sort() };
  }

  it("in the examples and in every operator filter, the inlined helpers are exactly those reached from the filter's code", async () => {
    const { compileSource } = await import("../helpers/filter-source");
    const dir = path.join(root, "test", "build", "operator-filters");
    const sources = [
      ...["director", "hostip", "verified-director"].map((n) => lua(n)),
      ...fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ts"))
        .map((f) => compileSource(fs.readFileSync(path.join(dir, f), "utf8"), `inline-${f.replace(/\W/g, "-")}`).lua)
        .filter((l): l is string => l !== undefined),
    ];
    let withHelpers = 0;
    for (const code of sources) {
      const { defined, reachable } = check(code);
      expect(defined).toEqual(reachable);
      if (defined.length > 0) withHelpers++;
    }
    expect(withHelpers).toBeGreaterThan(30);
  });
});
