// The chunk rewrite (runtime/vm/chunk-rewrite.ts) and the library rules around it, on cases a
// reviewer found (each with the gopher-lua v1.1.1 source that decides it). The corpus
// (test/corpus) covers the common forms; these are the edges it does not reach.
import { describe, expect, it } from "vitest";
import { rewriteChunk } from "../../runtime/vm/chunk-rewrite";
import { mayHoldZeroConstants } from "../../runtime/vm/gopher-constants";
import { luaPrints } from "../helpers/runtime";

async function printed(code: string): Promise<string> {
  const r = await luaPrints(code, "f.lua");
  return r.error ?? r.printed.join("\n");
}

describe("the chunk rewrite", () => {
  it("keeps goto and labels (gopher's parser has them) and still rewrites the chunk", async () => {
    expect(await printed(`for i = 1, 3 do if i == 2 then goto cont end ::cont:: end\nprint(9007199254740993, pcall(function() return 3 % 0 end))`)).toBe(
      "9007199254740992\ttrue\tNaN",
    );
  });
  it("reads integer literals as gopher's lexer does: one leading 0 dropped, then Go's ParseInt base 0 (compile.go, utils.go parseNumber)", async () => {
    expect(await printed(`print(0017, 0010, 017, 0x7fffffffffffffff, 0xffffffffffffffff, 1e309)`)).toBe("15\t8\t17\t9.223372036854776e+18\tNaN\tNaN");
  });
  it("hands a __concat metamethod the operands as they are (GL/vm.go stringConcat)", async () => {
    expect(await printed(`local mt = { __concat = function(a, b) return type(a) .. (a == 1 and "!" or "") end }\nprint(1 .. setmetatable({}, mt))`)).toBe("number!");
  });
  it("names the operands' own types in concatenation errors, at the filter's line", async () => {
    expect(await printed(`print(pcall(function() return 1 .. nil end))\nprint(pcall(function() local t = {} return t .. 1 end))`)).toBe(
      "false\tf.lua:1: cannot perform concat operation between number and nil\nfalse\tf.lua:2: cannot perform concat operation between table and number",
    );
  });
  it("keeps each value of a rewritten multiple assignment on its own line (gopher: the expression's start line)", async () => {
    expect(await printed(`local a, b = 1, 2\na,\nb = b,\n a .. nil`)).toBe("f.lua:4: cannot perform concat operation between number and nil");
  });
  it("writes a zero constant of the other sign as its function's first zero (compile.go ConstIndex), on the same line", () => {
    const out = rewriteChunk("local a = -0\nlocal b, c = 0, (1 - 1)\nlocal function f() return 0, -(0) end\n")!.toString("latin1");
    expect(out).toContain("local a = -0.0\n");
    expect(out).toContain("local b, c = (-0.0), ((-0.0))\n");
    expect(out).toContain("return 0.0, 0.0 end");
  });
  it("walks for zero constants only a chunk with a zero literal or arithmetic between literals", () => {
    for (const chunk of ["x = 0", "x = 0x0 + y", "x = 1e-400", "x = .0", "x = 1 - 1", "x = (4) --[==[c\n]]]==] % -(2)", "x = 2 ^ -3"]) expect(mayHoldZeroConstants(chunk), chunk).toBe(true);
    for (const chunk of ["x = y + 1", "x = 10 * y", "x = t[1] - n", "x = a1 + b2", "x = 0x10", "x = f(1, 2)"]) expect(mayHoldZeroConstants(chunk), chunk).toBe(false);
  });
  it("is linear in the chunk's size", () => {
    let chunk = "local x = 0\n";
    for (let i = 0; i < 20000; i++) chunk += "x = x + 1\n";
    const t = performance.now();
    expect(rewriteChunk(chunk)).not.toBeNull();
    expect(performance.now() - t).toBeLessThan(2000); // quadratic edits took 4 s here
  });
  it("survives a concatenation nested deeper than the parser's stack (the VM reports it)", async () => {
    const r = await luaPrints(`local x = "a"\nlocal s = x${" .. x".repeat(3000)}`, "f.lua");
    expect(r.error).toMatch(/stack overflow|too many/);
  });
});

describe("code loaded at run time follows the same rules", () => {
  it("loadstring, load with a reader, and setfenv on what they return", async () => {
    expect(await printed(`print(loadstring("return 7 % 0, 2^53 + 1 == 9007199254740993, 10 / 2 .. ''")())`)).toBe("NaN\ttrue\t5");
    expect(await printed(`local parts, i = {"return ", "1 .. ''"}, 0\nprint(load(function() i = i + 1 return parts[i] end)())`)).toBe("1");
    expect(await printed(`local f = loadstring("return x")\nsetfenv(f, {x = 3})\nprint(f())`)).toBe("3");
    expect(await printed(`print(pcall(loadstring("for i = 1, 'x' do end")))`)).toBe("false\t<string>:1: for statement limit must be a number");
  });
});

describe("string functions take numbers as gopher's text (CheckString: 10, not 10.0)", () => {
  it("len, reverse, gsub, match, find", async () => {
    expect(await printed(`print(string.len(10), string.reverse(10), (string.gsub(100, "0", "x")), string.match(10, ".*"), string.find(10, "%."), string.len(2^53))`)).toBe(
      "2\t01\t1xx\t10\tnil\t16",
    );
  });
});

describe("what production's parser rejects is said", () => {
  it("Lua 5.4's // does not compile, as in gopher-lua, with gopher's message (D28)", async () => {
    const { runInProcess } = await import("../helpers/runtime");
    const o = await runInProcess({
      filters: [{ name: "f.lua", source: `local x = 7 // 2\nfunction nauthilus_call_filter() return false, 0 end` }],
      servers: [], attributes: {}, request: {},
    });
    // Observed on gopher-lua v1.1.1: loadstring("local x = 7 // 2") gives the same text for <string>.
    expect(o.outcome).toBe("tempfail");
    expect(o.error).toBe("f.lua line:1(column:14) near '/':   syntax error\n");
    expect(o.diagnostics).toEqual([]);
  });
});
