// From an Outcome to the HTTP answer each endpoint gives in Nauthilus v1.3.9 (A = server/core/auth.go):
// status codes (setStatusCodes A:1066-1077: nginx always 200, others 200/403/500), bodies
// (json: PositivePasswordCache A:707-714, `null` on failure A:782-787; header/basic: the status
// text A:788-790; tempfail: the reason A:857-875) and headers (the outcome's, plus the session).
import { renderHeaderLines } from "../nauthilus/headers";
import { MEMORY_CACHE_MISS } from "../nauthilus/outcome";
import type { Outcome } from "../types";
import type { AuthService } from "./auth-request";

export interface HttpAnswer {
  status: number;
  /** In the order Go writes them (sorted by name). */
  headers: Array<[string, string]>;
  contentType?: string;
  body: string;
}

/** The password backend this local users file stands for in the json answer (definitions
 * Backend: 3 = lua): the answer carries a number, not a name. */
const PASSDB_BACKEND_LUA = 3;
const TEXT = "text/plain; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";

export interface AnswerContext {
  service: AuthService;
  session: string;
  /** request.account_field ("" when the passdb found nobody). */
  accountField: string;
}

export function httpAnswer(outcome: Outcome, ctx: AnswerContext): HttpAnswer {
  const { service } = ctx;
  if (outcome.outcome === "server_error") return { status: 500, headers: [], body: "" }; // gin.Recovery
  // The Auth-* lines as the outcome rules decided them (runtime/nauthilus/outcome.ts); the
  // session is the request's own (only the header endpoint lets an attribute replace it).
  const auth = outcome.headers.nginx;
  const authStatus = auth.find(([name]) => name === "Auth-Status")?.[1] ?? "";
  const session: [string, string] = ["X-Nauthilus-Session", ctx.session];
  const lines = (...parts: Array<Array<[string, string]>>) => renderHeaderLines(new Map(parts.flat()));

  if (outcome.outcome === "tempfail") {
    // Auth-Error-Code is there only for nginx (and SMTP).
    const headers = lines(auth, [session]);
    if (service === "json") return { status: 500, headers, contentType: JSON_TYPE, body: goJson({ error: authStatus }) };
    return { status: service === "nginx" ? 200 : 500, headers, contentType: TEXT, body: authStatus };
  }

  if (outcome.outcome === "fail") {
    if (service === "nginx") return { status: 200, headers: lines(auth, [session]), body: "" }; // with Auth-Wait
    const headers = lines([["Auth-Status", authStatus], session]);
    if (service === "json") return { status: 403, headers, contentType: JSON_TYPE, body: "null" };
    // The body is the status text as the filter set it (the header line has CR/LF as spaces).
    return { status: 403, headers, contentType: TEXT, body: outcome.status_message || authStatus };
  }

  // Success (AuthOK A:553-627). nginx: Auth-Status (maybe "Internal failure"), Auth-Server,
  // Auth-Port, Auth-User; the others: OK and Auth-User (never for basic, as the outcome decided).
  const memoryCache: [string, string] = ["X-Nauthilus-Memory-Cache", MEMORY_CACHE_MISS];
  if (service === "nginx") return { status: 200, headers: lines(auth, [session, memoryCache]), body: "" };
  const common = lines([["Auth-Status", "OK"]], auth.filter(([name]) => name === "Auth-User"));
  // header: the outcome's X-Nauthilus-* lines (session, cache, one per attribute).
  if (service === "header") return { status: 200, headers: lines(common, outcome.headers.header), body: "" };
  const headers = lines(common, [session, memoryCache]);
  if (service === "json") {
    const body = {
      passdb_backend: PASSDB_BACKEND_LUA,
      account_field: ctx.accountField === "" ? null : ctx.accountField,
      totp_secret_field: null,
      webauth_userid_field: null,
      display_name_field: null,
      attributes: outcome.attributes,
    };
    return { status: 200, headers, contentType: JSON_TYPE, body: goJson(body) };
  }
  return { status: 200, headers, body: "" };
}

/**
 * Go's encoding/json output: map keys sorted (struct fields keep their order, so only nested
 * objects are sorted), `<`, `>`, `&`, U+2028 and U+2029 escaped as \u00XX, no trailing newline.
 */
export function goJson(value: unknown, top = true): string {
  if (value === null || typeof value !== "object") return escapeHtml(JSON.stringify(value) ?? "null");
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v, false)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!top) entries.sort(([a], [b]) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  return `{${entries.map(([k, v]) => `${escapeHtml(JSON.stringify(k))}:${goJson(v, false)}`).join(",")}}`;
}

function escapeHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
