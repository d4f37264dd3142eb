// `nauthilus-filters serve`: the local Nauthilus endpoint (runtime/serve/server.ts) as a command.
import { parseArgs } from "node:util";
import { DEFAULT_LISTEN, startServe } from "../serve/server";
import { MONITOR_INTERVAL_MS } from "../monitoring/monitor";

export const SERVE_HELP = `Usage: nauthilus-filters serve --config FILE [--users FILE] [--listen HOST:PORT] [--interval SECONDS] [--workers N]

Runs a local Nauthilus v1.3.9 HTTP endpoint for nginx's mail proxy (auth_http) and other clients:
GET|POST /api/v1/auth/{nginx,header,json,basic}, GET /ping, and GET /status (the registry, the
loaded filters). The config's lua.filters run for every request (.lua as is, .ts compiled), on
the live backend list the monitoring loop keeps (feature backend_server_monitoring). Saving the
config, a filter or the users file reloads it; one that no longer loads keeps its last good
version and the log says why.

  --config FILE        a Nauthilus config (server.features, backend_server_monitoring, lua;
                       server.address is not read: use --listen)
  --users FILE         the local password backend (YAML, see the README); without it every user
                       is unknown and the filters still run, as production runs them
  --listen HOST:PORT   default ${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port} (Nauthilus's default)
  --interval SECONDS   monitoring round interval, default ${MONITOR_INTERVAL_MS / 1000} (production's)
  --workers N          threads running filters, default: the number of cores
  -h, --help           this text

Every request, reload and change of the live list is one JSON line on stdout. The environment
variable NAUTHILUS_LUA_SCRIPT_TIMEOUT (seconds per filter, default 120) applies as in production.
Ctrl-C stops it.`;

export class ServeUsageError extends Error {
  override name = "ServeUsageError";
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: "string" },
      users: { type: "string" },
      listen: { type: "string" },
      interval: { type: "string" },
      workers: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new ServeUsageError(`serve takes no FILTER arguments (the config's lua.filters run), got "${positionals.join(" ")}"`);
  if (!values.config) throw new ServeUsageError("serve needs --config FILE");
  const listen = parseListen(values.listen);
  const interval = values.interval === undefined ? MONITOR_INTERVAL_MS / 1000 : Number(values.interval);
  if (!(interval > 0)) throw new ServeUsageError(`--interval must be a positive number of seconds, got "${values.interval}"`);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new ServeUsageError(`--workers must be a whole number >= 1, got "${values.workers}"`);
  const timeoutText = process.env.NAUTHILUS_LUA_SCRIPT_TIMEOUT;
  const timeoutSeconds = timeoutText === undefined || timeoutText === "" ? undefined : Number(timeoutText);
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) {
    throw new ServeUsageError(`NAUTHILUS_LUA_SCRIPT_TIMEOUT must be a positive number of seconds, got "${timeoutText}"`);
  }

  // Lines written together once per turn of the event loop: one write for many requests.
  let pending = "";
  const flush = () => {
    const text = pending;
    pending = "";
    process.stdout.write(text);
  };
  const log = (entry: Record<string, unknown>) => {
    if (pending === "") setImmediate(flush);
    pending += `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`;
  };
  const serve = await startServe({
    configFile: values.config, usersFile: values.users, host: listen.host, port: listen.port,
    monitorIntervalMs: interval * 1000, timeoutSeconds, workers, log,
  });
  const inputs = serve.live.current();
  log({
    event: "listening", url: serve.url, filters: inputs.filters.map((f) => f.name), users: values.users ? inputs.users.size : null,
    monitoring: inputs.config.monitoring ? inputs.config.servers.map((s) => `${s.ip}:${s.port}`) : false,
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void serve.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

function parseListen(text: string | undefined): { host: string; port: number } {
  if (text === undefined) return DEFAULT_LISTEN;
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ServeUsageError(`--listen must be HOST:PORT (e.g. 127.0.0.1:9080, [::1]:9080), got "${text}"`);
  return { host: m[1] ?? m[2], port };
}
