// What a filter's `catch (e)` receives (docs/typescript-on-production.md "catch"): for an error of
// a host function, a Lua runtime error and a thrown Error, the value of `typeof e`, `String(e)`
// and `e.message`, on the runtime (production's wording, which is gopher's, not V8's).
import { describe, expect, it } from "vitest";
import { compileSource } from "../helpers/filter-source";
import { runInProcess } from "../helpers/runtime";

const SOURCE = `import { accept } from "nauthilus-sdk";
import * as backend from "nauthilus_backend";
function describeError(e: unknown): string {
  return [typeof e, String(e), String((e as Error).message)].join(" / ");
}
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  try {
    backend.select_backend_server("10.0.0.1", "imaps" as unknown as number);
  } catch (e) {
    out.push(describeError(e));
  }
  try {
    const missing = undefined as unknown as { field: string };
    out.push(missing.field);
  } catch (e) {
    out.push(describeError(e));
  }
  try {
    throw new Error("no route for this user");
  } catch (e) {
    out.push(describeError(e));
  }
  nauthilus_builtin.status_message_set(out.join("\\n"));
  return accept();
}
`;

describe("catch (e) in a filter", () => {
  it("a host error and a Lua error are Errors with gopher's text as message; a thrown Error is an Error", async () => {
    const filter = compileSource(SOURCE, "catching");
    expect(filter.lua).toBeDefined();
    const o = await runInProcess({ filters: [{ name: "catching.lua", source: filter.lua! }], servers: [], attributes: {}, request: {} });
    expect(o.error).toBeNull();
    const [host, lua, thrown] = o.status_message!.split("\n");
    // Errors raised by Lua or by a host function are Error objects, as in JavaScript; their
    // message is production's text (gopher's words, with the Lua position of the compiled filter).
    expect(host).toMatch(/^object \/ Error: catching\.lua:\d+: bad argument #2 to select_backend_server \(number expected, got string\) \/ catching\.lua:\d+: bad argument #2 to select_backend_server \(number expected, got string\)$/);
    expect(lua).toMatch(/^object \/ Error: catching\.lua:\d+: attempt to index a non-table object\(nil\) with key 'field' \/ catching\.lua:\d+: attempt to index a non-table object\(nil\) with key 'field'$/);
    // A thrown Error stays an Error object.
    expect(thrown).toBe("object / Error: no route for this user / no route for this user");
  });
});

describe("throw and rethrow", () => {
  it("a thrown string or number is caught as itself; a caught Lua error rethrown reaches Nauthilus as production words it", async () => {
    const source = `import { accept } from "nauthilus-sdk";
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  for (const v of ["plain", 7]) {
    try {
      throw v;
    } catch (e) {
      out.push(\`\${typeof e}:\${String(e)}\`);
    }
  }
  nauthilus_builtin.status_message_set(out.join(","));
  try {
    const missing = undefined as unknown as { field: string };
    out.push(missing.field);
  } catch (e) {
    if (request.account === "rethrow") throw e;
  }
  if (request.account === "string") throw "a plain message";
  return accept();
}
`;
    const filter = compileSource(source, "rethrowing");
    expect(filter.lua).toBeDefined();
    const run = (account: string) =>
      runInProcess({ filters: [{ name: "rethrowing.lua", source: filter.lua! }], servers: [], attributes: {}, request: { account } });
    const ok = await run("none");
    expect(ok.error).toBeNull();
    expect(ok.status_message).toBe("string:plain,number:7");
    // Rethrown: the text Lua raised, not "Error: …" (as if it had not been caught).
    expect((await run("rethrow")).error).toMatch(/^rethrowing\.lua:\d+: attempt to index a non-table object\(nil\) with key 'field'$/);
    expect((await run("string")).error).toBe("a plain message");
  });
});

describe("catch (e) where the error comes from elsewhere", () => {
  it("a string thrown by another filter's function, at the top level, or through Lua's pcall stays a string; a binding named Error does not matter", async () => {
    const first = `import { accept } from "nauthilus-sdk";
declare const globalThis: { shared_check?: (s: string) => void };
globalThis.shared_check = (s: string) => {
  throw "bad input: " + s;
};
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  return accept();
}
`;
    const second = `import { accept } from "nauthilus-sdk";
declare const globalThis: { shared_check?: (s: string) => void };
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  try {
    globalThis.shared_check!("x");
  } catch (e) {
    out.push(\`\${typeof e}:\${String(e)}\`);
  }
  const [ok, err] = pcall(() => {
    throw "bad account";
  });
  out.push(\`\${ok}:\${typeof err}:\${String(err)}\`);
  for (const Error of ["shadow"]) {
    try {
      const missing = undefined as unknown as { field: string };
      out.push(missing.field);
    } catch (e) {
      out.push(\`\${Error}:\${typeof e}\`);
    }
  }
  nauthilus_builtin.status_message_set(out.join("|"));
  if (request.account === "uncaught") globalThis.shared_check!("y");
  return accept();
}
`;
    const a = compileSource(first, "sharing");
    const b = compileSource(second, "catching2");
    expect(a.lua).toBeDefined();
    expect(b.lua, b.diagnostics.map((d) => String(d.messageText)).join("\n")).toBeDefined();
    const run = (account: string) =>
      runInProcess({ filters: [{ name: "sharing.lua", source: a.lua! }, { name: "catching2.lua", source: b.lua! }], servers: [], attributes: {}, request: { account } });
    const o = await run("none");
    expect(o.error).toBeNull();
    expect(o.status_message).toBe("string:bad input: x|false:string:bad account|shadow:object");
    expect((await run("uncaught")).error).toBe("bad input: y");
    const top = compileSource(`import { accept } from "nauthilus-sdk";\nconst CONFIG = "";\nif (CONFIG === "") throw "CONFIG missing";\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  return accept();\n}\n`, "toplevel");
    expect((await runInProcess({ filters: [{ name: "toplevel.lua", source: top.lua! }], servers: [], attributes: {}, request: {} })).error).toBe("CONFIG missing");
  });
});
