// Finds the first server of each preferred site that is not in maintenance, with labeled loops.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

const SITES = [["10.0.1.", "fd00::"], ["10.0.2."], ["10.0.3.", "10.0.4."]];
const MAINTENANCE = new Set(["10.0.1.12"]);

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const servers = get_backend_servers();
  let found = "none";
  search: for (const site of SITES) {
    for (const prefix of site) {
      for (const s of servers) {
        if (!s.ip.startsWith(prefix)) continue;
        if (MAINTENANCE.has(s.ip)) continue search;
        if (s.protocol !== request.protocol) continue;
        found = s.ip;
        break search;
      }
    }
  }
  out.push(`found=${found}`);

  const pairs: string[] = [];
  outer: for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      if (j > i) continue outer;
      if (i + j > 4) break outer;
      pairs.push(`${i}${j}`);
    }
  }
  out.push(`pairs=${pairs.join(",")}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
