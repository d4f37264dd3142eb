// --watch: rebuild the filter that changed (or all of them when the SDK changed), reusing parsed
// files between rounds so one edit costs a type check of one file, not a cold start.
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_FILTER_DIR, DEFAULT_OUT_DIR, FilterCompiler, listFilterSources, writeOutputs, type BuildOptions, type BuildResult } from "./build-filters";
import { SDK_ROOT } from "./tstl-options";

const SETTLE_MS = 30;

export function watchFilters(options: BuildOptions, onBuild: (result: BuildResult) => void): () => void {
  const cwd = options.cwd ?? process.cwd();
  const outDir = path.resolve(cwd, options.outDir ?? DEFAULT_OUT_DIR);
  const filterDir = path.join(cwd, DEFAULT_FILTER_DIR);
  const explicit = options.files?.map((f) => path.resolve(cwd, f));
  const sources = () => explicit ?? listFilterSources(filterDir);
  const compiler = new FilterCompiler({ cwd, outDir });

  const build = (files: string[]) => {
    const result = compiler.compile(files);
    writeOutputs(result.filters);
    onBuild(result);
  };

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (file: string) => {
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending];
      pending.clear();
      const sdkChanged = changed.some((f) => f.startsWith(path.join(SDK_ROOT, "sdk")));
      const all = sources();
      build(sdkChanged ? all : all.filter((f) => changed.includes(f)));
    }, SETTLE_MS);
  };

  const watchers = [
    fs.watch(path.join(SDK_ROOT, "sdk"), (_e, name) => name && schedule(path.join(SDK_ROOT, "sdk", name.toString()))),
    ...(explicit
      ? [...new Set(explicit.map((f) => path.dirname(f)))]
      : fs.existsSync(filterDir) ? [filterDir] : []
    ).map((dir) => fs.watch(dir, (_e, name) => name && schedule(path.join(dir, name.toString())))),
  ];
  // The first build only after the watchers are set: an edit saved as soon as it is reported
  // must not be missed (it was, under load, in CI).
  build(sources());
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}


