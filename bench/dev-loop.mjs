// Benchmark: the dev loop's edit-to-result time for one filter (goal < 1 s): a filter file is
// saved, `nauthilus-filters dev` rebuilds it and reruns its tests; measured from the write to the
// test summary on dev's output. Baseline in the same run: `nauthilus-filters test` started cold.
// Run: npm run bench:dev (after npm ci). Results go in BENCHMARKS.md.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const cli = path.join(root, "dist", "tools", "nauthilus-filters.cjs");
execFileSync(process.execPath, [path.join(root, "build", "bundle-tools.mjs")], { cwd: root });

// A project as `init` makes it, with this checkout standing in for the installed package.
const project = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-bench-dev-"));
fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "bench", private: true, type: "commonjs" }));
fs.mkdirSync(path.join(project, "node_modules"));
fs.symlinkSync(root, path.join(project, "node_modules", "nauthilus-filters-sdk"));
fs.symlinkSync(path.join(root, "node_modules", "vitest"), path.join(project, "node_modules", "vitest"));
execFileSync(process.execPath, [cli, "init"], { cwd: project, stdio: "ignore" });
const filter = path.join(project, "filters", "director.ts");
const original = fs.readFileSync(filter, "utf8");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");

const cold = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  execFileSync(process.execPath, [cli, "test"], { cwd: project, stdio: "ignore" });
  cold.push(performance.now() - t0);
}

const dev = spawn(process.execPath, [cli, "dev"], { cwd: project });
let output = "";
dev.stdout.on("data", (d) => (output += strip(String(d))));
const summaries = () => (output.match(/Tests\s+\d+ passed/g) ?? []).length;
const waitFor = async (count) => {
  for (let i = 0; i < 600 && summaries() < count; i++) await new Promise((r) => setTimeout(r, 5));
  if (summaries() < count) throw new Error(`dev gave no result:\n${output}`);
};
const loop = [];
try {
  await waitFor(1);
  for (let i = 0; i < ROUNDS; i++) {
    const seen = summaries();
    const t0 = performance.now();
    fs.writeFileSync(filter, i % 2 === 0 ? original.replace("return accept();\n}", "return accept(0);\n}") : original);
    await waitFor(seen + 1);
    loop.push(performance.now() - t0);
  }
} finally {
  dev.kill();
  fs.rmSync(project, { recursive: true, force: true });
}

console.log(`machine: ${os.cpus()[0].model.trim()} x${os.cpus().length}, node ${process.version}; ${ROUNDS} saves of filters/director.ts`);
console.log(`  nauthilus-filters test, cold (baseline)   ${median(cold).toFixed(0)} ms (median of 3)`);
console.log(`  dev: save → test summary                  ${median(loop).toFixed(0)} ms (median; all: ${loop.map((t) => t.toFixed(0)).join(" ")}) goal < 1000 ms, ${(median(loop) / median(cold)).toFixed(2)}x the cold run`);
