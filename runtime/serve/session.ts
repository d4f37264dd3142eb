// Nauthilus names every request with a KSUID (`ksuid.New()`, server/core/http.go:399-400): the
// X-Nauthilus-Session header and request.session. 20 bytes (seconds since 2014-05-13T16:53:20Z,
// then 16 random bytes) written in base62 (0-9A-Za-z), always 27 characters.
import crypto from "node:crypto";

const EPOCH_SECONDS = 1_400_000_000;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function newSession(nowMs = Date.now()): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.floor(nowMs / 1000) - EPOCH_SECONDS, 0);
  crypto.randomFillSync(bytes, 4);
  let n = BigInt(`0x${bytes.toString("hex")}`);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, "0");
}
