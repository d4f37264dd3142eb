// Turns the backend's attribute table into header values: Object helpers over records.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const attrs: Record<string, string | number> = {
    zeta: "last",
    alpha: "first",
    "X-Quota": "5G",
    10: "ten",
    2: "two",
    mid: request.protocol,
  };
  out.push(`keys=${Object.keys(attrs).join(",")}`);
  out.push(`values=${Object.values(attrs).join(",")}`);
  out.push(`entries=${Object.entries(attrs).map(([k, v]) => `${k}:${v}`).join(",")}`);
  out.push(`key_types=${Object.keys(attrs).map((k) => typeof k).join(",")}`);
  const loops: string[] = [];
  for (const k in attrs) loops.push(k);
  out.push(`for_in=${loops.join(",")}`);
  const upper = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.toUpperCase(), String(v).length]));
  out.push(`from_entries=${Object.keys(upper).join(",")}`);
  const lookup = Object.fromEntries([["imap", 143], ["pop3", 110]]);
  out.push(`lookup=${lookup[request.protocol] ?? 0}`);
  const fromMap = Object.fromEntries(new Map([["imap", 1], ["pop3", 2]]));
  out.push(`from_map=${fromMap["imap"]},${fromMap["pop3"]}`);
  const merged = Object.assign({ a: 1 }, { b: 2 }, { a: 3 });
  out.push(`assign=${JSON_like(merged)}`);
  delete attrs.mid;
  out.push(`after_delete=${Object.keys(attrs).length}`, `has_mid=${"mid" in attrs}`, `has_2=${2 in attrs}`, `has_str2=${"2" in attrs}`);
  out.push(`by_str=${attrs["10"]}`, `by_num=${attrs[10]}`);
  const counts: Record<string, number> = {};
  for (const ch of ["b", "a", "b", "c", "a", "b"]) counts[ch] = (counts[ch] ?? 0) + 1;
  out.push(`counts=${Object.entries(counts).map(([k, n]) => `${k}${n}`).join("")}`);
  out.push(`empty_keys=${Object.keys({}).length}`, `array_keys=${Object.keys(["x", "y"]).join(",")}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}

function JSON_like(o: Record<string, number>): string {
  return "{" + Object.keys(o).map((k) => `${k}=${o[k]}`).join(";") + "}";
}
