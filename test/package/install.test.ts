// What a new user does, in a temporary folder: install the packed tarball into a fresh npm
// project, scaffold it with `init`, then build, compare with `tstl -p`, test, run. Every command
// is the installed bin, as `npx` runs it.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-package-"));
const project = path.join(work, "project");

function npx(args: string[], cwd = project) {
  const r = spawnSync("npx", ["--no-install", ...args], { cwd, encoding: "utf8", env: { ...process.env, CI: "true", FORCE_COLOR: "0" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  execFileSync("npm", ["pack", "--pack-destination", work], { cwd: root, stdio: "ignore" });
  const [tarball] = fs.readdirSync(work).filter((f) => f.endsWith(".tgz"));
  fs.mkdirSync(project);
  execFileSync("npm", ["init", "-y"], { cwd: project, stdio: "ignore" });
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(work, tarball)], { cwd: project, stdio: "ignore" });
});

describe("the package, installed from its tarball into a fresh project", () => {
  it("init scaffolds a filter project: tsconfig extending the preset, an example filter with its test, samples, scripts", () => {
    const r = npx(["nauthilus-filters", "init"]);
    expect(r.status).toBe(0);
    for (const f of ["tsconfig.json", "filters/director.ts", "test/director.test.ts", "samples/request.json", "samples/servers.json"]) {
      expect(fs.existsSync(path.join(project, f)), f).toBe(true);
    }
    expect(JSON.parse(fs.readFileSync(path.join(project, "tsconfig.json"), "utf8").replace(/^\s*\/\/.*$/gm, "")).extends).toBe("nauthilus-filters-sdk/preset/tsconfig.json");
    expect(JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")).scripts).toMatchObject({ build: "nauthilus-filters build", test: "nauthilus-filters test" });
  });

  it("build writes the Lua and its map; tstl -p with the preset writes the same bytes", () => {
    const r = npx(["nauthilus-filters", "build"]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const built = ["director.lua", "director.lua.map"].map((f) => fs.readFileSync(path.join(project, "dist", "filters", f)));
    const t = npx(["tstl", "-p", "tsconfig.json", "--outDir", "tstl-out"]);
    expect(t.status, t.stdout + t.stderr).toBe(0);
    const viaTstl = ["director.lua", "director.lua.map"].map((f) => fs.readFileSync(path.join(project, "tstl-out", f)));
    expect(viaTstl[0].equals(built[0])).toBe(true);
    expect(JSON.parse(viaTstl[1].toString()).mappings).toBe(JSON.parse(built[1].toString()).mappings);
  });

  it("the scaffolded tests pass; the filters and the tests type-check with the project's own tsc", () => {
    const r = npx(["nauthilus-filters", "test"]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 passed/);
    expect(npx(["tsc", "-p", "tsconfig.json", "--noEmit"]).status).toBe(0);
    expect(npx(["tsc", "-p", "test/tsconfig.json"]).status).toBe(0);
  });

  it("a runtime error in a compiled filter names its TypeScript line in the failing test's message and in run's output", () => {
    fs.writeFileSync(
      path.join(project, "filters", "broken.ts"),
      `import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const pools: Record<string, { host: string } | undefined> = {};
  if (request.protocol === "imap") {
    const pool = pools[request.account];
    nauthilus_builtin.custom_log_add("host", pool!.host);
  }
  return accept();
}
`,
    );
    fs.writeFileSync(
      path.join(project, "test", "broken.test.ts"),
      `import { it } from "vitest";
import { assertOutcome, filterChain } from "nauthilus-filters-sdk/testing";

it("a filter that crashes", async () => {
  const outcome = await filterChain(["filters/broken.ts"]).run({ request: { account: "x", protocol: "imap", authenticated: true } });
  assertOutcome(outcome, { outcome: "ok" });
});
`,
    );
    const t = npx(["nauthilus-filters", "test", "broken"]);
    expect(t.status).toBe(1);
    expect(t.stdout + t.stderr).toMatch(/dist\/filters\/broken\.lua:\d+ \(filters\/broken\.ts:7:5\): attempt to index a non-table object\(nil\) with key 'host'/);
    const r = npx(["nauthilus-filters", "run", "--json", "--request", "samples/request.json", "filters/broken.ts"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "tempfail", error_ts: expect.stringContaining("(filters/broken.ts:7:5)") });
  });

  it("run answers for the example with the samples; a closed pipe is not an error", () => {
    const r = npx(["nauthilus-filters", "run", "--json", "--request", "samples/request.json", "--servers", "samples/servers.json", "filters/director.ts"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "ok", error: null, selected: { port: 143 } });
    const piped = spawnSync("sh", ["-c", "npx --no-install nauthilus-filters run --json --request samples/request.json filters/director.ts | head -c 1"], { cwd: project, encoding: "utf8" });
    expect(piped.stderr).toBe("");
  });

  it("dev rebuilds a saved filter and reruns its tests, reruns a saved test file, and removes a deleted filter's .lua", async () => {
    const { spawn } = await import("node:child_process");
    const bin = path.join(project, "node_modules", ".bin", "nauthilus-filters");
    const dev = spawn(bin, ["dev"], { cwd: project, env: { ...process.env, FORCE_COLOR: "0" } });
    let output = "";
    dev.stdout.on("data", (d) => (output += String(d).replace(/\x1b\[[0-9;]*m/g, "")));
    const summaries = () => (output.match(/Tests\s+\d+ (passed|failed)/g) ?? []).length;
    const waitFor = async (done: () => boolean, what: string) => {
      for (let i = 0; i < 600 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(done(), `${what}:\n${output}`).toBe(true);
    };
    try {
      await waitFor(() => summaries() >= 1, "the first test run");
      const filter = path.join(project, "filters", "director.ts");
      const seen = summaries();
      fs.writeFileSync(filter, fs.readFileSync(filter, "utf8").replace("return accept();\n}", "return accept(0);\n}"));
      await waitFor(() => summaries() > seen && /built\s+filters\/director\.ts/.test(output), "a rerun after saving the filter");
      const again = summaries();
      const test = path.join(project, "test", "director.test.ts");
      fs.writeFileSync(test, `${fs.readFileSync(test, "utf8")}\n`);
      await waitFor(() => summaries() > again, "a rerun after saving the test file");
      fs.rmSync(path.join(project, "filters", "broken.ts"), { force: true });
      await waitFor(() => /removed dist\/filters\/broken\.lua/.test(output), "the deleted filter's .lua removed");
      expect(fs.existsSync(path.join(project, "dist", "filters", "broken.lua"))).toBe(false);
    } finally {
      dev.kill();
    }
  });

  it("npm run serve: the samples behind a local Nauthilus endpoint, answering nginx's request", async () => {
    const { spawn } = await import("node:child_process");
    const net = await import("node:net");
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as import("node:net").AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    expect(JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")).scripts.serve).toContain("serve --config samples/nauthilus.yml --users samples/users.yml");
    const serve = spawn("npm", ["run", "serve", "--", "--listen", `127.0.0.1:${port}`], { cwd: project, env: { ...process.env, FORCE_COLOR: "0" }, detached: true });
    let output = "";
    serve.stdout.on("data", (d) => (output += d));
    try {
      for (let i = 0; i < 600 && !output.includes('"event":"listening"'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain('"event":"listening"');
      expect(await (await fetch(`http://127.0.0.1:${port}/ping`)).text()).toBe("pong");
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/nginx`, { headers: { "Auth-User": "alice@example.org", "Auth-Pass": "secret", "Auth-Protocol": "imap" } });
      // The samples' backends (10143, 10144) are not running here: OK before the first monitoring
      // round ends, Internal failure after it; a session either way.
      expect(["OK", "Internal failure"]).toContain(r.headers.get("auth-status"));
      expect(r.headers.get("x-nauthilus-session")).toMatch(/^[0-9A-Za-z]{27}$/);
      const wrong = await fetch(`http://127.0.0.1:${port}/api/v1/auth/nginx`, { headers: { "Auth-User": "alice@example.org", "Auth-Pass": "nope", "Auth-Protocol": "imap" } });
      expect(wrong.headers.get("auth-status")).toBe("Invalid login or password");
    } finally {
      process.kill(-serve.pid!, "SIGTERM");
    }
  });

  it("the package's main export is the editor plugin factory tsserver loads", () => {
    const out = execFileSync(process.execPath, ["-e", `const f = require("nauthilus-filters-sdk"); console.log(typeof f, typeof f({ typescript: require("typescript") }).create)`], { cwd: project, encoding: "utf8" });
    expect(out.trim()).toBe("function function");
  });
});
