// How Nauthilus combines the backend results of a request's filters (filter.go:587-599,635-672):
// after each filter that finished without error, the result applied now is compared with the one
// applied before it; if the maps differ, the new one is merged key by key into the request's
// result (later filters win). The comparison is Go's `!=` on interface values, which panics when
// both sides hold lists or maps — production answers that request with HTTP 500.
import { isComparable, type GoMap, type GoValue } from "./go-value";

export interface MergeStep {
  /** Attributes of the result applied before the filter ran, read after it ran (same object: same map). */
  before: GoMap | undefined;
  /** Attributes of the result applied after the filter ran. */
  after: GoMap | undefined;
  /** Whether no new result was applied (Nauthilus then compares an object with itself). */
  sameObject: boolean;
}

export type MergeOutcome = { merged: GoMap } | { panic: string; production: "always" | "depends-on-map-order" };

/** One merge step. `merged` is not modified. */
export function mergeStep(merged: GoMap, step: MergeStep): MergeOutcome {
  const verdict = mapsEqual(step.before ?? new Map(), step.after ?? new Map(), step.sameObject);
  if (typeof verdict === "object") return verdict;
  if (verdict) return { merged };
  const out: GoMap = new Map(merged);
  for (const [k, v] of step.after ?? []) out.set(k, v);
  return { merged: out };
}

/**
 * Go's mapsEqual over interface{} maps. Go ranges over a map in random order and returns at the
 * first difference, so when two *different* maps hold a list under a shared key and also differ
 * elsewhere, production panics on some requests and not on others; this runtime always panics
 * there (the outcome a test must be ready for) and says so.
 */
function mapsEqual(a: GoMap, b: GoMap, sameObject: boolean): boolean | { panic: string; production: "always" | "depends-on-map-order" } {
  if (a.size !== b.size) return false;
  let differs = false;
  let panic: string | undefined;
  for (const [k, v] of a) {
    if (!b.has(k)) {
      differs = true;
      continue;
    }
    const w = b.get(k)!;
    const kind = uncomparableKind(v, w);
    if (kind) panic ??= `runtime error: comparing uncomparable type ${kind}`;
    else if (!goEqual(v, w)) differs = true;
  }
  if (panic) return { panic, production: sameObject || !differs ? "always" : "depends-on-map-order" };
  return !differs;
}

/** Go panics on `!=` only when both dynamic types are the same uncomparable type. */
function uncomparableKind(v: GoValue, w: GoValue): string | undefined {
  if (isComparable(v) || isComparable(w)) return undefined;
  if (Array.isArray(v) && Array.isArray(w)) return "[]interface {}";
  if (v instanceof Map && w instanceof Map) return "map[interface {}]interface {}";
  return undefined;
}

function goEqual(v: GoValue, w: GoValue): boolean {
  if (typeof v === "number" && typeof w === "number") return v === w; // NaN != NaN, as in Go
  return v === w;
}
