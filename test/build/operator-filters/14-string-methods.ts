// Normalises the login and builds the log line for the audit trail.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const user = request.username;
  out.push(`split2=${"a@b@c".split("@", 2).join(";")}`, `split0=${"a@b".split("@", 0).length}`);
  out.push(`split_empty=${"".split(",").length}`, `split_trailing=${"a,,b,".split(",").length}`);
  out.push(`split_multi=${"10.0.0.1::993".split("::").join(";")}`, `split_dot=${"a.b.c".split(".").length}`, `split_neg=${"a.b.c".split(".", -1).length}`);
  out.push(`split_user=${user.split("").length}`, `split_arrow=${"a→b→c".split("→", 2).join(";")}`, `index_empty=${user.indexOf("")}`);
  out.push(`replace=${user.replace(".", "_")}`, `replace_all=${user.replaceAll(".", "_")}`);
  out.push(`replace_dollar=${"cost".replace("cost", "$$5")}`, `replace_amp=${"ab".replace("a", "[$&]")}`);
  out.push(`replace_all_dollar=${"a-b-c".replaceAll("-", "$$")}`, `replace_fn=${"mx1.example".replace("mx", (m) => m.toUpperCase())}`);
  out.push(`replace_empty=${"abc".replaceAll("", "-")}`);
  out.push(`repeat=${"=".repeat(5)}`, `repeat0=[${"x".repeat(0)}]`);
  out.push(`pad=${"7".padStart(3, "0")}`, `pad_end=${"ok".padEnd(6, ".")}`, `pad_user=${user.slice(0, 4).padEnd(8, "_")}`);
  out.push(`char_at=${user.charAt(100)}.`, `code=${user.charCodeAt(1)}`, `code_far=${user.charCodeAt(100)}`);
  out.push(`substring=${user.substring(5, 2)}`, `substr_neg=${user.substring(-3, 3)}`);
  out.push(`starts=${user.startsWith("Al")}`, `ends=${user.endsWith(".COM")}`, `index=${user.indexOf("@")}`);
  out.push(`upper=${request.display_name.toUpperCase()}`, `lower=${request.display_name.toLowerCase()}`);
  out.push(`concat=${"a".concat("b", "c")}`, `from_codes=${String.fromCharCode(72, 105, 233)}`);
  out.push(`trim=[${"  x y  ".trim()}]`, `trim_start=[${"  x ".trimStart()}]`);
  out.push(`includes=${user.includes("@")}`, `includes_from=${user.includes("A", 1)}`);
  out.push(`search_miss=${user.indexOf("zzz")}`, `last=${user.slice(user.indexOf("@") + 1)}`);
  const masked = user.length > 4 ? user.slice(0, 2) + "*".repeat(user.length - 4) + user.slice(-2) : user;
  out.push(`masked=${masked}`);
  nauthilus_builtin.custom_log_add("login_masked", masked);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
