// HAProxy PROXY protocol v2 (https://www.haproxy.org/download/2.6/doc/proxy-protocol.txt).
// Nauthilus v1.3.9 sends only the fixed LOCAL header (monitoring/connection.go); the full form
// with addresses is here for later use and for cross-checks against haproxy and Dovecot.

/** The 12-byte signature every v2 header starts with. */
export const PROXY_V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** Version 2, command LOCAL (0x20), family UNSPEC (0x00), no address bytes: what v1.3.9 writes. */
export const PROXY_V2_LOCAL_HEADER = Buffer.concat([PROXY_V2_SIGNATURE, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
