// The monitoring registry (contract §6) with an injected prober and fake timers: no sleeping.
import { afterEach, describe, expect, it, vi } from "vitest";
import { startMonitor } from "../../runtime/monitoring/monitor";
import { Registry } from "../../runtime/monitoring/registry";
import type { ServerRecord } from "../../runtime/types";

const server = (n: number): ServerRecord => ({ protocol: "imap", ip: `10.0.0.${n}`, port: 143, haproxy_v2: false, tls: false });
const A = server(1), B = server(2), C = server(3);
afterEach(() => vi.useRealTimers());

/** A prober whose answers and delays the test sets per server. */
function scripted() {
  const down = new Set<string>();
  const delay = new Map<string, number>();
  const calls: string[] = [];
  const prober = async (ip: string, port: number) => {
    calls.push(ip);
    await new Promise((r) => setTimeout(r, delay.get(ip) ?? 0));
    return down.has(ip) ? `dial tcp ${ip}:${port}: connect: connection refused` : undefined;
  };
  return { down, delay, calls, prober };
}

describe("monitoring registry", () => {
  it("publishes every configured server before the first round", () => {
    const registry = new Registry([A, B, C]);
    expect(registry.snapshot()).toEqual([A, B, C]);
  });

  it("one failure drops a server, one success brings it back; publishes in probe-completion order", async () => {
    vi.useFakeTimers();
    const registry = new Registry([A, B, C]);
    const p = scripted();
    p.down.add(B.ip);
    p.delay.set(A.ip, 30);
    const published: boolean[] = [];
    const monitor = startMonitor(registry, [A, B, C], { intervalMs: 10_000, prober: p.prober, onRound: (x) => published.push(x) });
    await vi.advanceTimersByTimeAsync(50);
    expect(registry.snapshot()).toEqual([C, A]); // C finished before A (A was slower)
    expect(registry.status().servers.find((s) => s.server === B)).toMatchObject({ alive: false, lastError: "dial tcp 10.0.0.2:143: connect: connection refused" });

    p.down.delete(B.ip);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(registry.snapshot()).toEqual([B, C, A]);
    expect(published).toEqual([true, true]);
    monitor.stop();
  });

  it("probes all servers concurrently and again every interval; unchanged membership publishes nothing", async () => {
    vi.useFakeTimers();
    const registry = new Registry([A, B, C]);
    const p = scripted();
    for (const s of [A, B, C]) p.delay.set(s.ip, 1000);
    const rounds: boolean[] = [];
    const monitor = startMonitor(registry, [A, B, C], { intervalMs: 10_000, prober: p.prober, onRound: (x) => rounds.push(x) });
    await vi.advanceTimersByTimeAsync(1);
    expect(p.calls).toEqual(["10.0.0.1", "10.0.0.2", "10.0.0.3"]); // all three started at once
    await vi.advanceTimersByTimeAsync(1000);
    expect(rounds).toEqual([false]); // every configured server answered: membership unchanged
    const before = registry.snapshot();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(p.calls.length).toBe(6);
    expect(rounds.length).toBe(2);
    expect(registry.snapshot()).toBe(before); // the same list object: nothing published
    monitor.stop();
  });

  it("a request's snapshot does not change when the registry publishes", async () => {
    vi.useFakeTimers();
    const registry = new Registry([A, B]);
    const snapshot = registry.snapshot();
    const p = scripted();
    p.down.add(A.ip);
    const monitor = startMonitor(registry, [A, B], { prober: p.prober });
    await vi.advanceTimersByTimeAsync(5);
    expect(snapshot).toEqual([A, B]);
    expect(registry.snapshot()).toEqual([B]);
    expect(Object.isFrozen(registry.snapshot()) && Object.isFrozen(registry.snapshot()[0])).toBe(true);
    monitor.stop();
  });

  it("with no servers configured nothing is probed and the list stays empty", async () => {
    const registry = new Registry([]);
    const p = scripted();
    const monitor = startMonitor(registry, [], { prober: p.prober });
    await monitor.firstRound;
    expect(p.calls).toEqual([]);
    expect(registry.snapshot()).toEqual([]);
  });
});
