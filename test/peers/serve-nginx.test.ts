// End to end: a real IMAP client → Debian's nginx mail proxy → auth_http to `nauthilus-filters
// serve` (the CLI, as users start it) → the TypeScript director picks one of two real Dovecots →
// nginx proxies the login there. Where a login landed is read from a mailbox only that Dovecot has.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, nginxBinary, PEERS_FILE, startDovecot, stopDovecot, waitForPort, type Peers } from "./peers";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "dist", "tools", "nauthilus-filters.cjs");
const peers = JSON.parse(fs.readFileSync(PEERS_FILE, "utf8")) as Peers;
const A = { ...peers.dovecotA, ip: "127.0.0.1", port: peers.dovecotA.plain, box: "OnlyOnA" };
const B = { ...peers.dovecotB, ip: peers.dovecotB.ip, port: peers.dovecotB.plain, box: "OnlyOnB" };

// A second filter, compiled by serve on the fly: a status message for a wrong password, and a
// throw for the user "boom".
const GATE = `import { accept, reject } from "nauthilus-sdk";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  if (request.username === "boom") throw new Error("the gate exploded");
  if (request.user_found && !request.authenticated) {
    nauthilus_builtin.status_message_set("Wrong password, says the gate");
    return reject();
  }
  return accept();
}
`;

let dir: string;
let serve: ChildProcess;
let nginx: ChildProcess;
let imapPort: number;
const lines: Array<Record<string, unknown>> = [];

async function until<T>(what: string, get: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; serve said:\n${lines.map((l) => JSON.stringify(l)).join("\n")}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An IMAP session through nginx: LOGIN, then LIST when it worked. Returns what the server said. */
async function imap(user: string, password: string): Promise<string> {
  const socket = net.connect(imapPort, "127.0.0.1");
  let text = "";
  socket.on("data", (d) => (text += d));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  const wait = (re: RegExp) => until(`${re} from nginx (got ${JSON.stringify(text)})`, () => (re.test(text) ? true : undefined), 10_000);
  await wait(/^\* OK/m);
  socket.write(`a LOGIN ${user} ${password}\r\n`);
  await Promise.race([wait(/^a (OK|NO|BAD)|^\* BAD/m), closed]);
  if (/^a OK/m.test(text)) {
    socket.write(`b LIST "" "*"\r\nc LOGOUT\r\n`);
    await Promise.race([wait(/^c OK/m), closed]);
  }
  socket.destroy();
  return text;
}

/** serve's log line for the latest request of `user` (it is written right after the answer). */
let seen = 0;
async function lastRequest(user: string): Promise<Record<string, unknown>> {
  const found = await until(`serve's log line for ${user}`, () => {
    const i = lines.findLastIndex((l, i) => i >= seen && l.event === "request" && l.user === user);
    return i < 0 ? undefined : i;
  });
  seen = found + 1;
  return lines[found];
}

function backendOf(selected: unknown): typeof A | typeof B {
  if (selected === `${A.ip}:${A.port}`) return A;
  if (selected === `${B.ip}:${B.port}`) return B;
  throw new Error(`the director selected ${String(selected)}, neither Dovecot`);
}

beforeAll(async () => {
  const { binary, mailModule } = nginxBinary();
  dir = fs.mkdtempSync(path.join(peers.dir, "serve-"));
  fs.writeFileSync(path.join(dir, "gate.ts"), GATE);
  fs.writeFileSync(
    path.join(dir, "users.yml"),
    `users:\n  - username: ${peers.user.name}\n    password: "{PLAIN}${peers.user.password}"\n`,
  );
  fs.writeFileSync(
    path.join(dir, "nauthilus.yml"),
    `server:
  features: [backend_server_monitoring]
backend_server_monitoring:
  backend_servers:
    - { protocol: imap, ip: ${A.ip}, port: ${A.port}, tls: false, haproxy_v2: false }
    - { protocol: imap, ip: ${B.ip}, port: ${B.port}, tls: false, haproxy_v2: false }
lua:
  filters:
    - { name: director, script_path: ${path.join(ROOT, "filters-ts", "director.ts")} }
    - { name: gate, script_path: ${path.join(dir, "gate.ts")} }
`,
  );
  const servePort = await freePort();
  serve = spawn(process.execPath, [CLI, "serve", "--config", "nauthilus.yml", "--users", "users.yml", "--listen", `127.0.0.1:${servePort}`, "--interval", "0.5"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let buffered = "";
  serve.stdout!.on("data", (d) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>);
      buffered = buffered.slice(nl + 1);
    }
  });
  let stderr = "";
  serve.stderr!.on("data", (d) => (stderr += d));
  await until(`serve to listen (stderr: ${stderr})`, () => lines.find((l) => l.event === "listening"), 60_000);

  imapPort = await freePort();
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `load_module ${mailModule};
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log info;
user nobody nogroup;
worker_processes 1;
events { worker_connections 64; }
mail {
  server_name mail.test;
  auth_http 127.0.0.1:${servePort}/api/v1/auth/nginx;
  imap_auth login plain;
  server {
    listen 127.0.0.1:${imapPort};
    protocol imap;
  }
}
`,
  );
  nginx = spawn(binary, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "nginx-error.log"), "-g", "daemon off;"], { stdio: "ignore" });
  await waitForPort("127.0.0.1", imapPort);
}, 90_000);

afterAll(async () => {
  nginx?.kill("SIGTERM");
  serve?.kill("SIGTERM");
  // The other peers tests expect both Dovecots up.
  for (const d of [A, B]) {
    if (!isUp(d)) {
      startDovecot(d);
      await waitForPort(d.ip, d.port);
    }
  }
});

function isUp(d: { pidFile: string }): boolean {
  if (!fs.existsSync(d.pidFile)) return false;
  return spawnSync("kill", ["-0", fs.readFileSync(d.pidFile, "utf8").trim()]).status === 0;
}

/** Waits until serve's registry has published exactly these backends. */
async function alive(expected: Array<typeof A | typeof B>): Promise<void> {
  const want = expected.map((d) => `${d.ip}:${d.port}`).sort();
  await until(`the live list ${want.join(", ") || "(empty)"}`, () =>
    [...lines].reverse().find((l) => l.event === "monitoring" && JSON.stringify([...(l.alive as string[])].sort()) === JSON.stringify(want)),
  );
}

describe("nginx mail proxy → serve → the TypeScript director → Dovecot", () => {
  let first: typeof A | typeof B = A;

  it("a login lands on the backend the director chose", async () => {
    await alive([A, B]);
    const said = await imap(peers.user.name, peers.user.password);
    expect(said).toMatch(/^a OK/m);
    const line = await lastRequest(peers.user.name);
    const chosen = backendOf(line.selected);
    const other = chosen === A ? B : A;
    expect(said).toContain(chosen.box);
    expect(said).not.toContain(other.box);
    first = chosen;
    expect(line).toMatchObject({ outcome: "ok", auth_status: "OK", protocol: "imap", logs: { director_backend: `${chosen.ip}:${chosen.port}` } });
  });

  it("stopping that Dovecot moves the next login to the other after a monitoring round", async () => {
    const other = first === A ? B : A;
    stopDovecot(first);
    await waitForPort(first.ip, first.port, false);
    await alive([other]);
    const said = await imap(peers.user.name, peers.user.password);
    expect(said).toMatch(/^a OK/m);
    expect(said).toContain(other.box);
    expect(backendOf((await lastRequest(peers.user.name)).selected)).toBe(other);
  });

  it("a wrong password gets NO with the filter's status message", async () => {
    const said = await imap(peers.user.name, "wrong");
    expect(said).toMatch(/^a NO Wrong password, says the gate\r?$/m);
    expect(await lastRequest(peers.user.name)).toMatchObject({ outcome: "fail", auth_status: "Wrong password, says the gate", http_status: 200 });
  });

  it("a filter that throws is a temporary failure, named at its TypeScript line", async () => {
    const said = await imap("boom", "x");
    expect(said).toMatch(/^a NO Temporary server problem, try again later\r?$/m);
    const line = await lastRequest("boom");
    expect(line).toMatchObject({ outcome: "tempfail" });
    expect(String(line.error)).toMatch(/gate\.ts:4:\d+/);
    expect(String(line.error)).toContain("the gate exploded");
  });

  it("all backends down: Internal failure", async () => {
    for (const d of [A, B]) if (isUp(d)) stopDovecot(d);
    await alive([]);
    const said = await imap(peers.user.name, peers.user.password);
    expect(said).toMatch(/^a NO Internal failure\r?$/m);
    expect(await lastRequest(peers.user.name)).toMatchObject({ outcome: "ok", auth_status: "Internal failure", selected: null });
  });
});
