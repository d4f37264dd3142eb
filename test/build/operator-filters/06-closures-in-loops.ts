// Per-protocol health checks built as closures in loops, called after the loops ran.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

function makeCounter(start: number): () => number {
  let n = start;
  return () => ++n;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const servers = get_backend_servers();

  const attempts: Array<() => string> = [];
  for (let i = 0; i < 3; i++) attempts.push(() => `try${i}`);
  out.push(`let_loop=${attempts.map((f) => f()).join(",")}`);

  const byServer: Array<() => string> = [];
  for (const s of servers) byServer.push(() => s.ip);
  out.push(`for_of=${byServer.slice(0, 3).map((f) => f()).join(",")}`);

  const skipping: Array<() => number> = [];
  for (let i = 0; i < 6; i++) {
    skipping.push(() => i);
    i++;
  }
  out.push(`modified=${skipping.map((f) => f()).join(",")}`);

  const bumps: Array<() => number> = [];
  for (let n = 0; n < 3; n++) bumps.push(() => (n += 10));
  out.push(`bumped=${bumps.map((f) => f()).join(",")},${bumps[0]!()}`);

  const snaps: Array<() => number> = [];
  let k = 0;
  while (k < 3) {
    const snap = k * 2;
    snaps.push(() => snap);
    k++;
  }
  out.push(`while=${snaps.map((f) => f()).join(",")}`);

  const byPort = new Map<number, () => string>();
  for (const { ip, port } of servers) if (!byPort.has(port)) byPort.set(port, () => `${ip}:${port}`);
  out.push(`first_per_port=${[...byPort.values()].map((f) => f()).join(",")}`);

  const counter = makeCounter(request.brute_force_counter);
  counter();
  out.push(`counter=${counter()}`);

  const handlers: Record<string, () => boolean> = {};
  for (const proto of ["imap", "pop3", "lmtp"]) handlers[proto] = () => request.protocol === proto;
  out.push(`handler=${Object.keys(handlers).filter((p) => handlers[p]!()).join(",")}`);

  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
