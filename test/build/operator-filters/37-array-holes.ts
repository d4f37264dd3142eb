// A fixed ring of 8 slots for consistent hashing; unfilled slots stay empty. Optional profile
// parts are collected with gaps. Each step is guarded, so that one failing step only blanks its
// own report entry.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

function slotOf(ip: string): number {
  let h = 0;
  for (let i = 0; i < ip.length; i++) h = (h * 31 + ip.charCodeAt(i)) % 1000003;
  return h % 8;
}

function attempt(out: string[], name: string, step: () => string): void {
  try {
    out.push(`${name}=${step()}`);
  } catch (e) {
    out.push(`${name}=failed`);
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const ring: string[] = [];
  for (const s of get_backend_servers()) if (s.protocol === request.protocol) ring[slotOf(s.ip)] = s.ip;
  attempt(out, "ring_len", () => `${ring.length}`);
  attempt(out, "slots", () => {
    const slots: string[] = [];
    for (let i = 0; i < ring.length; i++) slots.push(ring[i] ?? "-");
    return slots.join(",");
  });
  attempt(out, "ring_join", () => ring.join(","));
  attempt(out, "ring_filled", () => `${ring.filter((ip) => ip !== undefined).length}`);

  const parts: Array<string | undefined> = [];
  parts.push(request.display_name || undefined);
  parts.push(request.session || undefined);
  parts.push(request.account || undefined, "end");
  attempt(out, "parts_len", () => `${parts.length}`);
  attempt(out, "parts", () => parts.join("/"));
  attempt(out, "defined", () => `${parts.filter((p) => p !== undefined).length}`);
  attempt(out, "last", () => `${parts[parts.length - 1]}`);

  const grown: number[] = [1, 2];
  grown[5] = 6;
  attempt(out, "grown_len", () => `${grown.length}`);
  attempt(out, "grown", () => grown.join(","));

  const cleared = ["a", "b", "c"];
  delete cleared[1];
  attempt(out, "deleted_len", () => `${cleared.length}`);
  attempt(out, "deleted", () => cleared.join(","));
  attempt(out, "deleted_map", () => cleared.map((c) => c ?? "?").join(""));
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
