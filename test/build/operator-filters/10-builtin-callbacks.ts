// Cleans the list of ports an admin typed into the config with built-ins passed as callbacks.
// Each cleaning step is guarded, so that one bad step only blanks its own report entry.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

const CONFIGURED_PORTS = ["143", "993", "08", "0x1F", "", "abc", "25", " 110 "];

function attempt(out: string[], name: string, step: () => string): void {
  try {
    out.push(`${name}=${step()}`);
  } catch (e) {
    out.push(`${name}=failed`);
  }
}

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  attempt(out, "numbers", () => CONFIGURED_PORTS.map(Number).join(","));
  attempt(out, "parse_int", () => CONFIGURED_PORTS.map(parseInt).join(","));
  attempt(out, "parse_float", () => CONFIGURED_PORTS.map(parseFloat).join(","));
  attempt(out, "strings", () => [1, 0.5, -0, 1e21, 2 ** 31, 1 / 3].map(String).join(","));
  attempt(out, "truthy", () => [0, 1, "", "x", NaN, -1].filter(Boolean).join(","));
  attempt(out, "non_empty", () => `${CONFIGURED_PORTS.filter(Boolean).length}`);
  attempt(out, "any_nan", () => `${CONFIGURED_PORTS.map((p) => Number(p)).some(isNaN)}`);
  attempt(out, "bools", () => ["", "0", "false"].map(Boolean).join(","));
  attempt(out, "parse_int10", () => CONFIGURED_PORTS.map((p) => parseInt(p, 10)).join(","));
  attempt(out, "indexed", () => {
    const indexed: string[] = [];
    get_backend_servers().forEach((s, i, all) => {
      if (s.protocol === request.protocol) indexed.push(`${i}/${all.length}:${s.port}`);
    });
    return indexed.join(",");
  });
  attempt(out, "trimmed", () => CONFIGURED_PORTS.map((p) => p.trim()).filter((p) => p.length > 0).join(";"));
  attempt(out, "valid", () => {
    const valid = CONFIGURED_PORTS.map((p) => Number(p)).filter((n) => Number.isInteger(n) && n > 0);
    return `${valid.join(",")}/${Math.max(...valid)}`;
  });
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
