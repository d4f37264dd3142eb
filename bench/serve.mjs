// Benchmark: `nauthilus-filters serve` on GET /api/v1/auth/nginx with the director example, 50
// concurrent connections, against a bare Node HTTP server that answers the same headers without
// doing anything; same load tool (autocannon), same run, alternating rounds.
// Run: npm run bench:serve   (after npm ci). Prints the ratios; results go in BENCHMARKS.md.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 8);
const CONNECTIONS = 50;
execFileSync(process.execPath, [path.join(root, "build/bundle-tools.mjs")], { cwd: root });
execFileSync(process.execPath, [path.join(root, "dist/tools/nauthilus-filters.cjs"), "build", "--project", "filters-ts/tsconfig.json"], { cwd: root, stdio: "ignore" });

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// Two live "backends" (plain TCP listeners) so the monitoring probes succeed and the director
// has servers to choose from.
const backends = await Promise.all([0, 1].map(() => new Promise((resolve) => {
  const s = net.createServer((c) => c.end("* OK ready\r\n")).listen(0, "127.0.0.1", () => resolve(s));
})));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-bench-serve-"));
fs.writeFileSync(path.join(work, "users.yml"), 'users:\n  - { username: alice@example.org, password: "{PLAIN}secret" }\n');
fs.writeFileSync(
  path.join(work, "nauthilus.yml"),
  `server:
  features: [backend_server_monitoring]
backend_server_monitoring:
  backend_servers:
${backends.map((b) => `    - { protocol: imap, ip: 127.0.0.1, port: ${b.address().port}, tls: false, haproxy_v2: false }`).join("\n")}
lua:
  filters:
    - { name: director, script_path: ${path.join(root, "dist/filters/director.lua")} }
`,
);

// The same with one filter that returns at once: how much is HTTP, passdb, pool and outcome.
fs.writeFileSync(path.join(work, "empty.lua"), "function nauthilus_call_filter(request) return false, 0 end\n");
fs.writeFileSync(path.join(work, "empty.yml"), fs.readFileSync(path.join(work, "nauthilus.yml"), "utf8").replace(/script_path: .*director\.lua/, "script_path: empty.lua"));

const headers = { "Auth-User": "alice@example.org", "Auth-Pass": "secret", "Auth-Protocol": "imap", "Auth-Login-Attempt": "1", "Client-IP": "192.0.2.1" };

async function startProcess(args, port) {
  const child = spawn(process.execPath, args, { cwd: work, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 400; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/ping`).catch(() => null);
    if (r?.ok) return child;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`${args.join(" ")} did not start`);
}

// The bare server: fixed headers, nothing else (its source is here so both run as a process).
const bareFile = path.join(work, "bare.cjs");
fs.writeFileSync(
  bareFile,
  `require("node:http").createServer((req, res) => {
  if (req.url === "/ping") return res.end("pong");
  res.writeHead(200, ["Auth-Port", "${backends[0].address().port}", "Auth-Server", "127.0.0.1", "Auth-Status", "OK", "Auth-User", "alice@example.org", "X-Nauthilus-Memory-Cache", "Miss", "X-Nauthilus-Session", "3MsKlMunK0OwyPIs3Trl6Jqfmxn", "Content-Length", "0"]);
  res.end();
}).listen(Number(process.argv[2]), "127.0.0.1");
`,
);

async function load(port, check) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/api/v1/auth/nginx`, headers, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) throw new Error(`port ${port}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, check };
}

const servePort = await freePort();
const emptyPort = await freePort();
const barePort = await freePort();
const serve = await startProcess([path.join(root, "dist/tools/nauthilus-filters.cjs"), "serve", "--config", "nauthilus.yml", "--users", "users.yml", "--listen", `127.0.0.1:${servePort}`], servePort);
const empty = await startProcess([path.join(root, "dist/tools/nauthilus-filters.cjs"), "serve", "--config", "empty.yml", "--users", "users.yml", "--listen", `127.0.0.1:${emptyPort}`], emptyPort);
const bare = await startProcess([bareFile, String(barePort)], barePort);

// Both answer what nginx needs: check once before measuring.
for (const port of [servePort, barePort, emptyPort]) {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/nginx`, { headers });
  if (r.headers.get("auth-status") !== "OK" || (port !== emptyPort && !r.headers.get("auth-server"))) throw new Error(`port ${port} answered ${r.status} ${r.headers.get("auth-status")}`);
}
await autocannon({ url: `http://127.0.0.1:${servePort}/api/v1/auth/nginx`, headers, connections: CONNECTIONS, duration: 2 }); // warm-up

const rows = [];
for (let round = 1; round <= ROUNDS; round++) {
  const b = await load(barePort);
  const s = await load(servePort);
  const e = await load(emptyPort);
  rows.push({ b, s, e });
  console.log(`round ${round}: bare ${b.rps.toFixed(0)} req/s (p50 ${b.p50} ms, p99 ${b.p99} ms); serve ${s.rps.toFixed(0)} req/s (p50 ${s.p50} ms, p99 ${s.p99} ms); serve/bare ${(s.rps / b.rps * 100).toFixed(0)} %; empty filter ${e.rps.toFixed(0)} req/s`);
}
serve.kill("SIGTERM");
empty.kill("SIGTERM");
bare.kill("SIGTERM");
for (const b of backends) b.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = median(rows.map((r) => r.s.rps / r.b.rps));
console.log(`\nmedian over ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections:`);
console.log(`  bare Node HTTP (baseline): ${median(rows.map((r) => r.b.rps)).toFixed(0)} req/s, p50 ${median(rows.map((r) => r.b.p50))} ms, p99 ${median(rows.map((r) => r.b.p99))} ms`);
console.log(`  serve (director):          ${median(rows.map((r) => r.s.rps)).toFixed(0)} req/s, p50 ${median(rows.map((r) => r.s.p50))} ms, p99 ${median(rows.map((r) => r.s.p99))} ms`);
console.log(`  serve (one empty filter):  ${median(rows.map((r) => r.e.rps)).toFixed(0)} req/s, p50 ${median(rows.map((r) => r.e.p50))} ms, p99 ${median(rows.map((r) => r.e.p99))} ms`);
console.log(`  serve / bare: ${(ratio * 100).toFixed(0)} % (goal >= 60 %), serve p99 goal < 10 ms`);
fs.rmSync(work, { recursive: true, force: true });
