// Worker threads that run filter chains, one request per worker at a time, sized to the cores.
// The pool times every filter from outside the VM: the Lua deadline hook stops ordinary runaway
// code with production's message; a filter stuck inside C code (a catastrophic string pattern)
// is stopped by terminating its thread, and the pool starts a new one.
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { PROJECT_ROOT } from "../build/project-root";
import { DEFAULT_TIMEOUT_SECONDS, type ChainResult, type EngineOptions } from "./engine";
import { createProbeBuffer, writeProbeAnswer } from "./probe-channel";
import type { RunRequest } from "./types";
import type { FromWorker, ToWorker, WorkerInput } from "./worker";

/** check_backend_connection's probe as the pool's owner provides it (runtime/probe.ts is real). */
export type Prober = (ip: string, port: number, haproxyV2: boolean, tls: boolean) => Promise<string | undefined>;

export interface PoolOptions extends EngineOptions {
  /** Default: the number of cores. */
  workers?: number;
  prober: Prober;
  /** Extra time past a filter's timeout before its thread is terminated. */
  killGraceMs?: number;
  /** Heap cap of each worker thread (a backstop behind the Lua memory cap). */
  workerHeapMb?: number;
}

/** A chain result, or how the pool had to stop the chain. */
export type PoolResult =
  | { kind: "done"; result: ChainResult }
  | { kind: "killed"; filterIndex: number; reason: string };

const WORKER_FILE = path.join(PROJECT_ROOT, "dist", "tools", "runtime-worker.cjs");

interface Job {
  id: number;
  request: RunRequest;
  resolve: (r: PoolResult) => void;
  reject: (e: Error) => void;
}

class PoolWorker {
  worker!: Worker;
  readonly probeBuffer = createProbeBuffer();
  ready!: Promise<void>;
  job: Job | undefined;
  filterIndex = 0;
  timer: NodeJS.Timeout | undefined;

  constructor(private readonly pool: WorkerPool) {
    this.start();
  }

  start(): void {
    const input: WorkerInput = { options: this.pool.engineOptions, probeBuffer: this.probeBuffer };
    this.worker = new Worker(WORKER_FILE, {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: this.pool.options.workerHeapMb ?? 512 },
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === "ready") {
          this.worker.off("error", reject);
          // Starting keeps the process alive (someone may await ready()); idle does not.
          if (!this.job) this.worker.unref();
          resolve();
        }
      };
      this.worker.on("message", onMessage);
      this.worker.once("error", reject);
    });
    this.worker.on("message", (m: FromWorker) => this.onMessage(m));
    this.worker.on("error", (e) => this.onCrash(e.message));
  }

  run(job: Job): void {
    this.job = job;
    this.worker.ref(); // a pending request keeps the process alive; an idle pool does not
    this.filterIndex = 0;
    const message: ToWorker = { type: "run", id: job.id, request: job.request };
    this.worker.postMessage(message);
    this.arm(job);
  }

  private arm(job: Job): void {
    clearTimeout(this.timer);
    const seconds = job.request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    this.timer = setTimeout(() => this.kill("timeout"), seconds * 1000 + (this.pool.options.killGraceMs ?? 1000));
  }

  private onMessage(m: FromWorker): void {
    const job = this.job;
    if (!job || m.type === "ready" || m.id !== job.id) return;
    if (m.type === "filter-start") {
      this.filterIndex = m.index;
      this.arm(job);
    } else if (m.type === "probe") {
      this.pool.options.prober(m.ip, m.port, m.haproxyV2, m.tls).then(
        (answer) => writeProbeAnswer(this.probeBuffer, answer),
        (e: Error) => writeProbeAnswer(this.probeBuffer, `probe failed: ${e.message}`),
      );
    } else if (m.type === "done") {
      this.finish({ kind: "done", result: m.result });
    } else if (m.type === "failed") {
      this.finish({ kind: "killed", filterIndex: this.filterIndex, reason: `engine failure: ${m.message}` });
    }
  }

  private onCrash(message: string): void {
    this.start();
    if (this.job) this.finish({ kind: "killed", filterIndex: this.filterIndex, reason: `worker crashed: ${message}` });
  }

  private kill(reason: string): void {
    if (!this.job) return;
    void this.worker.terminate();
    this.start();
    this.finish({ kind: "killed", filterIndex: this.filterIndex, reason });
  }

  private finish(result: PoolResult): void {
    clearTimeout(this.timer);
    this.worker.unref();
    const job = this.job!;
    this.job = undefined;
    job.resolve(result);
    this.pool.next(this);
  }
}

export class WorkerPool {
  readonly engineOptions: EngineOptions;
  private readonly workers: PoolWorker[];
  private readonly queue: Job[] = [];
  private ids = 0;
  private closed = false;

  constructor(readonly options: PoolOptions) {
    this.engineOptions = { memoryLimitBytes: options.memoryLimitBytes };
    const size = options.workers ?? Math.max(1, os.availableParallelism());
    this.workers = Array.from({ length: size }, () => new PoolWorker(this));
  }

  /** Resolves when every worker has its engine ready (useful before measuring). */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ready));
  }

  run(request: RunRequest): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new Error("the runtime is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.ids, request, resolve, reject });
      const idle = this.workers.find((w) => !w.job);
      if (idle) this.next(idle);
    });
  }

  /** Gives `worker` the next queued job once its engine is ready. */
  next(worker: PoolWorker): void {
    const job = this.queue.shift();
    if (!job) return;
    worker.job = job; // reserve it while the engine starts
    worker.worker.ref();
    worker.ready.then(
      () => worker.run(job),
      (e: Error) => {
        worker.job = undefined;
        job.reject(new Error(`cannot start a runtime worker (${WORKER_FILE}): ${e.message}. Run npm ci (it bundles the tools) or npm run build-filters.`));
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
