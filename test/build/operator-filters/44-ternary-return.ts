// Rejects clients past the brute-force threshold, in one expression.
import { accept, reject } from "nauthilus-sdk";

const THRESHOLD = 10;

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const blocked = request.brute_force_counter > THRESHOLD && !request.authenticated;
  nauthilus_builtin.status_message_set(`blocked=${blocked}`);
  return blocked ? reject() : accept();
}
