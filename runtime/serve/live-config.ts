// What `serve` runs, kept current while it runs: the Nauthilus config, its filters (.lua as they
// are, .ts compiled on the fly) and the users file, reloaded when any of them is saved.
//
// A reload never makes things worse: a config or users file that no longer parses keeps the last
// good one, and a filter that no longer builds keeps its last good version; each is logged with
// what is wrong and where (for a .ts filter, its TypeScript line). The very first load has no
// good version to fall back on, so there a failure is an error that stops `serve`.
import fs from "node:fs";
import path from "node:path";
import { FilterLoader } from "../filter-loader";
import { gopherCompileError } from "../vm/gopher-syntax-error";
import { ConfigError, parseConfig, type Config } from "../nauthilus/config";
import type { FilterScript } from "../types";
import { UsersFile, UsersFileError } from "./users";

/** One consistent set of inputs: every request runs on one of these from start to end. */
export interface ServeInputs {
  config: Config;
  filters: readonly FilterScript[];
  users: UsersFile;
  /** Counts reloads that changed something (1 for the first load). */
  generation: number;
}

export type ReloadEvent =
  | { event: "reloaded"; generation: number; changed: string[] }
  | { event: "reload-failed"; file: string; error: string; kept: string };

export interface LiveConfigOptions {
  configFile: string;
  usersFile?: string;
  cwd?: string;
  /** Told after every reload attempt that found a change or an error. */
  onReload?: (event: ReloadEvent, inputs: ServeInputs) => void;
  /** Quiet time after the last file event before reloading (editors write in several steps). */
  debounceMs?: number;
}

export class LiveConfig {
  private inputs!: ServeInputs;
  private readonly loader: FilterLoader;
  /** Per script path: the last version that loaded. */
  private readonly good = new Map<string, FilterScript>();
  private watchers: fs.FSWatcher[] = [];
  private watched = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private closed = false;
  /** The users file's text behind inputs.users (a reload parses it only when it changed). */
  private usersText: string | undefined;

  private readonly options: LiveConfigOptions;

  private constructor(options: LiveConfigOptions) {
    const cwd = options.cwd ?? process.cwd();
    // Files named relative to cwd, as script_path is; the log keeps the names as given.
    this.options = options;
    this.loader = new FilterLoader(cwd);
    this.resolve = (file) => path.resolve(cwd, file);
  }

  private readonly resolve: (file: string) => string;

  /** Loads everything once; throws when any part cannot be used (nothing to fall back on). */
  static async start(options: LiveConfigOptions): Promise<LiveConfig> {
    const live = new LiveConfig(options);
    const config = live.loadConfig();
    let users = UsersFile.none();
    if (options.usersFile) {
      let text: string;
      try {
        text = fs.readFileSync(live.resolve(options.usersFile), "utf8");
      } catch (e) {
        throw new UsersFileError(`cannot read users file ${options.usersFile}: ${(e as Error).message}`);
      }
      users = UsersFile.parse(text, options.usersFile);
      live.usersText = text;
    }
    const filters: FilterScript[] = [];
    for (const f of config.filters) {
      const script = await live.loadFilter(f.scriptPath);
      live.good.set(f.scriptPath, script);
      filters.push(script);
    }
    live.inputs = { config, filters, users, generation: 1 };
    live.watch(config);
    return live;
  }

  current(): ServeInputs {
    return this.inputs;
  }

  /** Reloads now (the file watcher calls this; tests may too). Resolves when done. */
  reload(): Promise<void> {
    // One failure of a reload (a bug, a callback that throws) must not end hot reload, nor become
    // an unhandled rejection that ends the process.
    this.reloading = this.reloading
      .then(() => this.reloadOnce())
      .catch((e: Error) => {
        this.options.onReload?.({ event: "reload-failed", file: "(reload)", error: e.stack ?? String(e), kept: "everything as it was" }, this.inputs);
      });
    return this.reloading;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  /** A filter as the chain runs it; a .lua that gopher-lua would refuse to compile is an error
   * here (in gopher's words), so that a reload keeps the last version that compiled. */
  private async loadFilter(file: string): Promise<FilterScript> {
    const script = await this.loader.load(file);
    const latin1 = (text: string) => Buffer.from(text, "utf8").toString("latin1");
    const refused = gopherCompileError(latin1(script.source), latin1(script.name));
    if (refused !== null) throw new Error(`${Buffer.from(refused, "latin1").toString("utf8")} (gopher-lua v1.1.1 does not compile it)`);
    return script;
  }

  /** The config, with messages naming the file as it was given. */
  private loadConfig(): Config {
    const given = this.options.configFile;
    let text: string;
    try {
      text = fs.readFileSync(this.resolve(given), "utf8");
    } catch (e) {
      throw new ConfigError(`cannot read config ${given}: ${(e as Error).message}`);
    }
    return parseConfig(text, given);
  }

  private async reloadOnce(): Promise<void> {
    if (this.closed) return;
    const before = this.inputs;
    const changed: string[] = [];
    const failures: ReloadEvent[] = [];

    let config = before.config;
    try {
      config = this.loadConfig();
      if (JSON.stringify(config) !== JSON.stringify(before.config)) changed.push(this.options.configFile);
    } catch (e) {
      failures.push({ event: "reload-failed", file: this.options.configFile, error: (e as Error).message, kept: "the last good config" });
    }
    // Watch what the config names now, even when part of it does not load: saving the fix of a new
    // filter must reload too.
    const attempted = config;

    let users = before.users;
    let usersText = this.usersText;
    const usersFile = this.options.usersFile;
    if (usersFile !== undefined) {
      const text = safeRead(this.resolve(usersFile));
      if (text !== this.usersText) {
        try {
          if (text === undefined) throw new Error(`cannot read users file ${usersFile}`);
          users = UsersFile.parse(text, usersFile);
          usersText = text;
          changed.push(usersFile);
        } catch (e) {
          failures.push({ event: "reload-failed", file: usersFile, error: (e as Error).message, kept: "the last good users file" });
        }
      }
    }

    const filters: FilterScript[] = [];
    const loaded = new Map<string, FilterScript>();
    let complete = true;
    for (const f of config.filters) {
      try {
        const script = await this.loadFilter(f.scriptPath);
        const previous = this.good.get(f.scriptPath);
        if (!previous || previous.source !== script.source) changed.push(f.scriptPath);
        loaded.set(f.scriptPath, script);
        filters.push(script);
      } catch (e) {
        const previous = this.good.get(f.scriptPath);
        failures.push({
          event: "reload-failed",
          file: f.scriptPath,
          error: (e as Error).message,
          kept: previous ? "its last good version" : "the last good chain (this filter never loaded)",
        });
        if (previous) filters.push(previous);
        else complete = false;
      }
    }
    // Closed while a filter compiled: nothing more may start (a monitor among it).
    if (this.closed) return;

    let next: ServeInputs | undefined;
    if (complete) {
      const chainChanged = filters.length !== before.filters.length || filters.some((f, i) => f !== before.filters[i]);
      if (changed.length > 0 || chainChanged) next = { config, filters, users, generation: before.generation + 1 };
      for (const [file, script] of loaded) this.good.set(file, script);
      for (const file of [...this.good.keys()]) if (!config.filters.some((f) => f.scriptPath === file)) this.good.delete(file);
    } else if (users !== before.users) {
      // A new filter that never loaded keeps the whole previous chain (and config): running
      // the chain without it would be another chain. A changed users file still applies.
      next = { ...before, users, generation: before.generation + 1 };
      changed.splice(0, changed.length, ...(usersFile ? [usersFile] : []));
    }
    this.usersText = usersText;
    if (next) this.inputs = next;
    for (const failure of failures) this.options.onReload?.(failure, this.inputs);
    if (next) this.options.onReload?.({ event: "reloaded", generation: next.generation, changed: [...new Set(changed)] }, this.inputs);
    this.watch(attempted);
  }

  /** Watches the folders of every input (editors replace files by renaming, which a watch on the
   * file itself would miss) and reloads after a quiet moment. */
  private watch(config: Config): void {
    if (this.closed) return;
    const cwd = this.options.cwd ?? process.cwd();
    const files = [this.options.configFile, this.options.usersFile, ...config.filters.map((f) => f.scriptPath)]
      .filter((f): f is string => f !== undefined)
      .map((f) => path.resolve(cwd, f));
    const wanted = new Set(files);
    if (wanted.size === this.watched.size && [...wanted].every((f) => this.watched.has(f))) return;
    for (const w of this.watchers) w.close();
    this.watchers = [];
    this.watched = wanted;
    const byFolder = new Map<string, Set<string>>();
    for (const f of files) {
      const names = byFolder.get(path.dirname(f)) ?? new Set<string>();
      names.add(path.basename(f));
      byFolder.set(path.dirname(f), names);
    }
    for (const [folder, names] of byFolder) {
      // A folder that does not exist yet: watch the nearest one that does for the next step of
      // the path, and set everything up again after the reload its creation triggers.
      let watchedFolder = folder;
      let wantedNames = names;
      while (!fs.existsSync(watchedFolder) && path.dirname(watchedFolder) !== watchedFolder) {
        wantedNames = new Set([path.basename(watchedFolder)]);
        watchedFolder = path.dirname(watchedFolder);
        this.watched = new Set();
      }
      try {
        const watcher = fs.watch(watchedFolder, (_event, name) => {
          if (name === null || wantedNames.has(name.toString())) this.schedule();
        });
        // A folder that disappears: watch again from scratch at the next reload, which reports the files.
        watcher.on("error", () => this.watched.clear());
        this.watchers.push(watcher);
      } catch {
        this.watched = new Set(); // try again at the next reload
      }
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 100);
  }
}

function safeRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
