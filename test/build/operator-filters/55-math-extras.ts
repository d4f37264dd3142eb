// Sanity checks on numbers read from the config with the less common Math/Number/Object helpers.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out = [
    `safe=${Number.isSafeInteger(2 ** 53)}`,
    `cbrt=${Math.cbrt(27)}`,
    `hypot=${Math.hypot(3, 4)}`,
    `is=${Object.is(Math.round(-0.4), -0)}`,
  ];
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
