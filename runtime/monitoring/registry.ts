// The published list of live backends (core.BackendServers in Nauthilus v1.3.9) and, beside it,
// what the monitor last learned about each configured server, for the status view.
import type { ServerRecord } from "../types";

export interface ServerStatus {
  server: ServerRecord;
  alive: boolean;
  /** The last probe's error text (Go's wording), or null after a success or before any probe. */
  lastError: string | null;
  lastLatencyMs: number | null;
  probedAt: number | null;
}

export interface ProbeResult {
  server: ServerRecord;
  error: string | undefined;
  latencyMs: number;
}

export interface RegistryStatus {
  published: readonly ServerRecord[];
  servers: ServerStatus[];
  rounds: number;
  lastRoundMs: number | null;
}

export class Registry {
  private published: readonly ServerRecord[];
  /** The configured entries behind `published` (membership is compared on these). */
  private members: ReadonlySet<ServerRecord>;
  private readonly statuses: Map<ServerRecord, ServerStatus>;
  private rounds = 0;
  private lastRoundMs: number | null = null;

  /** Publishes every configured server: what filters see before the first round (main.go:1030). */
  constructor(configured: readonly ServerRecord[]) {
    this.published = freeze(configured);
    this.members = new Set(configured);
    this.statuses = new Map(configured.map((server) => [server, { server, alive: true, lastError: null, lastLatencyMs: null, probedAt: null }]));
  }

  /** The list a request sees: taken once when its filters start, never changed under it. */
  snapshot(): readonly ServerRecord[] {
    return this.published;
  }

  /**
   * A finished round, results in probe-completion order. One failure drops a server, one success
   * brings it back; a new list (completion order) is published only when membership changed
   * (main.go:903-945). Returns whether it published.
   */
  applyRound(results: readonly ProbeResult[], roundMs: number, now = Date.now()): boolean {
    this.rounds++;
    this.lastRoundMs = roundMs;
    for (const r of results) {
      const status = this.statuses.get(r.server);
      if (!status) continue;
      status.alive = r.error === undefined;
      status.lastError = r.error ?? null;
      status.lastLatencyMs = r.latencyMs;
      status.probedAt = now;
    }
    const alive = results.filter((r) => r.error === undefined).map((r) => r.server);
    const same = alive.length === this.members.size && alive.every((s) => this.members.has(s));
    if (same) return false;
    this.published = freeze(alive);
    this.members = new Set(alive);
    return true;
  }

  status(): RegistryStatus {
    return { published: this.published, servers: [...this.statuses.values()].map((s) => ({ ...s })), rounds: this.rounds, lastRoundMs: this.lastRoundMs };
  }
}

function freeze(servers: readonly ServerRecord[]): readonly ServerRecord[] {
  return Object.freeze(servers.map((s) => Object.freeze({ ...s })));
}
