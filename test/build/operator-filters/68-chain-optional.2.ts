// Second filter: reads what the first one collected. Undefined parts and fields still count.
import { accept } from "nauthilus-sdk";

declare global {
  var parts: Array<string | undefined> | undefined;
  var profile: { name?: string; session?: string; note?: string } | undefined;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const parts = globalThis.parts ?? [];
  const distinct = new Set(parts);
  const profile = { ...(globalThis.profile ?? {}), note: "seen" };
  const out = [
    `parts=${parts.length}`,
    `distinct=${distinct.size}`,
    `keys=${Object.keys(profile).join(",")}`,
    `has_session=${"session" in profile}`,
    `joined=${parts.join("/")}`,
  ];
  nauthilus_builtin.status_message_set(out.join(" "));
  return accept();
}
