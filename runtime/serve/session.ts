// Nauthilus names every request with a KSUID (`ksuid.New()`, server/core/http.go:399-400): the
// X-Nauthilus-Session header and request.session. 20 bytes (seconds since 2014-05-13T16:53:20Z,
// then 16 random bytes) written in base62 (0-9A-Za-z), always 27 characters.
import crypto from "node:crypto";

const EPOCH_SECONDS = 1_400_000_000;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function newSession(nowMs = Date.now()): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.floor(nowMs / 1000) - EPOCH_SECONDS, 0);
  randomBytes(16).copy(bytes, 4);
  return encodeKsuid(bytes);
}

// Random bytes drawn from the system 4 KiB at a time: one call per 256 sessions.
let pool = Buffer.alloc(0);
let used = 0;
function randomBytes(n: number): Buffer {
  if (used + n > pool.length) {
    pool = crypto.randomBytes(4096);
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}

/** The 27-character base62 text of a KSUID's 20 bytes. */
export function encodeKsuid(bytes: Buffer): string {
  // Long division of the 160-bit number by 62, in five 32-bit limbs (BigInt is slower).
  const limbs = [0, 4, 8, 12, 16].map((at) => bytes.readUInt32BE(at));
  let out = "";
  while (limbs.some((l) => l !== 0)) {
    let rest = 0;
    for (let i = 0; i < limbs.length; i++) {
      const value = rest * 2 ** 32 + limbs[i];
      limbs[i] = Math.floor(value / 62);
      rest = value % 62;
    }
    out = ALPHABET[rest] + out;
  }
  return out.padStart(27, "0");
}
