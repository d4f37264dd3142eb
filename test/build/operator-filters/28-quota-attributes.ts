// Replaces the backend's quota attribute with one computed from the plan, in bytes and as text.
import { apply_backend_result, remove_from_backend_result } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

function parseQuota(text: string): number {
  const unit = text.slice(-1).toUpperCase();
  const factor = UNITS[unit];
  const value = parseFloat(factor === undefined ? text : text.slice(0, -1));
  return Math.round(value * (factor ?? 1));
}

function human(bytes: number): string {
  const units = ["B", "K", "M", "G", "T"];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)}${units[i]}`;
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const plans: Record<string, string> = { imap: "2.5G", pop3: "750M", submission: "10k" };
  const plan = plans[request.protocol] ?? "1G";
  const bytes = parseQuota(plan);
  const out = [`plan=${plan}`, `bytes=${bytes}`, `human=${human(bytes)}`, `half=${human(bytes / 2)}`, `tiny=${human(1023)}`];
  out.push(`samples=${["1.5K", "0.001G", "12", "abc"].map((q) => parseQuota(q)).join(",")}`);
  if (request.account !== "") {
    remove_from_backend_result(["quota", "quota_human"]);
    const result = nauthilus_backend_result.new();
    result.attributes({ quota: String(bytes), quota_human: human(bytes), plan });
    apply_backend_result(result);
    const seen = result.attributes();
    out.push(`seen=${Object.keys(seen).sort().join(",")}`, `seen_quota=${seen["quota"]}`);
  }
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
