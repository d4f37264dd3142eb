// `serve` over real HTTP on loopback, in process: request mapping, answers per endpoint, the
// users file, the registry feeding every request, hot reload. Probes are an in-process fake
// (the real ones run against Dovecot in test/peers/serve-nginx.test.ts).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authWait } from "../../runtime/nauthilus/outcome";
import { startServe, type Serve } from "../../runtime/serve/server";
import { encodeKsuid, newSession } from "../../runtime/serve/session";
import { UsersFile } from "../../runtime/serve/users";

const ECHO = `-- Echoes what the request brought, so the tests can read it from the answer's attributes.
local function show(v) return tostring(v) end
dynamic_loader("nauthilus_backend")
function nauthilus_call_filter(request)
  local nauthilus_backend = require("nauthilus_backend")
  if request.username == "reject-me" then
    nauthilus_builtin.status_message_set("Rejected by echo")
    return nauthilus_builtin.FILTER_REJECT, nauthilus_builtin.FILTER_RESULT_OK
  end
  if request.username == "boom" then error("echo exploded") end
  if request.username == "evil" then nauthilus_builtin.status_message_set("a\\r\\nX-Injected: 1\\0z") return nauthilus_builtin.FILTER_REJECT, nauthilus_builtin.FILTER_RESULT_OK end
  if request.username == "loop" then while true do end end
  local servers = nauthilus_backend.get_backend_servers()
  if request.user_found then
    local r = nauthilus_backend_result.new()
    r:attributes({ seen = table.concat({ request.service, request.protocol, request.client_ip, request.client_port,
      request.local_ip, request.local_port, request.user_agent, request.ssl_issuer_dn, show(request.no_auth),
      show(request.authenticated), request.account, request.account_field, request.password, #servers }, "|") })
    nauthilus_backend.apply_backend_result(r)
  end
  local first = servers[1]
  if first then nauthilus_backend.select_backend_server(first.ip, first.port) end
  nauthilus_builtin.custom_log_add("echo_user", request.username)
  return nauthilus_builtin.FILTER_ACCEPT, nauthilus_builtin.FILTER_RESULT_OK
end
`;

let dir: string;
let serve: Serve;
let down = new Set<number>();
const logs: Array<Record<string, unknown>> = [];

function config(filters: string[], ports = [10143, 10144]): string {
  return `server:
  features: [backend_server_monitoring]
backend_server_monitoring:
  backend_servers:
${ports.map((p) => `    - { protocol: imap, ip: 127.0.0.1, port: ${p}, tls: false, haproxy_v2: false }`).join("\n")}
lua:
  filters:
${filters.map((f) => `    - { name: ${path.basename(f)}, script_path: ${f} }`).join("\n")}
`;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "serve-test-"));
  fs.writeFileSync(path.join(dir, "echo.lua"), ECHO);
  fs.writeFileSync(path.join(dir, "nauthilus.yml"), config(["echo.lua"]));
  fs.writeFileSync(
    path.join(dir, "users.yml"),
    `users:
  - { username: alice, password: "{PLAIN}secret", account: alice@example.org, attributes: { mailHost: imap1 } }
  - { username: bob, password: "{BLF-CRYPT}$2y$05$mc/54aeFC/PiIabeoTRyPOt/L3WNNc3Dx.82mWIZ9MvmHiUTerT.y" }
  - { username: reject-me, password: x }
  - { username: evil, password: x }
`,
  );
  serve = await startServe({
    configFile: "nauthilus.yml", usersFile: "users.yml", cwd: dir, port: 0, workers: 1, monitorIntervalMs: 50, timeoutSeconds: 1,
    prober: async (_ip, port) => (down.has(port) ? `dial tcp 127.0.0.1:${port}: connect: connection refused` : undefined),
    log: (l) => logs.push(l),
  });
});

afterAll(async () => {
  if (process.env.SERVE_LOGS) console.log(logs.filter((l) => l.error).slice(0, 3));
  await serve?.close();
});

async function auth(service: string, headers: Record<string, string>, init: RequestInit & { query?: string } = {}) {
  const res = await fetch(`${serve.url}/api/v1/auth/${service}${init.query ?? ""}`, { headers, ...init });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const nginx = (user: string, pass: string, extra: Record<string, string> = {}) =>
  auth("nginx", { "Auth-User": user, "Auth-Pass": pass, "Auth-Protocol": "imap", "Auth-Login-Attempt": "1", ...extra });

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe("serve: the nginx endpoint", () => {
  it("maps the headers nginx and Nauthilus name to the request fields (X-SSL-Client-DN also fills ssl_issuer_dn)", async () => {
    const r = await auth("header", {
      "Auth-User": "alice", "Auth-Pass": "secret", "Client-IP": "192.0.2.7", "X-Client-Port": "5555", "X-Local-IP": "127.0.0.9",
      "X-Auth-Port": "143", "User-Agent": "ua/1", "X-SSL-Client-DN": "CN=x",
    });
    expect(r.status).toBe(200);
    // protocol "default" when Auth-Protocol is empty (auth.go:2290-2293)
    expect(r.headers.get("x-nauthilus-seen")).toBe("header|default|192.0.2.7|5555|127.0.0.9|143|ua/1|CN=x|false|true|alice@example.org|account|secret|2");
    expect(r.headers.get("x-nauthilus-mailhost")).toBe("imap1");
    expect(r.headers.get("auth-user")).toBe("alice@example.org");
  });

  it("success: Auth-Status OK, the selected server, the session (a 27-character KSUID), no body", async () => {
    const r = await nginx("alice", "secret");
    expect(r.status).toBe(200);
    expect(r.body).toBe("");
    expect(r.headers.get("auth-status")).toBe("OK");
    expect(r.headers.get("auth-server")).toBe("127.0.0.1");
    expect(r.headers.get("auth-port")).toBe("10143");
    expect(r.headers.get("x-nauthilus-memory-cache")).toBe("Miss");
    expect(r.headers.get("x-nauthilus-session")).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(r.headers.get("content-type")).toBeNull();
  });

  it("a wrong password: 200, Invalid login or password, Auth-Wait 0 on nginx's first attempt", async () => {
    const r = await nginx("alice", "wrong");
    expect([r.status, r.headers.get("auth-status"), r.headers.get("auth-wait"), r.headers.get("auth-user")]).toEqual([200, "Invalid login or password", "0", null]);
  });

  it("bcrypt passwords from the users file ({BLF-CRYPT}$2y$)", async () => {
    expect((await nginx("bob", "secret")).headers.get("auth-status")).toBe("OK");
    expect((await nginx("bob", "secreT")).headers.get("auth-status")).toBe("Invalid login or password");
  });

  it("a filter's status message is the failure text", async () => {
    expect((await nginx("reject-me", "x")).headers.get("auth-status")).toBe("Rejected by echo");
  });

  it("Auth-Wait follows Auth-Login-Attempt: int(10*tanh(0.03*n)), as Go computed it", async () => {
    // n = attempt+1 below 15, the attempt itself up to 255 (auth.go:735-752); values printed by Go 1.19.
    const go = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5];
    for (let n = 1; n <= 20; n++) expect(authWait(n < 15 ? n - 1 : n)).toBe(go[n]);
    expect(authWait(255)).toBe(9);
    expect(authWait(100000)).toBe(9);
    expect((await nginx("alice", "wrong", { "Auth-Login-Attempt": "19" })).headers.get("auth-wait")).toBe("5");
    expect((await nginx("alice", "wrong", { "Auth-Login-Attempt": "junk" })).headers.get("auth-wait")).toBe("0");
  });

  it("an unknown user: the filters still run, with user_found false", async () => {
    const r = await nginx("nobody", "x");
    expect(r.headers.get("auth-status")).toBe("Invalid login or password");
    await until("the log line", () => logs.some((l) => l.user === "nobody"));
    expect(logs.find((l) => l.user === "nobody")).toMatchObject({ outcome: "fail", filters: [{ name: "echo.lua" }], logs: { echo_user: "nobody" } });
  });

  it("an empty password fails before the backend and the filters (auth.go:1411)", async () => {
    const r = await nginx("alice", "");
    expect(r.headers.get("auth-status")).toBe("Invalid login or password");
    await until("the log line", () => logs.some((l) => l.user === "alice" && l.outcome === "fail" && (l.filters as unknown[]).length === 0));
  });

  it("?mode=no-auth: a known user is authenticated without a password", async () => {
    const r = await auth("header", { "Auth-User": "alice", "Auth-Pass": "" }, { query: "?mode=no-auth" });
    expect(r.headers.get("auth-status")).toBe("OK");
    expect(r.headers.get("x-nauthilus-seen")).toContain("|true|true|");
  });

  it("usernames production refuses: HTTP 400, no Auth-Status (nginx's %XX escapes are not decoded)", async () => {
    for (const user of ["", "a%20b", "x(y", 'q"', "back\\slash"]) {
      const r = await nginx(user, "secret");
      expect([user, r.status, r.headers.get("auth-status"), r.body]).toEqual([user, 400, null, ""]);
    }
    await until("the log line", () => logs.some((l) => String(l.refused).includes("does not decode")));
  });

  it("a filter error is a tempfail named at its line; nginx still gets 200", async () => {
    const r = await nginx("boom", "x");
    expect([r.status, r.headers.get("auth-status"), r.body]).toEqual([200, "Temporary server problem, try again later", "Temporary server problem, try again later"]);
    const smtp = await nginx("boom", "x", { "Auth-Protocol": "smtp" });
    expect(smtp.headers.get("auth-error-code")).toBe("451 4.3.0");
    await until("the log line", () => logs.some((l) => l.user === "boom" && /^echo\.lua:\d+: echo exploded$/.test(String(l.error))));
  });

  it("a runaway filter is stopped at the script timeout and the server keeps serving", async () => {
    const r = await nginx("loop", "x");
    expect(r.headers.get("auth-status")).toBe("Temporary server problem, try again later");
    expect((await nginx("alice", "secret")).headers.get("auth-status")).toBe("OK");
  });
});

describe("serve: the other endpoints", () => {
  it("header: one X-Nauthilus-<Attr> per attribute; failure 403 with the text", async () => {
    const ok = await auth("header", { "Auth-User": "alice", "Auth-Pass": "secret" });
    expect(ok.headers.get("x-nauthilus-account")).toBe("alice@example.org");
    const fail = await auth("header", { "Auth-User": "alice", "Auth-Pass": "no" });
    expect([fail.status, fail.body, fail.headers.get("content-type")]).toEqual([403, "Invalid login or password", "text/plain; charset=utf-8"]);
  });

  it("json: POST application/json; the body as Go marshals it; null on failure", async () => {
    const post = (body: string, type = "application/json") => auth("json", { "Content-Type": type }, { method: "POST", body });
    const ok = await post(JSON.stringify({ username: "alice", password: "secret", service: "imap", client_id: "cid" }));
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.body);
    expect(Object.keys(body)).toEqual(["passdb_backend", "account_field", "totp_secret_field", "webauth_userid_field", "display_name_field", "attributes"]);
    expect(body.attributes.seen[0]).toMatch(/^json\|imap\|\|\|\|\|cid\|/); // client_id lands in user_agent (auth.go:2118)
    expect(await post(JSON.stringify({ username: "alice", password: "x" }))).toMatchObject({ status: 403, body: "null" });
    expect(await post("{}", "application/json; charset=utf-8")).toMatchObject({ status: 400, body: '{"error":"Unsupported media type"}' });
    expect(await post("{}")).toMatchObject({ status: 400, body: '{"errors":[{"field":"Username","message":"This field is required"}]}' });
    expect(await post("not json")).toMatchObject({ status: 400 });
  });

  it("basic: HTTP Basic credentials, 401 without them, protocol http", async () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const ok = await auth("basic", { Authorization: `Basic ${b64("alice:secret")}` });
    expect([ok.status, ok.headers.get("auth-status"), ok.headers.get("auth-user")]).toEqual([200, "OK", null]);
    const none = await auth("basic", {});
    expect([none.status, none.headers.get("www-authenticate")]).toEqual([401, 'Basic realm="restricted", charset="UTF-8"']);
    expect((await auth("basic", { Authorization: `Basic ${b64("alice:no")}` })).status).toBe(403);
  });

  it("/ping, unknown services and paths", async () => {
    const ping = await fetch(`${serve.url}/ping`);
    expect([ping.status, await ping.text()]).toEqual([200, "pong"]);
    expect((await auth("smtp", { "Auth-User": "alice" })).status).toBe(400);
    expect((await fetch(`${serve.url}/nope`)).status).toBe(404);
  });
});

describe("serve: monitoring feeds every request", () => {
  it("a backend the monitor finds down leaves the list the next request sees; all down: Internal failure", async () => {
    down = new Set([10143]);
    await until("10143 to leave the list", () => serve.status().registry!.published.length === 1);
    const one = await nginx("alice", "secret");
    expect([one.headers.get("auth-server"), one.headers.get("auth-port")]).toEqual(["127.0.0.1", "10144"]);
    down = new Set([10143, 10144]);
    await until("an empty list", () => serve.status().registry!.published.length === 0);
    const none = await nginx("alice", "secret");
    expect([none.headers.get("auth-status"), none.headers.get("auth-server")]).toEqual(["Internal failure", null]);
    down = new Set();
    await until("both back", () => serve.status().registry!.published.length === 2);
    const status = await (await fetch(`${serve.url}/status`)).json();
    expect(status).toMatchObject({ monitoring: true, filters: ["echo.lua"], users: 4 });
  });
});

describe("serve: hot reload", () => {
  it("a saved filter is used by the next request; one that no longer compiles keeps the last good version", async () => {
    const file = path.join(dir, "echo.lua");
    fs.writeFileSync(file, ECHO.replace('custom_log_add("echo_user"', 'custom_log_add("echo_v2"'));
    await until("the reload", () => logs.some((l) => l.event === "reloaded" && (l.changed as string[]).includes("echo.lua")));
    await nginx("v2user", "x");
    await until("v2's log", () => logs.some((l) => l.user === "v2user" && (l.logs as Record<string, string>)?.echo_v2 === "v2user"));

    fs.writeFileSync(file, "function nauthilus_call_filter(request) return 1 +\n");
    await until("the failed reload", () => logs.some((l) => l.event === "reload-failed" && l.file === "echo.lua"));
    expect(logs.find((l) => l.event === "reload-failed")).toMatchObject({ kept: "its last good version" });
    expect((await nginx("alice", "secret")).headers.get("auth-status")).toBe("OK");
    fs.writeFileSync(file, ECHO);
  });

  it("a .ts filter is compiled on save; a type error is logged at its TypeScript line and the old one keeps serving", async () => {
    const ts = path.join(dir, "tagger.ts");
    fs.writeFileSync(ts, `import { accept } from "nauthilus-sdk";\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  nauthilus_builtin.custom_log_add("tag", "one");\n  return accept();\n}\n`);
    fs.writeFileSync(path.join(dir, "nauthilus.yml"), config(["echo.lua", "tagger.ts"]));
    await until("the chain with tagger", () => serve.status().filters.length === 2);
    await nginx("tagged", "x");
    await until("tag one", () => logs.some((l) => l.user === "tagged" && (l.logs as Record<string, string>)?.tag === "one"));

    fs.writeFileSync(ts, `import { accept } from "nauthilus-sdk";\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  const n: number = "two";\n  return accept();\n}\n`);
    await until("the failed .ts reload", () => logs.some((l) => l.event === "reload-failed" && String(l.error).includes("tagger.ts:3")));
    await nginx("tagged2", "x");
    await until("tag one still", () => logs.some((l) => l.user === "tagged2" && (l.logs as Record<string, string>)?.tag === "one"));
  });

  it("a saved users file is used by the next login; a broken one keeps the last good", async () => {
    const file = path.join(dir, "users.yml");
    const before = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, before.replace('password: "{PLAIN}secret"', 'password: "{PLAIN}changed"'));
    await until("the users reload", () => logs.some((l) => l.event === "reloaded" && (l.changed as string[]).includes("users.yml")));
    expect((await nginx("alice", "changed")).headers.get("auth-status")).toBe("OK");
    expect((await nginx("alice", "secret")).headers.get("auth-status")).toBe("Invalid login or password");
    fs.writeFileSync(file, "users:\n  - { username: alice }\n");
    await until("the failed users reload", () => logs.some((l) => l.event === "reload-failed" && l.file === "users.yml"));
    expect((await nginx("alice", "changed")).headers.get("auth-status")).toBe("OK");
    const reloads = () => logs.filter((l) => l.event === "reloaded" && (l.changed as string[]).includes("users.yml")).length;
    const seen = reloads();
    fs.writeFileSync(file, before);
    await until("the first users again", () => reloads() > seen);
    expect((await nginx("alice", "secret")).headers.get("auth-status")).toBe("OK");
  });

  it("a new filter that does not load yet keeps the previous chain; saving its fix brings it in", async () => {
    const chain = serve.status().filters;
    fs.writeFileSync(path.join(dir, "nauthilus.yml"), config(["echo.lua", "later/added.lua"]));
    await until("the failed new filter", () => logs.some((l) => l.event === "reload-failed" && l.file === "later/added.lua" && l.kept === "the last good chain (this filter never loaded)"));
    expect(serve.status().filters).toEqual(chain);
    fs.mkdirSync(path.join(dir, "later"), { recursive: true });
    fs.writeFileSync(path.join(dir, "later", "added.lua"), `function nauthilus_call_filter(request) nauthilus_builtin.custom_log_add("added", "yes") return false, 0 end\n`);
    await until("the chain with the new filter", () => serve.status().filters.join() === "echo.lua,later/added.lua");
    await nginx("added", "x");
    await until("its log", () => logs.some((l) => l.user === "added" && (l.logs as Record<string, string>)?.added === "yes"));
    fs.writeFileSync(path.join(dir, "nauthilus.yml"), config(["echo.lua"]));
    await until("the chain without it", () => serve.status().filters.length === 1);
  });

  it("a config that no longer parses keeps the last good one", async () => {
    fs.writeFileSync(path.join(dir, "nauthilus.yml"), "lua: [\n");
    await until("the failed config reload", () => logs.some((l) => l.event === "reload-failed" && l.file === "nauthilus.yml"));
    expect((await nginx("alice", "secret")).headers.get("auth-status")).toBe("OK");
    fs.writeFileSync(path.join(dir, "nauthilus.yml"), config(["echo.lua"]));
    await until("the good config again", () => serve.status().filters.length === 1);
  });
});

describe("serve: the parts", () => {
  it("KSUIDs encode as segmentio/ksuid does (its README's example) and as a BigInt base62 would", () => {
    expect(encodeKsuid(Buffer.from("0669F7EFB5A1CD34B5F99D1154FB6853345C9735", "hex"))).toBe("0ujtsYcgvSTl8PAuAdqWYSMnLOv");
    const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (const bytes of [Buffer.alloc(20), Buffer.alloc(20, 0xff), ...Array.from({ length: 50 }, () => crypto.randomBytes(20))]) {
      let n = BigInt(`0x${bytes.toString("hex")}`);
      let out = "";
      for (; n > 0n; n /= 62n) out = ALPHABET[Number(n % 62n)] + out;
      expect(encodeKsuid(bytes)).toBe(out.padStart(27, "0"));
    }
  });

  it("sessions are 27 base62 characters and sort by time", () => {
    const a = newSession(Date.UTC(2026, 0, 1));
    const b = newSession(Date.UTC(2026, 0, 2));
    expect(a).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(a < b).toBe(true);
  });

  it("a users file with mistakes names the line", () => {
    expect(() => UsersFile.parse("users:\n  - username: a\n", "u.yml")).toThrow(/u\.yml:2:5: missing "password"/);
    expect(() => UsersFile.parse("users:\n  - { username: a, password: x, pasword: y }\n", "u.yml")).toThrow(/unknown key "pasword"/);
    expect(() => UsersFile.parse('users:\n  - { username: a, password: "{SSHA}x" }\n', "u.yml")).toThrow(/u\.yml:2:\d+: password scheme \{SSHA\} is not supported/);
    expect(() => UsersFile.parse("users:\n  - { username: a, password: x }\n  - { username: a, password: y }\n", "u.yml")).toThrow(/listed twice/);
  });
});
