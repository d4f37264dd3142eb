// The byte-exact wire between JavaScript and the VM. wasmoon moves strings as NUL-terminated
// UTF-8 (a NUL cuts them, a lone surrogate swallows the next character, bytes that are not UTF-8
// come back as U+FFFD), while production's Lua strings are bytes. So every string that crosses is
// made ASCII without NUL first: into the VM as tagged, length-prefixed values (`packValues`,
// decoded by `unpack_values` in runtime/vm/lua/nauthilus.lua), out of the VM as itself when it is
// plain ASCII and as "\x01" + hex otherwise (`to_host` there, `fromVm` here).

/** What the VM gave back: the text, and the exact bytes when they are not valid UTF-8. */
export interface VmString {
  text: string;
  /** Set when the bytes are not UTF-8: `text` then shows U+FFFD where production has the bytes. */
  bytes?: Buffer;
}

const PLAIN = /^[\x01-\x7f]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/** One ASCII string for many values: per value a tag (s ASCII string, x hex bytes, n number,
 * t true, f false), the payload's length, ":" and the payload. JavaScript strings become their
 * UTF-8 bytes (a lone surrogate becomes U+FFFD, as Go's JSON decoder makes it). */
export function packValues(values: ReadonlyArray<string | number | boolean | Uint8Array>): string {
  let out = "";
  for (const v of values) {
    if (v instanceof Uint8Array) {
      const hex = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex");
      out += `x${hex.length}:${hex}`;
    } else if (typeof v === "string") {
      if (PLAIN.test(v)) out += `s${v.length}:${v}`;
      else {
        const hex = Buffer.from(v, "utf8").toString("hex");
        out += `x${hex.length}:${hex}`;
      }
    } else if (typeof v === "number") {
      const text = Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? String(v) : v.toPrecision(17);
      out += `n${text.length}:${text}`;
    } else out += v ? "t0:" : "f0:";
  }
  return out;
}

/** A string the VM sent through `to_host`. */
export function fromVm(s: string): VmString {
  if (typeof s !== "string") throw new TypeError(`the VM sent ${typeof s} where the wire carries a string`);
  if (s.charCodeAt(0) !== 1) return { text: s };
  return fromBytes(Buffer.from(s.slice(1), "hex"));
}

/** The exact bytes of a string the VM sent (file paths, environment names). */
export function bytesFromVm(s: string): Buffer {
  return s.charCodeAt(0) === 1 ? Buffer.from(s.slice(1), "hex") : Buffer.from(s, "latin1");
}

/** Bytes as text: exact when they are UTF-8, otherwise with U+FFFD and the bytes kept. */
export function fromBytes(bytes: Buffer): VmString {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: lenient.decode(bytes), bytes };
  }
}

/** The bytes as a quoted literal (printable ASCII as is, every other byte as \\xNN) for diagnostics. */
export function quoteBytes(bytes: Buffer): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `${out}"`;
}
