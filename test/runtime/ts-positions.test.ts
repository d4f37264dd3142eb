// Errors of compiled filters name the TypeScript line next to production's Lua position
// (runtime/vm/source-map.ts): on indented lines, inside callbacks, inside the build's helpers and
// TypeScriptToLua's lualib (the filter line that called them), for host argument errors, timeouts
// and thrown Errors. The expected line is where the marker comment is, in the TypeScript itself.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filterChain, server } from "../../runtime/testing";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-positions-"));

function filter(name: string, body: string): { file: string; line: number } {
  const source = `import { accept } from "nauthilus-sdk";
import { select_backend_server } from "nauthilus_backend";

export function nauthilus_call_filter(request: FilterRequest): FilterResult {
${body}
  return accept();
}
`;
  const file = path.join(dir, `${name}.ts`);
  fs.writeFileSync(file, source);
  const line = source.split("\n").findIndex((l) => l.includes("// <here>")) + 1;
  return { file, line };
}

const cases: Array<[string, string, RegExp]> = [
  [
    "an error on an indented line",
    `  const pools: Record<string, { host: string } | undefined> = {};
  if (request.protocol === "imap") {
    for (const name of ["a", "b"]) {
      if (name !== "") {
        nauthilus_builtin.custom_log_add(name, pools[name]!.host); // <here>
      }
    }
  }`,
    /attempt to index a non-table object\(nil\) with key 'host'/,
  ],
  [
    "an error inside a callback",
    `  const hosts: Array<{ ip?: { v4: string } }> = [{}];
  const ips = hosts.map((h) => {
    return h.ip!.v4; // <here>
  });
  nauthilus_builtin.custom_log_add("ips", ips.join(","));`,
    /attempt to index a non-table object\(nil\) with key 'v4'/,
  ],
  [
    "an error raised inside TypeScriptToLua's lualib (the filter line that called it)",
    `  const counts: number[] = [];
  if (request.protocol === "imap") {
    const total = counts.reduce((a, b) => a + b); // <here>
    nauthilus_builtin.custom_log_add("total", total);
  }`,
    /Reduce of empty array with no initial value/,
  ],
  [
    "a host argument error",
    `  const port = request.local_port as unknown as number;
  if (request.protocol === "imap") {
    select_backend_server("10.0.0.1", port); // <here>
  }`,
    /bad argument #2 to select_backend_server/,
  ],
  [
    "a thrown Error",
    `  if (request.protocol === "imap") {
    throw new Error("no pool for " + request.account); // <here>
  }`,
    /Error: no pool for alice/,
  ],
  [
    "the script timeout",
    `  let n = 0;
  while (request.protocol === "imap") {
    n = n + 1; // <here>
  }
  nauthilus_builtin.custom_log_add("n", n);`,
    /context deadline exceeded/,
  ],
];

describe("errors of compiled filters name their TypeScript line", () => {
  it.each(cases)("%s", async (name, body, message) => {
    const { file, line } = filter(name.replace(/\W+/g, "-"), body);
    const outcome = await filterChain([file]).run({
      request: { account: "alice", protocol: "imap", local_port: "143", authenticated: true },
      servers: [server("imap", "10.0.0.1", 143)],
      timeoutSeconds: 0.3,
    });
    expect(outcome.outcome).toBe("tempfail");
    expect(outcome.error).toMatch(message);
    // The deadline stops the loop wherever it is: in its body or at its condition (the line above).
    const lines = name === "the script timeout" ? `(${line}|${line - 1})` : `${line}`;
    const at = new RegExp(`${path.basename(file).replace(".", "\\.")}:${lines}:\\d+`);
    expect(outcome.error_ts, `${outcome.error_ts}`).toMatch(at);
    expect(outcome.error_ts).toMatch(message);
  });
});

describe("source maps from files are untrusted input", () => {
  it("a chunk's positions are found only under its own name (a.lua is not inside data.lua)", async () => {
    const { withTsPositions } = await import("../../runtime/vm/source-map");
    const chunks = [{ name: "a.lua", sourceMap: { mappings: "AAAA", sources: ["a.ts"] } }, { name: "data.lua" }];
    expect(withTsPositions("data.lua:1: boom", chunks)).toBeUndefined();
    expect(withTsPositions("a.lua:1: boom", chunks)).toBe("a.lua:1 (a.ts:1:1): boom");
  });

  it("a malformed .lua.map is ignored, not thrown", async () => {
    const { parseSourceMap } = await import("../../runtime/vm/source-map");
    expect(parseSourceMap('{"mappings":"AAAA","sources":[{"toString":1}]}', "x.lua.map", ".")).toBeUndefined();
    expect(parseSourceMap("not json", "x.lua.map", ".")).toBeUndefined();
  });
});
