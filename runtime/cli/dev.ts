// `nauthilus-filters dev`: the edit loop. Rebuilds a filter when it is saved (build --watch),
// then runs the tests named after it (test/<filter>*.test.ts) in one vitest kept running, so a
// save costs the rebuild and the tests, not a start of the tools. A saved test file runs again
// by itself. A deleted filter loses its .lua. Results name TypeScript lines (errors carry them,
// the testing library prints them).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildResult } from "../../build/build-filters";
import { rememberCompiled } from "../filter-loader";
import { findVitest } from "./test-command";

type Vitest = {
  standalone(): Promise<void>;
  globTestSpecifications(filters?: string[]): Promise<unknown[]>;
  runTestSpecifications(specifications: unknown[], allTestsRun?: boolean): Promise<unknown>;
};

export async function devCommand(cwd = process.cwd(), out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const project = path.resolve(cwd, "tsconfig.json");
  // The compiler loads only now: the CLI's other commands start without TypeScript.
  const { watchFilters } = await import("../../build/watch");
  const { formatDiagnostic, relativePath } = await import("../../build/diagnostics");
  const report = (result: BuildResult) => {
    for (const d of result.diagnostics) out.write(`${formatDiagnostic(d, cwd)}\n`);
    for (const f of result.filters) {
      out.write(`${f.lua !== undefined ? "built " : "FAILED"} ${relativePath(f.source, cwd)} (${f.ms.toFixed(0)} ms)\n`);
      for (const d of f.diagnostics) out.write(`  ${formatDiagnostic(d, cwd)}\n`);
    }
  };
  const vitest = findVitest(cwd) === undefined ? undefined : await startVitest(cwd);
  if (!vitest) out.write("note: vitest is not installed here (npm i -D vitest): building only\n");

  let queue = Promise.resolve();
  watchFilters({ cwd, project }, (result, removed) => {
    const started = performance.now();
    for (const r of removed) out.write(`removed ${relativePath(r, cwd)} (its source is gone)\n`);
    report(result);
    const built = result.filters.filter((f) => f.lua !== undefined);
    for (const f of built) {
      rememberCompiled(cwd, f.source, project, {
        name: relativePath(f.output, cwd),
        lua: f.lua!,
        sourceMap: f.sourceMap,
        mapFile: relativePath(`${f.output}.map`, cwd),
      });
    }
    if (!vitest || built.length === 0) return;
    const names = built.map((f) => path.basename(f.source, ".ts"));
    queue = queue.then(async () => {
      // vitest filters by substring ("rect" is in "director"): keep test/<filter>*.test.ts only.
      const specs = (await vitest.globTestSpecifications(names)).filter((spec) => {
        const base = path.basename((spec as { moduleId: string }).moduleId);
        return names.some((name) => base.startsWith(name));
      });
      if (specs.length === 0) {
        out.write(`no tests named after ${names.join(", ")} (test/<filter>*.test.ts)\n`);
        return;
      }
      await vitest.runTestSpecifications(specs);
      out.write(`edit → result: ${(performance.now() - started + result.ms).toFixed(0)} ms\n`);
    });
  });
  // A saved test file runs again by itself.
  const tests = path.join(cwd, "test");
  if (vitest && fs.existsSync(tests)) {
    let timer: NodeJS.Timeout | undefined;
    const saved = new Set<string>();
    fs.watch(tests, (_event, name) => {
      if (!name || !name.toString().endsWith(".test.ts")) return;
      saved.add(name.toString());
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = [...saved].filter((f) => fs.existsSync(path.join(tests, f)));
        saved.clear();
        if (files.length === 0) return;
        queue = queue.then(async () => {
          const specs = (await vitest.globTestSpecifications(files)).filter((spec) =>
            files.includes(path.basename((spec as { moduleId: string }).moduleId)),
          );
          if (specs.length > 0) await vitest.runTestSpecifications(specs);
        });
      }, 30);
    });
  }
  return -1;
}

async function startVitest(cwd: string): Promise<Vitest> {
  // The project's vitest (an ES module), imported by file URL: the bundle's own require() cannot.
  const entry = createRequire(path.join(cwd, "package.json")).resolve("vitest/node");
  const load = new Function("url", "return import(url)") as (url: string) => Promise<{ createVitest: (...a: unknown[]) => Promise<Vitest> }>;
  const { createVitest } = await load(pathToFileURL(entry).href);
  const vitest = await createVitest("test", { watch: false, root: cwd });
  await vitest.standalone(); // reporters ready, no tests run yet
  return vitest;
}
