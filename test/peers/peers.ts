// Real mail peers from Debian packages for the integration tests (../shared/spec/mail-peers.md):
// two Dovecot instances and one haproxy, on loopback only, with configs and data in a temporary
// folder, each started with its own config and stopped by its pid.
//   Dovecot A (127.0.0.1): plain, PROXY-only, TLS and PROXY+TLS IMAP listeners.
//   Dovecot B (127.0.0.2): one plain listener; the monitoring test stops and restarts it.
//   haproxy (127.0.0.1): `accept-proxy` in front of a recorder, to which it sends `send-proxy-v2`.
// test/peers/global-setup.ts calls startPeers()/stopPeers() around `npm run test:peers`.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface Peers {
  dir: string;
  dovecotA: { plain: number; proxy: number; tls: number; proxyTls: number; log: string; config: string; pidFile: string };
  dovecotB: { ip: string; plain: number; config: string; pidFile: string };
  haproxy: { port: number; recorderPort: number };
  user: { name: string; password: string };
}

export const PEERS_FILE = path.join(os.tmpdir(), "nauthilus-filters-peers.json");

/** Ports handed out by this process: the kernel may offer a port again once its probe socket
 * closed, and two listeners on one port make Dovecot refuse its config ("duplicate listener"). */
const handedOut = new Set<string>();

export async function freePort(host = "127.0.0.1"): Promise<number> {
  for (;;) {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (handedOut.has(`${host}:${port}`)) continue;
    handedOut.add(`${host}:${port}`);
    return port;
  }
}

function need(binary: string, pkg: string): string {
  for (const dir of ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]) {
    const p = path.join(dir, binary);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${binary} not found: install the Debian package ${pkg} (.ci/run does: apt-get install dovecot-imapd haproxy openssl)`);
}

function dovecotConfig(dir: string, name: string, ip: string, listeners: string, extra = ""): string {
  const base = path.join(dir, name);
  for (const sub of ["run", "state", "mail", "home"]) fs.mkdirSync(path.join(base, sub), { recursive: true });
  const file = path.join(base, "dovecot.conf");
  fs.writeFileSync(
    file,
    `base_dir = ${base}/run
state_dir = ${base}/state
log_path = ${base}/dovecot.log
info_log_path = ${base}/dovecot.log
protocols = imap
listen = ${ip}
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
disable_plaintext_auth = no
auth_failure_delay = 0
haproxy_trusted_networks = 127.0.0.0/8
mail_location = maildir:${base}/mail/%u
passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=${base}/home/%u
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
${listeners}
  service_count = 0
  process_min_avail = 1
}
${extra}
`,
  );
  return file;
}

function listener(name: string, port: number, options: string[] = []): string {
  return `  inet_listener ${name} {\n    port = ${port}\n${options.map((o) => `    ${o}\n`).join("")}  }`;
}

export async function startPeers(): Promise<Peers> {
  const dovecot = need("dovecot", "dovecot-imapd");
  const haproxy = need("haproxy", "haproxy");
  need("openssl", "openssl");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-peers-"));
  fs.chmodSync(dir, 0o755);
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=mail.test",
    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], { stdio: "ignore" });
  const user = { name: "alice", password: "secret" };
  fs.writeFileSync(path.join(dir, "passwd"), `${user.name}:{PLAIN}${user.password}::::::\n`);

  const a = { plain: await freePort(), proxy: await freePort(), tls: await freePort(), proxyTls: await freePort() };
  const configA = dovecotConfig(dir, "dovecot-a", "127.0.0.1", [
    listener("imap", a.plain),
    listener("imap_proxy", a.proxy, ["haproxy = yes"]),
    listener("imaps", a.tls, ["ssl = yes"]),
    listener("imaps_proxy", a.proxyTls, ["ssl = yes", "haproxy = yes"]),
  ].join("\n"));
  const bPort = await freePort("127.0.0.2");
  // "imaps" overrides Dovecot's default listener on 993 (port 0: none).
  const configB = dovecotConfig(dir, "dovecot-b", "127.0.0.2", [listener("imap", bPort), listener("imaps", 0)].join("\n"));
  // A mailbox only each backend has, so a test can tell where a login landed (nginx e2e).
  for (const [name, box] of [["dovecot-a", "OnlyOnA"], ["dovecot-b", "OnlyOnB"]]) {
    const home = path.join(dir, name, "mail", user.name);
    for (const sub of ["cur", "new", "tmp"]) {
      fs.mkdirSync(path.join(home, sub), { recursive: true });
      fs.mkdirSync(path.join(home, `.${box}`, sub), { recursive: true });
    }
    execFileSync("chown", ["-R", "65534:65534", path.join(dir, name, "mail")]);
  }
  // Daemons keep inherited pipes open: start them with stdio ignored or execFileSync never returns.
  for (const config of [configA, configB]) execFileSync(dovecot, ["-c", config], { stdio: "ignore" });

  const recorderPort = await freePort();
  const haproxyPort = await freePort();
  const haproxyConfig = path.join(dir, "haproxy.cfg");
  fs.writeFileSync(
    haproxyConfig,
    `global
  pidfile ${dir}/haproxy.pid
defaults
  mode tcp
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend accept_proxy
  bind 127.0.0.1:${haproxyPort} accept-proxy
  default_backend recorder
backend recorder
  server recorder 127.0.0.1:${recorderPort} send-proxy-v2
`,
  );
  execFileSync(haproxy, ["-D", "-f", haproxyConfig], { stdio: "ignore" });

  const peers: Peers = {
    dir,
    dovecotA: { ...a, log: path.join(dir, "dovecot-a", "dovecot.log"), config: configA, pidFile: path.join(dir, "dovecot-a", "run", "master.pid") },
    dovecotB: { ip: "127.0.0.2", plain: bPort, config: configB, pidFile: path.join(dir, "dovecot-b", "run", "master.pid") },
    haproxy: { port: haproxyPort, recorderPort },
    user,
  };
  await waitForPort("127.0.0.1", a.plain);
  await waitForPort("127.0.0.2", bPort);
  await waitForPort("127.0.0.1", haproxyPort);
  checkLoopbackOnly(dir);
  fs.writeFileSync(PEERS_FILE, JSON.stringify(peers));
  return peers;
}

export function stopPeers(peers: Peers): void {
  const pids = [
    path.join(peers.dir, "dovecot-a", "run", "master.pid"),
    peers.dovecotB.pidFile,
    path.join(peers.dir, "haproxy.pid"),
  ];
  for (const file of pids) {
    if (!fs.existsSync(file)) continue;
    for (const pid of fs.readFileSync(file, "utf8").split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
  fs.rmSync(PEERS_FILE, { force: true });
}

/** Stops Dovecot B (the monitoring test's "backend goes down"). */
export function stopDovecotB(peers: Peers): void {
  stopDovecot(peers.dovecotB);
}

export function startDovecotB(peers: Peers): void {
  startDovecot(peers.dovecotB);
}

export function stopDovecot(which: { pidFile: string }): void {
  const pid = Number(fs.readFileSync(which.pidFile, "utf8").trim());
  process.kill(pid, "SIGTERM");
}

export function startDovecot(which: { config: string }): void {
  execFileSync(need("dovecot", "dovecot-imapd"), ["-c", which.config], { stdio: "ignore" });
}

/** Debian's nginx with libnginx-mod-mail (same version), or an error naming the package to install. */
export function nginxBinary(): { binary: string; mailModule: string } {
  const binary = need("nginx", "nginx");
  const mailModule = "/usr/lib/nginx/modules/ngx_mail_module.so";
  if (!fs.existsSync(mailModule)) throw new Error(`${mailModule} not found: install the Debian package libnginx-mod-mail (.ci/run does)`);
  return { binary, mailModule };
}

export async function waitForPort(host: string, port: number, up = true, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host);
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (open === up) return;
    if (Date.now() > deadline) throw new Error(`${host}:${port} did not ${up ? "open" : "close"} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Our daemons must listen on loopback only (mail-peers.md). */
function checkLoopbackOnly(dir: string): void {
  const ss = spawnSync("ss", ["-Hltnp"], { encoding: "utf8" });
  if (ss.error) return; // no ss: nothing to check with
  const ours = ss.stdout.split("\n").filter((l) => /dovecot|haproxy|imap-login/.test(l));
  const exposed = ours.filter((l) => !/\s127\.\d+\.\d+\.\d+:\d+\s/.test(l) && !/\s\[::1\]:\d+\s/.test(l));
  if (exposed.length > 0) throw new Error(`a peer listens beyond loopback (configs in ${dir}):\n${exposed.join("\n")}`);
}
