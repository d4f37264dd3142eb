// Filters written the way operators write TypeScript, not to the compiler's taste (issue 11): each
// one in operator-filters/ runs as JavaScript on a fake of the host (the oracle), compiled by the
// SDK build on the runtime, and on real PUC Lua 5.1. A filter reports what it computed as its
// status message, "name=value" parts joined by " | ", so one filter probes many behaviours and a
// difference names the part that differs. Files `NAME.1.ts`, `NAME.2.ts` are one chain.
//
// KNOWN lists every filter that the build rejects or whose three results differ today, with the
// exact diagnostic codes or differences: the suite stays green, and fails when any of them changes
// (fixed, or different). Set OPERATOR_FILTERS_DUMP=1 to print what a filter shows now.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileSource, errorCodes, formatted } from "../helpers/filter-source";
import { fullRequest, runChainAsJavaScript, type HostServer, type JsChainResult } from "../helpers/js-host";
import { runChainOnLua51, type Lua51Run } from "../helpers/lua51";
import { runInProcess } from "../helpers/runtime";

const DIR = path.join(__dirname, "operator-filters");

// Deliberately not sorted by address, with two protocols sharing ports and an IPv6 literal: the
// order the monitoring registry publishes once membership changed.
const SERVERS: HostServer[] = [
  { protocol: "imap", ip: "10.0.1.12", port: 143, haproxy_v2: false, tls: false },
  { protocol: "imap", ip: "10.0.1.3", port: 993, haproxy_v2: true, tls: true },
  { protocol: "pop3", ip: "10.0.2.5", port: 995, haproxy_v2: false, tls: true },
  { protocol: "imap", ip: "10.0.1.7", port: 143, haproxy_v2: true, tls: false },
  { protocol: "lmtp", ip: "10.0.3.1", port: 24, haproxy_v2: false, tls: false },
  { protocol: "pop3", ip: "10.0.2.6", port: 110, haproxy_v2: false, tls: false },
  { protocol: "submission", ip: "10.0.4.1", port: 587, haproxy_v2: false, tls: false },
  { protocol: "imap", ip: "fd00::a", port: 143, haproxy_v2: false, tls: false },
];

const PROBE_ERRORS: Record<string, string> = {
  "10.0.1.3:993": "dial tcp 10.0.1.3:993: connect: connection refused",
  "10.0.2.5:995": "dial tcp 10.0.2.5:995: i/o timeout",
};

// An ASCII login, a non-ASCII one (Latin and an emoji in the display name) and an unknown user.
const REQUESTS: Record<string, FilterRequest> = {
  ascii: fullRequest({
    username: "Alice.Smith@Example.COM",
    account: "alice.smith@example.com",
    protocol: "imap",
    service: "nginx",
    authenticated: true,
    user_found: true,
    client_ip: "192.0.2.17",
    client_port: "52314",
    local_ip: "198.51.100.2",
    local_port: "993",
    display_name: "Alice Smith",
    session: "2Vx9kQ",
    ssl: "on",
    ssl_protocol: "TLSv1.3",
    ssl_cipher: "TLS_AES_256_GCM_SHA384",
    account_field: "mail",
    unique_user_id: "1001",
  }),
  unicode: fullRequest({
    username: "Jörg.Müller@Bücher.de",
    account: "jörg.müller@bücher.de",
    protocol: "pop3",
    service: "header",
    authenticated: true,
    user_found: true,
    client_ip: "2001:db8::17",
    client_port: "40001",
    local_ip: "2001:db8::1",
    local_port: "995",
    display_name: "Jörg Müller 😀",
    session: "ß7",
    brute_force_counter: 3,
    account_field: "uid",
    unique_user_id: "2002",
  }),
  empty: fullRequest({
    username: "ghost@example.net",
    account: "",
    protocol: "submission",
    service: "nginx",
    authenticated: false,
    user_found: false,
    client_ip: "203.0.113.250",
    client_port: "1",
    local_ip: "198.51.100.2",
    local_port: "587",
    brute_force_counter: 12,
    repeating: true,
  }),
};

/** One run, reduced to what all three can show, as strings. */
interface Observed {
  error: string | null;
  filters: string;
  selected: string;
  status: string | null;
  logs: string;
  applied: string;
  removed: string;
}

const lua = (v: unknown): string => (v === undefined || v === null ? "nil" : String(v));
const rejects = (action: unknown): boolean => action !== undefined && action !== null && action !== false && action !== "nil" && action !== "false";

// Production applies the selection, removals and attributes only when the chain accepted: the
// runtime shows none of them otherwise, so neither do the others.
function settled(o: Observed, applies: boolean): Observed {
  return applies ? o : { ...o, selected: "", applied: "", removed: "" };
}

function attributesText(attrs: Record<string, unknown> | null | undefined): string {
  if (!attrs) return "";
  return Object.keys(attrs)
    .sort()
    .map((k) => {
      const v = attrs[k];
      return `${k}:${Array.isArray(v) && v.length === 1 ? String(v[0]) : String(v)}`;
    })
    .join(",");
}

function fromJs(r: JsChainResult): Observed {
  return settled(
    {
      error: r.error,
      filters: r.filters.map((f) => `${lua(f.action)}:${lua(f.code)}`).join(","),
      selected: r.selected ? `${r.selected.ip}:${r.selected.port}` : "",
      status: r.status,
      logs: r.logs.map(([k, v]) => `${k}=${v}`).join(","),
      applied: attributesText(r.applied),
      removed: r.removed.join(","),
    },
    r.error === null && !r.filters.some((f) => rejects(f.action)),
  );
}

function fromPuc(r: Lua51Run): Observed {
  const filters = r.filters ?? "";
  return settled(
    {
      error: r.error ?? null,
      filters,
      selected: r.selected ?? "",
      status: r.status ?? null,
      logs: r.logs ?? "",
      applied: r.applied ?? "",
      removed: r.removed ?? "",
    },
    r.error === undefined && !filters.split(",").some((f) => rejects(f.split(":")[0])),
  );
}

// The password backend found the user with one attribute of its own: Nauthilus keeps no map
// for a result without attributes (auth.go:1060), and adding filter attributes to none is an
// HTTP 500. It is left out of what the filters applied.
const BACKEND_ATTRIBUTE = "backend-own";

async function onRuntime(chunks: Array<{ name: string; source: string }>, request: FilterRequest): Promise<Observed> {
  const o = await runInProcess(
    { filters: chunks, servers: SERVERS, attributes: { [BACKEND_ATTRIBUTE]: ["x"] }, request: request as unknown as Record<string, unknown> },
    PROBE_ERRORS,
  );
  const attributes = o.attributes === null ? null : Object.fromEntries(Object.entries(o.attributes).filter(([k]) => k !== BACKEND_ATTRIBUTE));
  return {
    error: o.error,
    filters: o.filters.map((f: { action: unknown; code: unknown }) => `${lua(f.action)}:${lua(f.code)}`).join(","),
    selected: o.selected ? `${o.selected.ip}:${o.selected.port}` : "",
    status: o.status_message,
    logs: o.logs.map(([k, v]: [string, string]) => `${k}=${v}`).join(","),
    applied: attributesText(attributes),
    removed: o.removed.join(","),
  };
}

type Triple = [js: string | null, runtime: string | null, puc: string | null];

// Table addresses change from run to run and error positions with every change of the emitted
// Lua: neither is the difference itself.
const stable = (v: string | null): string | null =>
  v === null ? null : v.replace(/table: 0x[0-9a-f]+/g, "table: 0x…").replace(/\.lua:\d+:/g, ".lua:…:");

/** The status message's parts by name ("name=value" joined by " | "), in order of appearance. */
function parts(status: string | null): Map<string, string> {
  const map = new Map<string, string>();
  if (status === null) return map;
  status.split(" | ").forEach((p, i) => {
    const eq = p.indexOf("=");
    map.set(eq > 0 ? p.slice(0, eq) : `#${i}`, eq > 0 ? p.slice(eq + 1) : p);
  });
  return map;
}

/**
 * Every place where the three runs differ: "<request> <field>" → [JavaScript, runtime, PUC 5.1].
 * A run that raised shows its error and null for everything else; what it did before the error
 * is not compared, so that one error does not bury the differences the other two runs show.
 */
function differences(requestName: string, js: Observed, rt: Observed, puc: Observed): Record<string, Triple> {
  const diffs: Record<string, Triple> = {};
  const runs = [js, rt, puc];
  const differ = (t: Triple) => {
    const compared = t.filter((_, i) => runs[i].error === null);
    return compared.some((v) => v !== compared[0]);
  };
  const shown = (i: number, v: string | null) => (runs[i].error === null ? stable(v) : null);
  if (runs.some((r) => r.error !== js.error)) diffs[`${requestName} error`] = [js.error, rt.error, puc.error].map(stable) as Triple;
  for (const field of ["filters", "selected", "logs", "applied", "removed"] as const) {
    const t = runs.map((r, i) => shown(i, r[field])) as Triple;
    if (differ(t)) diffs[`${requestName} ${field}`] = t;
  }
  const p = runs.map((r) => parts(r.status));
  for (const key of new Set(p.flatMap((m) => [...m.keys()]))) {
    const t = p.map((m, i) => shown(i, m.get(key) ?? null)) as Triple;
    if (differ(t)) diffs[`${requestName} status:${key}`] = t;
  }
  return diffs;
}

/** A difference that every request shows alike is listed once, as "* <field>". */
function collapse(diffs: Record<string, Triple>): Record<string, Triple> {
  const out: Record<string, Triple> = {};
  const requests = Object.keys(REQUESTS);
  const fieldOf = (key: string) => key.slice(key.indexOf(" ") + 1);
  for (const [key, triple] of Object.entries(diffs)) {
    const field = fieldOf(key);
    const same = requests.every((r) => JSON.stringify(diffs[`${r} ${field}`]) === JSON.stringify(triple));
    out[same ? `* ${field}` : key] = triple;
  }
  return out;
}

interface Known {
  /** The build throws instead of reporting a diagnostic: the exception's message. */
  throws?: string;
  /** The build rejects the filter with these diagnostic codes (all files of a chain). */
  build?: string[];
  /** The filter builds and the three runs differ exactly here. */
  diffs?: Record<string, Triple>;
}

const KNOWN: Record<string, Known> = {
  // user_uc: PUC 5.1's string.upper is ASCII-only; production's gopher maps Unicode (documented).
  // (Object.keys of numeric-looking keys ({ 993: "imaps" }) lists them ascending, as JavaScript.)
  "02-domain-routing": {
    diffs: {
      "unicode status:user_uc": ["JÖRG.MÜLLER@BÜCHER.DE", "JÖRG.MÜLLER@BÜCHER.DE", "JöRG.MüLLER@BüCHER.DE"],
    },
  },
  // PUC 5.1 only: its pairs follows its hash, where gopher (and the runtime) keep the order keys
  // were first set; Object.keys/values list integer keys first, then the rest in that order.
  "03-enums": {
    diffs: {
      "* status:keys": ["0,5,6,Basic,Pro,Enterprise", "0,5,6,Basic,Pro,Enterprise", "0,5,6,Basic,Enterprise,Pro"],
      "* status:numeric": ["0,5,6", "0,5,6", "0,6,5"],
      "* status:names": ["Basic,Pro,Enterprise", "Basic,Pro,Enterprise", "Basic,Enterprise,Pro"],
      "* status:proto_keys": ["Imap,Pop3,Submission", "Imap,Pop3,Submission", "Submission,Imap,Pop3"],
    },
  },
  // `const { length } = string` is rejected (NF1041): Lua reads a field, undefined. (The object
  // rest after a quoted key, which this filter also shows, is fixed: typescript-on-production.)
  "07-destructuring-attrs": {
    build: ["NF1041"],
  },
  // Key order: PUC 5.1 only (its hash order). Properties holding undefined override the defaults
  // when spread or assigned and stay keys (`in`, Object.keys), as in JavaScript (undefined-keys.ts).
  "08-spread-objects": {
    diffs: {
      "* status:extra_keys": ["zone,pool,port,tls,note", "zone,pool,port,tls,note", "tls,port,pool,zone,note"],
      "* status:entries": ["zone:eu,pool:override,port:143,tls:false,note:none", "zone:eu,pool:override,port:143,tls:false,note:none", "tls:false,port:143,pool:override,zone:eu,note:none"],
      "* status:layered": ["5,3,4", "5,3,4", "5,4,3"],
    },
  },
  // upper: PUC 5.1's string.upper is ASCII-only (documented, not production).
  "14-string-methods": {
    diffs: {
      "unicode status:upper": ["JÖRG MÜLLER 😀", "JÖRG MÜLLER 😀", "JöRG MüLLER 😀"],
    },
  },
  // Labeled break/continue: TypeScriptToLua cannot emit them for Lua 5.1 (no goto). Right to reject.
  "18-labeled-loops": {
    build: ["TSTL100013"],
  },
  // Key order: PUC 5.1 only (its hash order; gopher and the runtime keep the order keys were first
  // set, and Object.keys/values/entries/for…in list integer keys first, as JavaScript).
  "22-object-utils": {
    diffs: {
      "* status:keys": ["2,10,zeta,alpha,X-Quota,mid", "2,10,zeta,alpha,X-Quota,mid", "2,10,zeta,X-Quota,mid,alpha"],
      "ascii status:values": ["two,ten,last,first,5G,imap", "two,ten,last,first,5G,imap", "two,ten,last,5G,imap,first"],
      "ascii status:entries": ["2:two,10:ten,zeta:last,alpha:first,X-Quota:5G,mid:imap", "2:two,10:ten,zeta:last,alpha:first,X-Quota:5G,mid:imap", "2:two,10:ten,zeta:last,X-Quota:5G,mid:imap,alpha:first"],
      "* status:for_in": ["2,10,zeta,alpha,X-Quota,mid", "2,10,zeta,alpha,X-Quota,mid", "2,10,zeta,X-Quota,mid,alpha"],
      "* status:from_entries": ["2,10,ZETA,ALPHA,X-QUOTA,MID", "2,10,ZETA,ALPHA,X-QUOTA,MID", "2,10,X-QUOTA,MID,ZETA,ALPHA"],
      "* status:counts": ["b3a2c1", "b3a2c1", "a2c1b3"],
      "unicode status:values": ["two,ten,last,first,5G,pop3", "two,ten,last,first,5G,pop3", "two,ten,last,5G,pop3,first"],
      "unicode status:entries": ["2:two,10:ten,zeta:last,alpha:first,X-Quota:5G,mid:pop3", "2:two,10:ten,zeta:last,alpha:first,X-Quota:5G,mid:pop3", "2:two,10:ten,zeta:last,X-Quota:5G,mid:pop3,alpha:first"],
      "empty status:values": ["two,ten,last,first,5G,submission", "two,ten,last,first,5G,submission", "two,ten,last,5G,submission,first"],
      "empty status:entries": ["2:two,10:ten,zeta:last,alpha:first,X-Quota:5G,mid:submission", "2:two,10:ten,zeta:last,alpha:first,X-Quota:5G,mid:submission", "2:two,10:ten,zeta:last,X-Quota:5G,mid:submission,alpha:first"],
    },
  },
  // null and undefined are both nil: the filter tells them apart (`v === null` on unknown,
  // typeof of a nullable value), which the build rejects (NF1043).
  "26-typeof-equality": {
    build: ["NF1043"],
  },
  // findLast, lastIndexOf, localeCompare, normalize are not provided by TypeScriptToLua.
  "33-modern-apis": {
    build: ["TSTL100029"],
  },
  // Regular expressions: documented reject; TypeScriptToLua's TSTL100013 is reported next to NF1005.
  "34-regex-validate": {
    build: ["NF1005", "TSTL100013"],
  },
  // JSON: documented reject.
  "35-json-log": {
    build: ["NF1004"],
  },
  // Date: documented reject.
  "36-date-window": {
    build: ["NF1004"],
  },
  // Arrays with holes (slots set past the end, delete a[i]) and undefined elements (push(undefined)):
  // lengths, join, for…of and map skipping a hole are JavaScript's (build/array-lengths.ts,
  // build/lualib-arrays.ts). What differs: PUC 5.1's border, not gopher's.
  "37-array-holes": {
    diffs: {
      "ascii status:ring_len": ["8", "8", "2"],
      "ascii status:slots": ["fd00::a,10.0.1.7,-,-,-,10.0.1.3,-,10.0.1.12", "fd00::a,10.0.1.7,-,-,-,10.0.1.3,-,10.0.1.12", "fd00::a,10.0.1.7"],
      "ascii status:ring_join": ["fd00::a,10.0.1.7,,,,10.0.1.3,,10.0.1.12", "fd00::a,10.0.1.7,,,,10.0.1.3,,10.0.1.12", "fd00::a,10.0.1.7"],
      "ascii status:ring_filled": ["4", "4", "2"],
      "* status:grown_len": ["6", "6", "2"],
      "* status:grown": ["1,2,,,,6", "1,2,,,,6", "1,2"],
      "empty status:ring_len": ["7", "7", "0"],
      "empty status:slots": ["-,-,-,-,-,-,10.0.4.1", "-,-,-,-,-,-,10.0.4.1", ""],
      "empty status:ring_join": [",,,,,,10.0.4.1", ",,,,,,10.0.4.1", ""],
      "empty status:ring_filled": ["1", "1", "0"],
    },
  },
  // Keys holding undefined, through literals, stores, delete, spread, rest, fromEntries, for…in and
  // Object.assign. Key order of Object.assign onto a literal: PUC 5.1 only (its hash order).
  "67-undefined-keys": {
    diffs: {
      "* status:assigned": ["z,y:undefined", "z,y:undefined", "y,z:undefined"],
    },
  },
  // The second filter reads an array and an object holding undefined that the first one made
  // (the records are shared by the request's filters, as the lualib's Set class the first one
  // defined). Key order: PUC 5.1 only (its hash order).
  "68-chain-optional": {
    diffs: {
      "ascii status:parts": ["2 distinct=2 keys=name,session,note has_session=true joined=Alice Smith/2Vx9kQ", "2 distinct=2 keys=name,session,note has_session=true joined=Alice Smith/2Vx9kQ", "2 distinct=2 keys=note,session,name has_session=true joined=Alice Smith/2Vx9kQ"],
      "unicode status:parts": ["2 distinct=2 keys=name,session,note has_session=true joined=Jörg Müller 😀/ß7", "2 distinct=2 keys=name,session,note has_session=true joined=Jörg Müller 😀/ß7", "2 distinct=2 keys=note,session,name has_session=true joined=Jörg Müller 😀/ß7"],
    },
  },
  // A default parameter would apply to null as well (null is nil): rejected (NF1043).
  "39-default-params": {
    build: ["NF1043"],
  },
  // #private fields: rejected (NF1040; TypeScriptToLua would throw): use a `private` member.
  "43-private-fields": {
    build: ["NF1040"],
  },
  // `var` is not supported by TypeScriptToLua.
  "50-var-loop": {
    build: ["TSTL100031"],
  },
  // Math.floor, Math.abs, Number.isInteger passed as values are unsupported.
  "52-builtin-method-values": {
    build: ["TSTL100029"],
  },
  // String.prototype.at is unsupported (Array.prototype.at is fine).
  "53-string-at": {
    build: ["TSTL100029"],
  },
  // Number.isSafeInteger, Math.cbrt, Math.hypot, Object.is are unsupported.
  "55-math-extras": {
    build: ["TSTL100029"],
  },
  // get/set accessors in object literals are unsupported.
  "56-literal-accessors": {
    build: ["TSTL100025"],
  },
  // An array literal with undefined/null elements is rejected (pushing them is not, see 37).
  "57-undefined-literal": {
    build: ["TSTL100044"],
  },
  // Array.prototype.keys/values are unsupported (entries is fine).
  "58-array-iter-methods": {
    build: ["TSTL100029"],
  },
  // Function.prototype.length is unsupported for Lua 5.1.
  "59-function-length": {
    build: ["TSTL100027"],
  },
  // new Array(n) is unsupported.
  "60-new-array-length": {
    build: ["TSTL100049"],
  },
  // toPrecision/toExponential are unsupported.
  "62-number-precision": {
    build: ["TSTL100029"],
  },
  // for…in over an array is rejected by TypeScriptToLua.
  "63-for-in-array": {
    build: ["TSTL100014"],
  },
};

// name → its files, in chain order.
const FILTERS = new Map<string, string[]>();
for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith(".ts")).sort()) {
  const name = file.slice(0, file.indexOf("."));
  FILTERS.set(name, [...(FILTERS.get(name) ?? []), file]);
}

describe("operator filters: JavaScript, the runtime and PUC Lua 5.1 agree, or the difference is known", () => {
  it("there are enough of them to mean something", () => {
    expect(FILTERS.size).toBeGreaterThanOrEqual(30);
  });

  it.each([...FILTERS.keys()])("%s", async (name) => {
    const files = FILTERS.get(name)!;
    const sources = files.map((file) => ({ file, source: fs.readFileSync(path.join(DIR, file), "utf8") }));
    const known = KNOWN[name] ?? {};
    const dump = (value: Known) => {
      if (process.env.OPERATOR_FILTERS_DUMP) console.log(JSON.stringify({ [name]: value }, null, 2));
    };
    let compiled: ReturnType<typeof compileSource>[];
    try {
      compiled = sources.map(({ file, source }) => compileSource(source, `operator-${file.replace(/\.ts$/, "").replace(/\W+/g, "-")}`));
    } catch (e) {
      // A crash of the build is a finding of its own: it should have been a diagnostic.
      dump({ throws: (e as Error).message });
      expect((e as Error).message).toBe(known.throws);
      return;
    }
    expect(known.throws).toBeUndefined();

    if (compiled.some((c) => c.lua === undefined)) {
      const build = [...new Set(compiled.flatMap((c) => errorCodes(c)))].sort();
      dump({ build });
      if (process.env.OPERATOR_FILTERS_DUMP) console.log(compiled.flatMap((c) => formatted(c)).join("\n"));
      expect(build).toEqual(known.build);
      return;
    }

    const diffs: Record<string, Triple> = {};
    for (const [requestName, request] of Object.entries(REQUESTS)) {
      // A filter may write to the request table (chains do): each run gets its own copy.
      const js = runChainAsJavaScript(
        sources.map(({ file, source }) => ({ name: file, source })),
        { ...request },
        SERVERS,
        PROBE_ERRORS,
      );
      // The oracle itself must work: a filter that throws in JavaScript is a broken filter.
      expect(js.error, `${name} (${requestName}) as JavaScript`).toBeNull();
      const chunks = sources.map(({ file }, i) => ({ name: file.replace(/\.ts$/, ".lua"), source: compiled[i].lua! }));
      const rt = await onRuntime(chunks, request);
      const puc = runChainOnLua51(
        chunks.map((c) => ({ code: c.source, chunkName: c.name })),
        request as unknown as Record<string, unknown>,
        SERVERS,
        PROBE_ERRORS,
      );
      Object.assign(diffs, differences(requestName, fromJs(js), rt, fromPuc(puc)));
    }
    const found = collapse(diffs);
    dump({ diffs: found });
    expect(known.build).toBeUndefined();
    expect(found).toEqual(known.diffs ?? {});
  });
});
