import { accept } from "nauthilus-sdk";
interface O { a?: number; b?: string; c?: number }
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const x: number | undefined = request.local_port === "1" ? 1 : undefined;
  const o: O = { a: x, b: "s" };
  out.push(`keys=${Object.keys(o).join(",")}`, `a_in=${"a" in o}`);
  o.c = x;
  out.push(`keys2=${Object.keys(o).join(",")}`);
  delete o.a;
  out.push(`keys3=${Object.keys(o).join(",")}`, `a_in=${"a" in o}`);
  o.a = 5;
  out.push(`keys4=${Object.keys(o).join(",")}`);
  const r = { ...o, b: request.session === "zz" ? "q" : undefined };
  out.push(`r=${Object.entries(r).map(([k, v]) => `${k}:${v}`).join(",")}`);
  const { b, ...rest } = r;
  out.push(`rest=${Object.keys(rest).join(",")}`);
  const f = Object.fromEntries([["p", x], ["q", 2]] as Array<[string, number | undefined]>);
  out.push(`f=${Object.keys(f).join(",")}`);
  const keys: string[] = [];
  for (const k in r) keys.push(k);
  out.push(`forin=${keys.join(",")}`);
  const assigned: { z?: number; y?: number } = Object.assign({ z: 1 } as { z?: number }, { z: undefined, y: 2 });
  out.push(`assigned=${Object.keys(assigned).join(",")}:${assigned.z}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
