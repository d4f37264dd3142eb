// The backend_server_monitoring loop (main.go:903-1041): publish all configured servers, probe
// them all now and then on every tick (10 s), each round probing every server concurrently and
// finishing before the next starts; a round that overruns the tick is followed at once, like a
// Go ticker that dropped ticks. Time and the probe are injected so tests do not sleep.
import type { Prober } from "../vm/pool";
import { probeBackend } from "./probe";
import type { ProbeResult, Registry } from "./registry";
import type { ServerRecord } from "../types";

export const MONITOR_INTERVAL_MS = 10_000; // main.go: time.NewTicker(10 * time.Second)
const START_BATCH = 32;

export interface MonitorOptions {
  intervalMs?: number;
  prober?: Prober;
  /** Called after every round (for the live table and for tests). */
  onRound?: (published: boolean) => void;
  now?: () => number;
}

export interface Monitor {
  /** Resolves when the first round has finished. */
  firstRound: Promise<void>;
  stop(): void;
}

export function startMonitor(registry: Registry, servers: readonly ServerRecord[], options: MonitorOptions = {}): Monitor {
  const intervalMs = options.intervalMs ?? MONITOR_INTERVAL_MS;
  const prober = options.prober ?? ((ip, port, haproxyV2, tls) => probeBackend({ ip, port, haproxyV2, tls }));
  const now = options.now ?? (() => performance.now());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const round = async (): Promise<void> => {
    const started = now();
    const results: ProbeResult[] = [];
    const probes: Promise<void>[] = [];
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i];
      probes.push(
        (async () => {
          const t0 = now();
          const error = await prober(server.ip, server.port, server.haproxy_v2, server.tls);
          results.push({ server, error, latencyMs: now() - t0 }); // completion order
        })(),
      );
      // Opening a thousand sockets in one go stalls the event loop for tens of milliseconds
      // (requests wait meanwhile): start them in batches and let the loop breathe in between.
      if ((i + 1) % START_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(probes);
    if (stopped) return;
    const published = registry.applyRound(results, now() - started);
    options.onRound?.(published);
  };

  const loop = async (): Promise<void> => {
    // Feature on but no servers: nothing is probed and the list stays empty (main.go:1002-1011).
    if (servers.length === 0) return;
    const ticker = now(); // the ticker starts with the loop, not after the first round
    await round();
    const schedule = (start: number) => {
      if (stopped) return;
      timer = setTimeout(async () => {
        const tick = now();
        await round();
        schedule(tick);
      }, Math.max(0, start + intervalMs - now()));
    };
    schedule(ticker);
  };

  const firstRound = loop();
  return {
    firstRound,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
