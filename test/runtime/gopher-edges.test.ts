// Edges an adversarial run against gopher-lua v1.1.1 found (string.format on broken UTF-8 and
// tables, patterns with literal quantifier characters and gsub limit 0, tonumber and string
// arithmetic of 64-bit integers, argument checks of ipairs/math/pcall/xpcall/tonumber, multiple
// assignment with parenthesized calls, arithmetic metamethods of the second operand, string
// escapes as gopher's lexer reads them). Every expected line was observed on gopher-lua v1.1.1
// running this chunk (bytes past ASCII and line breaks printed as <n>).
import { describe, expect, it } from "vitest";
import { luaPrints } from "../helpers/runtime";

const CHUNK = "local function esc(s) return (s:gsub('[\\128-\\255\\n]', function(c) return '<' .. c:byte() .. '>' end)) end local function out(k, ...) local n = select('#', ...) local parts = {} for i = 1, n do local ok, s = pcall(tostring, (select(i, ...))) parts[#parts + 1] = ok and esc(s) or '?' end print(k .. '=' .. table.concat(parts, '|') .. '#' .. n) end\ndo\n  out(\"q1\", pcall(string.format, \"%q\", \"caf\\195\"))\n  out(\"q2\", pcall(string.format, \"%.2s|%q|%+q\", \"\\255\\255\\255\", \"\\255\", \"caf\\195\"))\n  out(\"v4\", pcall(string.format, \"%.4v %.4v %.3v\", 123.456, 12, 2^64))\n  local obj = setmetatable({}, { __tostring = function() return \"OBJ\" end })\n  out(\"s_tbl\", (string.format(\"%s\", obj):gsub(\"0x%x+\", \"ADDR\")))\n  out(\"p1\", pcall(string.find, \"a-b\", \"-+\"))\n  out(\"p2\", pcall(string.find, \"a??b\", \"??\"))\n  out(\"p3\", pcall(string.find, \"a??b**\", \"a?**\"))\n  out(\"p4\", pcall(string.find, \"x(-y\", \"(-+)\"))\n  out(\"p5\", pcall(string.gsub, \"[ab]\", \"a%1\", \"x\", 0))\n  out(\"p6\", pcall(string.gsub, \"aab\", \"a\", \"x\", 0))\n  out(\"p7\", pcall(string.gsub, \"baa\", \"a\", \"x\", 0))\nend\n\ndo\n  for _, s in ipairs({\"783077155237804271\", \"9223372036854775807\", \"9223372036854775808\", \"-9223372036854775808\", \"-9223372036854775809\", \"0x7fffffffffffffff\", \"0x8000000000000000\", \"-0x8000000000000000\", \"0x920e60e62a63b257\", \"123\", \"-0\", \"010\", \"1e3\", \"0x10\", \"99999999999999999999\"}) do\n    out(\"tn \" .. s, tonumber(s))\n    out(\"ar \" .. s, pcall(function() return s + 0 end))\n  end\n  out(\"b16\", tonumber(\"7fffffffffffffff\", 16), tonumber(\"8000000000000000\", 16), tonumber(\"-8000000000000000\", 16), tonumber(\"zz\", 36), tonumber(\"777\", 8))\nend\n\ndo\n  out(\"ip\", pcall(function() for _ in ipairs(nil) do end end))\n  out(\"ip2\", pcall(ipairs, nil))\n  out(\"ip3\", pcall(ipairs, \"x\"))\n  out(\"log\", math.log(8, 2), math.log(8))\n  out(\"fl\", pcall(function() return math.floor(nil) end))\n  out(\"fl2\", pcall(function() return math.floor(\"2.5\") end))\n  out(\"ce\", pcall(function() return math.ceil({}) end))\n  out(\"mx\", pcall(function() return math.max(1, \"5\") end))\n  out(\"mn\", pcall(function() return math.min(\"3\", 2, \"1\") end))\n  out(\"mx2\", pcall(function() return math.max(1, \"x\") end))\n  out(\"pc0\", pcall(function() return pcall() end))\n  out(\"pcn\", pcall(nil))\n  out(\"pc5\", pcall(5))\n  out(\"pct\", pcall({}))\n  out(\"xp\", xpcall(function(...) return select(\"#\", ...) end, print, 5))\n  out(\"tnb\", pcall(function() return tonumber(\"ff\", \"16\") end))\nend\n\ndo\n  local function f() return 100, 200 end\n  local function h2(...) local a, b = 1, 2; a, b = (...); return a, b end\n  do local a, b = 1, 2; a, b = (f()); out(\"paren\", a, b) end\n  out(\"vararg_paren\", h2(7, 8))\n  do local a = 1; local function h() a = a + 1000 end; a = 5, h(); out(\"single_extra\", a) end\n  do local a, b = 1, 2; a, b = f(), (f()); out(\"paren_last\", a, b) end\n  do local a, b = 1, 2; a, b = b, (a); out(\"paren_name\", a, b) end\nend\n\ndo\n  local mt = { __add = function(a, b) return \"ADD(\" .. type(a) .. \",\" .. type(b) .. \")\" end, __sub = function(a, b) return \"SUB\" end }\n  local obj = setmetatable({}, mt)\n  out(\"s+o\", pcall(function() return \"2\" + obj end))\n  out(\"o+s\", pcall(function() return obj + \"2\" end))\n  out(\"n+o\", pcall(function() local x return x + obj end))\n  out(\"b-o\", pcall(function() return true - obj end))\n  out(\"x+o\", pcall(function() return \"x\" + obj end))\n  out(\"1+o\", pcall(function() return 1 + obj end))\n  out(\"s+t\", pcall(function() return \"2\" + {} end))\nend\n\ndo\n  out(\"d\", \"\\d\", #\"\\d\", (\"a1b\"):find(\"\\d\"))\n  out(\"dot\", \"\\.\", (\"abc\"):find(\"\\.\"))\n  out(\"x41\", \"\\x41\", #\"\\x41\")\n  out(\"z\", \"\\z  x\", #\"\\z  x\")\n  out(\"256\", #\"\\256\", (\"\\256\"):byte(), (\"\\999\"):byte(), (\"\\300\"):byte())\n  out(\"q\", \"\\q\\-\\[\\]\", \"a\\\nb\")\n  out(\"mix\", \"\\65\\066\\0677\", #\"\\0\\00\\000\")\n  out(\"u\", \"\\u{41}\")\n  out(\"quote\", \"\\\"'\\\\\", '\\'\"')\n  local f = loadstring(\"return '\\\\d\\\\x41'\") out(\"ls\", f())\nend\n";

const OBSERVED = [
 "q1=true|\"caf\\xc3\"#2",
 "q2=true|<255><255>|\"\\xff\"|\"caf\\xc3\"#2",
 "v4=true|123.5 0012 1.84e+19#2",
 "s_tbl=table: ADDR#1",
 "p1=true|2|2#3",
 "p2=true|1|0#3",
 "p3=true|1|1#3",
 "p4=true|3|3|-#4",
 "p5=true|[ab]|0#3",
 "p6=true|xxb|2#3",
 "p7=true|baa|0#3",
 "tn 783077155237804271=783077155237804288#1",
 "ar 783077155237804271=true|783077155237804288#2",
 "tn 9223372036854775807=9.223372036854776e+18#1",
 "ar 9223372036854775807=true|9.223372036854776e+18#2",
 "tn 9223372036854775808=nil#1",
 "ar 9223372036854775808=true|9.223372036854776e+18#2",
 "tn -9223372036854775808=-9223372036854775808#1",
 "ar -9223372036854775808=true|-9223372036854775808#2",
 "tn -9223372036854775809=nil#1",
 "ar -9223372036854775809=true|-9223372036854775808#2",
 "tn 0x7fffffffffffffff=9.223372036854776e+18#1",
 "ar 0x7fffffffffffffff=true|9.223372036854776e+18#2",
 "tn 0x8000000000000000=nil#1",
 "ar 0x8000000000000000=false|fidelity.lua:20: cannot perform add operation between string and number#2",
 "tn -0x8000000000000000=nil#1",
 "ar -0x8000000000000000=true|-9223372036854775808#2",
 "tn 0x920e60e62a63b257=nil#1",
 "ar 0x920e60e62a63b257=false|fidelity.lua:20: cannot perform add operation between string and number#2",
 "tn 123=123#1",
 "ar 123=true|123#2",
 "tn -0=0#1",
 "ar -0=true|0#2",
 "tn 010=10#1",
 "ar 010=true|8#2",
 "tn 1e3=nil#1",
 "ar 1e3=true|1000#2",
 "tn 0x10=16#1",
 "ar 0x10=true|16#2",
 "tn 99999999999999999999=nil#1",
 "ar 99999999999999999999=true|1e+20#2",
 "b16=9.223372036854776e+18|nil|-9223372036854775808|1295|511#5",
 "ip=false|fidelity.lua:26: bad argument #1 to ipairs (table expected, got nil)#2",
 "ip2=false|fidelity.lua:27: bad argument #1 to (anonymous) (table expected, got nil)#2",
 "ip3=false|fidelity.lua:28: bad argument #1 to (anonymous) (table expected, got string)#2",
 "log=2.0794415416798357|2.0794415416798357#2",
 "fl=false|fidelity.lua:30: bad argument #1 to floor (number expected, got nil)#2",
 "fl2=true|2#2",
 "ce=false|fidelity.lua:32: bad argument #1 to ceil (number expected, got table)#2",
 "mx=true|5#2",
 "mn=true|1#2",
 "mx2=false|fidelity.lua:35: bad argument #2 to max (number expected, got string)#2",
 "pc0=false|fidelity.lua:36: bad argument #1 to pcall (value expected)#2",
 "pcn=false|attempt to call a nil value#2",
 "pc5=false|attempt to call a number value#2",
 "pct=false|attempt to call a table value#2",
 "xp=true|0#2",
 "tnb=false|fidelity.lua:41: bad argument #2 to tonumber (number expected, got string)#2",
 "paren=100|nil#2",
 "vararg_paren=7|nil#2",
 "single_extra=1005#1",
 "paren_last=100|100#2",
 "paren_name=2|2#2",
 "s+o=true|ADD(string,table)#2",
 "o+s=true|ADD(table,string)#2",
 "n+o=true|ADD(nil,table)#2",
 "b-o=true|SUB#2",
 "x+o=true|ADD(string,table)#2",
 "1+o=true|ADD(number,table)#2",
 "s+t=false|fidelity.lua:63: cannot perform add operation between number and table#2",
 "d=d|1|nil#3",
 "dot=.|1|1#3",
 "x41=x41|3#2",
 "z=z  x|4#2",
 "256=1|0|231|44#4",
 "q=q-[]|a<10>b#2",
 "mix=ABC7|3#2",
 "u=u{41}#1",
 "quote=\"'\\|'\"#2",
 "ls=dx41#1"
];

describe("edges found against gopher-lua v1.1.1", () => {
  it("print as production's", async () => {
    const r = await luaPrints(CHUNK);
    expect(r.error).toBeNull();
    expect(r.printed).toEqual(OBSERVED);
  });
});
