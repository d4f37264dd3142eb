// check_backend_connection's probe and the monitoring loop's (contract §3.5,
// monitoring/connection.go:64-121): TCP connect with a timeout, then the 16-byte PROXY v2 LOCAL
// header if haproxy_v2, then a TLS handshake without certificate verification and without SNI
// if tls; no mail-protocol bytes; then close. Errors read like Go's net and crypto/tls errors.
import type dns from "node:dns";
import net from "node:net";
import tls from "node:tls";
import { PROXY_V2_LOCAL_HEADER } from "./proxy-protocol";

export const PROBE_TIMEOUT_MS = 5000; // monitoring/connection.go: net.DialTimeout(..., 5*time.Second)

export interface ProbeTarget {
  ip: string;
  port: number;
  haproxyV2: boolean;
  tls: boolean;
}

export interface ProbeOptions {
  timeoutMs?: number;
  /**
   * Resolves host names. Default: the system resolver (getaddrinfo). With a dns.Resolver the
   * error names the DNS server the way Go's resolver does (`lookup h on 127.0.0.1:53: …`).
   */
  resolver?: dns.promises.Resolver;
}

/** Resolves to undefined when the backend answered, else to Go's error text. Never rejects. */
export async function probeBackend(target: ProbeTarget, options: ProbeOptions = {}): Promise<string | undefined> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const started = Date.now();
  let host = target.ip;
  if (net.isIP(host) === 0) {
    const resolved = await resolve(host, options.resolver);
    if ("error" in resolved) return resolved.error;
    host = resolved.address;
  }
  const address = `${net.isIPv6(host) ? `[${host}]` : host}:${target.port}`;
  const shown = net.isIP(target.ip) === 0 ? `${net.isIPv6(host) ? `[${host}]` : host}:${target.port}` : address;
  return new Promise((done) => {
    let finished = false;
    const socket = net.connect({ host, port: target.port });
    const finish = (error: string | undefined) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      done(error);
    };
    let timer = setTimeout(() => finish(`dial tcp ${shown}: i/o timeout`), Math.max(0, timeoutMs - (Date.now() - started)));
    socket.once("error", (e: NodeJS.ErrnoException) => finish(dialError(shown, e)));
    socket.once("connect", () => {
      clearTimeout(timer);
      if (target.haproxyV2) socket.write(PROXY_V2_LOCAL_HEADER);
      if (!target.tls) {
        // Production writes the header and closes; a write error would surface on the next call.
        socket.end(() => finish(undefined));
        return;
      }
      const local = `${socket.localAddress}:${socket.localPort}`;
      const remote = `${socket.remoteAddress}:${socket.remotePort}`;
      // Deliberate difference 1: production sets no handshake deadline; here it is bounded.
      timer = setTimeout(
        () => finish(`tls handshake with ${shown}: i/o timeout (the local runtime bounds the TLS handshake by the probe timeout, ${timeoutMs} ms; production would wait)`),
        timeoutMs,
      );
      socket.removeAllListeners("error");
      // servername "" sends no SNI, as Go does for a tls.Config without ServerName.
      const secure = tls.connect({ socket, rejectUnauthorized: false, servername: "" });
      secure.once("secureConnect", () => {
        secure.destroy();
        finish(undefined);
      });
      secure.once("error", (e: NodeJS.ErrnoException) => finish(tlsError(e, local, remote)));
      socket.once("close", () => finish("EOF"));
    });
  });
}

async function resolve(host: string, resolver: dns.promises.Resolver | undefined): Promise<{ address: string } | { error: string }> {
  try {
    if (resolver) {
      const [server] = resolver.getServers();
      try {
        const [address] = await resolver.resolve4(host);
        return { address };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const on = server ? ` on ${server}` : "";
        if (code === "ENOTFOUND" || code === "ENODATA") return { error: `dial tcp: lookup ${host}${on}: no such host` };
        if (code === "ETIMEOUT") return { error: `dial tcp: lookup ${host}${on}: i/o timeout` };
        return { error: `dial tcp: lookup ${host}${on}: ${(e as Error).message}` };
      }
    }
    const { lookup } = await import("node:dns/promises");
    const { address } = await lookup(host);
    return { address };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTFOUND" || code === "EAI_NONAME") return { error: `dial tcp: lookup ${host}: no such host` };
    return { error: `dial tcp: lookup ${host}: ${(e as Error).message}` };
  }
}

/** Go's dial error text for a socket error (`e.code`), as Nauthilus reports it. */
export function dialError(address: string, e: Pick<NodeJS.ErrnoException, "code" | "message">): string {
  switch (e.code) {
    case "ECONNREFUSED":
      return `dial tcp ${address}: connect: connection refused`;
    case "ECONNRESET":
      return `dial tcp ${address}: connect: connection reset by peer`;
    case "ETIMEDOUT":
      return `dial tcp ${address}: i/o timeout`;
    case "EHOSTUNREACH":
      return `dial tcp ${address}: connect: no route to host`;
    case "ENETUNREACH":
      return `dial tcp ${address}: connect: network is unreachable`;
    case "EADDRNOTAVAIL":
      return `dial tcp ${address}: connect: cannot assign requested address`;
    default:
      return `dial tcp ${address}: ${e.message}`;
  }
}

/** crypto/tls's texts for what a probe meets: a non-TLS answer, a reset, a close. */
function tlsError(e: NodeJS.ErrnoException, local: string, remote: string): string {
  if (e.code === "ECONNRESET") return `read tcp ${local}->${remote}: read: connection reset by peer`;
  if (/wrong version number|packet length too long|unknown protocol|record layer failure/i.test(e.message)) {
    return "tls: first record does not look like a TLS handshake";
  }
  if (/socket disconnected|socket hang up/i.test(e.message)) return "EOF";
  return `tls: ${e.message}`;
}
