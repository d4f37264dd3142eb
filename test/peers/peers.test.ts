// The probe, the PROXY v2 encoder and the monitoring registry against real Dovecot and haproxy.
import fs from "node:fs";
import net from "node:net";
import tls from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../runtime/index";
import { startMonitor } from "../../runtime/monitoring/monitor";
import { probeBackend } from "../../runtime/monitoring/probe";
import { encodeProxyV2, PROXY_V2_SIGNATURE } from "../../runtime/monitoring/proxy-protocol";
import { Registry } from "../../runtime/monitoring/registry";
import type { ServerRecord } from "../../runtime/types";
import { PEERS_FILE, startDovecotB, stopDovecotB, waitForPort, type Peers } from "./peers";

const peers = JSON.parse(fs.readFileSync(PEERS_FILE, "utf8")) as Peers;
const A = peers.dovecotA;

/** Connects (optionally TLS), sends `prefix`, then logs in; returns the server's lines. */
async function imapLogin(port: number, options: { prefix?: Buffer; tls?: boolean } = {}): Promise<string> {
  const raw = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => raw.once("connect", resolve).once("error", reject));
  if (options.prefix) raw.write(options.prefix);
  const socket: net.Socket = options.tls ? tls.connect({ socket: raw, rejectUnauthorized: false, servername: "" }) : raw;
  let text = "";
  socket.on("data", (d) => (text += d));
  socket.on("error", () => {});
  const until = async (re: RegExp) => {
    for (let i = 0; i < 200 && !re.test(text); i++) await new Promise((r) => setTimeout(r, 10));
  };
  await until(/^\* OK/m);
  socket.write(`a LOGIN ${peers.user.name} ${peers.user.password}\r\n`);
  await until(/^a (OK|NO|BAD)/m);
  socket.destroy();
  return text;
}

describe("check_backend_connection's probe against Dovecot", () => {
  it.each([
    ["plain", A.plain, false, false],
    ["PROXY v2 only", A.proxy, true, false],
    ["TLS", A.tls, false, true],
    ["PROXY v2 + TLS", A.proxyTls, true, true],
  ])("%s listener: the probe as configured succeeds", async (_name, port, haproxyV2, useTls) => {
    expect(await probeBackend({ ip: "127.0.0.1", port, haproxyV2, tls: useTls })).toBeUndefined();
  });

  it("TLS to the plain listener fails like Go", async () => {
    expect(await probeBackend({ ip: "127.0.0.1", port: A.plain, haproxyV2: false, tls: true })).toBe(
      "tls: first record does not look like a TLS handshake",
    );
  });

  it("a PROXY header into the TLS listener (no haproxy = yes) gets a reset during the handshake", async () => {
    const error = await probeBackend({ ip: "127.0.0.1", port: A.tls, haproxyV2: true, tls: true });
    expect(error).toMatch(/^(read tcp 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+: read: connection reset by peer|EOF|tls: first record does not look like a TLS handshake)$/);
  });

  it("the LOCAL header is accepted by Dovecot's PROXY listener: a login then works", async () => {
    expect(await imapLogin(A.proxy, { prefix: encodeProxyV2({ command: "LOCAL" }) })).toMatch(/^a OK/m);
  });
});

describe("the full PROXY v2 form, cross-checked", () => {
  it("Dovecot takes the client address from our header (rip in its log)", async () => {
    const header = encodeProxyV2({ command: "PROXY", source: { ip: "192.0.2.77", port: 40001 }, destination: { ip: "127.0.0.1", port: A.proxy } });
    expect(await imapLogin(A.proxy, { prefix: header })).toMatch(/^a OK/m);
    await new Promise((r) => setTimeout(r, 200));
    expect(fs.readFileSync(A.log, "utf8")).toMatch(/Login: user=<alice>.*rip=192\.0\.2\.77/);
  });

  it("Dovecot with TLS after the header: the IPv6 form works too", async () => {
    const header = encodeProxyV2({ command: "PROXY", source: { ip: "2001:db8::5", port: 40002 }, destination: { ip: "::1", port: 993 } });
    expect(await imapLogin(A.proxyTls, { prefix: header, tls: true })).toMatch(/^a OK/m);
    await new Promise((r) => setTimeout(r, 200));
    expect(fs.readFileSync(A.log, "utf8")).toMatch(/rip=2001:db8::5/);
  });

  it("haproxy (accept-proxy) parses our header and re-sends the same addresses with send-proxy-v2", async () => {
    const received: Buffer[] = [];
    const recorder = net.createServer((s) => s.on("data", (d) => received.push(d)));
    await new Promise<void>((resolve) => recorder.listen(peers.haproxy.recorderPort, "127.0.0.1", resolve));
    try {
      const client = net.connect(peers.haproxy.port, "127.0.0.1");
      await new Promise<void>((resolve) => client.once("connect", resolve));
      client.write(encodeProxyV2({ command: "PROXY", source: { ip: "198.51.100.9", port: 51234 }, destination: { ip: "203.0.113.4", port: 143 } }));
      client.write("hello\r\n");
      for (let i = 0; i < 200 && Buffer.concat(received).indexOf("hello") < 0; i++) await new Promise((r) => setTimeout(r, 10));
      client.destroy();
      const bytes = Buffer.concat(received);
      expect(bytes.subarray(0, 12)).toEqual(PROXY_V2_SIGNATURE);
      expect(bytes[12]).toBe(0x21); // v2, PROXY
      expect(bytes[13]).toBe(0x11); // TCP over IPv4
      const length = bytes.readUInt16BE(14);
      const addr = bytes.subarray(16, 16 + 12);
      expect([...addr.subarray(0, 4)].join(".")).toBe("198.51.100.9");
      expect([...addr.subarray(4, 8)].join(".")).toBe("203.0.113.4");
      expect(addr.readUInt16BE(8)).toBe(51234);
      expect(addr.readUInt16BE(10)).toBe(143);
      expect(bytes.subarray(16 + length).toString()).toBe("hello\r\n");
    } finally {
      recorder.close();
    }
  });
});

describe("monitoring against a real Dovecot", () => {
  it("a stopped Dovecot leaves the list within one interval and comes back after a restart", async () => {
    const a: ServerRecord = { protocol: "imap", ip: "127.0.0.1", port: A.plain, haproxy_v2: false, tls: false };
    const b: ServerRecord = { protocol: "imap", ip: peers.dovecotB.ip, port: peers.dovecotB.plain, haproxy_v2: false, tls: false };
    const registry = new Registry([a, b]);
    const intervalMs = 500;
    const monitor = startMonitor(registry, [a, b], { intervalMs });
    try {
      await monitor.firstRound;
      expect(registry.snapshot().map((s) => s.ip).sort()).toEqual(["127.0.0.1", "127.0.0.2"]);

      stopDovecotB(peers);
      await waitForPort(b.ip, b.port, false);
      const down = Date.now();
      while (registry.snapshot().length !== 1 && Date.now() - down < 5 * intervalMs) await new Promise((r) => setTimeout(r, 20));
      expect(registry.snapshot()).toEqual([a]);
      expect(Date.now() - down).toBeLessThanOrEqual(intervalMs + 300);

      startDovecotB(peers);
      await waitForPort(b.ip, b.port, true);
      const up = Date.now();
      while (registry.snapshot().length !== 2 && Date.now() - up < 5 * intervalMs) await new Promise((r) => setTimeout(r, 20));
      expect(registry.snapshot().map((s) => s.ip).sort()).toEqual(["127.0.0.1", "127.0.0.2"]);
      expect(Date.now() - up).toBeLessThanOrEqual(intervalMs + 300);
    } finally {
      monitor.stop();
    }
  });
});

describe("check_backend_connection in a filter, through the runtime", () => {
  const runtime = createRuntime({ workers: 2 });
  afterAll(() => runtime.close());

  it("the verified-director example probes the real backends and selects one that answers", async () => {
    const { FilterCompiler } = await import("../../build/build-filters");
    const path = await import("node:path");
    const root = path.resolve(__dirname, "../..");
    const compiled = new FilterCompiler({ cwd: root, outDir: path.join(root, "dist", "filters") }).compile([path.join(root, "filters-ts", "verified-director.ts")]);
    const servers: ServerRecord[] = [
      { protocol: "imap", ip: "127.0.0.1", port: 1, haproxy_v2: false, tls: false }, // nothing listens
      { protocol: "imap", ip: "127.0.0.1", port: A.proxyTls, haproxy_v2: true, tls: true },
    ];
    const o = await runtime.run({
      filters: [{ name: "dist/filters/verified-director.lua", source: compiled.filters[0].lua! }],
      servers,
      attributes: {},
      request: { account: "alice", protocol: "imap", authenticated: true, service: "nginx" },
    });
    expect(o.outcome).toBe("ok");
    expect(o.selected).toEqual({ ip: "127.0.0.1", port: A.proxyTls });
  });

  it("a slow probe in one request does not hold up another request", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const slow = `dynamic_loader("nauthilus_backend")
local b = require("nauthilus_backend")
function nauthilus_call_filter(r)
  nauthilus_builtin.custom_log_add("probe", b.check_backend_connection("127.0.0.1", ${port}, false, true) or "nil")
  return false, 0
end
`;
    const quick = `function nauthilus_call_filter(r) return false, 0 end\n`;
    const started = Date.now();
    const slowRun = runtime.run({ filters: [{ name: "slow.lua", source: slow }], servers: [], attributes: {}, request: {} });
    await new Promise((r) => setTimeout(r, 100));
    const quickOutcome = await runtime.run({ filters: [{ name: "quick.lua", source: quick }], servers: [], attributes: {}, request: {} });
    const quickDone = Date.now() - started;
    expect(quickOutcome.filters).toEqual([{ name: "quick.lua", action: false, code: 0 }]);
    expect(quickDone).toBeLessThan(2000);
    const slowOutcome = await slowRun;
    expect(slowOutcome.logs[0]?.[1] ?? slowOutcome.error).toMatch(/i\/o timeout/);
    silent.close();
  });
});
