// `nauthilus-filters build` as a user runs it: the bundled CLI in a project folder whose
// tsconfig.json extends the preset.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const cli = path.join(root, "dist", "tools", "nauthilus-filters.cjs");

const GOOD = `import { accept } from "nauthilus-sdk";
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  return accept();
}
`;
const TYPE_ERROR = `import { accept } from "nauthilus-sdk";
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const port: number = request.client_port;
  return accept(port);
}
`;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-cli-"));
  fs.mkdirSync(path.join(dir, "filters-ts"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "filters-ts", name), text);
  const tsconfig = {
    extends: path.join(root, "preset", "tsconfig.json"),
    include: ["filters-ts"],
    compilerOptions: { rootDir: "filters-ts", outDir: "dist/filters" },
  };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  return dir;
}

function run(cwd: string, args: string[] = []) {
  const r = spawnSync(process.execPath, [cli, "build", ...args], { cwd, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, "build", "bundle-tools.mjs")], { cwd: root });
});

describe("nauthilus-filters build", () => {
  it("builds every filter the tsconfig.json includes, one line per filter and a total", () => {
    const dir = project({ "a.ts": GOOD, "b.ts": GOOD });
    const r = run(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^a\s+dist\/filters\/a\.lua\s+\d+ bytes\s+\d+ ms$/m);
    expect(r.stdout).toMatch(/^b\s+dist\/filters\/b\.lua\s+\d+ bytes\s+\d+ ms$/m);
    expect(r.stdout).toMatch(/^2 built, 0 failed in \d+ ms$/m);
    expect(fs.existsSync(path.join(dir, "dist/filters/a.lua"))).toBe(true);
  });

  it("a type error: exit 1, file:line:col diagnostic, no .lua (a stale one is removed), others still built", () => {
    const dir = project({ "bad.ts": TYPE_ERROR, "good.ts": GOOD });
    fs.mkdirSync(path.join(dir, "dist/filters"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dist/filters/bad.lua"), "-- stale output of an earlier build\n");
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("filters-ts/bad.ts:3:9 - error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(r.stdout).toMatch(/^bad\s+FAILED/m);
    expect(r.stdout).toMatch(/^1 built, 1 failed in \d+ ms$/m);
    expect(fs.existsSync(path.join(dir, "dist/filters/bad.lua"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "dist/filters/good.lua"))).toBe(true);
    expect(fs.readdirSync(path.join(dir, "dist/filters")).sort()).toEqual(["good.lua", "good.lua.map"]);
  });

  it("builds only the given paths", () => {
    const dir = project({ "a.ts": GOOD, "b.ts": GOOD });
    const r = run(dir, ["filters-ts/b.ts", "--out-dir", "lua"]);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, "lua")).sort()).toEqual(["b.lua", "b.lua.map"]);
  });

  it("a missing file is an error naming it", () => {
    const dir = project({});
    const r = run(dir, ["filters-ts/nope.ts"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("error NF1092: File not found: filters-ts/nope.ts");
  });

  it("--help exits 0; an unknown option exits 2 with the usage", () => {
    const dir = project({});
    expect(run(dir, ["--help"])).toMatchObject({ status: 0, stdout: expect.stringContaining("Usage: nauthilus-filters build") });
    const bad = run(dir, ["--frobnicate"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--frobnicate'");
  });

  it("a whole-project build removes the .lua of a filter whose source is gone, and nothing it did not write", () => {
    const dir = project({ "a.ts": GOOD, "b.ts": GOOD });
    expect(run(dir).status).toBe(0);
    fs.writeFileSync(path.join(dir, "dist/filters/hand-written.lua"), "-- mine\n");
    fs.rmSync(path.join(dir, "filters-ts/b.ts"));
    const r = run(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("removed dist/filters/b.lua (its source is gone)");
    expect(fs.readdirSync(path.join(dir, "dist/filters")).sort()).toEqual(["a.lua", "a.lua.map", "hand-written.lua"]);
  });

  it("unusable arguments exit 2: a file that is not a filter, a missing project", () => {
    const dir = project({ "a.ts": GOOD });
    fs.writeFileSync(path.join(dir, "notes.md"), "# notes\n");
    const notFilter = run(dir, ["notes.md"]);
    expect(notFilter.status).toBe(2);
    expect(notFilter.stdout).toContain("error NF1095: notes.md is not a filter");
    const noProject = run(dir, ["--project", "nope.json"]);
    expect(noProject.status).toBe(2);
    expect(noProject.stdout).toContain("error NF1093: Cannot find");
  });

  it("tstl -p with the preset writes no .lua for a filter with a type error, as the build does", () => {
    const dir = project({ "bad.ts": TYPE_ERROR, "good.ts": GOOD });
    const config = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
    config.tstl = { luaPlugins: [{ name: path.join(root, "tstl-plugin.cjs") }] };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(config));
    spawnSync(process.execPath, [path.join(root, "node_modules/typescript-to-lua/dist/tstl.js"), "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
    expect(fs.readdirSync(path.join(dir, "dist/filters")).sort()).toEqual(["good.lua", "good.lua.map"]);
  });

  it("a folder whose tsconfig.json is not a filter project is named as such", () => {
    const dir = project({ "a.ts": GOOD });
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true } }));
    const r = run(dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("error NF1094:");
    expect(r.stdout).toContain("does not extend nauthilus-filters-sdk/preset/tsconfig.json");
  });

  it("--watch rebuilds an edited filter", async () => {
    const dir = project({ "w.ts": GOOD });
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [cli, "build", "--watch"], { cwd: dir });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 200 && !re.test(stdout); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stdout).toMatch(re);
    };
    try {
      await waitFor(/1 built, 0 failed/);
      fs.writeFileSync(path.join(dir, "filters-ts/w.ts"), GOOD.replace("accept()", "accept(7)"));
      await waitFor(/1 built, 0 failed[\s\S]*1 built, 0 failed/);
      expect(fs.readFileSync(path.join(dir, "dist/filters/w.lua"), "utf8")).toContain("return false, 7");
      fs.writeFileSync(path.join(dir, "filters-ts/w.ts"), TYPE_ERROR);
      await waitFor(/0 built, 1 failed/);
      expect(fs.existsSync(path.join(dir, "dist/filters/w.lua"))).toBe(false);
      // A deleted filter takes its .lua (and .lua.map) with it.
      fs.writeFileSync(path.join(dir, "filters-ts/w.ts"), GOOD);
      await waitFor(/0 built, 1 failed[\s\S]*1 built, 0 failed/);
      expect(fs.existsSync(path.join(dir, "dist/filters/w.lua.map"))).toBe(true);
      fs.rmSync(path.join(dir, "filters-ts/w.ts"));
      await waitFor(/removed dist\/filters\/w\.lua \(its source is gone\)/);
      expect(fs.readdirSync(path.join(dir, "dist/filters"))).toEqual([]);
    } finally {
      child.kill();
    }
  });
});
