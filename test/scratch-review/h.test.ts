import { test } from "vitest";
import fs from "node:fs";
import { Engine } from "../../runtime/engine";
import { rewriteChunk } from "../../runtime/chunk-rewrite";
test("cases", async () => {
  const e = await Engine.create();
  const dir = __dirname + "/cases";
  const only = process.env.ONLY;
  const out: string[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    if (only && !f.startsWith(only)) continue;
    const source = fs.readFileSync(dir + "/" + f, "utf8");
    const t0 = Date.now();
    let r: any;
    try {
      r = e.runChain({ filters: [{ name: "f.lua", source }], servers: [], attributes: {}, request: {} } as any, { probe: () => undefined });
    } catch (x) { r = { thrown: String(x) }; }
    const ms = Date.now() - t0;
    out.push(`== ${f} (${ms}ms) rewritten=${rewriteChunk(source) !== null}\n` + (r.printed ?? []).join("\n") + `\nERROR: ${r.error}` + (r.thrown ? "\nTHROWN " + r.thrown : "") + (r.logs?.length ? "\nLOGS " + JSON.stringify(r.logs) : ""));
  }
  fs.writeFileSync(__dirname + "/out.txt", out.join("\n") + "\n");
}, 600000);
