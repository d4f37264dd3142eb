// What `run` prints on a terminal: the outcome in a few lines (the JSON has everything).
import type { Outcome } from "../types";

export function summarize(o: Outcome): string {
  const lines = [`outcome: ${o.outcome}${o.status_message ? ` (status message: ${o.status_message})` : ""}`];
  if (o.error !== null) lines.push(`error:   ${o.error_ts ?? o.error}`);
  for (const f of o.filters) lines.push(`filter:  ${f.name} → ${f.action ? "reject" : "accept"}, code ${f.code}`);
  if (o.selected) lines.push(`backend: ${o.selected.ip}:${o.selected.port}`);
  if (o.removed.length > 0) lines.push(`removed: ${o.removed.join(", ")}`);
  for (const [name, value] of o.headers.nginx) lines.push(`nginx:   ${name}: ${value}`);
  for (const [key, value] of o.logs) lines.push(`log:     ${key}=${value}`);
  for (const d of o.diagnostics) lines.push(`note:    ${d}`);
  lines.push("(--json prints the whole outcome)");
  return lines.join("\n");
}
