// Groups the live servers by protocol in a Map, prunes small groups while iterating, and keeps a
// Set of seen domains.
import { get_backend_servers, type BackendServer } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const byProto = new Map<string, BackendServer[]>();
  for (const s of get_backend_servers()) {
    const list = byProto.get(s.protocol) ?? [];
    list.push(s);
    byProto.set(s.protocol, list);
  }
  out.push(`protos=${[...byProto.keys()].join(",")}`);
  out.push(`sizes=${[...byProto.values()].map((l) => l.length).join(",")}`, `size=${byProto.size}`);
  byProto.set("imap", byProto.get("imap") ?? []);
  out.push(`reset_keeps_order=${[...byProto.keys()].join(",")}`);

  for (const [proto, list] of byProto) {
    if (list.length < 2) byProto.delete(proto);
  }
  out.push(`pruned=${[...byProto.keys()].join(",")}`, `pruned_size=${byProto.size}`);

  const chain = new Map<string, number>([["a", 1]]);
  let visits = 0;
  for (const [k, v] of chain) {
    visits++;
    if (v < 4) chain.set(k + "x", v + 1);
  }
  out.push(`visits=${visits}`, `grown=${[...chain.keys()].join(",")}`);

  const readded = new Set(["b", "a", "c"]);
  readded.add("a");
  readded.delete("b");
  readded.add("b");
  out.push(`set=${[...readded].join(",")}`);

  const seenDuringDelete: string[] = [];
  const live = new Set(["x", "y", "z"]);
  for (const v of live) {
    seenDuringDelete.push(v);
    if (v === "x") live.delete("y");
  }
  out.push(`delete_ahead=${seenDuringDelete.join(",")}`);

  const users = [request.username, request.account, "bob@example.com", "carol@Example.com"];
  const domains = new Set(users.filter((u) => u.includes("@")).map((u) => u.split("@")[1]!.toLowerCase()));
  out.push(`domains=${[...domains].join(",")}`, `has=${domains.has("example.com")}`, `dsize=${domains.size}`);

  const mixed = new Set<string | number>([1, "1", 1, 2]);
  out.push(`mixed=${mixed.size}`);

  const pairs: string[] = [];
  new Map([["x", 1], ["y", 2]]).forEach((value, key, map) => pairs.push(`${key}${value}${map.size}`));
  out.push(`foreach=${pairs.join(",")}`);
  const entries = [...new Map([["p", 10], ["q", 20]]).entries()].map(([k, v]) => `${k}=${v}`);
  out.push(`entries=${entries.join(";").replaceAll("=", ":")}`);

  byProto.clear();
  out.push(`cleared=${byProto.size}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
