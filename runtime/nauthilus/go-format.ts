// How production turns numbers and attribute values into text (contract §7, §8).
//
// gopher-lua numbers are Go float64s, and Nauthilus prints attribute values with Go's `%v`. Both
// differ from JavaScript's `String(x)` (`1e21` vs `1e+21`, `1234567.5` vs `1.2345675e+06`,
// `Infinity` vs `+Inf`), so every place that shows a number the way production would goes
// through this module.

const INT64_MIN = -(2 ** 63);
// 2^63 itself is outside int64: it is the first float64 that is too large.
const INT64_LIMIT = 2 ** 63;

/**
 * Go `fmt.Sprint(float64)` / `%v`, i.e. `strconv.FormatFloat(x, 'g', -1, 64)`: the shortest digits
 * that read back as `x`, written with an exponent when the decimal exponent is < -4 or >= 6
 * (`strconv` uses 6 as the `%g` precision limit for the shortest form), so `1000000` → `1e+06`
 * although it is integral. The exponent has a sign and at least two digits.
 */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";

  const sign = x < 0 ? "-" : "";
  const { digits, exponent } = shortestDigits(Math.abs(x));

  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  if (exponent < 0) {
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return fraction === "" ? `${sign}${integerPart}` : `${sign}${integerPart}.${fraction}`;
}

/**
 * gopher-lua's `tostring` of a number (`LNumber.String`, contract §8): a value that survives
 * `float64(int64(v)) == v` prints as an integer (`993`, `1e15` → `1000000000000000`, `-0` → `0`),
 * anything else as {@link formatGoFloat} (`0.5`, `1e+20`, `NaN`, `+Inf`).
 *
 * In production the test is a Go conversion whose result for values outside int64 is
 * platform-defined; this follows amd64, where every such value (2^63 and up, NaN, ±Inf) fails
 * the test and takes the float form. On arm64 exactly 2^63 would print `9223372036854775807`.
 */
export function formatLuaNumber(x: number): string {
  if (Number.isInteger(x) && x >= INT64_MIN && x < INT64_LIMIT) {
    // Above 2^53 `String(x)` switches to an exponent at 1e21 and is not Go's; BigInt gives
    // the exact integer digits. BigInt(-0) is 0n, matching Go's int64(-0) = 0.
    return BigInt(x).toString();
  }
  return formatGoFloat(x);
}

/**
 * Go `%v` of a value Nauthilus converted from Lua (`convert.LuaValueToGo`, contract §4, §7):
 * numbers are float64 ({@link formatGoFloat}), `true`/`false`, strings as they are, lists
 * (`[]interface{}`, JS arrays) as `[a b]`, maps (`map[interface{}]interface{}`, a JS `Map` or a
 * plain object) as `map[k:v …]` with keys sorted the way Go's `fmt` sorts them, and a missing
 * value (`null`/`undefined`, a nil interface) as `<nil>`.
 */
export function formatGoValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  switch (typeof v) {
    case "number":
      return formatGoFloat(v);
    case "boolean":
      return v ? "true" : "false";
    case "string":
      return v;
  }
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(" ")}]`;
  if (v instanceof Map) return formatGoMap([...v.entries()]);
  if (isPlainObject(v)) return formatGoMap(Object.entries(v));
  // Nauthilus never produces other Go types here (LuaValueToGo turns functions and userdata
  // into strings first), so anything else is a bug in the caller, not a value to print.
  throw new TypeError(`formatGoValue: no Go value corresponds to ${describe(v)}`);
}

/** The shortest round-trip digits of a positive finite `x`, without leading or trailing zeros,
 *  and the decimal exponent of the first digit (x = d.ddd × 10^exponent). */
function shortestDigits(x: number): { digits: string; exponent: number } {
  // Number::toString picks the shortest digit string that reads back as x and, among equally
  // short ones, the closest to x: the same choice as Go's strconv shortest mode. Only the
  // layout differs, so take the digits and re-layout them.
  const [mantissa = "", exponentText] = x.toString().split("e");
  const point = mantissa.indexOf(".");
  const integerDigits = point < 0 ? mantissa : mantissa.slice(0, point);
  const allDigits = integerDigits + (point < 0 ? "" : mantissa.slice(point + 1));
  // Position of the decimal point within allDigits, counted from its left end.
  let pointPosition = integerDigits.length + (exponentText === undefined ? 0 : Number(exponentText));

  const leadingZeros = allDigits.length - allDigits.replace(/^0+/, "").length;
  pointPosition -= leadingZeros;
  const digits = allDigits.slice(leadingZeros).replace(/0+$/, "");
  return { digits, exponent: pointPosition - 1 };
}

type GoMapKey = number | boolean | string;

// Go's fmt prints maps in internal/fmtsort order. For interface keys of different concrete
// types that order compares the type descriptors' machine addresses, which nothing outside the
// production binary can know. Decision: order by type name (bool, float64, string), which is
// at least deterministic; keys of one type follow fmtsort exactly.
const KEY_TYPE_RANK: Record<string, number> = { boolean: 0, number: 1, string: 2 };

function formatGoMap(entries: Array<[unknown, unknown]>): string {
  const keyed = entries.map(([key, value]) => {
    if (typeof key !== "number" && typeof key !== "boolean" && typeof key !== "string") {
      // LuaValueToGo would panic on a table key (unhashable); there is no output to copy.
      throw new TypeError(`formatGoValue: map key ${describe(key)} is not a Go map key`);
    }
    return [key, value] as [GoMapKey, unknown];
  });
  keyed.sort(([a], [b]) => compareGoKeys(a, b));
  return `map[${keyed.map(([k, value]) => `${formatGoValue(k)}:${formatGoValue(value)}`).join(" ")}]`;
}

function compareGoKeys(a: GoMapKey, b: GoMapKey): number {
  if (typeof a !== typeof b) return (KEY_TYPE_RANK[typeof a] ?? 0) - (KEY_TYPE_RANK[typeof b] ?? 0);
  if (typeof a === "number" && typeof b === "number") {
    // fmtsort: NaN sorts before every other float; -0 equals 0.
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "boolean") return a === b ? 0 : a ? 1 : -1;
  return compareByCodePoint(a as string, b as string);
}

/** Go compares strings byte by byte in UTF-8, which is code point order; JavaScript's `<`
 *  compares UTF-16 units and disagrees for characters above U+FFFF. */
function compareByCodePoint(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const l = left.next();
    const r = right.next();
    if (l.done || r.done) return l.done && r.done ? 0 : l.done ? -1 : 1;
    const diff = (l.value.codePointAt(0) ?? 0) - (r.value.codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function describe(v: unknown): string {
  return v === null ? "null" : typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
}
