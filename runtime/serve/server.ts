// `nauthilus-filters serve`: a local Nauthilus v1.3.9 HTTP endpoint. The data flows one way:
// config (live-config.ts) → monitoring registry → per-request state (auth-request.ts, the users
// file, the registry's snapshot taken when the request starts) → filter chain (the worker pool)
// → outcome (runtime/nauthilus/outcome.ts) → HTTP answer (http-answer.ts) → one log line.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startMonitor, MONITOR_INTERVAL_MS, type Monitor } from "../monitoring/monitor";
import { probeBackend } from "../monitoring/probe";
import { Registry, type RegistryStatus } from "../monitoring/registry";
import { decideOutcome } from "../nauthilus/outcome";
import { prepareRun } from "../nauthilus/request";
import type { Config } from "../nauthilus/config";
import { WorkerPool, type Prober } from "../vm/pool";
import type { Outcome, ServerRecord } from "../types";
import { readAuthRequest, type AuthRequest } from "./auth-request";
import { httpAnswer, type HttpAnswer } from "./http-answer";
import { LiveConfig, type ReloadEvent, type ServeInputs } from "./live-config";
import { newSession } from "./session";
import { fromBytes } from "../vm/wire";

export interface ServeOptions {
  configFile: string;
  usersFile?: string;
  host?: string;
  port?: number;
  /** Monitoring round interval (production: 10 s). */
  monitorIntervalMs?: number;
  workers?: number;
  prober?: Prober;
  /** NAUTHILUS_LUA_SCRIPT_TIMEOUT: seconds per filter (default 120). */
  timeoutSeconds?: number;
  /** Requests in flight before 429 (production's server.max_concurrent_requests default, 3000;
   * the config's value is not read). */
  maxConcurrent?: number;
  /** Where the structured log lines go (one object per event). */
  log: (entry: Record<string, unknown>) => void;
  cwd?: string;
}

export interface Serve {
  url: string;
  port: number;
  live: LiveConfig;
  status(): ServeStatus;
  close(): Promise<void>;
}

export interface ServeStatus {
  generation: number;
  filters: string[];
  users: number;
  monitoring: boolean;
  registry: RegistryStatus | null;
  inFlight: number;
}

export class ServeStartError extends Error {
  override name = "ServeStartError";
}

export const DEFAULT_LISTEN = { host: "127.0.0.1", port: 9080 }; // definitions/const.go:200
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CONCURRENT = 3000; // definitions/const.go:281

/** The registry of the current config's backends and the monitor probing them. */
class Monitoring {
  registry: Registry | null = null;
  private monitor: Monitor | undefined;
  private key = "";
  private stopped = false;

  constructor(private readonly options: ServeOptions) {}

  /** Starts (or restarts, when the backends or the feature changed) monitoring for a config. */
  follow(config: Config): void {
    const key = JSON.stringify([config.monitoring, config.servers]);
    if (key === this.key || this.stopped) return;
    this.key = key;
    this.monitor?.stop();
    this.monitor = undefined;
    this.registry = null;
    if (!config.monitoring) return;
    const registry = new Registry(config.servers);
    this.registry = registry;
    this.monitor = startMonitor(registry, config.servers, {
      intervalMs: this.options.monitorIntervalMs ?? MONITOR_INTERVAL_MS,
      prober: this.options.prober,
      onRound: (published) => {
        const s = registry.status();
        // The first round says what is up; after that, only changes of the live list.
        if ((!published && s.rounds > 1) || this.registry !== registry) return;
        this.options.log({
          event: "monitoring", round: s.rounds, alive: s.published.map((x) => `${x.ip}:${x.port}`),
          down: s.servers.filter((x) => !x.alive).map((x) => ({ server: `${x.server.ip}:${x.server.port}`, error: x.lastError })),
        });
      },
    });
  }

  /** The alive list a request sees, taken once when it starts. */
  snapshot(): readonly ServerRecord[] {
    return this.registry?.snapshot() ?? [];
  }

  stop(): void {
    this.stopped = true;
    this.monitor?.stop();
  }
}

export async function startServe(options: ServeOptions): Promise<Serve> {
  const log = options.log;
  const monitoring = new Monitoring(options);
  const live = await LiveConfig.start({
    configFile: options.configFile,
    usersFile: options.usersFile,
    cwd: options.cwd,
    onReload: (event: ReloadEvent, inputs: ServeInputs) => {
      log({ ...event });
      if (event.event === "reloaded") monitoring.follow(inputs.config);
    },
  });
  monitoring.follow(live.current().config);
  const pool = new WorkerPool({
    workers: options.workers,
    prober: options.prober ?? ((ip, port, haproxyV2, tls) => probeBackend({ ip, port, haproxyV2, tls })),
  });
  let inFlight = 0;
  const maxConcurrent = options.maxConcurrent ?? MAX_CONCURRENT;

  const status = (): ServeStatus => {
    const inputs = live.current();
    return {
      generation: inputs.generation,
      filters: inputs.filters.map((f) => f.name),
      users: inputs.users.size,
      monitoring: inputs.config.monitoring,
      registry: monitoring.registry?.status() ?? null,
      inFlight,
    };
  };

  const server = http.createServer(
    {
      // Go's http.Server in Nauthilus: ReadHeaderTimeout and ReadTimeout 10 s, IdleTimeout 1 min
      // (server/core/http.go:561-567). A client that sends its headers slowly is cut off.
      headersTimeout: 10_000,
      requestTimeout: 10_000,
      keepAliveTimeout: 60_000,
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      inFlight++;
      res.on("close", () => inFlight--);
      handle(req, res).catch((e: NodeJS.ErrnoException) => {
        // A client that goes away in the middle of its body is the client's business.
        if (e.code === "ECONNRESET" || e.message === "aborted") {
          log({ event: "client-error", error: e.code ?? e.message });
          return;
        }
        log({ event: "internal-error", error: e.stack ?? String(e) });
        if (!res.headersSent) send(res, { status: 500, headers: [], body: "" });
        else res.destroy();
      });
    },
  );
  // A client that closes its sending side after the request (`nc -N`) still gets its answer, as
  // from Go; Node's default ends the connection at the client's FIN and drops the answer.
  (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // Malformed requests, oversized headers (431), header timeouts (slowloris): Node answers or
    // closes; we only say what happened.
    log({ event: "client-error", error: err.code ?? err.message });
    if (socket.writable && !socket.writableEnded) {
      const code = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
      socket.end(`HTTP/1.1 ${code}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // The limiter is Nauthilus's first middleware: every route counts (http.go:109-114, 1017).
    if (inFlight > maxConcurrent) {
      log({ event: "request", refused: "too many requests in flight", limit: maxConcurrent });
      return void send(res, { status: 429, headers: [], contentType: "application/json; charset=utf-8", body: '{"msg":"Too many requests"}' });
    }
    const target = requestTarget(req.url ?? "/");
    const method = req.method ?? "GET";
    if (target === undefined) return void send(res, { status: 400, headers: [], contentType: "text/plain; charset=utf-8", body: "400 Bad Request" });
    const { path, query } = target;
    if (path === "/ping" && method === "GET") return void send(res, { status: 200, headers: [], contentType: "text/plain; charset=utf-8", body: "pong" });
    if (path === "/status" && method === "GET") {
      return void send(res, { status: 200, headers: [], contentType: "application/json; charset=utf-8", body: JSON.stringify(status(), null, 2) });
    }
    const parts = path.split("/");
    const isApi = parts.length === 5 && parts[1] === "api" && parts[2] === "v1" && parts[3] !== "" && parts[4] !== "";
    if (method !== "GET" && method !== "POST") return void send(res, NOT_FOUND);
    // gin's RedirectTrailingSlash: 301 for GET, 307 otherwise, to the path without the slash.
    if (!isApi && path.endsWith("/") && path.length > 1) {
      const bare = path.slice(0, -1).split("/");
      if (bare.length === 5 && bare[1] === "api" && bare[2] === "v1" && bare[3] !== "" && bare[4] !== "") {
        return void send(res, { status: method === "GET" ? 301 : 307, headers: [["Location", path.slice(0, -1)]], body: "" });
      }
    }
    if (!isApi) return void send(res, NOT_FOUND);
    if (parts[3] !== "auth") return void send(res, { status: 404, headers: [], body: "" });
    const body = await readBody(req);
    if (body === undefined) return void send(res, { status: 413, headers: [], contentType: "text/plain; charset=utf-8", body: `request body larger than ${MAX_BODY_BYTES} bytes\n` });
    const started = performance.now();
    const auth = readAuthRequest({
      method, service: parts[4], query, headers: req.headersDistinct, contentType: req.headers["content-type"], body,
    });
    if ("refused" in auth) {
      log({ event: "request", service: parts[4], http_status: auth.status, refused: auth.reason });
      return void send(res, auth);
    }
    const ran = await authenticate(auth);
    const { request, outcome } = ran;
    const answer = httpAnswer(outcome, { service: auth.service, session: request.session, accountField: request.account_field });
    const notes = send(res, answer);
    log(requestLine(auth, ran, answer, notes, performance.now() - started));
  }

  /** Passdb, then the filter chain on the registry's snapshot, then the outcome rules. */
  async function authenticate(auth: AuthRequest): Promise<Ran> {
    const inputs = live.current(); // one consistent set for the whole request
    // An empty password fails before any backend or filter runs (auth.go:1411-1415), unless no-auth.
    const skip = auth.password === "" && !auth.noAuth;
    const passdb = skip
      ? { user_found: false, authenticated: false, account: "", account_field: "", attributes: null }
      : await inputs.users.authenticate(auth.username, auth.password);
    const run = prepareRun({
      filters: skip ? [] : [...inputs.filters],
      servers: inputs.config.monitoring ? [...monitoring.snapshot()] : [],
      attributes: passdb.attributes,
      request: {
        ...auth.fields,
        session: newSession(),
        user_found: passdb.user_found,
        // no-auth: a user the passdb found counts as authenticated (auth.go:934-936).
        authenticated: passdb.authenticated || (auth.noAuth && passdb.user_found),
        account: passdb.account,
        account_field: passdb.account_field,
      },
      timeoutSeconds: options.timeoutSeconds,
      packagePath: inputs.config.packagePath,
      monitoring: inputs.config.monitoring,
      loginAttempt: auth.loginAttempt,
    });
    const result = await pool.run(run);
    const outcome = decideOutcome(run, result);
    const filterMs = result.kind === "done" ? result.result.filterMs : [];
    return { outcome, request: run.request, filters: run.filters.slice(0, filterMs.length).map((f, i) => ({ name: f.name, ms: round(filterMs[i]) })) };
  }

  function requestLine(auth: AuthRequest, { request, outcome, filters }: Ran, answer: HttpAnswer, notes: string[], ms: number): Record<string, unknown> {
    const diagnostics = [...auth.notes, ...outcome.diagnostics, ...notes];
    const authStatus = answer.headers.find(([n]) => n === "Auth-Status")?.[1] ?? null;
    return {
      event: "request",
      session: request.session,
      service: auth.service,
      user: auth.username,
      protocol: shown(request.protocol),
      client_ip: shown(request.client_ip),
      outcome: outcome.outcome,
      http_status: answer.status,
      auth_status: authStatus,
      selected: outcome.selected ? `${outcome.selected.ip}:${outcome.selected.port}` : null,
      filters,
      ms: round(ms),
      ...(outcome.error ? { error: outcome.error_ts ?? outcome.error } : {}),
      ...(outcome.logs.length > 0 ? { logs: Object.fromEntries(outcome.logs) } : {}),
      ...(diagnostics.length > 0 ? { diagnostics } : {}),
    };
  }

  const host = options.host ?? DEFAULT_LISTEN.host;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? DEFAULT_LISTEN.port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    // Nothing may keep the process alive after a failed start (watchers, monitor, threads).
    live.close();
    monitoring.stop();
    await pool.close();
    const error = e as NodeJS.ErrnoException;
    throw new ServeStartError(`cannot listen on ${host}:${options.port ?? DEFAULT_LISTEN.port}: ${error.code === "EADDRINUSE" ? "the address is in use (another serve or Nauthilus?); choose another with --listen" : error.message}`);
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    live,
    status,
    async close() {
      live.close();
      monitoring.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}

/** One request's trip through the chain. */
interface Ran {
  outcome: Outcome;
  request: FilterRequest;
  /** Each filter that started, with its time in ms. */
  filters: Array<{ name: string; ms: number }>;
}

const EMPTY = Buffer.alloc(0);
/** A request field for the log: bytes that are not UTF-8 (kept for the filters) as text. */
const shown = (v: string | Uint8Array): string => (typeof v === "string" ? v : fromBytes(Buffer.from(v)).text);
const NOT_FOUND = { status: 404, headers: [], contentType: "text/plain", body: "404 page not found" };

/**
 * The path gin routes on and the query, from the request target as Go's url.ParseRequestURI reads
 * it: the path percent-decoded (`%2F` is a slash), dot segments and `#` kept as they are, the
 * absolute form (`http://host/path`) reduced to its path. Undefined when Go refuses it (400).
 */
export function requestTarget(raw: string): { path: string; query: URLSearchParams } | undefined {
  let rest = raw;
  if (!rest.startsWith("/")) {
    const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/.exec(rest);
    if (!absolute) return rest === "*" ? { path: "*", query: new URLSearchParams() } : undefined;
    if (absolute[1].startsWith("[") && !absolute[1].includes("]")) return undefined; // "missing ']' in host"
    rest = absolute[2] === "" || absolute[2].startsWith("?") ? `/${absolute[2]}` : absolute[2];
  }
  const q = rest.indexOf("?");
  const rawPath = q < 0 ? rest : rest.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return undefined; // an invalid %-escape: Go answers 400
  }
  return { path, query: new URLSearchParams(q < 0 ? "" : rest.slice(q + 1)) };
}
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The body, or undefined when it is larger than MAX_BODY_BYTES. */
async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  // Most requests (nginx's GET) have none: no stream to wait for.
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
    req.resume();
    return EMPTY;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

// Node refuses header values with control bytes other than tab; Go writes them (after turning CR
// and LF into spaces). They become spaces here, so no line is ever broken or injected.
const NOT_SENDABLE = /[\x00-\x08\x0a-\x1f\x7f]/g;

/** Writes an answer, header values as their UTF-8 bytes as Go writes strings; returns notes on
 * what could not be sent as production sends it. */
function send(res: http.ServerResponse, answer: Pick<HttpAnswer, "status" | "headers" | "body" | "contentType">): string[] {
  const flat: string[] = [];
  const notes: string[] = [];
  for (const [name, value] of answer.headers) {
    const bytes = Buffer.from(value, "utf8").toString("latin1");
    const sendable = bytes.replace(NOT_SENDABLE, " ");
    if (sendable !== bytes) notes.push(`header ${name} holds control bytes: sent as spaces here; production writes them as they are`);
    flat.push(name, sendable);
  }
  const body = Buffer.from(answer.body, "utf8");
  if (answer.contentType) flat.push("Content-Type", answer.contentType);
  flat.push("Content-Length", String(body.length));
  res.writeHead(answer.status, flat);
  if (body.length > 0) res.end(body);
  else res.end(); // headers only: one write, not two
  return notes;
}
