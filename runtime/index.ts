// The runtime's public surface: createRuntime() runs requests through filter chains on worker
// threads and answers with the Outcome production would produce.
import { decideOutcome } from "./nauthilus/outcome";
import { WorkerPool, type Prober } from "./vm/pool";
import { probeBackend } from "./monitoring/probe";
import { prepareRun } from "./nauthilus/request";
import type { Outcome, RunRequest } from "./types";

export type { Outcome, RunRequest, FilterScript, ServerRecord, BackendAttributes, FilterCall } from "./types";
export type { Prober } from "./vm/pool";

export interface RuntimeOptions {
  /** Worker threads (default: the number of cores). */
  workers?: number;
  /** check_backend_connection's probe (default: real TCP/PROXY v2/TLS probes, runtime/monitoring/probe.ts). */
  prober?: Prober;
  /** Lua heap cap per request, in bytes (default 256 MiB). */
  memoryLimitBytes?: number;
}

export interface Runtime {
  run(request: RunRequest): Promise<Outcome>;
  /** Resolves when the workers are up. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const pool = new WorkerPool({
    workers: options.workers,
    memoryLimitBytes: options.memoryLimitBytes,
    prober: options.prober ?? ((ip, port, haproxyV2, tls) => probeBackend({ ip, port, haproxyV2, tls })),
  });
  return {
    async run(request) {
      const prepared = prepareRun(request); // validated once, here; a RequestError rejects the run
      return decideOutcome(prepared, await pool.run(prepared));
    },
    ready: () => pool.ready(),
    close: () => pool.close(),
  };
}
