// The values Nauthilus keeps after converting Lua (convert.go:160-205): float64, bool, string,
// lists and maps. runtime/vm/lua/nauthilus.lua encodes them as tagged JSON; this decodes them.
import { fromBytes } from "../vm/wire";
export type GoValue = number | string | boolean | GoValue[] | GoMap;
export type GoMap = Map<number | string | boolean, GoValue>;

type Tagged = { n: number | string } | { s: string } | { b: boolean } | { l: Tagged[] } | { m: Array<[Tagged, Tagged]> };

export function decodeGoValue(t: Tagged): GoValue {
  if ("n" in t) return typeof t.n === "number" ? t.n : t.n === "NaN" ? NaN : t.n === "+Inf" ? Infinity : -Infinity;
  if ("s" in t) return fromBytes(Buffer.from(t.s, "latin1")).text; // one character per byte
  if ("b" in t) return t.b;
  if ("l" in t) return t.l.map(decodeGoValue);
  return new Map(t.m.map(([k, v]) => [decodeGoValue(k) as number | string | boolean, decodeGoValue(v)]));
}

/** Go's == on interface{} panics for lists and maps ("comparing uncomparable type"). */
export function isComparable(v: GoValue): boolean {
  return !Array.isArray(v) && !(v instanceof Map);
}
