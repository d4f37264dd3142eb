// A worker thread that owns one engine and serves one request at a time for runtime/pool.ts.
// It runs off the main thread so that a runaway filter can be stopped by terminating the thread
// (the only way to stop a catastrophic string pattern, which runs inside C code), and so that a
// probe can block this filter synchronously while the main thread keeps serving.
import { parentPort, workerData } from "node:worker_threads";
import { Engine, type ChainResult, type EngineOptions } from "./engine";
import type { RunRequest } from "./types";
import { readProbeAnswer } from "./probe-channel";

export type ToWorker = { type: "run"; id: number; request: RunRequest };
export type FromWorker =
  | { type: "ready" }
  | { type: "filter-start"; id: number; index: number }
  | { type: "probe"; id: number; ip: string; port: number; haproxyV2: boolean; tls: boolean }
  | { type: "done"; id: number; result: ChainResult; memoryUsed: number }
  | { type: "failed"; id: number; message: string };

export interface WorkerInput {
  options: EngineOptions;
  probeBuffer: SharedArrayBuffer;
}

async function serve(): Promise<void> {
  const port = parentPort!;
  const input = workerData as WorkerInput;
  const probeBuffer = new Int32Array(input.probeBuffer, 0, 2);
  let engine = await Engine.create(input.options);
  const send = (message: FromWorker) => port.postMessage(message);

  port.on("message", (message: ToWorker) => {
    const { id, request } = message;
    try {
      const result = engine.runChain(request, {
        probe(ip, port, haproxyV2, tls) {
          Atomics.store(probeBuffer, 0, 0);
          send({ type: "probe", id, ip, port, haproxyV2, tls });
          Atomics.wait(probeBuffer, 0, 0);
          return readProbeAnswer(input.probeBuffer);
        },
        onFilterStart(index) {
          send({ type: "filter-start", id, index });
        },
      });
      send({ type: "done", id, result, memoryUsed: engine.memoryUsed() });
    } catch (e) {
      // The engine itself broke (a wasm trap): report it and start over with a new one.
      send({ type: "failed", id, message: (e as Error).message });
      void Engine.create(input.options).then((fresh) => (engine = fresh));
    }
  });
  send({ type: "ready" });
}

void serve();
