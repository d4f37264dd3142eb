// Counts the configured weights of the user's domain; a domain without config has none.
import { accept } from "nauthilus-sdk";

const WEIGHTS: Record<string, number[] | undefined> = { "example.com": [3, 1] };

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const domain = request.username.split("@")[1]?.toLowerCase() ?? "";
  const count = WEIGHTS[domain]?.length ?? 0;
  const alias = domain === "" ? undefined : domain;
  nauthilus_builtin.status_message_set(`count=${count} | alias_len=${alias?.length}`);
  return accept();
}
