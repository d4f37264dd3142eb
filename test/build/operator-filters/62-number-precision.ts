// Formats load figures with a fixed number of significant digits for the dashboard log.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const load = 1234.5678;
  const out = [`precision=${load.toPrecision(3)}`, `exponential=${load.toExponential(2)}`];
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
