// Java-style string hash for the director, as found in many examples: int32 arithmetic with | 0.
import { get_backend_servers, select_backend_server } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = ((h << 5) - h + s.charCodeAt(i)) | 0;
  return h;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const pool = get_backend_servers().filter((s) => s.protocol === request.protocol);
  const h = javaHash(request.account || request.username);
  const unsigned = h >>> 0;
  const mixed = (unsigned ^ (unsigned >>> 16)) & 0xffff;
  const parts = [`h=${h}`, `u=${unsigned}`, `mixed=${mixed}`, `not=${~h}`, `shr=${h >> 3}`, `big=${4294967296 | 0},${2 ** 31 | 0},${-1 >>> 0},${1 << 31},${1 << 32}`];
  if (pool.length > 0) {
    const s = pool[unsigned % pool.length];
    select_backend_server(s!.ip, s!.port);
  }
  nauthilus_builtin.status_message_set(parts.join(" | "));
  return accept();
}
