// Writes dist/types: the declarations of the package's JavaScript entry points (./testing,
// ./runtime) for projects that install it. They name the SDK's request and server types, which
// live in sdk/*.d.ts as globals and ambient modules: references to those files are added.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "dist", "types");
fs.rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(root, "tsconfig.types.json")], { stdio: "inherit" });

const types = path.join(out, "runtime", "types.d.ts");
const references = ["request.d.ts", "backend-result.d.ts", "builtin.d.ts", "nauthilus-backend.d.ts"]
  .map((f) => `/// <reference path="${path.relative(path.dirname(types), path.join(root, "sdk", f)).split(path.sep).join("/")}" />\n`)
  .join("");
fs.writeFileSync(types, references + fs.readFileSync(types, "utf8"));
