// Retry loops with continue in do...while and while, counting what the loop skipped.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  let tries = 0;
  let k = 0;
  do {
    k++;
    if (k % 2 === 0) continue;
    tries++;
  } while (k < 7);
  out.push(`do_while=${tries}/${k}`);

  let n = 0;
  const seen: number[] = [];
  while (n < 10) {
    n++;
    if (n % 3 === 0) continue;
    if (n > 7) break;
    seen.push(n);
  }
  out.push(`while=${seen.join(",")}`);

  const kept: string[] = [];
  for (let i = 0; i < request.username.length; i++) {
    const c = request.username.charAt(i);
    if (c === ".") continue;
    if (c === "@") break;
    kept.push(c);
  }
  out.push(`local=${kept.join("")}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
