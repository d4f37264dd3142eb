// `nauthilus-filters test [vitest options]`: the project's tests (test/*.test.ts, written with
// nauthilus-filters-sdk/testing) run by the project's vitest.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The project's vitest entry script, or undefined when vitest is not installed there. */
export function findVitest(cwd: string): string | undefined {
  try {
    const manifest = createRequire(path.join(cwd, "package.json")).resolve("vitest/package.json");
    const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { bin?: string | Record<string, string> };
    const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.vitest;
    return bin === undefined ? undefined : path.join(path.dirname(manifest), bin);
  } catch {
    return undefined;
  }
}

export function testCommand(args: string[], cwd = process.cwd()): Promise<number> {
  const vitest = findVitest(cwd);
  if (vitest === undefined) {
    process.stderr.write("nauthilus-filters test: vitest is not installed in this project. Install it: npm i -D vitest\n");
    return Promise.resolve(2);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, "run", ...args], { cwd, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
