// check_backend_connection's probe (contract §3.5, monitoring/connection.go:64-121): TCP connect,
// the PROXY v2 LOCAL header if haproxy_v2, a TLS handshake without verification and without SNI
// if tls, then close. Errors read like Go's net and crypto/tls errors.
import net from "node:net";
import tls from "node:tls";
import { PROXY_V2_LOCAL_HEADER } from "./proxy-protocol";

export const PROBE_TIMEOUT_MS = 5000;

export interface ProbeTarget {
  ip: string;
  port: number;
  haproxyV2: boolean;
  tls: boolean;
}

/** Resolves to undefined when the backend answered, else to Go's error text. Never rejects. */
export function probeBackend(target: ProbeTarget, timeoutMs = PROBE_TIMEOUT_MS): Promise<string | undefined> {
  const address = net.isIPv6(target.ip) ? `[${target.ip}]:${target.port}` : `${target.ip}:${target.port}`;
  return new Promise((resolve) => {
    const deadline = setTimeout(() => done(`dial tcp ${address}: i/o timeout`), timeoutMs);
    const socket = net.connect({ host: target.ip, port: target.port });
    let finished = false;
    function done(error: string | undefined): void {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve(error);
    }
    socket.once("error", (e: NodeJS.ErrnoException) => done(goDialError(address, target.ip, e)));
    socket.once("connect", () => {
      if (target.haproxyV2) socket.write(PROXY_V2_LOCAL_HEADER);
      if (!target.tls) return done(undefined);
      clearTimeout(deadline);
      // Unlike production, the handshake is bounded too (deliberate difference 1).
      const handshakeDeadline = setTimeout(
        () => done(`tls handshake with ${address}: i/o timeout after ${timeoutMs} ms (the local runtime bounds the TLS handshake; production waits without limit)`),
        timeoutMs,
      );
      const secure = tls.connect({ socket, rejectUnauthorized: false, servername: "" });
      secure.once("secureConnect", () => {
        clearTimeout(handshakeDeadline);
        secure.destroy();
        done(undefined);
      });
      secure.once("error", (e: NodeJS.ErrnoException) => {
        clearTimeout(handshakeDeadline);
        done(goTlsError(e));
      });
    });
  });
}

function goDialError(address: string, host: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case "ECONNREFUSED":
      return `dial tcp ${address}: connect: connection refused`;
    case "ECONNRESET":
      return `dial tcp ${address}: connect: connection reset by peer`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `dial tcp: lookup ${host}: no such host`;
    case "ETIMEDOUT":
      return `dial tcp ${address}: i/o timeout`;
    case "EHOSTUNREACH":
      return `dial tcp ${address}: connect: no route to host`;
    case "ENETUNREACH":
      return `dial tcp ${address}: connect: network is unreachable`;
    default:
      return `dial tcp ${address}: ${e.message}`;
  }
}

function goTlsError(e: NodeJS.ErrnoException): string {
  if (e.code === "ECONNRESET") return "read tcp: connection reset by peer";
  if (/wrong version number|packet length too long|unknown protocol/i.test(e.message)) {
    return "tls: first record does not look like a TLS handshake";
  }
  if (/socket disconnected|ECONNRESET|socket hang up/i.test(e.message)) return "EOF";
  return `tls: ${e.message}`;
}
