// Pre-sizes the slot table of the ring.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const slots = new Array<string>(8).fill("-");
  slots[request.username.length % 8] = "x";
  nauthilus_builtin.status_message_set(`slots=${slots.join("")}`);
  return accept();
}
