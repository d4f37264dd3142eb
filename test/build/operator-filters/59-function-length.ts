// Checks that every configured hook takes the arguments the filter passes.
import { accept } from "nauthilus-sdk";

const HOOKS = [(user: string) => user.length, (user: string, ip: string) => user.length + ip.length];

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const arities = HOOKS.map((h) => h.length);
  nauthilus_builtin.status_message_set(`arities=${arities.join(",")}`);
  return accept();
}
