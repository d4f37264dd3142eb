// Retry handlers collected in a loop written with var, as in older examples.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  var handlers: Array<() => number> = [];
  for (var i = 0; i < 3; i++) handlers.push(() => i);
  nauthilus_builtin.status_message_set(`handlers=${handlers.map((h) => h()).join(",")}`);
  return accept();
}
