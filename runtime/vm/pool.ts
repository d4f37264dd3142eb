// Worker threads that run filter chains, sized to the cores; each thread runs one request at a
// time and holds at most one more, posted to it to start as soon as the first ends.
// The pool times every filter from outside the VM: the Lua deadline hook stops ordinary runaway
// code with production's message; a filter stuck inside C code (a catastrophic string pattern)
// is stopped by terminating its thread. A thread whose VM failed or that crashed is replaced as
// well, and the request is answered with what really happened.
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { PROJECT_ROOT } from "../../build/project-root";
import { DEFAULT_TIMEOUT_SECONDS, type ChainResult, type EngineOptions } from "./engine";
import { createProbeBuffer, writeProbeAnswer } from "./probe-channel";
import { prepareRun, type PreparedRun } from "../nauthilus/request";
import type { RunRequest } from "../types";
import type { FromWorker, ToWorker, WorkerInput } from "./worker";

/** check_backend_connection's probe as the pool's owner provides it (runtime/monitoring/probe.ts is real). */
export type Prober = (ip: string, port: number, haproxyV2: boolean, tls: boolean) => Promise<string | undefined>;

export interface PoolOptions extends EngineOptions {
  /** Default: the number of cores. */
  workers?: number;
  prober: Prober;
  /** Extra time past a filter's timeout before its thread is terminated. */
  killGraceMs?: number;
  /** Heap cap of each worker thread (a backstop behind the Lua memory cap). */
  workerHeapMb?: number;
  /** The worker script (default: the bundled runtime worker); tests use stand-ins that crash. */
  workerFile?: string;
}

/** Why the pool had to stop a chain that did not finish by itself. */
export type StopCause = "timeout" | "engine-failure" | "worker-crashed" | "js-heap" | "closed";

/** A chain result, or how the pool had to stop the chain. */
export type PoolResult =
  | { kind: "done"; result: ChainResult }
  | { kind: "stopped"; filterIndex: number; cause: StopCause; detail: string };

const WORKER_FILE = path.join(PROJECT_ROOT, "dist", "tools", "runtime-worker.cjs");
/** setTimeout holds at most 2^31-1 ms; a longer delay would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Job {
  id: number;
  request: PreparedRun;
  resolve: (r: PoolResult) => void;
  reject: (e: Error) => void;
}

/** Jobs handed to one thread before its previous ones finished: the thread starts the next as
 * soon as one ends, instead of idling for a message round trip through a busy main thread.
 * Small, because a job queued behind a slow filter waits for it. One rare case blames the wrong
 * job: if the first job's kill timer fires (or the thread crashes) after the thread posted its
 * `done` but before the main thread read it, the first is answered as stopped and the second
 * runs again on the new thread. */
const PIPELINE_DEPTH = 2;

class PoolWorker {
  worker!: Worker;
  /** A new buffer per thread: an answer for a terminated thread can reach no other. */
  probeBuffer!: SharedArrayBuffer;
  ready!: Promise<void>;
  /** Jobs posted to this thread, in order; the first is the one running (or about to). */
  readonly inflight: Job[] = [];
  /** Set while the engine starts: jobs wait in the pool's queue until it is ready. */
  starting = true;
  /** Why the thread's engine could not start (it is not started again). */
  startError: Error | undefined;
  filterIndex = 0;
  timer: NodeJS.Timeout | undefined;

  constructor(private readonly pool: WorkerPool) {
    this.start();
  }

  /** The job the thread runs now. */
  get job(): Job | undefined {
    return this.inflight[0];
  }

  start(): void {
    this.probeBuffer = createProbeBuffer();
    this.starting = true;
    const input: WorkerInput = { options: this.pool.engineOptions, probeBuffer: this.probeBuffer };
    const worker = new Worker(this.pool.options.workerFile ?? WORKER_FILE, {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: this.pool.options.workerHeapMb ?? 512 },
    });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === "ready") {
          worker.off("error", reject);
          // Starting keeps the process alive (someone may await ready()); idle does not.
          if (this.inflight.length === 0) worker.unref();
          resolve();
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the thread exited with code ${code} before its engine was ready`)));
    });
    this.ready.then(
      () => {
        if (worker !== this.worker) return;
        this.starting = false;
        this.pool.fill(this);
      },
      (e: Error) => {
        if (worker !== this.worker) return;
        this.startError = e;
        this.pool.startFailed(e);
      },
    );
    worker.on("message", (m: FromWorker) => {
      if (worker === this.worker) this.onMessage(m);
    });
    worker.on("error", (e: Error & { code?: string }) => {
      // A thread that never got ready is not replaced (it would fail again, in a loop): its
      // `ready` rejects and the pool answers the queued requests with why (startFailed).
      if (worker !== this.worker || this.starting) return;
      this.replace(e.code === "ERR_WORKER_OUT_OF_MEMORY" ? "js-heap" : "worker-crashed", `${e.name}: ${e.message}`);
    });
    worker.on("exit", (code) => {
      if (worker === this.worker && !this.starting && !this.pool.closed) this.replace("worker-crashed", `the thread exited with code ${code}`);
    });
  }

  /** Room for another job: the engine is up and fewer than PIPELINE_DEPTH are posted. */
  get hasRoom(): boolean {
    return !this.starting && this.inflight.length < PIPELINE_DEPTH;
  }

  run(job: Job): void {
    this.inflight.push(job);
    this.worker.ref(); // a pending request keeps the process alive; an idle pool does not
    const message: ToWorker = { type: "run", id: job.id, request: job.request };
    this.worker.postMessage(message);
    if (this.inflight.length === 1) this.begin();
  }

  /** The first job in flight starts (or is about to): its clock starts now. */
  private begin(): void {
    this.filterIndex = 0;
    const job = this.job;
    if (job) this.arm(job);
  }

  private arm(job: Job): void {
    clearTimeout(this.timer);
    const seconds = job.request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    const ms = Math.min(seconds * 1000 + (this.pool.options.killGraceMs ?? 1000), MAX_TIMER_MS);
    this.timer = setTimeout(() => this.replace("timeout", `past the ${seconds} s timeout`), ms);
  }

  private onMessage(m: FromWorker): void {
    const job = this.job;
    // The thread runs its jobs in order: a message is always about the first one in flight.
    if (!job || m.type === "ready" || m.id !== job.id) return;
    if (m.type === "filter-start") {
      this.filterIndex = m.index;
      this.arm(job);
    } else if (m.type === "probe") {
      const buffer = this.probeBuffer;
      const answer = (text: string | undefined) => {
        // Only the request that asked, on the thread that asked, gets the answer.
        if (this.job === job && this.probeBuffer === buffer) writeProbeAnswer(buffer, m.seq, text);
      };
      this.pool.options.prober(m.ip, m.port, m.haproxyV2, m.tls).then(answer, (e: Error) => answer(`probe failed: ${e.message}`));
    } else if (m.type === "done") {
      this.finish({ kind: "done", result: m.result });
    } else if (m.type === "failed") {
      this.replace("engine-failure", m.message);
    }
  }

  /** Ends the thread (its VM cannot be trusted any more), starts a new one unless the pool is
   * closed, and answers the running request with the cause. The requests posted behind it never
   * started: they go back to the front of the pool's queue. */
  replace(cause: StopCause, detail: string): void {
    const old = this.worker;
    void old.terminate();
    clearTimeout(this.timer);
    const [running, ...waiting] = this.inflight.splice(0);
    // The new thread first, so that the requeued jobs cannot be posted to the old one.
    if (!this.pool.closed) this.start();
    this.pool.requeue(waiting);
    if (running) running.resolve({ kind: "stopped", filterIndex: this.filterIndex, cause, detail });
  }

  finish(result: PoolResult): void {
    clearTimeout(this.timer);
    const job = this.inflight.shift()!;
    if (this.inflight.length === 0) this.worker.unref();
    else this.begin();
    job.resolve(result);
    if (!this.pool.closed) this.pool.fill(this);
  }
}

export class WorkerPool {
  readonly engineOptions: EngineOptions;
  private readonly workers: PoolWorker[];
  private readonly queue: Job[] = [];
  private ids = 0;
  closed = false;

  constructor(readonly options: PoolOptions) {
    this.engineOptions = { memoryLimitBytes: options.memoryLimitBytes };
    const size = options.workers ?? Math.max(1, os.availableParallelism());
    this.workers = Array.from({ length: size }, () => new PoolWorker(this));
  }

  /** Resolves when every worker has its engine ready (useful before measuring). */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ready));
  }

  /** Validates the run (a RequestError rejects it) and posts it to the least busy thread with room, or queues it. */
  run(request: RunRequest | PreparedRun): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new Error("the runtime is closed"));
    let prepared: PreparedRun;
    try {
      prepared = prepareRun(request);
    } catch (e) {
      return Promise.reject(e);
    }
    const failed = this.workers.every((w) => w.startError) ? this.workers[0]?.startError : undefined;
    if (failed) return Promise.reject(this.startError(failed));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.ids, request: prepared, resolve, reject });
      // The least busy thread with room takes it; otherwise it waits in the queue.
      let best: PoolWorker | undefined;
      for (const w of this.workers) if (w.hasRoom && (!best || w.inflight.length < best.inflight.length)) best = w;
      if (best) this.fill(best);
    });
  }

  /** Posts queued jobs to `worker` while it has room. */
  fill(worker: PoolWorker): void {
    while (worker.hasRoom && this.queue.length > 0) {
      // An idle thread elsewhere takes a job before this one queues a second behind its first.
      if (worker.inflight.length > 0 && this.workers.some((w) => w !== worker && w.hasRoom && w.inflight.length === 0)) return;
      worker.run(this.queue.shift()!);
    }
  }

  /** Jobs a replaced thread had been given but never started: first in line again. */
  requeue(jobs: Job[]): void {
    if (jobs.length === 0) return;
    if (this.closed) {
      for (const job of jobs) job.reject(new Error("the runtime was closed before the request started"));
      return;
    }
    this.queue.unshift(...jobs);
    for (const w of this.workers) this.fill(w);
  }

  /** A thread's engine could not start. When no thread can, the requests cannot run: they are
   * answered with why, now and from then on. */
  startFailed(e: Error): void {
    if (!this.workers.every((w) => w.startError)) return;
    for (const job of this.queue.splice(0)) job.reject(this.startError(e));
  }

  private startError(e: Error): Error {
    return new Error(`cannot start a runtime worker (${this.options.workerFile ?? WORKER_FILE}): ${e.message}. In a checkout of the SDK, run node build/bundle-tools.mjs (npm test and the npm scripts do); an installed package ships it.`);
  }

  /** Stops every thread. Queued requests are rejected; running ones resolve as stopped
   * ("closed"); no thread is started again. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("the runtime was closed before the request started"));
    const idle = this.workers.filter((w) => !w.job).map((w) => w.worker);
    const busy = this.workers.filter((w) => w.job).map((w) => w.worker);
    for (const w of this.workers) if (w.job) w.replace("closed", "close() was called");
    // An idle thread is asked to end by itself (a forced termination while V8 compiles for it in
    // the background can abort the process); a running one, or one that does not end within a
    // second, is terminated.
    await Promise.all([
      ...busy.map((t) => t.terminate()),
      ...idle.map((t) => new Promise<void>((resolve) => {
        const timer = setTimeout(() => void t.terminate().then(() => resolve()), 1000);
        t.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        t.postMessage({ type: "close" } satisfies ToWorker);
      })),
    ]);
  }
}
