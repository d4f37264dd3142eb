// Formats quotas and load figures for headers, and reads numbers typed by admins.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const quotaBytes = 5368709120;
  out.push(`gib=${(quotaBytes / 1024 ** 3).toFixed(1)}`, `mib=${(quotaBytes / 1024 ** 2).toFixed(0)}`);
  out.push(`fixed=${(0.5).toFixed(0)},${(1.5).toFixed(0)},${(-1.5).toFixed(0)},${(1.45).toFixed(1)},${(-0.0001).toFixed(2)},${(123.456).toFixed()}`);
  out.push(`fixed_big=${(1e21).toFixed(2)},${(123456789.123).toFixed(3)},${(0.000001).toFixed(7)}`);
  out.push(`radix=${(255).toString(16)},${(255).toString(2)},${(-255).toString(36)},${(3.75).toString(2)},${(0.1).toString(16)}`);
  out.push(`radix_big=${(2 ** 53).toString(36)},${(1e21).toString(16)}`);
  out.push(`parse_int=${["08", "0x1F", "1e3", "12.9", "-5px", "", "  42  ", "+7", "-0", "Infinity", "0b11", "٣"].map((s) => parseInt(s)).join(",")}`);
  out.push(`parse_radix=${parseInt("abc", 16)},${parseInt("ff", 36)},${parseInt("9", 8)},${parseInt("11", 2)},${parseInt("z", 37)},${parseInt("10", 1)}`);
  out.push(`parse_float=${["3.14abc", ".5", "-.5e1", "1e", "Infinityx", "0x10", "1_000"].map((s) => parseFloat(s)).join(",")}`);
  out.push(`number=${["", " ", "0x10", "1_000", "12px", "-0", "1e3", "\t7\n", "0b101", "0o17", ".", "+-1"].map((s) => Number(s)).join(",")}`);
  out.push(`is_int=${Number.isInteger(5.0)},${Number.isInteger(5.5)},${Number.isNaN("x" as unknown as number)},${isNaN("x" as unknown as number)}`);
  out.push(`limits=${Number.MAX_SAFE_INTEGER},${Number.MIN_SAFE_INTEGER},${Number.EPSILON > 0},${Number.MAX_VALUE > 1e308}`);
  out.push(`number_parse=${Number.parseInt("42px")},${Number.parseFloat("2.5e1x")}`);
  out.push(`port=${parseInt(request.local_port, 10) + 1},${parseInt(request.client_ip)},${parseFloat(request.client_ip)}`);
  out.push(`str_num=${(1e21).toString()},${(-1e-7).toString()},${(100).toString()},${(0.1 + 0.2).toString()}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
