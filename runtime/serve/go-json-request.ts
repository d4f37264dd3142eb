// The json endpoint's body as gin's ShouldBindJSON decodes it into Nauthilus's JSONRequest
// (server/core/auth.go:98-152 at v1.3.9) with Go's encoding/json: only the first JSON value is
// read (bytes after it are ignored), field names match case-insensitively (the last match wins),
// null leaves a field empty, and a value of the wrong type is a decoding error. Observed against
// gin built from Nauthilus v1.3.9's vendor tree (test/serve/hostile.test.ts).

/** The JSONRequest fields: all strings but auth_login_attempt (uint). */
const STRING_FIELDS = [
  "username", "password", "client_ip", "client_port", "client_hostname", "client_id", "local_ip", "local_port", "service",
  "method", "ssl", "ssl_session_id", "ssl_client_verify", "ssl_client_dn", "ssl_client_cn", "ssl_issuer", "ssl_client_notbefore",
  "ssl_client_notafter", "ssl_subject_dn", "ssl_issuer_dn", "ssl_client_subject_dn", "ssl_client_issuer_dn", "ssl_protocol",
  "ssl_cipher", "ssl_serial", "ssl_fingerprint",
];
const UINT_FIELDS = ["auth_login_attempt"];
const BY_FOLDED = new Map([...STRING_FIELDS, ...UINT_FIELDS].map((f) => [f.toLowerCase(), f]));

export type DecodedJsonRequest =
  | { kind: "ok"; fields: Record<string, string> }
  /** Not JSON, not an object, or a field of the wrong type: Nauthilus answers a bare 400. */
  | { kind: "decode-error"; reason: string }
  /** The body `null`: gin's validator panics on it (recovered as a bare 500). */
  | { kind: "null" };

export function decodeJsonRequest(text: string): DecodedJsonRequest {
  const first = firstJsonValue(text);
  if (first === undefined) return { kind: "decode-error", reason: "the body holds no JSON value" };
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch (e) {
    return { kind: "decode-error", reason: `the body is not JSON: ${(e as Error).message}` };
  }
  if (value === null) return { kind: "null" };
  if (typeof value !== "object" || Array.isArray(value)) return { kind: "decode-error", reason: "the body is not a JSON object" };
  const fields: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = BY_FOLDED.get(key.toLowerCase());
    if (field === undefined || v === null) continue;
    if (UINT_FIELDS.includes(field)) {
      if (!(typeof v === "number" && Number.isInteger(v) && v >= 0)) return { kind: "decode-error", reason: `"${key}" must be an unsigned integer` };
      continue; // parsed but unused by Nauthilus
    }
    if (typeof v !== "string") return { kind: "decode-error", reason: `"${key}" must be a string` };
    fields[field] = v;
  }
  return { kind: "ok", fields };
}

/** The text of the first JSON value (Go's Decoder.Decode reads one and stops), or undefined. */
function firstJsonValue(text: string): string | undefined {
  let i = 0;
  while (i < text.length && " \t\r\n".includes(text[i])) i++;
  if (i === text.length) return undefined;
  const start = i;
  if (text[i] !== "{" && text[i] !== "[") {
    if (text[i] === '"') return text.slice(start, endOfString(text, i));
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    return m ? m[0] : text.slice(start); // JSON.parse reports what is wrong
  }
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
      continue;
    }
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
    i++;
  }
  return text.slice(start); // unterminated: JSON.parse says so
}

/** The index just past the string literal that starts at `i`. */
function endOfString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
