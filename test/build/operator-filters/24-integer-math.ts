// Bucket arithmetic for rate limits and shard numbers.
import { accept } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  const xs = [2.5, -2.5, 0.5, -0.5, 1.4999, -7.9, 7.9, -0];
  out.push(`floor=${xs.map((x) => Math.floor(x)).join(",")}`);
  out.push(`ceil=${xs.map((x) => Math.ceil(x)).join(",")}`);
  out.push(`round=${xs.map((x) => Math.round(x)).join(",")}`);
  out.push(`trunc=${xs.map((x) => Math.trunc(x)).join(",")}`);
  out.push(`sign=${[-3, 0, 5, -0].map((x) => Math.sign(x)).join(",")}`);
  out.push(`abs=${[-3, 0, -0.5].map((x) => Math.abs(x)).join(",")}`);
  out.push(`mod=${[-7 % 3, 7 % -3, -7 % -3, 5.5 % 2, -1 % 5, 0 % 5].join(",")}`);
  out.push(`shard=${[-1, -17, 33, request.brute_force_counter - 20].map((n) => ((n % 16) + 16) % 16).join(",")}`);
  out.push(`pow=${2 ** 10},${Math.pow(2, 0.5).toFixed(4)},${(-8) ** (1 / 3)},${2 ** -1}`);
  out.push(`div=${Math.floor(7 / 2)},${Math.floor(-7 / 2)},${Math.trunc(-7 / 2)},${7 / 2}`);
  out.push(`big=${2 ** 53 + 1},${9007199254740993},${Number.MAX_SAFE_INTEGER + 2}`);
  out.push(`minmax=${Math.min(3, -1, 2)},${Math.max(-Infinity, -5)},${Math.max(1, NaN)},${Math.min()}`);
  out.push(`sqrt=${Math.sqrt(16)},${Math.sqrt(-1)}`);
  out.push(`logs=${Math.log(Math.E)},${Math.log10(1000)},${Math.log2(8)},${Math.exp(0)}`);
  const window = 60;
  const bucket = Math.floor(request.brute_force_counter / window) * window;
  out.push(`bucket=${bucket}`, `left=${window - (request.brute_force_counter % window)}`);
  out.push(`neg_zero=${1 / Math.round(-0.4)},${1 / Math.ceil(-0.5)},${1 / (-0 + 0)}`);
  out.push(`inc=${[0.1, 0.2, 0.3].reduce((a, b) => a + b)}`);
  const stats: Record<string, number> = { hits: 1 };
  const hist = [0, 0, 0];
  stats.hits!++;
  stats["hits"]! *= 3;
  stats.hits! **= 2;
  hist[request.brute_force_counter % 3]!++;
  hist[1]! += 5;
  out.push(`compound=${stats.hits},${hist.join("")}`);
  nauthilus_builtin.status_message_set(out.join(" | "));
  return accept();
}
