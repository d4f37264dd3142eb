// Production's recordings (../shared/corpus, README there): every case through the path the CLI
// uses (createRuntime: the worker pool, then the outcome rules), every recorded field compared.
// A case the runtime cannot match is listed in KNOWN with the fields that differ and why
// (docs/fidelity.md); the test expects exactly that difference, so it fails when the behaviour
// changes either way.
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../runtime/index";
import type { Outcome } from "../../runtime/types";
import { corpusCases, corpusRun, loadCase, type CorpusCase } from "../helpers/corpus";

const runtime = createRuntime({ workers: 1 }) // real probes: case 51 dials 127.0.0.1:1;
afterAll(() => runtime.close());

/** Fields a case differs in, with the reason (docs/fidelity.md names each). */
const KNOWN: Record<string, { fields: string[]; why: string }> = {
};

/** The corpus lists these nginx lines, in this order (README "expected"). */
const NGINX_LINES = ["Auth-Status", "Auth-Server", "Auth-Port"];

/** The recorded fields the runtime's outcome gives, in the corpus's shape. */
function observed(o: Outcome): Record<string, unknown> {
  return {
    auth_result: o.outcome,
    error: o.error,
    filters: o.filters.map((f) => ({ file: f.name, action: f.action, code: f.code })),
    selected: o.selected,
    removed: o.removed,
    attributes: o.attributes,
    headers: o.headers.header,
    nginx: NGINX_LINES.flatMap((name) => o.headers.nginx.filter(([n]) => n === name)),
    status_message: o.status_message,
    custom_logs: o.outcome === "tempfail" ? null : o.logs,
  };
}

function recorded(c: CorpusCase): Record<string, unknown> {
  const e = c.expected;
  return {
    auth_result: e.auth_result,
    error: e.error,
    filters: e.filters,
    selected: e.selected,
    removed: e.removed,
    attributes: e.attributes,
    headers: e.headers,
    nginx: e.nginx,
    status_message: e.status_message,
    // Key and text only: the outcome's logs carry no Go type, so a string "true" and the boolean
    // true look alike here (the corpus also records `type` and `value`).
    custom_logs: e.custom_logs?.map((l) => [l.key, l.text]) ?? null,
  };
}

/** JSON values compared as values: 3 and 3.0 are equal, map key order does not matter. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in (b as object) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function differingFields(c: CorpusCase, o: Outcome): Array<{ field: string; want: unknown; got: unknown }> {
  const want = recorded(c), got = observed(o);
  return Object.keys(want).filter((k) => !same(want[k], got[k])).map((field) => ({ field, want: want[field], got: got[field] }));
}

const results = new Map<string, string[]>();

describe("production's recordings (../shared/corpus/v139)", () => {
  for (const name of corpusCases()) {
    it(name, async () => {
      const c = loadCase(name);
      const o = await runtime.run(corpusRun(c));
      const diffs = differingFields(c, o);
      results.set(name, diffs.map((d) => d.field));
      const detail = diffs.map((d) => `  ${d.field}:\n    production ${JSON.stringify(d.want)}\n    runtime    ${JSON.stringify(d.got)}`).join("\n");
      // CORPUS_ALL=1 expects every case identical, to print the details of the known ones too.
      const expected = process.env.CORPUS_ALL ? [] : (KNOWN[name]?.fields ?? []);
      expect(diffs.map((d) => d.field), `${name} (${c.description}):\n${detail}`).toEqual(expected);
    });
  }
  it("summary", () => {
    const identical = [...results.values()].filter((f) => f.length === 0).length;
    console.log(`corpus: ${identical}/${results.size} identical; ${Object.keys(KNOWN).length} documented differences`);
    // CORPUS_REPORT=file writes every case's differing fields, to update KNOWN after a change.
    if (process.env.CORPUS_REPORT) fs.writeFileSync(process.env.CORPUS_REPORT, JSON.stringify(Object.fromEntries(results), null, 1));
  });
});
