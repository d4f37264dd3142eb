// Expands nested alias groups recursively, memoised in a Map; a closure counts the lookups.
import { accept } from "nauthilus-sdk";

const ALIASES: Record<string, string[]> = {
  staff: ["admins", "support", "alice.smith@example.com"],
  admins: ["root@example.com", "ops"],
  ops: ["bob@example.com", "admins"],
  support: [],
};

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  let lookups = 0;
  const memo = new Map<string, string[]>();
  const expand = (name: string, seen: Set<string> = new Set()): string[] => {
    lookups++;
    const cached = memo.get(name);
    if (cached) return cached;
    if (seen.has(name)) return [];
    seen.add(name);
    const members = ALIASES[name];
    const result = members === undefined ? [name] : members.flatMap((m) => expand(m, seen));
    memo.set(name, result);
    return result;
  };
  const staff = expand("staff");
  const isStaff = staff.includes(request.account);
  const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
  const counter = (() => {
    let count = 0;
    return { inc: () => ++count, get: () => count };
  })();
  counter.inc();
  counter.inc();
  const out = [
    `staff=${staff.join(",")}`,
    `is_staff=${isStaff}`,
    `lookups=${lookups}`,
    `memo=${memo.size}`,
    `fib=${fib(20)}`,
    `counter=${counter.get()}`,
  ];
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
