// PROXY v2 bytes, asserted against the layout in haproxy's proxy-protocol.txt (section 2.2),
// written out by hand here.
import { describe, expect, it } from "vitest";
import { encodeProxyV2, PROXY_V2_LOCAL_HEADER } from "../../runtime/monitoring/proxy-protocol";

const SIG = "0d0a0d0a000d0a515549540a";

describe("PROXY protocol v2", () => {
  it("the LOCAL header is exactly v1.3.9's 16 bytes (contract §3.5)", () => {
    expect(PROXY_V2_LOCAL_HEADER.toString("hex")).toBe("0d0a0d0a000d0a515549540a20000000");
    expect(PROXY_V2_LOCAL_HEADER.length).toBe(16);
  });

  it("PROXY over TCP/IPv4: version|command 0x21, family 0x11, length 12, addresses, ports", () => {
    const h = encodeProxyV2({ command: "PROXY", source: { ip: "192.0.2.1", port: 52314 }, destination: { ip: "127.0.0.1", port: 143 } });
    expect(h.toString("hex")).toBe(`${SIG}2111000cc0000201` + "7f000001" + "cc5a" + "008f");
  });

  it("PROXY over TCP/IPv6: family 0x21, length 36, 16-byte addresses (:: expanded)", () => {
    const h = encodeProxyV2({ command: "PROXY", source: { ip: "2001:db8::1", port: 1 }, destination: { ip: "::1", port: 993 } });
    expect(h.toString("hex")).toBe(
      `${SIG}21210024` + "20010db8000000000000000000000001" + "00000000000000000000000000000001" + "0001" + "03e1",
    );
  });

  it("an IPv4-mapped IPv6 address keeps its IPv4 tail", () => {
    const h = encodeProxyV2({ command: "PROXY", source: { ip: "::ffff:192.0.2.1", port: 1 }, destination: { ip: "::1", port: 2 } });
    expect(h.subarray(16, 32).toString("hex")).toBe("00000000000000000000ffffc0000201");
  });

  it("mixed families and bad ports are refused", () => {
    expect(() => encodeProxyV2({ command: "PROXY", source: { ip: "192.0.2.1", port: 1 }, destination: { ip: "::1", port: 2 } })).toThrow("one family");
    expect(() => encodeProxyV2({ command: "PROXY", source: { ip: "host", port: 1 }, destination: { ip: "::1", port: 2 } })).toThrow();
    expect(() => encodeProxyV2({ command: "PROXY", source: { ip: "192.0.2.1", port: 70000 }, destination: { ip: "127.0.0.1", port: 2 } })).toThrow("out of range");
  });
});
