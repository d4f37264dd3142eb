// Starts the real peers once for the peers project and stops them (by pid) afterwards.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startPeers, stopPeers, type Peers } from "./peers";

let peers: Peers | undefined;

export async function setup(): Promise<void> {
  const root = path.resolve(__dirname, "../..");
  execFileSync(process.execPath, [path.join(root, "build", "bundle-tools.mjs")], { cwd: root, stdio: "inherit" });
  peers = await startPeers();
}

export function teardown(): void {
  if (peers) stopPeers(peers);
}
