// gopher-lua's pattern engine (runtime/vm/lua/gopher-pattern.lua, docs/fidelity.md D25): a whole
// pattern is compiled before matching, `%f`/`%g` are letters, gmatch and gsub collect matches as
// Lua 5.1 does, find/match/gsub take their arguments as gopher's Go code does. Every expected
// text was observed on gopher-lua v1.1.1 running the same call (line N of the chunk is call N),
// not derived from our reading; a wider run of 5,493 calls over 16 subjects and 57 patterns
// agreed as well when this was written.
import { describe, expect, it } from "vitest";
import { luaPrints } from "../helpers/runtime";

/** [a Lua expression, what gopher-lua printed for pcall of it]. */
const OBSERVED: Array<[string, string]> = [
  ["string.find(\"p%a.s(s\", \"p%a.s(s\")", "false fidelity.lua:1: unfinished capture at EOS"],
  ["string.find(\"x(y\", \"(\")", "false fidelity.lua:2: unfinished capture at EOS"],
  ["string.find(\"50%\", \"%\")", "true"],
  ["string.find(\"abc\", \"\", 10)", "true 1 0"],
  ["string.find(\"abc\", \"\", 2)", "true 1 0"],
  ["string.find(\"THE (quick) fox\", \"%f[%a]%a+\", 5)", "true 13 15"],
  ["string.find(\"a g b\", \"%g\")", "true 3 3"],
  ["string.find(\"abc\", \"[%a-z]\")", "true"],
  ["string.find(\"abc\", \"a)\")", "false fidelity.lua:9: invalid ')' at 0"],
  ["string.find(\"abc\", \")\")", "false fidelity.lua:10: invalid ')' at 0"],
  ["string.find(\"abc\", \"[a\")", "false fidelity.lua:11: unexpected EOS at 1"],
  ["string.find(\"abc\", \"[%\")", "false fidelity.lua:12: unexpected EOS at EOS"],
  ["string.find(\"abc\", \"%0\")", "false fidelity.lua:13: invalid capture index at 0"],
  ["string.find(\"abc\", \"%b(\")", "true"],
  ["string.find(\"(a)\", \"%b()\")", "true 1 3"],
  ["string.find(\"a-b\", \"[a-]\", 2)", "true 2 2"],
  ["string.find(\"abc\", \"b\", 10, true)", "false runtime error: slice bounds out of range [9:3]"],
  ["string.find(\"a.b\", \".\", 1, true, 1)", "true 1 1"],
  ["string.find(\"abcabc\", \"b\", -2)", "true 5 5"],
  ["string.find(\"a]b\", \"[]]\")", "true 2 2"],
  ["string.find(\"x^y\", \"x^\")", "true 1 2"],
  ["string.find(\"a$b\", \"a$b\")", "true 1 3"],
  ["string.find(\"user=alice\", \"(%w+)=(%w+)\")", "true 1 10 user alice"],
  ["string.find(\"abc\", \"()b()\")", "true 2 2 2 3"],
  ["string.find(\"aXb\", \"[^%l]\")", "true 2 2"],
  ["string.find(\"caf\\195\\169\", \"[\\195]\")", "true 4 4"],
  ["string.find(\"a\\0b\", \"%z\")", "true 2 2"],
  ["select(\"#\", string.match(\"abc\", \"x\"))", "true 0"],
  ["string.match(\"abc\", \"b\", 10)", "true"],
  ["string.match(\"key=v\", \"^(%w+)=\")", "true key"],
  ["string.match(\"abc\", \"(a)%1\")", "true"],
  ["string.match(\"aa\", \"(a)%1\")", "true a"],
  ["string.gsub(\"abc\", \"%w*\", \"x\")", "true xx 2"],
  ["string.gsub(\"hello world\", \"o\", \"0\", 0)", "true hello world 0"],
  ["string.gsub(\"aaa\", \"a\", \"b\", -1)", "true bbb 3"],
  ["string.gsub(\"aaa\", \"a\", \"b\", 2)", "true bba 2"],
  ["string.gsub(\"abc\", \"b\", \"%x%\")", "true a%x%c 1"],
  ["string.gsub(\"abc\", \"b\", \"%%\")", "true a%c 1"],
  ["string.gsub(\"abc\", \"(a)\", \"%2\")", "false fidelity.lua:39: invalid capture index"],
  ["string.gsub(\"abc\", \"()b\", \"%1\")", "true a2c 1"],
  ["string.gsub(\"abc\", \"()b\", { [2] = \"X\" })", "true aXc 1"],
  ["string.gsub(\"a b c\", \"%w\", { a = 1, b = true, c = {} })", "true 1   3"],
  ["string.gsub(\"a b c\", \"%w\", function(x) if x == \"a\" then return nil elseif x == \"b\" then return 2.5 else return {} end end)", "true a 2.5  3"],
  ["string.gsub(\"abc\", \"b\", 5)", "false fidelity.lua:44: bad argument #3 to gsub (string or table or function expected, got number)"],
  ["string.gsub(\"aaa\", \"^a\", \"b\")", "true baa 1"],
  ["string.gsub(1.5, \"%.\", \",\")", "true 1,5 1"],
  ["string.gsub(\"  trim  \", \"^%s*(.-)%s*$\", \"[%1]\")", "true [trim] 1"],
  ["string.gsub(\"abc\", \"\", \"-\")", "true -a-b-c- 4"],
  ["string.gsub(\"x(y\", \"(\", \"\")", "false fidelity.lua:49: unfinished capture at EOS"],
  ["string.gsub(\"abc\", \"%f[%w]\", \"!\")", "true abc 0"],
  ["(function() local r = {} for w in string.gmatch(\"baaac\", \"a*\") do r[#r + 1] = \"<\" .. w .. \">\" end return table.concat(r) end)()", "true <><aaa><><>"],
  ["(function() local r = {} for w in string.gmatch(\"aaa\", \"^a\") do r[#r + 1] = w end return table.concat(r, \",\") end)()", "true a"],
  ["(function() local r = {} for k, v in string.gmatch(\"a=1, b=2\", \"(%w+)=(%w+)\") do r[#r + 1] = k .. v end return table.concat(r, \",\") end)()", "true a1,b2"],
  ["(function() local r = {} for p in string.gmatch(\"abc\", \"()\") do r[#r + 1] = p end return table.concat(r, \",\") end)()", "true 1,2,3,4"],
  ["string.gmatch(\"abc\", \"(\")", "false fidelity.lua:55: unfinished capture at EOS"],
  ["string.find(12345, 34)", "true 3 4"],
  ["string.rep(\"ab\", 3)", "true ababab"]
];

describe("string patterns as gopher-lua's engine reads them", () => {
  it(`${OBSERVED.length} calls`, async () => {
    const code = OBSERVED.map(([call]) =>
      `do local r = { pcall(function() return ${call} end) } local parts = {} for i = 1, #r do parts[i] = tostring(r[i]) end print(table.concat(parts, " ")) end`,
    ).join("\n");
    const r = await luaPrints(code);
    expect(r.error).toBeNull();
    expect(OBSERVED.map(([call], i) => `${call} => ${r.printed[i]}`)).toEqual(OBSERVED.map(([call, want]) => `${call} => ${want}`));
  });
});
