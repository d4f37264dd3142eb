// HAProxy PROXY protocol v2 (haproxy's doc/proxy-protocol.txt, section 2.2).
// Nauthilus v1.3.9 sends only the fixed LOCAL header (monitoring/connection.go); the full form
// with addresses is here for later use, checked against haproxy and Dovecot in test/peers.
import net from "node:net";

/** The 12-byte signature every v2 header starts with. */
export const PROXY_V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

const VERSION_2 = 0x20;
const COMMAND_LOCAL = 0x00;
const COMMAND_PROXY = 0x01;
const FAMILY_UNSPEC = 0x00;
const TCP_OVER_IPV4 = 0x11;
const TCP_OVER_IPV6 = 0x21;

/** Version 2, command LOCAL, family UNSPEC, no address bytes: exactly what v1.3.9 writes. */
export const PROXY_V2_LOCAL_HEADER = encodeProxyV2({ command: "LOCAL" });

export type ProxyV2Header =
  | { command: "LOCAL" }
  | { command: "PROXY"; source: { ip: string; port: number }; destination: { ip: string; port: number } };

/** Encodes a v2 header; PROXY takes TCP over IPv4 or IPv6 (both addresses of one family). */
export function encodeProxyV2(header: ProxyV2Header): Buffer {
  if (header.command === "LOCAL") {
    return Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([VERSION_2 | COMMAND_LOCAL, FAMILY_UNSPEC, 0x00, 0x00])]);
  }
  const { source, destination } = header;
  const family = net.isIPv4(source.ip) ? 4 : net.isIPv6(source.ip) ? 6 : 0;
  if (family === 0 || net.isIP(destination.ip) !== family) {
    throw new Error(`PROXY v2 needs two IP addresses of one family, got ${source.ip} and ${destination.ip}`);
  }
  for (const p of [source.port, destination.port]) {
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`PROXY v2 port out of range: ${p}`);
  }
  const addresses = Buffer.concat([ipBytes(source.ip), ipBytes(destination.ip), port(source.port), port(destination.port)]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(addresses.length);
  return Buffer.concat([
    PROXY_V2_SIGNATURE,
    Buffer.from([VERSION_2 | COMMAND_PROXY, family === 4 ? TCP_OVER_IPV4 : TCP_OVER_IPV6]),
    length,
    addresses,
  ]);
}

function port(p: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(p);
  return b;
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split(".").map(Number));
  // Expand "::" and an embedded IPv4 tail into eight 16-bit groups.
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
