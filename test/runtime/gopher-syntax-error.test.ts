// Compile errors in production's wording (docs/fidelity.md D28): gopherCompileError gives what
// gopher-lua's loadstring returns for a chunk that does not compile, or null when it compiles.
// Every expected value below was observed on gopher-lua v1.1.1 (loadstring(src, name) on a real
// gopher-lua v1.1.1 interpreter, the message's exact bytes). Sources and messages hold one
// character per byte ("\xc3\xa9" is é in UTF-8).
import { describe, expect, it } from "vitest";
import { gopherCompileError } from "../../runtime/vm/gopher-syntax-error";

// [source, chunk name, gopher's message or null]
const OBSERVED: [string, string, string | null][] = [
  ["local goto = 1 return goto", "<string>", "<string> line:1(column:10) near 'goto':   syntax error\n"],
  ["local t = {} t.goto = 1 return t.goto", "<string>", "<string> line:1(column:19) near 'goto':   syntax error\n"],
  ["return 1 +", "<string>", "<string> at EOF:   syntax error\n"],
  ["x", "<string>", "<string> at EOF:   parse error\n"],
  ["x y = 1", "<string>", "<string> line:1(column:3) near 'y':   parse error\n"],
  ["x = 1 y", "<string>", "<string> at EOF:   parse error\n"],
  ["x = 1 . y", "<string>", "<string> line:1(column:7) near '':   syntax error\n"],
  ["break; x = 1", "<string>", "<string> line:1(column:8) near 'x':   syntax error\n"],
  ["\tx = = 1", "<string>", "<string> line:1(column:6) near '=':   syntax error\n"],
  ["x = '\xc3\xa9' = 1", "<string>", "<string> line:1(column:10) near '=':   syntax error\n"],
  ["if x then", "<string>", "<string> at EOF:   syntax error\n"],
  ["return return", "<string>", "<string> line:1(column:13) near 'return':   syntax error\n"],
  ["x = 1 + + 2", "<string>", "<string> line:1(column:9) near '+':   syntax error\n"],
  ["(f)", "<string>", "<string> at EOF:   parse error\n"],
  ["(x) = 1", "<string>", "<string> line:1(column:5) near '=':   parse error\n"],
  ["a:b.c()", "<string>", "<string> line:1(column:4) near '':   syntax error\n"],
  ["for i = 1 do end", "<string>", "<string> line:1(column:12) near 'do':   syntax error\n"],
  ["for a, b = 1, 2 do end", "<string>", "<string> line:1(column:10) near '=':   syntax error\n"],
  ["x = function(..., a) end", "<string>", "<string> line:1(column:17) near ',':   syntax error\n"],
  ["x = {,}", "<string>", "<string> line:1(column:6) near ',':   syntax error\n"],
  ["if a then else elseif b then end", "<string>", "<string> line:1(column:21) near 'elseif':   syntax error\n"],
  ["while true do end end", "<string>", "<string> line:1(column:21) near 'end':   syntax error\n"],
  ["x =\r\n\r\n  ==", "<string>", "<string> line:3(column:4) near '==':   syntax error\n"],
  ["x\n\r= =", "<string>", "<string> line:2(column:3) near '=':   syntax error\n"],
  ["local a <const> = 1", "<string>", "<string> line:1(column:9) near '<':   syntax error\n"],
  ["x = 5 // 2", "<string>", "<string> line:1(column:8) near '/':   syntax error\n"],
  ["return 1;;", "<string>", "<string> line:1(column:10) near ';':   syntax error\n"],
  ["x = 1 x = 2 'a\\tb' 3", "<string>", "<string> line:1(column:18) near 'a\tb':   syntax error\n"],
  ["\"abc\"", "<string>", "<string> line:1(column:5) near 'abc':   syntax error\n"],
  ["x = 1.5.5 +", "<string>", "<string> line:1(column:9) near '.5':   syntax error\n"],
  ["#!/usr/bin/lua\nx = 1", "<string>", "<string> line:1(column:1) near '#':   syntax error\n"],
  ["function f:g.h() end", "<string>", "<string> line:1(column:13) near '':   syntax error\n"],
  ["goto 1", "<string>", "<string> line:1(column:6) near '1':   syntax error\n"],
  ["x = function(a b) end", "<string>", "<string> line:1(column:16) near 'b':   syntax error\n"],
  ["f(\n  a,\n  b c)", "<string>", "<string> line:3(column:5) near 'c':   syntax error\n"],
  ["local s = [[\nabc]] s s", "<string>", "<string> line:2(column:9) near 's':   parse error\n"],
  ["local s = 'abc", "<string>", "<string> at EOF:   unterminated string\n"],
  ["local s = \"abc\nx", "<string>", "<string> line:2(column:0) near 'abc':   unterminated string\n"],
  ["x = [[abc", "<string>", "<string> at EOF:   unterminated multiline string\n"],
  ["x = 0x", "<string>", "<string> line:1(column:6) near '0x':   illegal hexadecimal number\n"],
  ["x = 3 $", "<string>", "<string> line:1(column:7) near '$':   Invalid token\n"],
  ["x = ~1", "<string>", "<string> line:1(column:5) near '~':   Invalid '~' token\n"],
  ["--[==[ abc", "<string>", "<string> at EOF:   invalid multiline comment\n"],
  ["--[=x\nx=1", "<string>", "<string> line:1(column:5) near '':   invalid multiline comment\n"],
  ["x = [=x", "<string>", "<string> line:1(column:7) near 'x':   invalid multiline string\n"],
  ["x = [=\n", "<string>", "<string> line:2(column:0) near '\n':   invalid multiline string\n"],
  ["x=1\u0000", "<string>", "<string> line:1(column:4) near '\u0000':   Invalid token\n"],
  ["x = \f 1", "<string>", "<string> line:1(column:5) near '\f':   Invalid token\n"],
  ["x = 1\n\n  @", "<string>", "<string> line:3(column:3) near '@':   Invalid token\n"],
  ["\xc3\xa9 = 1", "<string>", "<string> line:1(column:1) near '\xc3':   Invalid token\n"],
  ["x = 'a\\", "<string>", "<string> at EOF:   unterminated string\n"],
  ["goto nowhere", "<string>", "compile error near line(2) <string>: no visible label 'nowhere' for <goto> at line 1"],
  ["break", "<string>", "compile error near line(1) <string>: no loop to break"],
  ["do break end", "<string>", "compile error near line(1) <string>: no loop to break"],
  ["function f() return ... end", "<string>", "compile error near line(1) <string>: cannot use '...' outside a vararg function"],
  ["::a:: ::a::", "<string>", "compile error near line(2) <string>: label 'a' already defined on line 1"],
  ["goto l; local x; ::l:: print(x)", "<string>", "compile error near line(2) <string>: <goto l> at line 1 jumps into the scope of local 'x'"],
  ["goto l do ::l:: end", "<string>", "compile error near line(2) <string>: no visible label 'l' for <goto> at line 1"],
  ["function f() local x goto e end", "<string>", "compile error near line(1) <string>: no visible label 'e' for <goto> at line 1"],
  ["function f(a)\n return\n (\n...)\n end", "<string>", "compile error near line(3) <string>: cannot use '...' outside a vararg function"],
  ["goto x\nwhile true do\nend", "<string>", "compile error near line(4) <string>: no visible label 'x' for <goto> at line 1"],
  ["for i = 1, 3 do\n  goto continue\n  local y = i\n  ::continue::\n  print(y)\nend", "<string>", "compile error near line(5) <string>: <goto continue> at line 2 jumps into the scope of local 'y'"],
  ["local function f()\n  while true do end\n  return function() break end\nend", "<string>", "compile error near line(3) <string>: no loop to break"],
  ["local t = {} t['goto'] = 1 return t['goto']", "<string>", null],
  ["local n = 0 ::top:: n = n + 1 if n < 3 then goto top end return n", "<string>", null],
  ["local s = 0 for i = 1, 5 do if i % 2 == 0 then goto continue end s = s + i ::continue:: end return s", "<string>", null],
  ["x = 1e", "<string>", null],
  ["x = \"\\q\"", "<string>", null],
  ["f()\n(g)", "<string>", null],
  ["local x = 1 goto l local y ::l::", "<string>", null],
  ["return", "<string>", null],
  [";;; x = 1 ;", "<string>", null],
  ["function f(...) return ... end", "<string>", null],
  ["x = 0x1F + 012", "<string>", null],
  ["do goto l end ::l::", "<string>", null],
  ["--[==[ a ]] ]==] return [=[ ]] ]=]", "<string>", null],
  ["x = = 1", "/etc/nauthilus/lua/filters/geoip.lua", "/etc/nauthilus/lua/filters/geoip.lua line:1(column:5) near '=':   syntax error\n"],
  ["goto done", "/etc/nauthilus/lua/filters/geoip.lua", "compile error near line(2) /etc/nauthilus/lua/filters/geoip.lua: no visible label 'done' for <goto> at line 1"],
  ["x = 'a' 'b'", "?", "? line:1(column:11) near 'b':   syntax error\n"],
];

describe("gopherCompileError", () => {
  it.each(OBSERVED)("%j (%s)", (source, chunkName, message) => {
    expect(gopherCompileError(source, chunkName)).toBe(message);
  });

  it("has the messages recorded in production (corpus 84, 89)", () => {
    expect(gopherCompileError("local goto = 1 return goto", "<string>")).toBe("<string> line:1(column:10) near 'goto':   syntax error\n");
    expect(gopherCompileError("goto nowhere", "<string>")).toBe("compile error near line(2) <string>: no visible label 'nowhere' for <goto> at line 1");
    expect(gopherCompileError("x =", "<string>")).toBe("<string> at EOF:   syntax error\n");
  });

  it("counts columns in bytes: text with characters above U+00FF is taken as UTF-8", () => {
    expect(gopherCompileError("x = '\u20ac' = 1", "<string>")).toBe("<string> line:1(column:11) near '=':   syntax error\n");
  });

  it("limits a function to 200 locals, at the line the function starts (0 for the chunk)", () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    const locals = (n: number) => names(n).map((v) => `local ${v}`).join("\n");
    expect(gopherCompileError(locals(201), "<string>")).toBe("compile error near line(0) <string>: too many local variables");
    expect(gopherCompileError(locals(200), "<string>")).toBeNull();
    expect(gopherCompileError(`${locals(197)} for i = 1, 2 do end`, "<string>")).toBe("compile error near line(0) <string>: too many local variables");
    expect(gopherCompileError(`x = 1\ny = function\n(\n)\n${locals(201)}\nend`, "<string>")).toBe("compile error near line(2) <string>: too many local variables");
    expect(gopherCompileError(`x = 1\nfunction f\n(\n)\n${locals(201)}\nend`, "<string>")).toBe("compile error near line(3) <string>: too many local variables");
    expect(gopherCompileError(`function f(${names(201).join(", ")}) end`, "<string>")).toBe("compile error near line(1) <string>: register overflow");
  });

  it("compiles valid Lua 5.1 code and an empty chunk", () => {
    expect(gopherCompileError("local a, b = ...\nfor k, v in pairs({a = 1, [2] = b; 3}) do\n  if not v then break elseif #k > 0 then return k:upper() .. 'x' end\nend\nlocal f = function(...) return select('#', ...) end\nreturn f(1, nil)", "<string>")).toBeNull();
    expect(gopherCompileError("", "<string>")).toBeNull();
  });
});
