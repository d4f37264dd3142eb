// Helpers with default and rest parameters for the routing log.
import { accept } from "nauthilus-sdk";

function label(name: string | null = "anonymous", suffix = ""): string {
  return `${name}${suffix}`;
}

function joinAll(sep: string, ...items: Array<string | number>): string {
  return `${items.length}:${items.join(sep)}`;
}

function pick(a?: number, b = a ?? 5): number {
  return b;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  out.push(`label_undef=${label(undefined)}`, `label_null=${label(null)}`, `label_empty=${label("")}`, `label_user=${label(request.account, "!")}`);
  out.push(`join=${joinAll("-", 1, "b", 3)}`, `join_none=${joinAll(",")}`, `join_spread=${joinAll("/", ...request.client_ip.split("."))}`);
  out.push(`pick=${pick()},${pick(1)},${pick(undefined, 2)},${pick(0)}`);
  const opt = (x?: string) => (x === undefined ? "missing" : `[${x}]`);
  out.push(`opt=${opt()},${opt("")},${opt(request.session)}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
