// Numbers and attribute values as production prints them (contract §7, §8). Every expected
// string is written by hand from Go's rules: strconv.FormatFloat(x, 'g', -1, 64) for `%v`
// (shortest round-trip digits; exponent form when the exponent is < -4 or >= 6; exponent signed,
// at least two digits), gopher-lua's LNumber.String for `tostring`, fmt's `[a b]` / `map[k:v]`.
import { describe, expect, it } from "vitest";
import { formatGoFloat, formatGoValue, formatLuaNumber } from "../../runtime/nauthilus/go-format";

describe("formatGoFloat is Go %v of a float64 (contract §8)", () => {
  const cases: Array<[string, number, string]> = [
    ["zero", 0, "0"],
    ["negative zero keeps its sign", -0, "-0"],
    ["a small integer", 993, "993"],
    ["100 has no exponent", 100, "100"],
    ["100000 (exponent 5) is plain", 100000, "100000"],
    ["123456 (exponent 5) is plain", 123456, "123456"],
    ["999999 is plain", 999999, "999999"],
    ["999999.5 (exponent 5) is plain", 999999.5, "999999.5"],
    ["1000000 (exponent 6) takes the exponent form although integral", 1000000, "1e+06"],
    ["1234567 uses all shortest digits in the mantissa", 1234567, "1.234567e+06"],
    ["1234567.5", 1234567.5, "1.2345675e+06"],
    ["1e15", 1e15, "1e+15"],
    ["1e20", 1e20, "1e+20"],
    ["1e21 (where JavaScript switches too, but without '+')", 1e21, "1e+21"],
    ["a three-digit exponent", 1e100, "1e+100"],
    ["2^53", 2 ** 53, "9.007199254740992e+15"],
    ["2^53 + 2", 2 ** 53 + 2, "9.007199254740994e+15"],
    ["2^63", 2 ** 63, "9.223372036854776e+18"],
    ["the largest float64", Number.MAX_VALUE, "1.7976931348623157e+308"],
    ["the smallest subnormal", 5e-324, "5e-324"],
    ["one half", 0.5, "0.5"],
    ["a negative fraction", -2.5, "-2.5"],
    ["123.456", 123.456, "123.456"],
    ["12345.678", 12345.678, "12345.678"],
    ["0.0001 (exponent -4) is plain", 0.0001, "0.0001"],
    ["0.000123 is plain", 0.000123, "0.000123"],
    ["0.00001 (exponent -5) takes the exponent form", 0.00001, "1e-05"],
    ["0.0000123", 0.0000123, "1.23e-05"],
    ["1e-7", 1e-7, "1e-07"],
    ["-1.5e-7", -1.5e-7, "-1.5e-07"],
    ["one third has 16 shortest digits", 1 / 3, "0.3333333333333333"],
    ["0.1 + 0.2 has 17 shortest digits", 0.1 + 0.2, "0.30000000000000004"],
    ["NaN", NaN, "NaN"],
    ["+Inf carries a plus sign", Infinity, "+Inf"],
    ["-Inf", -Infinity, "-Inf"],
  ];
  it.each(cases)("%s", (_name, x, expected) => {
    expect(formatGoFloat(x)).toBe(expected);
  });
});

describe("formatLuaNumber is gopher-lua tostring of a number (contract §8)", () => {
  const cases: Array<[string, number, string]> = [
    ["a small integer", 993, "993"],
    ["a negative integer", -7, "-7"],
    ["an integral quotient (10/2) has no '.0'", 10 / 2, "5"],
    ["1000000 prints as an integer, unlike %v", 1000000, "1000000"],
    ["1e15 prints all digits", 1e15, "1000000000000000"],
    ["1e18 prints all digits", 1e18, "1000000000000000000"],
    ["2^53", 2 ** 53, "9007199254740992"],
    ["2^53 + 2 prints its exact digits", 2 ** 53 + 2, "9007199254740994"],
    ["the largest float64 below 2^63 is still an int64", 2 ** 63 - 1024, "9223372036854774784"],
    ["-2^63 is the smallest int64", -(2 ** 63), "-9223372036854775808"],
    ["2^63 is outside int64 and takes the float form", 2 ** 63, "9.223372036854776e+18"],
    ["1e20 is outside int64", 1e20, "1e+20"],
    ["1e21 is outside int64", 1e21, "1e+21"],
    ["negative zero prints as int64 0", -0, "0"],
    ["zero", 0, "0"],
    ["one half", 0.5, "0.5"],
    ["one third", 1 / 3, "0.3333333333333333"],
    ["1234567.5 keeps the %v exponent rule", 1234567.5, "1.2345675e+06"],
    ["0.00001", 0.00001, "1e-05"],
    ["the smallest subnormal", 5e-324, "5e-324"],
    ["the largest float64", Number.MAX_VALUE, "1.7976931348623157e+308"],
    ["NaN", NaN, "NaN"],
    ["+Inf", Infinity, "+Inf"],
    ["-Inf", -Infinity, "-Inf"],
  ];
  it.each(cases)("%s", (_name, x, expected) => {
    expect(formatLuaNumber(x)).toBe(expected);
  });
});

describe("formatGoValue is Go %v of a value converted from Lua (contract §4, §7)", () => {
  const cases: Array<[string, unknown, string]> = [
    ["a string as it is", "imap.example.org", "imap.example.org"],
    ["an empty string", "", ""],
    ["true", true, "true"],
    ["false", false, "false"],
    ["an integral float64 below 1e6", 993, "993"],
    ["an integral float64 from 1e6 on takes the exponent form", 1000000, "1e+06"],
    ["a fraction", 1234567.5, "1.2345675e+06"],
    ["a nil interface", null, "<nil>"],
    ["an empty list", [], "[]"],
    ["a list, space-separated", ["a", "b"], "[a b]"],
    ["a nested list", [1, [2, "x"], true], "[1 [2 x] true]"],
    ["a list of floats uses %v for each", [1000000, 0.5], "[1e+06 0.5]"],
    ["an empty map", new Map(), "map[]"],
    ["a map with sorted string keys", new Map<unknown, unknown>([["b", 1], ["a", 2]]), "map[a:2 b:1]"],
    ["a plain object as a string-keyed map", { port: 993, host: "h" }, "map[host:h port:993]"],
    ["a map inside a list", [{ a: 1 }], "[map[a:1]]"],
    ["a list inside a map", { groups: ["x", "y"] }, "map[groups:[x y]]"],
    [
      "float64 keys sort numerically, not as text",
      new Map<unknown, unknown>([[10, "x"], [2, "y"], [1, "z"]]),
      "map[1:z 2:y 10:x]",
    ],
    ["bool keys: false before true", new Map<unknown, unknown>([[true, 1], [false, 0]]), "map[false:0 true:1]"],
    [
      "string keys sort by UTF-8 bytes (U+FF5E before U+1F600)",
      new Map<unknown, unknown>([["\u{1F600}", 2], ["\u{FF5E}", 1]]),
      "map[\u{FF5E}:1 \u{1F600}:2]",
    ],
    [
      "keys of different types: bool, then float64, then string (runtime decision)",
      new Map<unknown, unknown>([["a", 1], [2, "b"], [true, "c"]]),
      "map[true:c 2:b a:1]",
    ],
  ];
  it.each(cases)("%s", (_name, v, expected) => {
    expect(formatGoValue(v)).toBe(expected);
  });

  it("rejects a JavaScript value no Go value corresponds to", () => {
    expect(() => formatGoValue(() => 1)).toThrow(TypeError);
    expect(() => formatGoValue(Symbol("x"))).toThrow(TypeError);
    expect(() => formatGoValue(new Map([[["list"], 1]]))).toThrow(TypeError);
  });
});
