// The length of a table as gopher-lua has it (docs/fidelity.md D27): `#`, table.getn/maxn/insert/
// remove/concat and unpack see the length of gopher's array part (the largest positive integer
// key below 2^26 with a value, holes or not); unpack past gopher's registry raises. Every expected
// line was observed on gopher-lua v1.1.1 running this chunk, except the one marked below.
import { describe, expect, it } from "vitest";
import { luaPrints } from "../helpers/runtime";

const CHUNK = "local function out(k, ...) local n = select('#', ...) local parts = {} for i = 1, n do parts[i] = tostring((select(i, ...))) end print(k .. '=' .. table.concat(parts, '|')) end\ndo\n  local function show(k, t) out(k, #t, table.getn(t), table.maxn(t), select(\"#\", unpack(t))) end\n  show(\"empty\", {})\n  show(\"seq\", {1, 2, 3})\n  show(\"hole_ctor\", {1, nil, 3})\n  show(\"trail_nil\", {1, 2, nil})\n  local t = {} t[2] = \"x\" show(\"only2\", t)\n  t = {} t[5] = 1 t[1] = 1 show(\"5and1\", t)\n  t = {1, 2, 3, 4, 5} t[3] = nil show(\"mid_nil\", t)\n  t[5] = nil show(\"then_last\", t)\n  t = {} for i = 1, 100 do t[i] = i end t[50] = nil show(\"100_hole50\", t)\n  t = {} for i = 1, 100 do t[i] = i end for i = 60, 100 do t[i] = nil end show(\"100_cut60\", t)\n  t = {} t[1.5] = 1 t[-1] = 1 t[0] = 1 t[\"3\"] = 1 show(\"odd_keys\", t)\n  t = {} t[67108863] = 1 show(\"near_max\", {})\n  t = {n = 3} show(\"n3\", t)\n  t = {1, 2} table.insert(t, 6, \"far\") show(\"insert_far\", t)\n  t = {1, 2} table.insert(t, \"x\") t[10] = 1 table.insert(t, \"y\") show(\"append_after_far\", t) out(\"app_vals\", t[3], t[4], t[11])\n  t = {1, 2, 3} t[3] = nil out(\"remove_trailnil\", table.remove(t), #t)\n  t = {1, 2, 3} t[5] = 5 out(\"remove_hole\", table.remove(t), #t, t[4], t[5])\n  t = {\"a\", \"b\"} t[4] = \"d\" out(\"concat_hole\", pcall(table.concat, t, \",\"))\n  t = {} for i = 1, 20 do t[#t + 1] = i end t[#t + 5] = \"z\" show(\"grow\", t)\n  local s = setmetatable({}, { __len = function() return 42 end }) out(\"len_mt\", #s, table.getn(s), table.maxn(s))\n  out(\"unpack_big\", pcall(function() local u = {} for i = 1, 6000 do u[i] = i end return select(\"#\", unpack(u, 1, 5000)) end))\n  out(\"unpack_big2\", pcall(function() local u = {} return select(\"#\", unpack(u, 1, 5200)) end))\n  out(\"unpack_range\", pcall(function() return unpack({1, 2, 3}, 2) end))\n  out(\"unpack_neg\", pcall(function() return unpack({1, 2, 3}, -1, 1) end))\n  out(\"unpack_float\", pcall(function() return unpack({1, 2, 3}, 1.9, 2.9) end))\n  out(\"len_nil\", pcall(function() local x return #x end))\n  out(\"len_num\", pcall(function() return #5 end))\n  out(\"len_fn\", pcall(function() return #print end))\nend\n";

const OBSERVED = [
 "empty=0|0|0|0",
 "seq=3|3|3|3",
 "hole_ctor=3|3|3|3",
 "trail_nil=2|2|2|2",
 "only2=2|2|2|2",
 "5and1=5|5|5|5",
 "mid_nil=5|5|5|5",
 "then_last=4|4|4|4",
 "100_hole50=100|100|100|100",
 "100_cut60=59|59|59|59",
 "odd_keys=0|0|0|0",
 "near_max=0|0|0|0",
 "n3=0|0|0|0",
 "insert_far=6|6|6|6",
 "append_after_far=11|11|11|11",
 "app_vals=x|nil|y",
 "remove_trailnil=nil|2",
 "remove_hole=5|3|nil|nil",
 "concat_hole=false|fidelity.lua:21: invalid value (nil) at index 3 in table for concat",
 "grow=25|25|25|25",
 "len_mt=42|0|0",
 "unpack_big=true|5000",
 "unpack_big2=false|fidelity.lua:25: registry overflow",
 "unpack_range=true|2|3",
 "unpack_neg=true|nil|nil|1",
 "unpack_float=true|1|2",
 "len_nil=false|fidelity.lua:29: __len undefined",
 "len_num=false|fidelity.lua:30: __len undefined",
 "len_fn=false|fidelity.lua:31: __len undefined"
];

// Keys set out of order: Lua 5.4 keeps them in its hash part, where its border and `next` from it
// missed the larger ones (the runtime said 2 for a hash ring of 8 slots). Printed by gopher-lua
// v1.1.1.
const OUT_OF_ORDER = `local r = {}
r[8] = 1 r[6] = 1 r[2] = 1 r[1] = 1
print(#r)
r[8] = nil
print(#r)
local c = {[8] = 1, [6] = 1, [2] = 1, [1] = 1}
print(#c)
local d = {}
for i = 10, 1, -1 do d[i] = i end
print(#d)
d[10] = nil d[9] = nil
print(#d)
local ring = {}
for _, slot in ipairs({7, 5, 1, 0}) do ring[math.fmod(slot, 8) + 1] = "x" end
print(#ring, table.getn(ring), select("#", unpack(ring)))
local m = {} m[3]=5 m[5]=6 m[16]=11
for i=6,11 do m[i]=i end
m[#m+1]=15
for i=19,22 do m[i]=i end
m[16]=nil print(#m)
local u = {} u[4]=1 u[1]=1 u[5]=1 table.insert(u, "a") table.insert(u, "b") print(#u, u[6], u[7])`;

describe("table length as gopher-lua's array part", () => {
  it("keys set out of order, then the largest removed", async () => {
    const r = await luaPrints(OUT_OF_ORDER);
    expect(r.error).toBeNull();
    expect(r.printed).toEqual(["8", "6", "8", "10", "8", "8\t8\t8", "22", "7\ta\tb"]);
  });
  it("#, getn, maxn, insert, remove, concat, unpack", async () => {
    const r = await luaPrints(CHUNK);
    expect(r.error).toBeNull();
    // Not reproduced: gopher's array keeps a trailing nil slot that table.remove() takes (it
    // returns nil and shortens the array); Lua 5.4 has no such slot (docs/fidelity.md D27).
    const want = OBSERVED.map((l) => (l === "remove_trailnil=nil|2" ? "remove_trailnil=2|1" : l));
    expect(r.printed).toEqual(want);
  });
});
