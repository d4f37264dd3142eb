// Route options: defaults, then what the request overrides. An override the request leaves out
// is undefined.
import { accept } from "nauthilus-sdk";

interface RouteOptions {
  pool?: string;
  port?: number;
  tls?: boolean;
  note?: string;
}

const DEFAULTS: RouteOptions = { pool: "default", port: 143, tls: false, note: "none" };

function overridesFor(request: FilterRequest): RouteOptions {
  return {
    port: request.local_port === "993" ? 993 : undefined,
    tls: request.ssl === "on" ? true : undefined,
    note: request.display_name || undefined,
  };
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const overrides = overridesFor(request);
  const merged = { ...DEFAULTS, ...overrides };
  out.push(`port=${merged.port}`, `tls=${merged.tls}`, `note=${merged.note}`, `pool=${merged.pool}`);
  out.push(`merged_keys=${Object.keys(merged).length}`);
  const assigned = Object.assign({}, DEFAULTS, overrides);
  out.push(`assigned_port=${assigned.port}`, `assigned_note=${assigned.note}`);
  out.push(`override_keys=${Object.keys(overrides).length}`);
  const copy = { ...overrides };
  out.push(`copy_has_tls=${"tls" in copy}`);

  const withExtra = { zone: "eu", ...DEFAULTS, pool: "override" };
  out.push(`extra_keys=${Object.keys(withExtra).join(",")}`);
  out.push(`entries=${Object.entries(withExtra).map(([k, v]) => `${k}:${v}`).join(",")}`);

  const layered = { ...{ a: 1, b: 2 }, ...{ b: 3, c: 4 }, a: 5 };
  out.push(`layered=${Object.values(layered).join(",")}`);

  const finalPort = merged.port ?? 0;
  out.push(`final_port=${finalPort}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
