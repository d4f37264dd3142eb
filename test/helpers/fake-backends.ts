// In-process loopback servers for probe tests: each listens on 127.0.0.1 with a free port and
// behaves like one kind of backend (or one kind of fault).
import { execFileSync } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";

export interface Backend {
  port: number;
  close(): Promise<void>;
}

async function listen(server: net.Server, host = "127.0.0.1"): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as net.AddressInfo).port;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
}

/** A plain TCP server that records every byte each connection sends and greets like IMAP. */
export async function recordingServer(host = "127.0.0.1"): Promise<Backend & { received: Buffer[]; servedConnections(): number }> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    sockets.add(s);
    const index = connections++;
    received[index] = Buffer.alloc(0);
    s.on("data", (d) => (received[index] = Buffer.concat([received[index], d])));
    s.on("error", () => {});
    s.write("* OK IMAP4rev1 ready\r\n");
  });
  const port = await listen(server, host);
  return { port, received, servedConnections: () => connections, close: closer(server, sockets) };
}

/** A self-signed certificate made with openssl for this test run. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-cert-"));
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=backend.test",
    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
  ], { stdio: "ignore" });
  return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
}

/** A TLS server (implicit TLS, like IMAPS); records every server name a ClientHello carried (SNI). */
export async function tlsServer(credentials: { key: string; cert: string }): Promise<Backend & { sni: string[] }> {
  const sni: string[] = [];
  const sockets = new Set<net.Socket>();
  const context = tls.createSecureContext(credentials);
  const options: tls.TlsOptions = {
    ...credentials,
    // Called for every ClientHello that names a server, and only then.
    SNICallback: (name, cb) => {
      sni.push(name);
      cb(null, context);
    },
  };
  const server = tls.createServer(options, (s) => {
    s.on("error", () => {});
    s.end("* OK IMAPS ready\r\n");
  });
  server.on("connection", (s) => sockets.add(s));
  server.on("tlsClientError", () => {});
  const port = await listen(server);
  return { port, sni, close: closer(server, sockets) };
}

/** Accepts connections and never says a word (a hung TLS handshake). */
export async function silentServer(): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
  });
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** Resets every connection as soon as data arrives. */
export async function resettingServer(): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.once("data", () => s.resetAndDestroy());
  });
  const port = await listen(server);
  return { port, close: closer(server, sockets) };
}

/** A loopback port with nothing listening on it. */
export async function closedPort(host = "127.0.0.1"): Promise<number> {
  const server = net.createServer();
  const port = await listen(server, host);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A listener whose accept queue is full, so a further connection attempt hangs (its SYN is
 * dropped) until the prober's timeout: a real connect timeout on loopback. Node accepts every
 * connection itself, so the listener is a python3 socket that never calls accept().
 */
export async function saturatedListener(): Promise<Backend> {
  const { spawn } = await import("node:child_process");
  const child = spawn("python3", ["-c", "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(600)"]);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (d) => resolve(Number(String(d).trim())));
    child.once("error", reject);
  });
  const held = Array.from({ length: 3 }, () => net.connect(port, "127.0.0.1").on("error", () => {}));
  await new Promise((r) => setTimeout(r, 200));
  return {
    port,
    close: async () => {
      for (const s of held) s.destroy();
      child.kill();
    },
  };
}

/** A DNS server on 127.0.0.1 that answers every query with NXDOMAIN. */
export async function nxdomainDns(): Promise<{ address: string; close(): void }> {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (query, peer) => {
    const answer = Buffer.from(query);
    answer[2] = 0x81; // QR, RD
    answer[3] = 0x83; // RA, RCODE 3 (NXDOMAIN)
    answer.writeUInt16BE(0, 6); // no answers
    socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { address: `127.0.0.1:${socket.address().port}`, close: () => socket.close() };
}
