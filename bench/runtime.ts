// Benchmark: requests per second for the director filter over 10 servers, a fresh environment
// per request, on the runtime (in-process engine, and the worker pool) vs Debian lua5.4 running
// the same compiled Lua with a Lua stub of the module, in the same run.
// Run: npm run bench:runtime   (needs lua5.4: apt-get install lua5.4)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FilterCompiler } from "../build/build-filters";
import { PROJECT_ROOT } from "../build/project-root";
import { Engine } from "../runtime/vm/engine";
import { createRuntime } from "../runtime/index";
import type { RunRequest } from "../runtime/types";

const N = Number(process.env.REQUESTS ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

async function main(): Promise<void> {
  const compiled = new FilterCompiler({ cwd: PROJECT_ROOT, outDir: path.join(PROJECT_ROOT, "dist", "filters") }).compile([
    path.join(PROJECT_ROOT, "filters-ts", "director.ts"),
  ]);
  const lua = compiled.filters[0].lua!;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-runtime-")), "director.lua");
  fs.writeFileSync(file, lua);
  const request: RunRequest = {
    filters: [{ name: "dist/filters/director.lua", source: lua }],
    servers: Array.from({ length: 10 }, (_, i) => ({ protocol: "imap", ip: `10.0.0.${i + 1}`, port: 143, haproxy_v2: false, tls: false })),
    attributes: {},
    request: { account: "alice@example.org", protocol: "imap", authenticated: true },
  };

  // The machine's speed drifts by tens of percent between seconds: baseline and runtime are
  // measured in alternating rounds and the ratio is the median of the rounds' ratios.
  const engine = await Engine.create();
  const services = { probe: () => undefined };
  for (let i = 0; i < 500; i++) engine.runChain(request, services); // warm-up
  const nativeRuns: number[] = [];
  const inProcessRuns: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const native = Number(execFileSync("lua5.4", [path.join(PROJECT_ROOT, "bench", "runtime-native.lua"), file, String(N)], { encoding: "utf8" }).trim());
    const t0 = performance.now();
    for (let i = 0; i < N; i++) engine.runChain(request, services);
    const inProcess = N / ((performance.now() - t0) / 1000);
    nativeRuns.push(native);
    inProcessRuns.push(inProcess);
    ratios.push(native / inProcess);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const native = median(nativeRuns);
  const inProcess = median(inProcessRuns);
  let t0: number;

  const runtime = createRuntime({ prober: async () => undefined });
  await runtime.ready();
  await Promise.all(Array.from({ length: 200 }, () => runtime.run(request)));
  t0 = performance.now();
  const inflight = 16;
  let done = 0;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (done < N) {
        done++;
        await runtime.run(request);
      }
    }),
  );
  const pooled = N / ((performance.now() - t0) / 1000);
  await runtime.close();

  console.log(`machine: ${os.cpus()[0].model.trim()} x${os.cpus().length}, node ${process.version}; ${N} requests x ${ROUNDS} alternating rounds, director over 10 servers`);
  console.log(`  per-round ratios: ${ratios.map((r) => r.toFixed(2)).join(" ")}`);
  console.log(`  lua5.4 native + Lua stub (baseline)   ${native.toFixed(0).padStart(7)} req/s (median)`);
  console.log(`  runtime, in-process engine (1 core)   ${inProcess.toFixed(0).padStart(7)} req/s   ${median(ratios).toFixed(2)}x slower, median of the rounds (goal <= 2x)`);
  console.log(`  runtime, worker pool (${os.availableParallelism()} workers)       ${pooled.toFixed(0).padStart(7)} req/s   ${(native / pooled).toFixed(2)}x slower`);
}

void main();
