/**
 * hostip: tell Dovecot which backend serves the user (the seed document's example).
 *
 * Picks the first live IMAP backend, applies it as the attribute `hostip`, which the header
 * endpoint returns as `X-Nauthilus-Hostip` for a Dovecot Lua passdb to read, and removes the
 * password backend's `Proxy-Host` attribute so that the old routing hint no longer reaches Dovecot.
 *
 * Removals always happen before additions, and an applied attribute is only added where the
 * password backend has none of that name: remove first to replace.
 *
 * Only for users the password backend found: for an unknown user Nauthilus holds no attribute map
 * at all, and adding an attribute to it makes production answer HTTP 500 instead of a failed login.
 */
import {
  apply_backend_result,
  get_backend_servers,
  remove_from_backend_result,
} from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

const PROTOCOL = "imap";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  if (!request.user_found) return accept();
  remove_from_backend_result(["Proxy-Host"]);

  for (const server of get_backend_servers()) {
    if (server.protocol === PROTOCOL) {
      const result = nauthilus_backend_result.new();
      result.attributes({ hostip: server.ip });
      apply_backend_result(result);
      nauthilus_builtin.custom_log_add("hostip", server.ip);
      break;
    }
  }
  return accept();
}
