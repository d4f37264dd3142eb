// The runtime's worker threads run the bundled worker (dist/tools/runtime-worker.cjs): bundle the
// tools once before the suites, so tests exercise exactly what the CLI ships.
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function setup(): void {
  const root = path.resolve(__dirname, "..");
  execFileSync(process.execPath, [path.join(root, "build", "bundle-tools.mjs")], { cwd: root, stdio: "inherit" });
}
