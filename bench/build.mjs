// Benchmark: cold `nauthilus-filters build` vs bare `tstl -p` on the same example filters (same run,
// alternating, medians), and the watch-mode rebuild of one edited filter.
// Run: npm run bench:build   (after npm ci). Prints ratios; results go in BENCHMARKS.md.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const cli = path.join(root, "dist/tools/nauthilus-filters.cjs");
const tstlBin = path.join(root, "node_modules/typescript-to-lua/dist/tstl.js");
execFileSync(process.execPath, [path.join(root, "build/bundle-tools.mjs")], { cwd: root });

const work = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-bench-build-"));
const sources = fs.readdirSync(path.join(root, "filters-ts")).filter((f) => f.endsWith(".ts"));
fs.mkdirSync(path.join(work, "filters-ts"));
for (const f of sources) fs.copyFileSync(path.join(root, "filters-ts", f), path.join(work, "filters-ts", f));
// Bare TypeScriptToLua with the same compiler settings, no plugin, no 5.1 check.
fs.writeFileSync(
  path.join(work, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      target: "ESNext", module: "ESNext", moduleResolution: "bundler", lib: ["ESNext"], strict: true, skipLibCheck: true,
      types: ["lua-types/5.1", "@typescript-to-lua/language-extensions"], typeRoots: [path.join(root, "node_modules")],
      outDir: "bare-out",
      rootDir: "filters-ts",
    },
    include: ["filters-ts/*.ts", path.join(root, "sdk/index.d.ts")],
    tstl: { luaTarget: "5.1", luaLibImport: "inline", noImplicitSelf: true, noHeader: true },
  }),
);

// The SDK's build reads a project that extends the preset, as a user's does.
fs.writeFileSync(
  path.join(work, "filters.tsconfig.json"),
  JSON.stringify({ extends: path.join(root, "preset/tsconfig.json"), include: ["filters-ts"], compilerOptions: { rootDir: "filters-ts", outDir: "dist/filters" } }),
);
const build = ["build", "--project", "filters.tsconfig.json"];

function timeMs(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const ours = [];
const bare = [];
for (let i = 0; i < ROUNDS; i++) {
  ours.push(timeMs(() => execFileSync(process.execPath, [cli, ...build], { cwd: work, stdio: "ignore" })));
  bare.push(timeMs(() => execFileSync(process.execPath, [tstlBin, "-p", "tsconfig.json"], { cwd: work, stdio: "ignore" })));
}
const ratio = median(ours) / median(bare);
console.log(`machine: ${os.cpus()[0].model.trim()} x${os.cpus().length}, node ${process.version}`);
console.log(`cold build of ${sources.length} filters, median of ${ROUNDS} (process start to exit):`);
console.log(`  tstl -p (baseline)   ${median(bare).toFixed(0)} ms`);
console.log(`  nauthilus-filters build  ${median(ours).toFixed(0)} ms   ratio ${ratio.toFixed(2)}x (goal <= 1.2x)`);

// Watch: edit one filter, measure until the rebuilt file is on disk (user-visible latency) and
// the rebuild work the CLI reports.
const child = spawn(process.execPath, [cli, ...build, "--watch"], { cwd: work });
let out = "";
child.stdout.on("data", (d) => (out += d));
const waitFor = async (count) => {
  for (;;) {
    const done = out.match(/\d+ built, \d+ failed in (\d+) ms/g) ?? [];
    if (done.length >= count) return Number(/in (\d+) ms/.exec(done[count - 1])[1]);
    await new Promise((r) => setTimeout(r, 2));
  }
};
await waitFor(1);
const target = path.join(work, "filters-ts/director.ts");
const original = fs.readFileSync(target, "utf8");
const latencies = [];
const work_ms = [];
for (let i = 0; i < ROUNDS; i++) {
  const t0 = process.hrtime.bigint();
  fs.writeFileSync(target, `${original}\n// edit ${i}\n`);
  work_ms.push(await waitFor(i + 2));
  latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
child.kill();
console.log(`watch rebuild of one edited filter, median of ${ROUNDS}:`);
console.log(`  rebuild work (type check, transform, 5.1 check, write)  ${median(work_ms).toFixed(0)} ms (goal <= 150 ms)`);
console.log(`  edit to file written (incl. ${30} ms settle + fs.watch)      ${median(latencies).toFixed(0)} ms`);
fs.rmSync(work, { recursive: true, force: true });
