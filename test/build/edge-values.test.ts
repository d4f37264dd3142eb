// Issue 11: a systematic search for members and operators that compile but do not mean in Lua what
// they mean in JavaScript. Every String/Array/Number/Math member and operator (test/helpers/
// edge-values.ts generates them) runs over edge values as JavaScript (the oracle), compiled on the
// runtime (production's gopher-lua) and on PUC Lua 5.1. An expression either agrees everywhere, is
// rejected by the build, or is in KNOWN with exactly what each side prints: a difference that
// appears or disappears fails the test.
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compileSource, formatted } from "../helpers/filter-source";
import { runOnLua51 } from "../helpers/lua51";
import { runInProcess } from "../helpers/runtime";
import { DECLARATIONS, generate, type EdgeExpression } from "../helpers/edge-values";
import { KNOWN } from "./edge-values.known";

// Both sides print a result the same way: its typeof, then the value. -0 is told apart from 0 and
// arrays are walked element by element (NUL is escaped: the PUC binding reads C strings), so a number or array conversion that is itself wrong
// shows up in the rows that test it and not in every row.
const PRELUDE = `const out: string[] = [];
function show(v: unknown): string {
  if (typeof v === "undefined") return "undefined";
  if (v == null) return "null";
  if (typeof v === "number") return v === 0 && 1 / v < 0 ? "number -0" : "number " + String(v);
  if (typeof v === "string") return "string [" + v.split("\\0").join("\\\\0") + "]";
  if (typeof v === "boolean") return v ? "boolean true" : "boolean false";
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (let i = 0; i < v.length; i++) parts.push(show(v[i]));
    return "array [" + parts.join(", ") + "]";
  }
  return typeof v;
}
function run(f: () => unknown): void {
  try {
    out.push(show(f()));
  } catch (e) {
    out.push("throws");
  }
}
const SEP = "\\u001e";
${DECLARATIONS}`;

const MARK = "// #";
// Not a newline: the PUC helper returns the status as one line of its key=value report.
const SEPARATOR = "\u001e";

function body(cases: EdgeExpression[]): string {
  return `${PRELUDE}\n${cases.map((c, i) => `run(() => ${c.code.startsWith("{") ? c.code : `(${c.code})`}); ${MARK}${i}`).join("\n")}\nreturn out.join(SEP);`;
}

function filterSource(b: string): string {
  return `import { accept } from "nauthilus-sdk";
function compute(): string {
${b}
}
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  nauthilus_builtin.status_message_set(compute());
  return accept();
}
`;
}

function runAsJavaScript(b: string): string {
  const js = ts.transpileModule(`function compute(): string {\n${b}\n}\nreturn compute();`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  // Lua strings are UTF-8, which cannot hold a lone surrogate: JavaScript's lone surrogates are
  // compared as U+FFFD, which is what the helpers produce.
  return (new Function(js)() as string & { toWellFormed(): string }).toWellFormed();
}

interface Compiled {
  cases: EdgeExpression[];
  lua: string;
}

let batchNo = 0;

/** Compiles `cases` as one filter; the expressions the build rejects go to `rejected` with their codes. */
function compileBatch(cases: EdgeExpression[], rejected: Map<string, string>): Compiled[] {
  if (cases.length === 0) return [];
  const source = filterSource(body(cases));
  const halves = () => {
    const half = Math.ceil(cases.length / 2);
    return [...compileBatch(cases.slice(0, half), rejected), ...compileBatch(cases.slice(half), rejected)];
  };
  let filter: ReturnType<typeof compileSource>;
  try {
    filter = compileSource(source, `edge-values-${++batchNo}`);
  } catch (e) {
    // The build itself threw (no diagnostic): find the expression that makes it.
    if (cases.length > 1) return halves();
    rejected.set(cases[0]!.name, `build throws: ${(e as Error).message}`);
    return [];
  }
  if (filter.lua !== undefined) return [{ cases, lua: filter.lua }];
  const lines = source.split("\n");
  const bad = new Map<number, Set<string>>();
  let unplaced = false;
  for (const line of formatted(filter)) {
    const m = /:(\d+):\d+ - error ((?:NF|TS|TSTL)\d+):/.exec(line);
    const at = m ? lines[Number(m[1]) - 1]?.lastIndexOf(MARK) : -1;
    if (!m || at === undefined || at < 0) {
      if (/ error /.test(line)) unplaced = true;
      continue;
    }
    const index = Number(lines[Number(m[1]) - 1]!.slice(at + MARK.length));
    bad.set(index, (bad.get(index) ?? new Set()).add(m[2]!));
  }
  if (unplaced || bad.size === 0) {
    // A diagnostic without a case's line (a whole-file check): halve until it has one.
    if (cases.length === 1) {
      rejected.set(cases[0]!.name, "unplaced: " + formatted(filter).join(" | "));
      return [];
    }
    return halves();
  }
  for (const [i, codes] of bad) rejected.set(cases[i]!.name, [...codes].sort().join(" "));
  return compileBatch(cases.filter((_, i) => !bad.has(i)), rejected);
}

interface Row {
  js: string;
  runtime: string;
  puc?: string;
}

const BATCH = 500;
const RUN = { servers: [], attributes: {}, request: {} };
// gopher's string.upper/lower are Unicode-aware, PUC Lua 5.1's are ASCII-only: casing is checked
// against JavaScript on the runtime, which reproduces gopher.
const GOPHER_ONLY = /\.to(Upper|Lower)Case\(/;
// What a row's runtime value is when the filter never finishes (production's script deadline).
const HANGS = "hangs until the deadline";
const UNSUPPORTED = "TSTL100029";

describe("edge values: JavaScript, the runtime and PUC Lua 5.1 agree, or the build rejects", () => {
  it("every generated expression", async () => {
    const all = generate();
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    const rejected = new Map<string, string>();
    const differ = new Map<string, Row>();
    let agree = 0;
    const record = (c: EdgeExpression, row: Row) => {
      if (GOPHER_ONLY.test(c.name)) delete row.puc;
      if (row.runtime === row.js && (row.puc === undefined || row.puc === row.js)) agree++;
      else differ.set(c.name, row);
    };
    // Expressions that loop forever on Lua run alone, on the runtime only, with a short deadline
    // (PUC has none); allocating ones run on the runtime only, whose heap cap stops them.
    const hanging = all.filter((c) => KNOWN[c.name]?.runtime === HANGS);
    // Known build crashes compile alone: in a batch, finding them costs a bisection.
    for (const c of all) if (KNOWN[c.name]?.runtime.startsWith("build throws")) compileBatch([c], rejected);
    // A member TypeScriptToLua does not support (TSTL100029) is rejected whatever its arguments:
    // its first expression stands for the others, which are not compiled.
    const firsts = [...new Map(all.filter((c) => c.group).map((c) => [c.group, c])).values()].reverse();
    const probe = new Map<string, string>();
    compileBatch(firsts, probe);
    const unsupported = new Map<string, string>();
    for (const c of firsts) if (probe.get(c.name) === UNSUPPORTED) unsupported.set(c.group!, UNSUPPORTED);
    for (const c of all) if (unsupported.has(c.group ?? "")) rejected.set(c.name, UNSUPPORTED);
    const alone = new Set(rejected.keys());
    const rest = all.filter((c) => !hanging.includes(c) && !alone.has(c.name));
    const groups = [rest.filter((c) => !c.huge), rest.filter((c) => c.huge)];
    for (const [g, group] of groups.entries()) {
      for (let start = 0; start < group.length; start += BATCH) {
        for (const { cases, lua } of compileBatch(group.slice(start, start + BATCH), rejected)) {
          const js = runAsJavaScript(body(cases)).split(SEPARATOR);
          const rt = await runInProcess({ filters: [{ name: "edge.lua", source: lua }], ...RUN, timeoutSeconds: 30 });
          expect(rt.error, cases[0]!.name).toBeNull();
          const runtime = rt.status_message!.split(SEPARATOR);
          expect(runtime.length).toBe(cases.length);
          let puc: string[] | undefined;
          if (g === 0) {
            const p = runOnLua51(lua, "edge.lua", {});
            expect(p.error).toBeUndefined();
            puc = p.status!.split(SEPARATOR);
            expect(puc.length).toBe(cases.length);
          }
          cases.forEach((c, i) => record(c, { js: js[i]!, runtime: runtime[i]!, ...(puc ? { puc: puc[i]! } : {}) }));
        }
      }
    }
    for (const c of hanging) {
      for (const { cases, lua } of compileBatch([c], rejected)) {
        const rt = await runInProcess({ filters: [{ name: "edge.lua", source: lua }], ...RUN, timeoutSeconds: 1 });
        const runtime = rt.error?.includes("deadline exceeded") ? HANGS : rt.error ?? rt.status_message!;
        record(cases[0]!, { js: runAsJavaScript(body(cases)), runtime });
      }
    }
    // The build throwing (no diagnostic, no Lua) is a difference too, not a rejection.
    for (const [name, why] of rejected) {
      if (!why.startsWith("build throws")) continue;
      rejected.delete(name);
      const c = all.find((x) => x.name === name)!;
      differ.set(name, { js: runAsJavaScript(body([c])), runtime: why });
    }
    const byCode: Record<string, number> = {};
    for (const codes of rejected.values()) byCode[codes] = (byCode[codes] ?? 0) + 1;
    const summary = { generated: all.length, agree, differ: differ.size, rejected: byCode };
    console.log(JSON.stringify(summary));
    if (process.env.EDGE_VALUES_DUMP) {
      const fs = await import("node:fs");
      fs.writeFileSync(process.env.EDGE_VALUES_DUMP, JSON.stringify({ summary, differ: Object.fromEntries(differ), rejected: Object.fromEntries(rejected) }, null, 1));
    }
    expect(Object.fromEntries(differ)).toEqual(KNOWN);
  });
});
