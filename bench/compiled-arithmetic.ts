// Benchmark: what keeping JavaScript's -0 costs compiled TypeScript in production. The same
// arithmetic loop as the build compiles it (inline checks where the operands are names, helper
// calls elsewhere: docs/typescript-on-production.md) against the loop written as plain Lua, both
// on Debian's lua5.1 (PUC Lua 5.1, the language gopher-lua implements) in the same run.
// Run: npm run bench:arithmetic   (needs lua5.1: apt-get install lua5.1)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FilterCompiler } from "../build/build-filters";
import { PROJECT_ROOT } from "../build/project-root";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const N = 2_000_000;

// A hash step on names (the director's djb2 loop) and a mixed expression whose inner results are
// not names (a helper call each).
const TS = `import { accept } from "nauthilus-sdk";
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  let h = 5381;
  let s = 0;
  const k = Number("3");
  let i = 0;
  while (i < ${N}) {
    h = (h * 33 + i) % 4294967296;
    s = s * 0.999 + i / k - k * 2;
    i = i + 1;
  }
  nauthilus_builtin.status_message_set(\`\${h} \${s}\`);
  return accept();
}
`;
const PLAIN = `local h, s, k, i = 5381, 0, tonumber("3"), 0
while i < ${N} do
  h = math.fmod(h * 33 + i, 4294967296)
  s = s * 0.999 + i / k - k * 2
  i = i + 1
end
return h, s`;

function seconds(file: string): number {
  return Number(execFileSync("lua5.1", [file], { encoding: "utf8" }).trim());
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-arith-"));
  fs.writeFileSync(path.join(dir, "loop.ts"), TS);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ extends: path.join(PROJECT_ROOT, "preset", "tsconfig.json"), include: ["*.ts"] }));
  const compiled = new FilterCompiler({ cwd: dir, outDir: path.join(dir, "out") }).compile([path.join(dir, "loop.ts")]);
  const lua = compiled.filters[0].lua;
  if (lua === undefined) throw new Error(`the loop does not build: ${JSON.stringify(compiled.filters[0].diagnostics.map((d) => d.messageText))}`);
  const stub = `nauthilus_builtin = { status_message_set = function() end }\npackage.preload["nauthilus-sdk"] = function() return {} end\n`;
  const timed = (body: string) => `${stub}local t0 = os.clock()\n${body}\nio.write(os.clock() - t0)\n`;
  const compiledFile = path.join(dir, "compiled.lua");
  const plainFile = path.join(dir, "plain.lua");
  fs.writeFileSync(compiledFile, timed(`local f = assert(loadstring(${JSON.stringify(lua)}))\nf()\nnauthilus_call_filter({})`));
  fs.writeFileSync(plainFile, timed(`local f = assert(loadstring(${JSON.stringify(PLAIN)}))\nf()`));
  const ratios: number[] = [];
  let plainBest = Infinity, compiledBest = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const plain = seconds(plainFile);
    const built = seconds(compiledFile);
    plainBest = Math.min(plainBest, plain);
    compiledBest = Math.min(compiledBest, built);
    ratios.push(built / plain);
  }
  ratios.sort((a, b) => a - b);
  console.log(`machine: ${os.cpus()[0]?.model ?? "?"} x${os.cpus().length}; ${N} iterations x ${ROUNDS} alternating rounds, lua5.1`);
  console.log(`  plain Lua (baseline)          ${plainBest.toFixed(3)} s (best)`);
  console.log(`  compiled TypeScript           ${compiledBest.toFixed(3)} s (best)   ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}x slower, median of the rounds`);
}

main();
