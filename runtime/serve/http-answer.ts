// From an Outcome to the HTTP answer each endpoint gives in Nauthilus v1.3.9 (A = server/core/auth.go):
// status codes (setStatusCodes A:1066-1077: nginx always 200, others 200/403/500), bodies
// (json: PositivePasswordCache A:707-714, `null` on failure A:782-787; header/basic: the status
// text A:788-790; tempfail: the reason A:857-875) and headers (the outcome's, plus the session).
import { applyAttributeHeaders, renderHeaderLines } from "../nauthilus/headers";
import { PASSWORD_FAIL, TEMP_FAIL } from "../nauthilus/outcome";
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
  /** request.account as the filters saw it (Auth-User on success when not empty). */
  account: string;
  /** request.account_field ("" when the passdb found nobody). */
  accountField: string;
}

export function httpAnswer(outcome: Outcome, ctx: AnswerContext): HttpAnswer {
  const { service } = ctx;
  if (outcome.outcome === "server_error") return { status: 500, headers: [], body: "" }; // gin.Recovery
  const nginxLines = new Map(outcome.headers.nginx);

  if (outcome.outcome === "tempfail") {
    const headers = new Map([["Auth-Status", TEMP_FAIL], ["X-Nauthilus-Session", ctx.session]]);
    const code = nginxLines.get("Auth-Error-Code");
    if (service === "nginx" && code !== undefined) headers.set("Auth-Error-Code", code);
    if (service === "json") return { status: 500, headers: renderHeaderLines(headers), contentType: JSON_TYPE, body: goJson({ error: TEMP_FAIL }) };
    return { status: service === "nginx" ? 200 : 500, headers: renderHeaderLines(headers), contentType: TEXT, body: TEMP_FAIL };
  }

  if (outcome.outcome === "fail") {
    const status = outcome.status_message || PASSWORD_FAIL;
    const headers = new Map([["Auth-Status", status], ["X-Nauthilus-Session", ctx.session]]);
    if (service === "nginx") {
      headers.set("Auth-Wait", nginxLines.get("Auth-Wait") ?? "0");
      return { status: 200, headers: renderHeaderLines(headers), body: "" };
    }
    if (service === "json") return { status: 403, headers: renderHeaderLines(headers), contentType: JSON_TYPE, body: "null" };
    return { status: 403, headers: renderHeaderLines(headers), contentType: TEXT, body: status };
  }

  // Success (AuthOK A:553-627): the common headers, then per service.
  const common = new Map([
    ["Auth-Status", "OK"],
    ["X-Nauthilus-Session", ctx.session],
    ["X-Nauthilus-Memory-Cache", "Miss"],
  ]);
  if (service !== "basic" && ctx.account !== "") common.set("Auth-User", ctx.account);
  if (service === "nginx") {
    // Auth-Status (maybe "Internal failure"), Auth-Server and Auth-Port as the outcome decided them.
    for (const [name, value] of nginxLines) common.set(name, value);
    return { status: 200, headers: renderHeaderLines(common), body: "" };
  }
  if (service === "header") {
    return { status: 200, headers: renderHeaderLines(applyAttributeHeaders(common, outcome.attributes ?? {})), body: "" };
  }
  if (service === "json") {
    const body = {
      passdb_backend: PASSDB_BACKEND_LUA,
      account_field: ctx.accountField === "" ? null : ctx.accountField,
      totp_secret_field: null,
      webauth_userid_field: null,
      display_name_field: null,
      attributes: outcome.attributes,
    };
    return { status: 200, headers: renderHeaderLines(common), contentType: JSON_TYPE, body: goJson(body) };
  }
  return { status: 200, headers: renderHeaderLines(common), body: "" };
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
