// Generates the expressions of test/build/edge-values.test.ts: every String/Array/Number/Math
// member JavaScript has (enumerated from the running engine, not listed by hand) and the operators,
// applied to edge values. Which argument kinds a member takes comes from the TypeScript library
// the filters are checked against (lib ESNext), so almost every expression is well-typed; the few
// that are not are left for the build to reject like any other.
import ts from "typescript";

export type Kind = "number" | "string" | "undefined" | "array";

export interface EdgeValue {
  /** How the value reads in an expression's name: `"héllo"`, `-0`, `[1, 2]`. */
  text: string;
  /** How the generated filter refers to it (a local of compute(), or a call for fresh arrays). */
  code: string;
  kind: Kind;
  /** Arrays: their TypeScript type, which picks a member's signature and its arguments. */
  type?: string;
}

export interface EdgeExpression {
  /** The expression as it reads with the values spelled out: the key of KNOWN. */
  name: string;
  /** The statement body of a `() => unknown` arrow (an expression, or a block for mutations). */
  code: string;
  /** Allocates beyond memory (repeat/padStart/padEnd to 1e21…): JavaScript throws RangeError,
   * Lua builds the string; run on the runtime only (its heap cap raises), not on unbounded PUC. */
  huge?: boolean;
  /** The member called (`string.slice`, `Math.pow`): TypeScriptToLua supports a member or not,
   * whatever its arguments. */
  group?: string;
}

const numbers: Array<[string, string]> = [
  ["NaN", "NaN"], ["Infinity", "Infinity"], ["-Infinity", "-Infinity"], ["-0", "-0"], ["0", "0"], ["1", "1"], ["-1", "-1"],
  ["2", "2"], ["0.5", "0.5"], ["1e21", "1e21"], ["2 ** 53", "2 ** 53"], ["1e-7", "1e-7"],
];
const strings = ["", "a", "héllo", "😀x", " 12 ", "0x10"];

export const NUMBERS: EdgeValue[] = numbers.map(([text], i) => ({ text, code: `n${i}`, kind: "number" }));
export const STRINGS: EdgeValue[] = strings.map((s, i) => ({ text: JSON.stringify(s), code: `s${i}`, kind: "string" }));
export const UNDEFINED: EdgeValue = { text: "undefined", code: "u", kind: "undefined" };
// Arrays are made fresh for every use: mutating members must not see an earlier expression's work.
export const ARRAYS: Array<EdgeValue & { type: string }> = [
  { text: "[]", code: "a0()", kind: "array", type: "number[]" },
  { text: "[1, 2]", code: "a1()", kind: "array", type: "number[]" },
  { text: '["b", "a"]', code: "a2()", kind: "array", type: "string[]" },
];
export const ALL: EdgeValue[] = [UNDEFINED, ...NUMBERS, ...STRINGS, ...ARRAYS];

// -0 is computed: PUC Lua 5.1 keeps one constant for 0 and -0 in a function, so a literal -0 next
// to a 0 loses its sign there (a "literal" row below shows that on its own).
/** Declarations of the values, as the first statements of compute(). */
export const DECLARATIONS = [
  "const u: undefined = undefined;",
  "const zero: number = 0;",
  ...numbers.map(([, code], i) => `const n${i}: number = ${code === "-0" ? "-zero" : code};`),
  ...strings.map((s, i) => `const s${i}: string = ${JSON.stringify(s)};`),
  "const a0 = (): number[] => [];",
  "const a1 = (): number[] => [1, 2];",
  'const a2 = (): string[] => ["b", "a"];',
].join("\n");

// A second argument (and the right side of operators over every value) comes from a smaller pool:
// the full cross product would be ten times as many expressions for few new cases.
const SECOND = new Set(["undefined", "NaN", "-0", "-1", "2", "Infinity", "0.5", '""', '"😀x"', "[]", "[1, 2]"]);
const second = (v: EdgeValue) => SECOND.has(v.text);
// Two-argument string calls run on the empty string and the non-ASCII ones, where code units and
// bytes part: the ASCII receivers add nothing a one-argument call has not shown.
const PAIR_RECEIVERS = STRINGS.filter((s) => ['""', '"héllo"', '"😀x"'].includes(s.text));

// Not generated: locale- or engine-dependent answers, Math.random, constructors, and members whose
// arguments are none of the edge values (String.raw's template object, Array.from's iterables).
// Members taking callbacks are left out by their signatures.
const SKIP = new Set([
  "constructor", "random", "toLocaleString", "localeCompare", "toLocaleUpperCase", "toLocaleLowerCase", "normalize",
  // Legacy HTML wrappers (String.prototype.anchor …): TypeScript marks them deprecated.
  "anchor", "big", "blink", "bold", "fixed", "fontcolor", "fontsize", "italics", "link", "small", "strike", "sub", "sup",
  "raw", "from", "fromAsync",
]);
// Members returning an iterator: spread into an array so both sides print the elements.
const ITERATORS = new Set(["keys", "values", "entries", "matchAll"]);
// Not run: the runtime's string.rep loops 2^53 times in one uninterruptible VM call (no deadline
// stops it), where gopher's strings.Repeat returns "" at once, as JavaScript does.
export const NOT_RUN = new Set(['"".repeat(2 ** 53)']);
// Members whose count argument allocates a string of that length.
const ALLOCATING = new Set(["repeat", "padStart", "padEnd"]);

/** Argument kinds per position for a member, from its TypeScript signatures; undefined: skip. */
type Param = { kinds: Set<Kind>; optional: boolean; rest: boolean };

let checker: ts.TypeChecker | undefined;
let anchors: Map<string, ts.Expression> | undefined;

const RECEIVERS: Record<string, string> = {
  string: "string",
  number: "number",
  "number[]": "number[]",
  "string[]": "string[]",
  Math: "typeof Math",
  Number: "typeof Number",
  String: "typeof String",
  Array: "typeof Array",
};

function program(): { checker: ts.TypeChecker; anchors: Map<string, ts.Expression> } {
  if (checker && anchors) return { checker, anchors };
  const names = Object.keys(RECEIVERS);
  const source = names.map((n, i) => `declare const r${i}: ${RECEIVERS[n]};\nr${i};`).join("\n");
  const fileName = "edge-values-signatures.ts";
  const options: ts.CompilerOptions = { lib: ["lib.esnext.d.ts"], strict: true, noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, lang) => (name === fileName ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang));
  const p = ts.createProgram([fileName], options, host);
  checker = p.getTypeChecker();
  const file = p.getSourceFile(fileName)!;
  const exprs = file.statements.filter(ts.isExpressionStatement).map((s) => s.expression);
  anchors = new Map(names.map((n, i) => [n, exprs[i]!]));
  return { checker, anchors };
}

function kindsOf(c: ts.TypeChecker, type: ts.Type): Set<Kind> | "callback" {
  const parts = type.isUnion() ? type.types : [type];
  const kinds = new Set<Kind>();
  for (const t of parts) {
    if (t.getCallSignatures().length > 0) return "callback";
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) for (const k of ["number", "string", "undefined", "array"] as Kind[]) kinds.add(k);
    else if (t.flags & ts.TypeFlags.NumberLike) kinds.add("number");
    else if (t.flags & ts.TypeFlags.StringLike) kinds.add("string");
    else if (t.flags & ts.TypeFlags.Undefined) kinds.add("undefined");
    else if (c.isArrayType(t) || c.isTupleType(t) || /Array/.test(c.typeToString(t))) kinds.add("array");
  }
  return kinds;
}

/** Each call signature of `receiver.member` as parameter kinds; [] when it is not callable. */
function signatures(receiver: string, member: string): Param[][] | undefined {
  const { checker: c, anchors: a } = program();
  const anchor = a.get(receiver)!;
  const type = c.getTypeAtLocation(anchor);
  const symbol = c.getPropertyOfType(type, member);
  if (!symbol) return undefined;
  const memberType = c.getTypeOfSymbolAtLocation(symbol, anchor);
  const out: Param[][] = [];
  for (const sig of memberType.getCallSignatures()) {
    const params: Param[] = [];
    let usable = true;
    for (const p of sig.getParameters()) {
      const decl = p.valueDeclaration as ts.ParameterDeclaration | undefined;
      const rest = decl?.dotDotDotToken !== undefined;
      let t = c.getTypeOfSymbolAtLocation(p, anchor);
      if (rest) t = c.getIndexTypeOfType(t, ts.IndexKind.Number) ?? t;
      const kinds = kindsOf(c, t);
      const optional = rest || decl?.questionToken !== undefined || decl?.initializer !== undefined;
      if (kinds === "callback" || kinds.size === 0) {
        // A callback or RegExp-only position: what precedes it is still a valid shorter call.
        if (!optional) usable = false;
        break;
      }
      if (optional && !rest) kinds.add("undefined");
      params.push({ kinds, optional, rest });
    }
    if (usable) out.push(params);
  }
  return out;
}

function valuesOf(kinds: Set<Kind>, arrayType?: string): EdgeValue[] {
  return ALL.filter((v) => kinds.has(v.kind) && (v.kind !== "array" || arrayType === undefined || v.type === arrayType));
}

/** Argument lists (0–2 arguments) for the signatures of a member. */
function argumentLists(sigs: Param[][], elementArray?: string): EdgeValue[][] {
  const lists = new Map<string, EdgeValue[]>();
  const add = (args: EdgeValue[]) => lists.set(args.map((a) => a.text).join(", "), args);
  for (const params of sigs) {
    const required = params.filter((p) => !p.optional).length;
    if (required > 2) continue;
    if (required === 0) add([]);
    const first = params[0];
    if (!first) continue;
    const firsts = valuesOf(first.kinds, elementArray);
    if (required <= 1) for (const v of firsts) add([v]);
    const next = params[1] ?? (first.rest ? first : undefined);
    if (!next) continue;
    for (const v of firsts) for (const w of valuesOf(next.kinds, elementArray).filter(second)) add([v, w]);
  }
  return [...lists.values()];
}

function call(receiverName: string, receiverCode: string, member: string, args: EdgeValue[], iterator: boolean): [string, string] {
  const name = `${receiverName}.${member}(${args.map((a) => a.text).join(", ")})`;
  const code = `${receiverCode}.${member}(${args.map((a) => a.code).join(", ")})`;
  return iterator ? [`[...${name}]`, `[...${code}]`] : [name, code];
}

function memberNames(target: object): string[] {
  return Object.getOwnPropertyNames(target).filter((m) => !SKIP.has(m) && !["length", "name", "prototype", "arguments", "caller"].includes(m)).sort();
}

function isFunction(target: object, m: string): boolean {
  return typeof Object.getOwnPropertyDescriptor(target, m)?.value === "function";
}

export function generate(): EdgeExpression[] {
  const out: EdgeExpression[] = [];
  const push = (name: string, code: string, member = "", args: EdgeValue[] = [], group?: string) => {
    if (NOT_RUN.has(name)) return;
    const huge = ALLOCATING.has(member) && args.some((a) => a.kind === "number" && /Infinity|e21|53/.test(a.text) && !a.text.startsWith("-"));
    // Each of these allocates up to the runtime's heap cap: one receiver shows the behaviour.
    if (huge && !name.startsWith('"a".')) return;
    out.push({ name, code, ...(huge ? { huge } : {}), ...(group ? { group } : {}) });
  };

  // String.prototype over each string value.
  for (const m of memberNames(String.prototype)) {
    if (!isFunction(String.prototype, m)) continue;
    const sigs = signatures("string", m);
    if (!sigs) continue;
    for (const args of argumentLists(sigs)) for (const s of args.length < 2 ? STRINGS : PAIR_RECEIVERS) {
      const [name, code] = call(s.text, s.code, m, args, ITERATORS.has(m));
      push(name, code, m, args, `string.${m}`);
    }
  }
  // Array.prototype over fresh arrays; the receiver is printed after the call for the mutators.
// (Not as [r, a]: a nil r would leave a hole in that table.)
  for (const m of memberNames(Array.prototype)) {
    if (!isFunction(Array.prototype, m)) continue;
    for (const a of ARRAYS) {
      const sigs = signatures(a.type, m);
      if (!sigs) continue;
      // Two arguments on a non-empty array only, as for strings.
      for (const args of argumentLists(sigs, a.type).filter((l) => l.length < 2 || a.text !== "[]")) {
        const [name, code] = call(a.text, "a", m, args, ITERATORS.has(m));
        push(name, `{ const a = ${a.code}; const r = ${code}; return show(r) + " then " + show(a); }`, m, args, `${a.type}.${m}`);
      }
    }
  }
  // Number.prototype over each number.
  for (const m of memberNames(Number.prototype)) {
    const sigs = signatures("number", m);
    if (!sigs) continue;
    for (const args of argumentLists(sigs)) for (const n of NUMBERS) {
      const [name, code] = call(`(${n.text})`, n.code, m, args, false);
      push(name, code, m, args, `number.${m}`);
    }
  }
  // Statics: Number, Math, String, Array (constants read, functions called).
  for (const [owner, target] of [["Number", Number], ["Math", Math], ["String", String], ["Array", Array]] as const) {
    for (const m of memberNames(target)) {
      if (!isFunction(target, m)) {
        push(`${owner}.${m}`, `${owner}.${m}`);
        continue;
      }
      const sigs = signatures(owner, m);
      if (!sigs) continue;
      for (const args of argumentLists(sigs)) {
        const [name, code] = call(owner, owner, m, args, false);
        push(name, code, m, args, `${owner}.${m}`);
      }
    }
  }
  // Conversions and unary operators over every value.
  const unary: Array<[string, (x: string) => string]> = [
    ["String(x)", (x) => `String(${x})`], ["`${x}`", (x) => `\`\${${x}}\``], ["typeof x", (x) => `typeof ${x}`], ["!x", (x) => `!${x}`],
    ["-x", (x) => `-${x}`], ["+x", (x) => `+${x}`], ["Number(x)", (x) => `Number(${x})`], ["Boolean(x)", (x) => `Boolean(${x})`],
    ["x ? 1 : 0", (x) => `${x} ? 1 : 0`], ['"s" + x', (x) => `"s" + ${x}`], ['x + "s"', (x) => `${x} + "s"`],
    ["parseInt(x)", (x) => `parseInt(${x})`], ["parseFloat(x)", (x) => `parseFloat(${x})`], ["isNaN(x)", (x) => `isNaN(${x})`], ["isFinite(x)", (x) => `isFinite(${x})`],
  ];
  for (const [shape, f] of unary) {
    for (const v of ALL) push(shape.replace(/\bx\b/, /^[-+]x/.test(shape) && v.text.startsWith("-") ? `(${v.text})` : v.text), f(v.code));
  }
  // Binary operators. Arithmetic and ordering where TypeScript allows them (numbers; strings for
  // + and ordering); equality, ?? || && over every pair (through unknown, as a union-typed value
  // reaches them).
  const arithmetic = ["+", "-", "*", "/", "%", "**"];
  const ordering = ["<", "<=", ">", ">="];
  for (const op of [...arithmetic, ...ordering]) {
    for (const x of [...NUMBERS, ...STRINGS]) for (const y of [...NUMBERS, ...STRINGS]) {
      if (x.kind !== y.kind && op !== "+") continue;
      if (x.kind === "string" && y.kind === "string" && op !== "+" && !ordering.includes(op)) continue;
      if (x.kind !== y.kind && !second(y) && !second(x)) continue;
      push(`${x.text} ${op} ${y.text}`, `${x.code} ${op} ${y.code}`);
    }
  }
  // != and !== mirror == and ===, and ?? only asks whether the left side is undefined: they get
  // the smaller pool on both sides.
  for (const op of ["==", "===", "!=", "!==", "??", "||", "&&"]) {
    for (const x of ["==", "===", "||", "&&"].includes(op) ? ALL : ALL.filter(second)) {
      for (const y of ALL.filter(second)) push(`${x.text} ${op} ${y.text}`, `(${x.code} as unknown) ${op} ${y.code}`);
    }
  }
  // Literals as an operator writes them (the values above are locals).
  push("literal -0 in a function that also has a literal 0", "{ const a = 0; const b = -0; return 1 / b + a; }");
  for (const lit of ["-0", "0 * -1", "1 / -0", "-0 + 0", "2 ** 53 + 1", "0.1 + 0.2", "9007199254740993", "1e21 + 1", "-(2 ** 31)", "2 ** 31 * 2 ** 31"]) push(`literal ${lit}`, lit);
  return out;
}
