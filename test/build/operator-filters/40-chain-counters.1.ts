// First filter: counts suspicious signals into a shared Map and accepts.
import { accept } from "nauthilus-sdk";

declare global {
  var signals: Map<string, number> | undefined;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const signals = (globalThis.signals ??= new Map<string, number>());
  if (request.brute_force_counter > 0) signals.set("brute", request.brute_force_counter);
  if (request.repeating) signals.set("repeating", 1);
  if (!request.user_found) signals.set("unknown_user", 1);
  nauthilus_builtin.status_message_set(`signals=${signals.size}`);
  return accept();
}
