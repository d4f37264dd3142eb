// Benchmark: one monitoring round over N = 10, 100, 1000 in-process loopback listeners. Prints the
// round time against the slowest single probe of that round (the baseline: a round cannot be
// faster), and the main event loop's lag while the round runs.
// Run: npm run bench:monitoring
import net from "node:net";
import os from "node:os";
import { startMonitor } from "../runtime/monitoring/monitor";
import { probeBackend } from "../runtime/monitoring/probe";
import { Registry } from "../runtime/monitoring/registry";
import type { ServerRecord } from "../runtime/types";

async function listeners(n: number): Promise<{ servers: ServerRecord[]; close(): void }> {
  const handles: net.Server[] = [];
  const servers: ServerRecord[] = [];
  for (let i = 0; i < n; i++) {
    const server = net.createServer((s) => s.on("error", () => {}).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    handles.push(server);
    servers.push({ protocol: "imap", ip: "127.0.0.1", port: (server.address() as net.AddressInfo).port, haproxy_v2: i % 2 === 0, tls: false });
  }
  return { servers, close: () => handles.forEach((h) => h.close()) };
}

/** How late a 1 ms timer fires while the round runs: the event loop's lag, in ms, sorted. */
function lagProbe(): { stop(): number[] } {
  const gaps: number[] = [];
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    gaps.push(Math.max(0, now - last - 1));
    last = now;
    if (running) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  return {
    stop() {
      running = false;
      return gaps.sort((a, b) => a - b);
    },
  };
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus()[0].model.trim()} x${os.cpus().length}, node ${process.version}`);
  console.log("N      round ms  slowest probe ms  ratio  (goal <= 2x at N=1000)  loop lag p99 / max ms (goal < 10)");
  for (const n of [10, 100, 1000]) {
    const { servers, close } = await listeners(n);
    const rounds: Array<{ round: number; slowest: number; p99: number; max: number }> = [];
    for (let r = 0; r < 5; r++) {
      const registry = new Registry(servers);
      let slowest = 0;
      const lag = lagProbe();
      const t0 = performance.now();
      const monitor = startMonitor(registry, servers, {
        intervalMs: 3_600_000,
        prober: async (ip, port, haproxyV2, tls) => {
          const p0 = performance.now();
          const e = await probeBackend({ ip, port, haproxyV2, tls });
          slowest = Math.max(slowest, performance.now() - p0);
          return e;
        },
      });
      await monitor.firstRound;
      const round = performance.now() - t0;
      monitor.stop();
      const gaps = lag.stop();
      if (registry.status().servers.some((s) => !s.alive)) throw new Error("a listener did not answer");
      rounds.push({ round, slowest, p99: gaps[Math.floor(gaps.length * 0.99)] ?? 0, max: gaps[gaps.length - 1] ?? 0 });
    }
    rounds.sort((a, b) => a.round - b.round);
    const m = rounds[Math.floor(rounds.length / 2)];
    console.log(
      `${String(n).padEnd(6)} ${m.round.toFixed(1).padStart(8)}  ${m.slowest.toFixed(1).padStart(16)}  ${(m.round / m.slowest).toFixed(2).padStart(5)}x` +
        `${"".padEnd(26)}${m.p99.toFixed(1)} / ${m.max.toFixed(1)}`,
    );
    close();
  }
}

void main();
