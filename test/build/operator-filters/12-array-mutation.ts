// Builds the failover order: takes servers out, puts others in, flattens per-site groups.
import { get_backend_servers } from "nauthilus_backend";
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const ips = get_backend_servers().map((s) => s.ip);
  out.push(`slice=${ips.slice(1, 3).join(",")}`, `slice_neg=${ips.slice(-2).join(",")}`, `slice_over=${ips.slice(6, 100).length}`);

  const order = [...ips];
  const removed = order.splice(1, 2);
  out.push(`removed=${removed.join(",")}`, `after=${order.length}`);
  order.splice(-1, 1, "10.9.9.9", "10.9.9.8");
  out.push(`replaced_tail=${order.slice(-3).join(",")}`);
  order.splice(2, 0, "inserted");
  out.push(`inserted_at=${order.indexOf("inserted")}`);
  const noDelete = order.splice(3);
  out.push(`rest_count=${noDelete.length}`, `kept=${order.length}`);

  const sites = [["10.0.1.3", "10.0.1.7"], ["10.0.2.5"], [["10.0.3.1"]]];
  out.push(`flat=${sites.flat().length}`, `flat_deep=${sites.flat(Infinity).join(",")}`);
  out.push(`flat_map=${["a b", "c"].flatMap((s) => s.split(" ")).join(",")}`);
  out.push(`concat=${[1, 2].concat([3], 4, [5, 6]).join("")}`);
  out.push(`nested_join=${[[1, 2], [3]].join(";")}`, `default_sep=${["a", "b"].join()}`);

  const reversed = ["x", "y", "z"];
  const same = reversed.reverse();
  out.push(`reverse=${reversed.join("")}`, `reverse_same=${same === reversed}`);

  const slots = Array.from({ length: 5 }, () => 0);
  slots.fill(7, 1, 3);
  out.push(`fill=${slots.join("")}`, `fill_neg=${[1, 2, 3, 4].fill(9, -2).join("")}`);
  out.push(`from_len=${Array.from({ length: 4 }, (_, i) => i * i).join(",")}`);
  out.push(`from_set=${Array.from(new Set(["a", "b", "a"])).join(",")}`);
  out.push(`is_array=${Array.isArray(ips)},${Array.isArray(request.username)}`);

  const queue = ["a", "b"];
  const len = queue.push("c", "d");
  const head = queue.shift();
  queue.unshift("z");
  const tail = queue.pop();
  out.push(`queue=${queue.join("")}`, `push_len=${len}`, `head=${head}`, `tail=${tail}`);
  const none: string[] = [];
  out.push(`empty_pop=${none.pop()}`, `empty_shift=${none.shift()}`);

  queue.length = 1;
  out.push(`truncated=${queue.join("")}`);
  out.push(`template=${[1, 2, 3]}`, `plus=${"ports:" + [143, 993]}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
