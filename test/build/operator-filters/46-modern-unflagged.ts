// Newer array helpers (ES2023) that an editor offers for an ESNext lib.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

function attempt(out: string[], name: string, step: () => string): void {
  try {
    out.push(`${name}=${step()}`);
  } catch (e) {
    out.push(`${name}=failed`);
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const servers = get_backend_servers();
  const ips = servers.map((s) => s.ip);
  const out: string[] = [];
  attempt(out, "sorted", () => ips.toSorted().join(","));
  attempt(out, "reversed", () => ips.toReversed()[0]!);
  attempt(out, "with", () => ips.with(0, "x")[0]!);
  attempt(out, "spliced", () => ips.toSpliced(0, 7).join(","));
  attempt(out, "at", () => `${ips.at(-1)}`);
  attempt(out, "unchanged", () => ips[0]!);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
