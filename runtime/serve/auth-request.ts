// An HTTP request to /api/v1/auth/<service> as Nauthilus v1.3.9 reads it: which request fields it
// fills from which headers (or JSON body, or Basic credentials), and the requests it refuses
// before any password check. Facts with file:line in docs/serve.md; A = server/core/auth.go.
import { fromBytes } from "../vm/wire";
import { decodeJsonRequest } from "./go-json-request";
import type { RequestInput } from "../types";

export const AUTH_SERVICES = ["nginx", "header", "json", "basic"] as const;
export type AuthService = (typeof AUTH_SERVICES)[number];

/** What the request asks for, before the passdb and the filters. */
export interface AuthRequest {
  service: AuthService;
  /** The request fields the HTTP request sets (the rest keep their zero values). */
  fields: RequestInput;
  username: string;
  /** The password as sent: its exact bytes where they are not UTF-8. */
  password: string | Uint8Array;
  /** Auth-Login-Attempt (nginx): Atoi, anything unparsable or negative is 0 (A:2024-2035). */
  loginAttempt: number;
  noAuth: boolean;
  /** Header values that were not UTF-8: production hands the filters the raw bytes. */
  notes: string[];
}

/** An answer given before authentication. */
export interface Refusal {
  refused: true;
  status: number;
  headers: Array<[string, string]>;
  contentType?: string;
  body: string;
  /** Why, for the request log (production answers without saying). */
  reason: string;
}

// server.default_http_request_header defaults (server/config/file.go:1759-1799) → request field.
// Client-Host has no default there, so nginx's Client-Host never reaches client_hostname; and
// ssl_issuer_dn reads X-SSL-Client-DN (GetSSLIssuerDN returns the subject header, file.go:1182).
const CLIENT_HEADERS: ReadonlyArray<[string, keyof FilterRequest]> = [
  ["client-ip", "client_ip"], ["x-client-port", "client_port"], ["x-client-id", "client_id"],
  ["x-local-ip", "local_ip"], ["x-auth-port", "local_port"], ["user-agent", "user_agent"],
  ["x-ssl", "ssl"], ["x-ssl-session-id", "ssl_session_id"], ["x-ssl-client-verify", "ssl_client_verify"],
  ["x-ssl-client-dn", "ssl_client_dn"], ["x-ssl-client-cn", "ssl_client_cn"], ["x-ssl-issuer", "ssl_issuer"],
  ["x-ssl-client-notbefore", "ssl_client_not_before"], ["x-ssl-client-notafter", "ssl_client_not_after"],
  ["x-ssl-subject-dn", "ssl_subject_dn"], ["x-ssl-client-dn", "ssl_issuer_dn"],
  ["x-ssl-client-subject-dn", "ssl_client_subject_dn"], ["x-ssl-client-issuer-dn", "ssl_client_issuer_dn"],
  ["x-ssl-cipher", "ssl_cipher"], ["x-ssl-protocol", "ssl_protocol"],
  ["auth-ssl-serial", "ssl_serial"], ["auth-ssl-fingerprint", "ssl_fingerprint"],
];

// The json endpoint's body fields (JSONRequest, A:98-152) → request field (A:2116-2145): the
// body's client_id lands in user_agent, its service is the mail protocol, ssl_client_issuer_dn
// takes ssl_issuer_dn.
const JSON_FIELDS: ReadonlyArray<[string, keyof FilterRequest]> = [
  ["client_ip", "client_ip"], ["client_port", "client_port"], ["client_hostname", "client_hostname"],
  ["client_id", "user_agent"], ["local_ip", "local_ip"], ["local_port", "local_port"], ["service", "protocol"],
  ["ssl", "ssl"], ["ssl_session_id", "ssl_session_id"], ["ssl_client_verify", "ssl_client_verify"],
  ["ssl_client_dn", "ssl_client_dn"], ["ssl_client_cn", "ssl_client_cn"], ["ssl_issuer", "ssl_issuer"],
  ["ssl_client_notbefore", "ssl_client_not_before"], ["ssl_client_notafter", "ssl_client_not_after"],
  ["ssl_subject_dn", "ssl_subject_dn"], ["ssl_issuer_dn", "ssl_issuer_dn"], ["ssl_issuer_dn", "ssl_client_issuer_dn"],
  ["ssl_client_subject_dn", "ssl_client_subject_dn"], ["ssl_protocol", "ssl_protocol"], ["ssl_cipher", "ssl_cipher"],
  ["ssl_serial", "ssl_serial"], ["ssl_fingerprint", "ssl_fingerprint"],
];

/** server/util/util.go:50: ValidateUsername (empty fails too). */
const USERNAME = /^[^(){}%"\\]+$/;

const bare400 = (reason: string): Refusal => ({ refused: true, status: 400, headers: [], body: "", reason });

const ASCII = /^[\x00-\x7f]*$/;

/** First value of a header, as Go's Header.Get, as text (U+FFFD where its bytes are not UTF-8);
 * such bytes are kept in `exact`, for the request table (production's Lua sees the raw bytes). */
function headerOf(headers: NodeJS.Dict<string[]>, name: string, exact: Map<string, Uint8Array>): string {
  const raw = headers[name]?.[0];
  if (raw === undefined) return "";
  if (ASCII.test(raw)) return raw;
  // Node reads header bytes as latin1: one char per byte, so this is the exact bytes.
  const decoded = fromBytes(Buffer.from(raw, "latin1"));
  if (decoded.bytes) exact.set(name, decoded.bytes);
  return decoded.text;
}

export interface HttpInput {
  method: string;
  service: string;
  query: URLSearchParams;
  /** req.headersDistinct: every value of every header, names in lower case. */
  headers: NodeJS.Dict<string[]>;
  contentType: string | undefined;
  body: Buffer;
}

/** Reads an auth request, or says how production refuses it before authenticating. */
export function readAuthRequest(input: HttpInput): AuthRequest | Refusal {
  const notes: string[] = [];
  const mode = input.query.get("mode");
  if (mode === "list-accounts") {
    return { refused: true, status: 501, headers: [], contentType: "text/plain; charset=utf-8", body: "mode=list-accounts is not imitated by nauthilus-filters serve\n", reason: "mode=list-accounts is not imitated" };
  }
  if (!(AUTH_SERVICES as readonly string[]).includes(input.service)) {
    return bare400(`unknown service "${input.service}": production finds no username for it and answers 400 (auth.go:2221)`);
  }
  const service = input.service as AuthService;
  const noAuth = mode === "no-auth";
  const exact = new Map<string, Uint8Array>();
  const header = (name: string) => headerOf(input.headers, name, exact);
  /** The header's value for the request table: its exact bytes where they are not UTF-8. */
  const bytesOr = (name: string, text: string): string | Uint8Array => exact.get(name) ?? text;
  const fields: AuthRequest["fields"] = { service, no_auth: noAuth };
  const set = (field: keyof FilterRequest, value: string | Uint8Array) => ((fields as Record<string, unknown>)[field] = value);
  if (service !== "json") for (const [name, field] of CLIENT_HEADERS) set(field, bytesOr(name, header(name)));

  let username = "";
  let password: string | Uint8Array = "";
  let usernameBytes: Uint8Array | undefined;
  let loginAttempt = 0;
  if (service === "nginx" || service === "header") {
    username = header("auth-user");
    usernameBytes = exact.get("auth-user");
    password = bytesOr("auth-pass", header("auth-pass"));
    if (header("x-auth-password-encoded") === "1") {
      const decoded = decodeUrlBase64(header("auth-pass"));
      if (decoded === undefined) return bare400("X-Auth-Password-Encoded: 1 with a password that is not base64url (auth.go:2013-2017)");
      const text = fromBytes(decoded);
      password = text.bytes ? new Uint8Array(decoded) : text.text;
    }
    fields.protocol = bytesOr("auth-protocol", header("auth-protocol"));
    loginAttempt = goAtoi(header("auth-login-attempt"));
  } else if (service === "basic") {
    const credentials = basicCredentials(header("authorization"));
    if (credentials === undefined) {
      return {
        refused: true, status: 401, headers: [["Www-Authenticate", 'Basic realm="restricted", charset="UTF-8"']], body: "",
        reason: "no HTTP Basic credentials (rest.go:122-127)",
      };
    }
    [username, password] = credentials;
    fields.protocol = "http"; // auth.go:2287-2289
  } else {
    if (input.method !== "POST") return bare400("the json endpoint reads its fields from a POST body (auth.go:2153-2166)");
    if (input.contentType !== "application/json") {
      if (input.contentType?.startsWith("application/x-www-form-urlencoded")) {
        return { refused: true, status: 501, headers: [], contentType: "text/plain; charset=utf-8", body: "form bodies on the json endpoint are not imitated by nauthilus-filters serve: send application/json\n", reason: "form body not imitated" };
      }
      return {
        refused: true, status: 400, headers: [], contentType: "application/json; charset=utf-8", body: '{"error":"Unsupported media type"}',
        reason: `Content-Type must be exactly application/json, got ${JSON.stringify(input.contentType ?? "")} (auth.go:2159-2162)`,
      };
    }
    const decoded = decodeJsonRequest(fromBytes(input.body).text);
    if (decoded.kind === "decode-error") return bare400(`${decoded.reason}: Nauthilus ignores the decoding error and the empty username fails (auth.go:2153-2166)`);
    if (decoded.kind === "null") return { refused: true, status: 500, headers: [], body: "", reason: "the body null: gin's validator panics (recovered as 500)" };
    const text = (key: string) => decoded.fields[key] ?? "";
    if (text("username") === "") {
      return {
        refused: true, status: 400, headers: [], contentType: "application/json; charset=utf-8",
        body: '{"errors":[{"field":"Username","message":"This field is required"}]}', reason: "no username in the JSON body",
      };
    }
    username = text("username");
    password = text("password");
    for (const [key, field] of JSON_FIELDS) set(field, text(key));
  }

  if (service !== "basic" && !USERNAME.test(username)) {
    return bare400(
      username === ""
        ? "no username (auth.go:2221-2226)"
        : `username ${JSON.stringify(username)} fails ^[^(){}%"\\\\]+$ (auth.go:2221-2226)` +
            (username.includes("%") && service === "nginx" ? `; nginx escapes space, % and control bytes as %XX and Nauthilus v1.3.9 does not decode them` : ""),
    );
  }
  if (service === "nginx" && typeof password === "string" && /%[0-9A-F]{2}/.test(password)) {
    notes.push("Auth-Pass holds nginx's %XX escapes (of a space, % or a control byte): Nauthilus v1.3.9 does not decode them, so the password checked is the escaped text (later versions decode)");
  }
  if (fields.protocol === "") fields.protocol = "default"; // auth.go:2290-2293
  fields.username = usernameBytes ?? username;
  fields.password = password;
  return { service, fields, username, password, loginAttempt, noAuth, notes };
}

/** Go's strconv.Atoi on a 64-bit machine, then "error or negative is 0" (auth.go:2024-2035). */
function goAtoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) return 0;
  const value = BigInt(text);
  if (value > 2n ** 63n - 1n || value < 0n) return 0;
  return Number(value); // beyond 2^53 only its size matters: Auth-Wait caps the count at 255
}

/** Go's base64.URLEncoding after padding with "=" (auth.go:2006-2020): the bytes. */
function decodeUrlBase64(text: string): Buffer | undefined {
  const padded = text + "=".repeat((4 - (text.length % 4)) % 4);
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(padded) || padded.length % 4 !== 0) return undefined;
  return Buffer.from(padded, "base64url");
}

/** Go's Request.BasicAuth: "Basic " (any case), std base64, split at the first ":". */
function basicCredentials(value: string): [string, string] | undefined {
  if (value.length < 6 || value.slice(0, 6).toLowerCase() !== "basic ") return undefined;
  const encoded = value.slice(6);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const decoded = fromBytes(Buffer.from(encoded, "base64")).text;
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}
