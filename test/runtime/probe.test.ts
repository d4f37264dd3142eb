// The probe against real loopback servers: what it sends, and Go's error text for each fault.
import dns from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeBackend } from "../../runtime/monitoring/probe";
import {
  closedPort, nxdomainDns, recordingServer, resettingServer, saturatedListener, selfSignedCertificate, silentServer, tlsServer,
} from "../helpers/fake-backends";

let credentials: { key: string; cert: string };
beforeAll(() => {
  credentials = selfSignedCertificate();
});
const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanup) await c();
});

describe("what the probe sends (contract §3.5)", () => {
  it("plain: connects and sends nothing", async () => {
    const server = await recordingServer();
    cleanup.push(server.close);
    expect(await probeBackend({ ip: "127.0.0.1", port: server.port, haproxyV2: false, tls: false })).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.received[0].length).toBe(0);
  });

  it("haproxy_v2: exactly the 16-byte PROXY v2 LOCAL header, nothing else", async () => {
    const server = await recordingServer();
    cleanup.push(server.close);
    expect(await probeBackend({ ip: "127.0.0.1", port: server.port, haproxyV2: true, tls: false })).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(server.received[0].toString("hex")).toBe("0d0a0d0a000d0a515549540a20000000");
  });

  it("tls: a handshake with a self-signed certificate succeeds (no verification) and sends no SNI", async () => {
    const server = await tlsServer(credentials);
    cleanup.push(server.close);
    expect(await probeBackend({ ip: "127.0.0.1", port: server.port, haproxyV2: false, tls: true })).toBeUndefined();
    expect(server.sni).toEqual([]);
    // The server does see names when a client sends them: the check above can fail.
    const tlsModule = await import("node:tls");
    await new Promise<void>((resolve) => {
      const c = tlsModule.connect({ host: "127.0.0.1", port: server.port, servername: "imap.example.org", rejectUnauthorized: false }, () => {
        c.destroy();
        resolve();
      });
      c.on("error", () => resolve());
    });
    expect(server.sni).toEqual(["imap.example.org"]);
  });

  it("IPv6 literals are dialled bracketed", async () => {
    let server;
    try {
      server = await recordingServer("::1");
    } catch {
      return; // no IPv6 loopback on this machine
    }
    cleanup.push(server.close);
    expect(await probeBackend({ ip: "::1", port: server.port, haproxyV2: false, tls: false })).toBeUndefined();
    const port = await closedPort("::1");
    expect(await probeBackend({ ip: "::1", port, haproxyV2: false, tls: false })).toBe(`dial tcp [::1]:${port}: connect: connection refused`);
  });
});

describe("each fault gives Go's error text", () => {
  it("refused", async () => {
    const port = await closedPort();
    expect(await probeBackend({ ip: "127.0.0.1", port, haproxyV2: false, tls: false })).toBe(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });

  it("connect timeout (a listener whose accept queue is full)", async () => {
    const server = await saturatedListener();
    cleanup.push(server.close);
    const started = Date.now();
    expect(await probeBackend({ ip: "127.0.0.1", port: server.port, haproxyV2: false, tls: false }, { timeoutMs: 400 })).toBe(
      `dial tcp 127.0.0.1:${server.port}: i/o timeout`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it("DNS failure (a DNS server on loopback answering NXDOMAIN)", async () => {
    const server = await nxdomainDns();
    cleanup.push(server.close);
    const resolver = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([server.address]);
    expect(await probeBackend({ ip: "mail.nonexistent.test", port: 143, haproxyV2: false, tls: false }, { resolver })).toBe(
      `dial tcp: lookup mail.nonexistent.test on ${server.address}: no such host`,
    );
  });

  it("TLS to a plain port", async () => {
    const server = await recordingServer();
    cleanup.push(server.close);
    expect(await probeBackend({ ip: "127.0.0.1", port: server.port, haproxyV2: false, tls: true })).toBe(
      "tls: first record does not look like a TLS handshake",
    );
  });

  it("plain to a TLS port: production only connects, so this succeeds (nil)", async () => {
    const server = await tlsServer(credentials);
    cleanup.push(server.close);
    expect(await probeBackend({ ip: "127.0.0.1", port: server.port, haproxyV2: false, tls: false })).toBeUndefined();
  });

  it("a PROXY header into a TLS port, then a handshake: the server resets (read: connection reset by peer)", async () => {
    const server = await resettingServer();
    cleanup.push(server.close);
    const error = await probeBackend({ ip: "127.0.0.1", port: server.port, haproxyV2: true, tls: true });
    expect(error).toMatch(new RegExp(`^read tcp 127\\.0\\.0\\.1:\\d+->127\\.0\\.0\\.1:${server.port}: read: connection reset by peer$`));
  });

  it("a hung TLS handshake is bounded (deliberate difference 1) and says so", async () => {
    const server = await silentServer();
    cleanup.push(server.close);
    const error = await probeBackend({ ip: "127.0.0.1", port: server.port, haproxyV2: false, tls: true }, { timeoutMs: 300 });
    expect(error).toBe(
      `tls handshake with 127.0.0.1:${server.port}: i/o timeout (the local runtime bounds the TLS handshake by the probe timeout, 300 ms; production would wait)`,
    );
  });
});
