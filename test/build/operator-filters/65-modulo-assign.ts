// The classic 32-bit string hash written with a compound remainder.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  let h = 0;
  for (let i = 0; i < request.username.length; i++) {
    h = h * 31 + request.username.charCodeAt(i);
    h %= 4294967296;
  }
  nauthilus_builtin.status_message_set(`hash=${h}`);
  return accept();
}
