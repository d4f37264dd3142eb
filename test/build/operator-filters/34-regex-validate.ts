// Rejects logins that are not a plain mailbox address.
import { accept, reject } from "nauthilus-sdk";

const MAILBOX = /^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/i;

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  if (!MAILBOX.test(request.username)) {
    nauthilus_builtin.status_message_set("Invalid login name");
    return reject();
  }
  return accept();
}
