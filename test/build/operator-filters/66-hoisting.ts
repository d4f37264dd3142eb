// Helpers declared after their first use, as function declarations are hoisted in JavaScript.
import { get_backend_servers, select_backend_server } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

const DEFAULT_POOL = poolFor("default");

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const pool = choose(request.protocol);
  const server = get_backend_servers().find((s) => s.protocol === request.protocol && s.ip.startsWith(pool));
  if (server !== undefined) select_backend_server(server.ip, server.port);
  nauthilus_builtin.status_message_set(`pool=${pool} | default=${DEFAULT_POOL} | server=${server?.ip ?? "none"} | even=${isEven(request.username.length)}`);
  return accept();

  function choose(protocol: string): string {
    return protocol === "imap" ? poolFor("imap") : poolFor(protocol);
  }
}

function poolFor(name: string): string {
  return name === "imap" ? "10.0.1." : name === "pop3" ? "10.0.2." : "10.0.";
}

function isEven(n: number): boolean {
  return n === 0 ? true : isOdd(n - 1);
}

function isOdd(n: number): boolean {
  return n === 0 ? false : isEven(n - 1);
}
