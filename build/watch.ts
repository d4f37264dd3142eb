// --watch: rebuild the filter that changed (or all of them when the SDK or the tsconfig.json
// changed), reusing parsed files between rounds so one edit costs a type check of one file, not a
// cold start. A deleted filter loses its .lua and .lua.map.
import fs from "node:fs";
import path from "node:path";
import { FilterCompiler, writeOutputs, type BuildResult, type CompilerSetup } from "./build-filters";
import { SDK_DIR } from "./project";

const SETTLE_MS = 30;

export interface WatchOptions extends CompilerSetup {
  /** Only these files (absolute); default: the project's filters as they come and go. */
  files?: string[];
}

export function watchFilters(options: WatchOptions, onBuild: (result: BuildResult, removed: string[]) => void): () => void {
  const compiler = new FilterCompiler(options);
  const sources = () => options.files ?? compiler.projectFilters();
  let known = new Set(sources());

  const build = (files: string[], removed: string[]) => {
    const result = compiler.compile(files);
    writeOutputs(result.filters);
    onBuild(result, removed);
  };

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (file: string) => {
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending];
      pending.clear();
      const all = sources();
      const gone = [...known].filter((f) => !fs.existsSync(f));
      known = new Set(all);
      const removed = gone.map((f) => removeOutputs(compiler, f));
      const everything = changed.some((f) => f.startsWith(SDK_DIR + path.sep) || f === options.project);
      build(everything ? all : all.filter((f) => changed.includes(f)), removed);
    }, SETTLE_MS);
  };

  const dirs = new Set([...sources(), ...(options.project ? [options.project] : [])].map((f) => path.dirname(f)));
  const watchers = [SDK_DIR, ...dirs].map((dir) => fs.watch(dir, (_e, name) => name && schedule(path.join(dir, name.toString()))));
  // The first build only after the watchers are set: an edit saved as soon as it is reported
  // must not be missed (it was, under load, in CI).
  build(sources(), []);
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

function removeOutputs(compiler: FilterCompiler, source: string): string {
  const output = compiler.outputOf(source);
  fs.rmSync(output, { force: true });
  fs.rmSync(`${output}.map`, { force: true });
  return output;
}
