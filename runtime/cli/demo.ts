// `npm run demo`: the director example on the local runtime, with a built-in list of backends and
// a few sample logins — the quickest way to see a filter decide where a user goes.
import path from "node:path";
import { parseArgs } from "node:util";
import { FilterCompiler } from "../../build/build-filters";
import { formatDiagnostic } from "../../build/diagnostics";
import { PROJECT_ROOT } from "../../build/project-root";
import { createRuntime } from "../index";
import type { Outcome, ServerRecord } from "../types";

const SERVERS: ServerRecord[] = [
  { protocol: "imap", ip: "10.0.0.11", port: 143, haproxy_v2: false, tls: false },
  { protocol: "imap", ip: "10.0.0.12", port: 143, haproxy_v2: true, tls: false },
  { protocol: "imap", ip: "10.0.0.13", port: 993, haproxy_v2: false, tls: true },
  { protocol: "pop3", ip: "10.0.0.21", port: 110, haproxy_v2: false, tls: false },
];
const ACCOUNTS = ["alice@example.org", "bob@example.org", "carol@example.org"];
const FILTER = path.join(PROJECT_ROOT, "filters-ts", "director.ts");

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write("Usage: npm run demo [-- --json]\n\nRuns filters-ts/director.ts on the local runtime for three sample logins.\n");
    return 0;
  }
  const compiled = new FilterCompiler({ cwd: PROJECT_ROOT, outDir: path.join(PROJECT_ROOT, "dist", "filters") }).compile([FILTER]);
  const [filter] = compiled.filters;
  if (filter.lua === undefined) {
    process.stderr.write(`filters-ts/director.ts does not build:\n${filter.diagnostics.map((d) => formatDiagnostic(d, PROJECT_ROOT)).join("\n")}\n`);
    return 1;
  }
  const runtime = createRuntime({ workers: 1 });
  try {
    const outcomes: Outcome[] = [];
    for (const account of ACCOUNTS) {
      outcomes.push(
        await runtime.run({
          filters: [{ name: "dist/filters/director.lua", source: filter.lua }],
          servers: SERVERS,
          attributes: {},
          request: { account, username: account, protocol: "imap", authenticated: true, service: "nginx", session: `demo-${account}` },
        }),
      );
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(outcomes[0], null, 2)}\n`);
      return 0;
    }
    const lines = [
      "filters-ts/director.ts on the local runtime (Nauthilus v1.3.9 semantics)",
      "",
      "live backends:",
      ...SERVERS.map((s) => `  ${s.protocol.padEnd(5)} ${`${s.ip}:${s.port}`.padEnd(16)}${s.tls ? " tls" : ""}${s.haproxy_v2 ? " proxy-v2" : ""}`),
      "",
      "imap logins:",
      ...outcomes.map((o, i) => {
        const nginx = Object.fromEntries(o.headers.nginx);
        return `  ${ACCOUNTS[i].padEnd(18)} -> ${o.outcome}, Auth-Server ${nginx["Auth-Server"] ?? "-"}, Auth-Port ${nginx["Auth-Port"] ?? "-"}`;
      }),
      "",
      "Same account, same server: the director hashes the account over the sorted imap servers.",
      "--json prints the full outcome of the first login; `npm run nauthilus-filters -- run --help` runs your own filters.",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e: Error) => {
    process.stderr.write(`demo: ${e.message}\n`);
    process.exitCode = 1;
  },
);
