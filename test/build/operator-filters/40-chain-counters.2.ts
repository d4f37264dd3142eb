// Second filter: rejects when the first filter's signals add up; the status says why.
import { accept, reject } from "nauthilus-sdk";

declare global {
  var signals: Map<string, number> | undefined;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const signals = globalThis.signals ?? new Map<string, number>();
  let score = 0;
  const reasons: string[] = [];
  signals.forEach((n, name) => {
    score += n;
    reasons.push(name);
  });
  nauthilus_builtin.status_message_set(`score=${score} | reasons=${reasons.join(",")} | instance=${signals instanceof Map}`);
  nauthilus_builtin.custom_log_add("signal_score", String(score));
  if (score >= 10) return reject();
  return accept();
}
