// Per-domain settings, most of them optional.
import { accept } from "nauthilus-sdk";

interface DomainConfig {
  pool?: { primary?: string; weights?: number[] };
  quota?: number;
  banner?: string;
  hooks?: { onRoute?: (ip: string) => string };
}

const CONFIG: Record<string, DomainConfig | undefined> = {
  "example.com": { pool: { primary: "10.0.1.3", weights: [0, 5] }, quota: 0, banner: "", hooks: { onRoute: (ip) => `hook:${ip}` } },
  "bücher.de": { pool: {}, quota: 2048 },
};

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const domain = request.username.split("@")[1]?.toLowerCase() ?? "";
  const cfg = CONFIG[domain];
  out.push(`domain=${domain}`, `has_cfg=${cfg !== undefined}`);
  out.push(`primary=${cfg?.pool?.primary ?? "default"}`);
  out.push(`first_weight=${cfg?.pool?.weights?.[0] ?? -1}`, `second_weight=${cfg?.pool?.weights?.[1]}`);
  out.push(`quota_nullish=${cfg?.quota ?? 100}`, `quota_or=${cfg?.quota || 100}`);
  out.push(`banner_nullish=[${cfg?.banner ?? "welcome"}]`, `banner_or=[${cfg?.banner || "welcome"}]`);
  out.push(`hook=${cfg?.hooks?.onRoute?.("10.0.0.1") ?? "no-hook"}`);
  const pools = new Map<string, string>([["example.com", "east"]]);
  out.push(`pool_upper=${pools.get(domain)?.toUpperCase() ?? "NONE"}`);
  const counter = request.brute_force_counter;
  out.push(`zero_nullish=${counter ?? 7}`, `zero_or=${counter || 7}`, `zero_and=${counter && 7}`);
  const empty = request.account;
  out.push(`account_or=${empty || "anonymous"}`, `account_nullish=${empty ?? "anonymous"}`);
  const nested = { a: { b: { c: 0 } } } as { a?: { b?: { c?: number } } };
  out.push(`deep=${nested.a?.b?.c}`, `deep_missing=${nested.a?.b?.c ?? "x"}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
