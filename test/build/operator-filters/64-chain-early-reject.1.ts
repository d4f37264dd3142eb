// First filter: logins without a resolved account are rejected before routing.
import { accept, reject } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  nauthilus_builtin.custom_log_add("gate", request.account === "" ? "closed" : "open");
  if (request.account === "") {
    nauthilus_builtin.status_message_set("Unknown user");
    return reject(nauthilus_builtin.FILTER_RESULT_FAIL);
  }
  return accept(nauthilus_builtin.FILTER_RESULT_OK);
}
