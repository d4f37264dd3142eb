// Misuse of the SDK must not compile: each case is a mistake that would fail (or silently do
// the wrong thing) in production.
import { describe, expect, it } from "vitest";
import { compileSource, errorCodes, filterWith, formatted } from "../helpers/filter-source";

const misuse: Array<[string, string, string]> = [
  ["a string port", `backend.select_backend_server("10.0.0.1", "993"); return accept();`, "TS2345"],
  ["an unknown server field", `const s = backend.get_backend_servers()[0]; backend.select_backend_server(s.host, s.port); return accept();`, "TS2339"],
  ["assignment to server.ip", `const s = backend.get_backend_servers()[0]; s.ip = "10.0.0.9"; return accept();`, "TS2540"],
  ["a probe with a missing argument", `backend.check_backend_connection("10.0.0.1", 993, true); return accept();`, "TS2554"],
  ["a probe result used as always present", `const e: string = backend.check_backend_connection("10.0.0.1", 993, false, false); return accept();`, "TS2322"],
  ["a table that is not a backend result", `backend.apply_backend_result({ attributes: () => ({}) }); return accept();`, "TS2345"],
  ["remove_from_backend_result with a string", `backend.remove_from_backend_result("Proxy-Host"); return accept();`, "TS2345"],
  ["status_message_set with a number", `nauthilus_builtin.status_message_set(5); return accept();`, "TS2345"],
  ["an unknown request field", `if (request.password_hash === "") return reject(); return accept();`, "TS2339"],
  ["a request port used as a number", `const p: number = request.client_port; return accept();`, "TS2322"],
  ["writing the password check result", `request.authenticated = true; return accept();`, "TS2540"],
  ["a backend result method that does not exist in filters", `const b = nauthilus_backend_result.new(); b.authenticated(true); return accept();`, "TS2339"],
];

describe("SDK declarations reject misuse (type errors)", () => {
  it.each(misuse)("%s", (_name, body, code) => {
    const filter = compileSource(filterWith(body));
    expect(filter.lua).toBeUndefined();
    expect(errorCodes(filter)).toContain(code);
  });

  it("accepts the documented uses", () => {
    const filter = compileSource(
      filterWith(`
        const servers = backend.get_backend_servers();
        const s = servers[0];
        if (s === undefined) return accept();
        const e = backend.check_backend_connection(s.ip, s.port, s.haproxy_v2, s.tls);
        if (e !== undefined) nauthilus_builtin.custom_log_add("probe", e);
        backend.select_backend_server(s.ip, s.port);
        const b = nauthilus_backend_result.new();
        b.attributes({ hostip: s.ip, port: s.port, tls: s.tls, list: ["a", "b"] });
        const current = b.attributes();
        nauthilus_builtin.custom_log_add("has_hostip", current["hostip"] !== undefined);
        backend.apply_backend_result(b);
        backend.remove_from_backend_result(["Proxy-Host"]);
        return $multi(nauthilus_builtin.FILTER_ACCEPT, nauthilus_builtin.FILTER_RESULT_OK);`),
    );
    expect(formatted(filter)).toEqual([]);
    expect(filter.lua).toBeDefined();
  });
});

describe("the entry point (NF1010-NF1012)", () => {
  it("a missing export is an error", () => {
    const filter = compileSource(`function nauthilus_call_filter(request: FilterRequest) { return true; }\nexport {};\n`);
    expect(errorCodes(filter)).toEqual(["NF1010"]);
  });

  it("an export that is not a function is an error", () => {
    const filter = compileSource(`export const nauthilus_call_filter = 5;\n`);
    expect(errorCodes(filter)).toEqual(["NF1011"]);
  });

  it.each([
    ["one boolean", `export function nauthilus_call_filter(request: FilterRequest) { return true; }`],
    ["a tuple (a table in Lua)", `export function nauthilus_call_filter(request: FilterRequest): [boolean, number] { return [false, 0]; }`],
    ["a wrong parameter", `export function nauthilus_call_filter(request: string): FilterResult { return $multi(false, 0); }`],
  ])("a wrong return shape or parameter is an error: %s", (_name, source) => {
    const filter = compileSource(`${source}\n`);
    expect(errorCodes(filter)).toContain("NF1012");
    expect(filter.lua).toBeUndefined();
  });

  it("the FilterEntry type itself rejects a wrong shape", () => {
    const filter = compileSource(
      `const entry: FilterEntry = (request) => true;\nexport const nauthilus_call_filter = entry;\n`,
    );
    expect(errorCodes(filter)).toContain("TS2322");
  });
});
