// A worker thread that owns one engine and serves one request at a time for runtime/vm/pool.ts.
// It runs off the main thread so that a runaway filter can be stopped by terminating the thread
// (the only way to stop a catastrophic string pattern, which runs inside C code), and so that a
// probe can block this filter synchronously while the main thread keeps serving.
import { parentPort, workerData } from "node:worker_threads";
import { Engine, type ChainResult, type EngineOptions } from "./engine";
import type { PreparedRun } from "../nauthilus/request";
import { awaitProbeAnswer } from "./probe-channel";

export type ToWorker = { type: "run"; id: number; request: PreparedRun } | { type: "close" };
export type FromWorker =
  | { type: "ready" }
  | { type: "filter-start"; id: number; index: number }
  | { type: "probe"; id: number; seq: number; ip: string; port: number; haproxyV2: boolean; tls: boolean }
  | { type: "done"; id: number; result: ChainResult; memoryUsed: number }
  | { type: "failed"; id: number; message: string };

export interface WorkerInput {
  options: EngineOptions;
  probeBuffer: SharedArrayBuffer;
}

async function serve(): Promise<void> {
  const port = parentPort!;
  const input = workerData as WorkerInput;
  const engine = await Engine.create(input.options);
  const send = (message: FromWorker) => port.postMessage(message);
  let seq = 0;

  port.on("message", (message: ToWorker) => {
    if (message.type === "close") {
      // Ends the thread by itself (its event loop runs dry): terminating a thread while V8
      // still compiles for it in the background can abort the whole process (a Node bug).
      engine.close();
      port.close();
      return;
    }
    const { id, request } = message;
    try {
      const result = engine.runChain(request, {
        probe(ip, port, haproxyV2, tls) {
          send({ type: "probe", id, seq: ++seq, ip, port, haproxyV2, tls });
          return awaitProbeAnswer(input.probeBuffer, seq);
        },
        onFilterStart(index) {
          // The pool starts the first filter's clock when the job becomes the thread's first in
          // flight: one message fewer per request.
          if (index > 0) send({ type: "filter-start", id, index });
        },
      });
      send({ type: "done", id, result, memoryUsed: engine.memoryUsed() });
    } catch (e) {
      // The VM itself broke (a wasm trap, an abort, an exhausted native stack): its module can
      // no longer be trusted, so the pool replaces this whole thread.
      send({ type: "failed", id, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  });
  send({ type: "ready" });
}

void serve();
