// Matches the client address against the trusted networks with arithmetic (IPv4) and expands
// IPv6 addresses for the log.
import { accept, reject } from "nauthilus-sdk";

const TRUSTED = ["192.0.2.0/24", "10.0.0.0/8", "203.0.113.128/25"];

function ipv4ToNumber(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + parseInt(octet, 10), 0);
}

function inNetwork(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split("/");
  const size = Math.pow(2, 32 - Number(bits));
  return Math.floor(ipv4ToNumber(ip) / size) === Math.floor(ipv4ToNumber(net!) / size);
}

function expandIPv6(ip: string): string {
  const [head, tail = ""] = ip.split("::");
  const h = head === "" ? [] : head!.split(":");
  const t = tail === "" ? [] : tail.split(":");
  const zeros = Array.from({ length: 8 - h.length - t.length }, () => "0");
  return [...h, ...zeros, ...t].map((g) => g.padStart(4, "0")).join(":");
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const ip = request.client_ip;
  const out: string[] = [];
  if (ip.includes(":")) {
    out.push(`v6=${expandIPv6(ip)}`, `groups=${expandIPv6(ip).split(":").map((g) => parseInt(g, 16)).join(",")}`);
  } else {
    out.push(`number=${ipv4ToNumber(ip)}`, `hex=${ipv4ToNumber(ip).toString(16).padStart(8, "0")}`);
    out.push(`trusted=${TRUSTED.filter((c) => inNetwork(ip, c)).join(",")}`);
    out.push(`octets=${ip.split(".").map((o) => String.fromCharCode(65 + (Number(o) % 26))).join("")}`);
  }
  const trusted = !ip.includes(":") && TRUSTED.some((c) => inNetwork(ip, c));
  out.push(`is_trusted=${trusted}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  if (!trusted && request.brute_force_counter > 10) return reject();
  return accept();
}
