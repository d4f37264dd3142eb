// Rounds the configured weights with Math functions passed as callbacks.
import { accept } from "nauthilus-sdk";

const WEIGHTS = [1.5, -2.5, 3, 4.25];

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out = [
    `floor=${WEIGHTS.map(Math.floor).join(",")}`,
    `abs=${WEIGHTS.map(Math.abs).join(",")}`,
    `whole=${WEIGHTS.filter(Number.isInteger).join(",")}`,
  ];
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
