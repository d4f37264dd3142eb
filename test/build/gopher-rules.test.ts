// Constructs that compile with TypeScriptToLua but cannot run on gopher-lua: each must be a build
// error at the construct's file:line:col, saying why.
import { describe, expect, it } from "vitest";
import { UNSUPPORTED_GLOBALS } from "../../build/gopher-rules";
import { compileSource, errorCodes, filterWith, formatted } from "../helpers/filter-source";

// [name, entry body (line 5 of the file), code, where the diagnostic points (first occurrence), message text]
const banned: Array<[string, string, string, string, string]> = [
  ["await", `const f = async () => 1; await f(); return accept();`, "NF1002", "async", "'async'/'await'"],
  ["JSON", `const s = JSON.stringify(request); return accept(s.length);`, "NF1004", "JSON", "'JSON' compiles but does not exist in production"],
  ["Date", `const d = new Date(); return accept(d.getTime());`, "NF1004", "Date", "'Date'"],
  ["Date.now", `return accept(Date.now());`, "NF1004", "Date", "'Date'"],
  ["RegExp constructor", `const r = new RegExp("a+"); return accept(r.test(request.account) ? 1 : 0);`, "NF1004", "RegExp", "'RegExp'"],
  ["regex literal", `return /^a/.test(request.account) ? reject() : accept();`, "NF1005", "/^a/", "Regular expressions"],
  ["Promise", `Promise.resolve(1); return accept();`, "NF1004", "Promise", "'Promise'"],
  ["eval", `eval("1"); return accept();`, "NF1004", "eval", "'eval'"],
  ["Intl", `const n = new Intl.NumberFormat("de"); return accept(n.format(1).length);`, "NF1004", "Intl", "'Intl'"],
  ["accept() outside return", `const r = accept(); return r;`, "NF1020", "accept", "valid only as 'return accept(...)'"],
  ["reject passed around", `const f = reject; return f();`, "NF1020", "reject", "'reject' from 'nauthilus-sdk'"],
];

describe("constructs that cannot run on gopher-lua are build errors", () => {
  it.each(banned)("%s", (name, body, code, marker, text) => {
    const file = `banned-${name.replace(/\W+/g, "-")}`;
    const filter = compileSource(filterWith(`\n${body}`), file);
    expect(filter.lua).toBeUndefined();
    const line = formatted(filter).find((l) => l.includes(code));
    expect(line).toBeDefined();
    expect(line).toContain(`${file}.ts:5:${body.indexOf(marker) + 1} - error ${code}:`);
    expect(line).toContain(text);
  });

  it("bitwise operators compile (were NF1001; their values: typescript-on-production.test.ts)", () => {
    for (const body of [
      "const x = request.brute_force_counter & 1; return accept(x);",
      "const x = (request.brute_force_counter | 0) ^ 3; return accept(x << 2 >> 1 >>> 0);",
      "const x = ~request.brute_force_counter; return accept(x);",
      "let x = 1; x |= 2; x &= 3; x ^= 1; x <<= 1; x >>= 1; x >>>= 0; return accept(x);",
    ]) {
      const filter = compileSource(filterWith(body));
      expect(formatted(filter)).toEqual([]);
      expect(filter.lua).toContain("__NF_");
    }
  });

  it("generators compile (were NF1003); try/catch inside one is TypeScriptToLua's error on Lua 5.1 (yield cannot cross pcall)", () => {
    const filter = compileSource(
      `import { accept } from "nauthilus-sdk";\nfunction* gen() { yield 1; }\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult { for (const x of gen()) {} return accept(); }\n`,
      "generator",
    );
    expect(formatted(filter)).toEqual([]);
    const withTry = compileSource(
      `import { accept } from "nauthilus-sdk";\nfunction* gen() { try { yield 1; } catch { yield 2; } }\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult { for (const x of gen()) {} return accept(); }\n`,
      "generator-try",
    );
    expect(withTry.lua).toBeUndefined();
    expect(formatted(withTry).join("\n")).toContain("error TSTL100027: try/catch inside generator functions");
  });

  it("async functions are rejected at the async keyword", () => {
    const filter = compileSource(
      `import { accept } from "nauthilus-sdk";\nasync function probe() { return 1; }\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult { probe(); return accept(); }\n`,
      "banned-async",
    );
    expect(formatted(filter).some((l) => l.startsWith("banned-async.ts:2:1 - error NF1002:"))).toBe(true);
  });

  it("imports of other files are rejected (the output must be self-contained)", () => {
    const filter = compileSource(
      `import { accept } from "nauthilus-sdk";\nimport { x } from "./shared";\nexport function nauthilus_call_filter(request: FilterRequest): FilterResult { return accept(x); }\n`,
      "banned-import",
    );
    expect(formatted(filter).some((l) => l.startsWith("banned-import.ts:2:19 - error NF1006:"))).toBe(true);
  });

  it("every global without faithful Lua is NF1004 where the ES library declares it (a TypeScript error where it does not)", () => {
    const seen: string[] = [];
    for (const name of UNSUPPORTED_GLOBALS.keys()) {
      const filter = compileSource(filterWith(`const v: unknown = ${name};\nreturn accept(v === undefined ? 0 : 1);`));
      expect(filter.lua, name).toBeUndefined();
      const codes = errorCodes(filter);
      if (codes.includes("NF1004")) seen.push(name);
      else expect(codes, name).toContain("TS2304");
    }
    expect(seen).toEqual(expect.arrayContaining(["JSON", "Date", "RegExp", "Promise", "Proxy", "Reflect", "Intl", "eval", "Function", "BigInt", "WeakRef", "FinalizationRegistry", "SharedArrayBuffer", "ArrayBuffer", "Atomics"]));
  });

  it("names that only look like the banned globals are fine", () => {
    const filter = compileSource(
      filterWith(`const o = { JSON: 1, Date: 2 }; const JSONish = o.JSON + o.Date; return accept(JSONish);`),
    );
    expect(formatted(filter)).toEqual([]);
  });

  it("TypeScriptToLua's own errors stop the file too (unsupported string method)", () => {
    const filter = compileSource(filterWith(`return accept(request.account.lastIndexOf("a"));`));
    expect(filter.lua).toBeUndefined();
    expect(formatted(filter).join("\n")).toMatch(/error TSTL\d+/);
  });
});
