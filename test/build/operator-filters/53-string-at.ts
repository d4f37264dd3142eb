// Looks at the first and last character of the login.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const user = request.username;
  nauthilus_builtin.status_message_set(`first=${user.at(0)} | last=${user.at(-1)} | far=${user.at(100)}`);
  return accept();
}
