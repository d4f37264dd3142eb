// Counts the ports admins configured per listener; a typo parses to NaN and is counted too.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const typed = ["143", "993", "99x", "143", "", "-0", "0"];
  const counts = new Map<number, number>();
  for (const t of typed) {
    const port = Number(t);
    counts.set(port, (counts.get(port) ?? 0) + 1);
  }
  const unique = new Set(typed.map(Number));
  const out = [`counts=${[...counts].map(([p, n]) => `${p}:${n}`).join(",")}`, `unique=${unique.size}`, `has_nan=${unique.has(NaN)}`];
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
