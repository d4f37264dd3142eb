// Builds the link to the self-service page that the status message shows.
import { accept, reject } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  if (request.brute_force_counter < 10) return accept();
  const link = `https://account.example.com/unlock?user=${encodeURIComponent(request.username)}`;
  nauthilus_builtin.status_message_set(`Too many attempts, unlock at ${link}`);
  return reject();
}
