// Each filter chunk is rewritten once, before it is compiled, where gopher-lua's Lua 5.1 differs
// from Lua 5.4 in ways no library function can repair (docs/fidelity.md):
// - numbers are float64: integer literals become float literals (`10` → `10.0`, `0x10` →
//   `0x10p0`), read the way gopher's lexer reads them (`0017` is octal 15, a hex literal beyond
//   int64 and a literal beyond the float range are NaN), so `9007199254740993` rounds, `-0` is
//   negative zero and `%` by zero is NaN;
// - `a .. b` becomes a call of a helper that concatenates two strings or numbers with gopher's
//   number text, hands anything else to `..` itself (a __concat metamethod sees the original
//   operands) and raises gopher's error for what cannot be concatenated; a chain `a .. b .. c`
//   is one call with every operand, as gopher's OP_CONCAT takes them (evaluated left to right,
//   joined from the right), which also keeps long chains within the VM's register limit;
// - a numeric `for` takes numbers only (`for statement init must be a number`), and a step of 0
//   loops as gopher's does (never when init < limit, else forever with the same value);
// - `#t` becomes a call of a helper that gives a table gopher's length (the largest positive
//   integer key of its array part, holes or not; Lua 5.4 gives any border);
// - a function called in a tail call keeps its caller's frame when it is a Go function
//   (OP_TAILCALL): `return f(...)` becomes a non-tail call, so host and library errors name the
//   call site and its line;
// - gopher-lua v1.1.1 compiles a multiple assignment to locals of the same function so that each
//   value is written into its local as soon as it is computed (compileAssignStmtRight compiles
//   the expression straight into the local's register): `a, b = b, a` gives b, b. Such a
//   statement becomes one assignment after the other, each on its own line.
// - gopher's call stack holds 256 frames (CallStackSize): every function counts its frame on
//   entry (a to-be-closed local gives it back on any exit), a returned call `return f(x)` hands
//   its caller's frame over as gopher's tail call does, and the 257th frame raises `stack overflow`;
// - every function the chunk makes passes through a helper that remembers it, so that a pcall
//   that caught an error can detach the upvalues of the closures made so far from their locals,
//   as gopher-lua v1.1.1 does (its issue 448): `local function f` becomes `local f; f = …`,
//   `function a.b:c(x)` becomes `a.b.c = …(function(self, x)`, on the same lines;
// - a quoted string with a backslash is written again with the bytes gopher reads in it (`"\d"`
//   is "d", `"\x41"` is "x41", `"\256"` wraps to a byte), in escapes Lua 5.4 reads the same;
// - a zero constant takes the sign of the first zero constant of its function, as gopher's
//   constant table merges constants that compare equal (`local a = 0; local b = -0` gives b = 0):
//   the expression becomes `0.0` or `(-0.0)` (runtime/vm/gopher-constants.ts);
// - gopher's `pairs` gives the keys that are not array keys in the order they were first set,
//   which Lua 5.4 does not keep, and its length is the largest array key, which Lua's border
//   misses for keys set out of order: every store reports its key. `t.k = v` (a name, a constant
//   key) becomes `t.k = v; if (orders[t] or none).k == nil then stored(t, "k") end`, any other
//   single store `do local t_, k_ = t, k; t_[k_] = v; stored(t_, k_) end` (evaluated in the same
//   order); a store among several targets is reported after the statement when its table is a
//   name and its key a name or literal, `function a.b()` after its definition, and a table
//   constructor with keys passes them, in order, to a helper as one table
//   (`{a = 1, [k] = 2}` → `table({a = 1, [key(k)] = 2}, {"a", key})`, computed keys noted as
//   they are evaluated); a statement such an edit ends with a call is followed by `;` before a
//   statement that starts with "(";
// - an arithmetic operator becomes a call of a helper (`a * b` → `mul(a, b)`, `-x` → `unm(x)`): gopher stores the
//   result of two numbers through an allocator that gives +0 for -0, takes the operands'
//   metamethods only when they are functions, and words its own errors; an expression of
//   number literals is left as it is, since gopher's compiler folds it into a constant;
// The helpers arrive as parameters: the chunk becomes `return function(helpers…, ...) <chunk>
// end`, all on the chunk's own lines, so every line number stays and the chunk's `...` is
// unchanged. Parsed with luaparse (runtime/vm/lua-ast.ts); a chunk that does not parse is left
// alone (the VM reports a syntax error, runtime/vm/lua-hazards.ts says what gopher rejects).
import { gopherQuotedStrings } from "./gopher-syntax-error";
import { gopherLiteral, mayHoldZeroConstants, zeroConstantEdits } from "./gopher-constants";
import { childNodes, parseLua, type Node } from "./lua-ast";

/** The helper parameters, in the order runtime/vm/lua/nauthilus.lua passes them. Long names: a
 * filter's own global of the same name would be shadowed by them. */
export const CHUNK_HELPERS = [
  "__nauthilus_sdk_keep_frame", "__nauthilus_sdk_concat", "__nauthilus_sdk_for", "__nauthilus_sdk_len", "__nauthilus_sdk_concat_n",
  "__nauthilus_sdk_enter", "__nauthilus_sdk_tail", "__nauthilus_sdk_track", "__nauthilus_sdk_stored",
  "__nauthilus_sdk_table", "__nauthilus_sdk_key", "__nauthilus_sdk_add", "__nauthilus_sdk_sub", "__nauthilus_sdk_mul",
  "__nauthilus_sdk_div", "__nauthilus_sdk_mod", "__nauthilus_sdk_pow", "__nauthilus_sdk_unm", "__nauthilus_sdk_orders",
  "__nauthilus_sdk_none",
] as const;
const [KEEP_FRAME, CONCAT, FOR, LEN, CONCAT_N, ENTER, TAIL, TRACK, STORED, TABLE, KEY, ADD, SUB, MUL, DIV, MOD, POW, UNM, ORDERS, NONE] = CHUNK_HELPERS;
/** The helper of each arithmetic operator. */
const ARITHMETIC: Record<string, string> = { "+": ADD, "-": SUB, "*": MUL, "/": DIV, "%": MOD, "^": POW };
/** The table and key of a store, held for the record after it (a block's locals). */
const STORE_TABLE = "__nauthilus_sdk_t", STORE_KEY = "__nauthilus_sdk_k";
/** The first statement of every function: counts the frame while it is on the stack. */
const FRAME = ` local __nauthilus_sdk_frame <close> = ${ENTER}();`;
const OPEN = `return function(${CHUNK_HELPERS.join(", ")}, ...)${FRAME} `;
const CLOSE = "\nend";

const CALLS = new Set(["CallExpression", "StringCallExpression", "TableCallExpression"]);

/** Replace text[start, end) by `text`; an insertion has start === end. `order` sorts edits at one
 * offset: lower first in the output. */
type Edit = { start: number; end: number; text: string; order: number };

/** The rewritten chunk's bytes, or null when it does not parse (then it runs as it is). */
export function rewriteChunk(source: string | Buffer): Buffer | null {
  // One character per byte (a Lua source is bytes), so the parser's offsets are byte offsets.
  const original = (typeof source === "string" ? Buffer.from(source, "utf8") : source).toString("latin1");
  if (original.startsWith("#")) return null; // a shebang line: the loader skips it, nothing may precede it
  try {
    let gopherText = gopherStrings(original);
    let ast = parseLua(gopherText);
    if (mayHoldZeroConstants(gopherText)) {
      const zeros = zeroConstantEdits(ast).map((e) => ({ ...e, order: 0 }));
      if (zeros.length > 0) {
        gopherText = applyEdits(gopherText, zeros);
        ast = parseLua(gopherText);
      }
    }
    const text = applyEdits(gopherText, sequentialLocalAssignments(gopherText, ast));
    return Buffer.from(OPEN + applyEdits(text, chunkEdits(text, parseLua(text))) + CLOSE, "latin1");
  } catch {
    return null; // does not parse, or nests deeper than the parser's stack
  }
}

/** The chunk with every quoted string that has an escape written as the bytes gopher reads in
 * it: printable ASCII as it is, other bytes as \ddd, a line break that was an escaped line break
 * as one again (every line keeps its number). */
export function gopherStrings(text: string): string {
  if (!text.includes("\\")) return text;
  const edits: Edit[] = [];
  for (const { start, end, value } of gopherQuotedStrings(text)) {
    const literal = text.slice(start, end);
    if (!literal.includes("\\")) continue;
    let rawBreaks = (literal.match(/\n/g) ?? []).length;
    let out = '"';
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 10 && rawBreaks > 0) {
        out += "\\\n";
        rawBreaks--;
      } else if (c === 34 || c === 92) out += `\\${value[i]}`;
      else if (c >= 0x20 && c < 0x7f) out += value[i];
      else out += `\\${String(c).padStart(3, "0")}`;
    }
    if (rawBreaks !== 0) continue; // never expected: keep the literal rather than move lines
    edits.push({ start, end, text: `${out}"`, order: 0 });
  }
  return edits.length === 0 ? text : applyEdits(text, edits);
}

/** The edits in one pass, in order of their offsets (linear in the chunk's size). */
function applyEdits(text: string, edits: Edit[]): string {
  edits.sort((a, b) => a.start - b.start || a.order - b.order);
  const out: string[] = [];
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue; // never overlaps by construction; a safety net, not a rule
    out.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  out.push(text.slice(at));
  return out.join("");
}

function chunkEdits(text: string, ast: Node): Edit[] {
  const edits: Edit[] = [];
  const chained = new Set<Node>(); // `..` nodes that are part of an enclosing chain
  const callArguments = new Set<Node>(); // the table of `f{…}`
  // At one offset the text must read outer( inner( … ) inner ) outer: openings outer first,
  // closings inner first.
  const open = (at: number, piece: string, depth: number) => edits.push({ start: at, end: at, text: piece, order: depth });
  const close = (at: number, piece: string, depth: number) => edits.push({ start: at, end: at, text: piece, order: -depth });

  const visit = (n: Node, depth: number): void => {
    switch (n.type) {
      case "ReturnStatement": {
        const args = n.arguments as Node[];
        const only = args.length === 1 ? args[0] : undefined;
        if (only && CALLS.has(only.type)) { // `return (f())` too: already not a tail call, unchanged
          // TAIL gives this frame up before the call when the callee is the filter's own Lua
          // function (gopher's OP_TAILCALL reuses it; a Go function gets a frame of its own),
          // KEEP_FRAME takes it back after it.
          open(only.range![0], `${KEEP_FRAME}(${TAIL}(${calleeText(text, only.base as Node) ?? ""}), `, depth);
          close(only.range![1], ")", depth);
        } else if (only && !isFoldedConstant(only) && ((only.type === "BinaryExpression" && (only.operator === ".." || String(only.operator) in ARITHMETIC)) || (only.type === "UnaryExpression" && (only.operator === "#" || only.operator === "-")))) {
          // The concatenation, arithmetic or length becomes a call: in parentheses it is no tail
          // call, so its error keeps this function's line.
          open(only.range![0], "(", depth);
          close(only.range![1], ")", depth);
        }
        break;
      }
      case "BinaryExpression":
        if (String(n.operator) in ARITHMETIC && !isFoldedConstant(n)) {
          const left = n.left as Node, right = n.right as Node;
          const at = charOffset(text, left.range![1], right.range![0], String(n.operator));
          if (at >= 0) {
            const [start, end] = n.range!;
            open(start, `${ARITHMETIC[String(n.operator)]}(`, depth);
            edits.push({ start: at, end: at + 1, text: ",", order: 0 });
            close(end, ")", depth);
          }
        }
        if (n.operator === ".." && !chained.has(n)) {
          // The chain's operands: right operands that are `..` themselves belong to it unless
          // they are in parentheses (then they are a chain of their own, an argument here).
          const operands: Node[] = [];
          const operators: number[] = [];
          let node: Node = n;
          for (;;) {
            const left = node.left as Node, right = node.right as Node;
            const gap = text.slice(left.range![1], right.range![0]);
            const dots = operatorOffset(gap);
            if (dots < 0) break; // not found: leave the operator to the VM (never seen)
            operands.push(left);
            operators.push(left.range![1] + dots);
            if (right.type === "BinaryExpression" && right.operator === ".." && !opensParenthesis(gap.slice(dots + 2))) {
              chained.add(right);
              node = right;
              continue;
            }
            operands.push(right);
            break;
          }
          if (operands.length >= 2) {
            // luaparse's range of a binary expression covers its operands' parentheses and not
            // its own, so the call goes exactly around it.
            const [start, end] = n.range!;
            open(start, `${operands.length === 2 ? CONCAT : CONCAT_N}(`, depth);
            for (const at of operators) edits.push({ start: at, end: at + 2, text: ",", order: 0 });
            close(end, ")", depth);
          }
        }
        break;
      case "UnaryExpression":
        if (n.operator === "-" && !isFoldedConstant(n)) {
          const [start, end] = n.range!;
          open(start, `${UNM}(`, depth);
          edits.push({ start, end: start + 1, text: "", order: Number.MAX_SAFE_INTEGER }); // the "-"
          close(end, ")", depth);
        }
        if (n.operator === "#") {
          const [start, end] = n.range!;
          open(start, `${LEN}(`, depth);
          edits.push({ start, end: start + 1, text: "", order: Number.MAX_SAFE_INTEGER }); // the "#"
          close(end, ")", depth);
        }
        break;
      case "ForNumericStatement":
        for (const [part, what] of [[n.start, "init"], [n.end, "limit"], [n.step, "step"]] as Array<[Node | null, string]>) {
          // A step of 0 (literal or not) goes through the helper too: Lua 5.4 refuses it.
          if (part && (part.type !== "NumericLiteral" || (what === "step" && Number(part.value) === 0))) {
            // Between the statement and the part (depth + 1), so the part's own call nests inside.
            open(part.range![0], `${FOR}(`, depth + 0.5);
            close(part.range![1], `, "${what}")`, depth + 0.5);
          }
        }
        break;
      case "FunctionDeclaration": {
        const at = bodyStart(text, n);
        if (at !== null) edits.push({ start: at, end: at, text: FRAME, order: -Number.MAX_SAFE_INTEGER });
        const head = trackedHead(text, n);
        if (head !== null) {
          const [start, end] = n.range!;
          edits.push({ start, end: head.end, text: head.text, order: 0 });
          if (head.self !== null) edits.push({ start: head.self, end: head.self, text: head.selfText, order: 0 });
          close(end, `)${head.stored === null ? "" : `; ${STORED}(${head.stored})`}`, depth);
        }
        break;
      }
      case "AssignmentStatement":
        storeEdits(text, n, depth, edits);
        break;
      case "TableConstructorExpression":
        tableEdits(text, n, depth, edits, callArguments.has(n));
        break;
      case "TableCallExpression":
        callArguments.add(n.arguments as Node);
        break;
      case "NumericLiteral": {
        const replacement = gopherLiteral(String(n.raw), Number(n.value));
        // After any opening at the same offset (a replacement ends the edits at its start).
        if (replacement !== null) edits.push({ start: n.range![0], end: n.range![1], text: replacement, order: Number.MAX_SAFE_INTEGER });
        break;
      }
    }
    // A statement the rewrite may end with a call (`t(…)`, `stored(…)`) is followed by `;` where
    // the next statement starts with "(": Lua would read the two as one call.
    if (Array.isArray(n.body)) {
      for (const statement of n.body as Node[]) {
        if (statement.type === "ReturnStatement") continue;
        const at = statement.range![1];
        if (text[skipBlank(text, at)] === "(") edits.push({ start: at, end: at, text: ";", order: 0 });
      }
    }
    for (const child of childNodes(n)) visit(child, depth + 1);
  };
  visit(ast, 0);
  return edits;
}

/** The called function as an expression that can be evaluated again without effects (a name,
 * or fields of names: `f`, `t.f`, `obj.m` for `obj:m(...)`, `t[k]` with a name or literal k),
 * or null. */
function calleeText(text: string, base: Node): string | null {
  const simple = (n: Node): boolean =>
    n.type === "Identifier" ||
    (n.type === "MemberExpression" && simple(n.base as Node)) ||
    (n.type === "IndexExpression" && simple(n.base as Node) && ["Identifier", "StringLiteral", "NumericLiteral"].includes((n.index as Node).type));
  if (!simple(base)) return null;
  if (base.type === "MemberExpression" && base.indexer === ":") {
    const object = base.base as Node;
    return `${text.slice(object.range![0], object.range![1])}.${(base.identifier as Node).name}`;
  }
  return text.slice(base.range![0], base.range![1]);
}

/** How a function's head is rewritten so that the function passes through TRACK: the text
 * replacing [range start, end) (`function`, `local function f`, `function a.b:c`), and for a
 * method the offset after "(" where `self` goes. Null when the head is not where expected. */
function trackedHead(text: string, fn: Node): { end: number; text: string; self: number | null; selfText: string; stored: string | null } | null {
  const id = fn.identifier as Node | null | undefined;
  const start = fn.range![0];
  if (!id) {
    if (!text.startsWith("function", start)) return null;
    return { end: start + "function".length, text: `${TRACK}(function`, self: null, selfText: "", stored: null };
  }
  const name = text.slice(id.range![0], id.range![1]);
  if (fn.isLocal) {
    if (id.type !== "Identifier") return null;
    return { end: id.range![1], text: `local ${name}; ${name} = ${TRACK}(function`, self: null, selfText: "", stored: null };
  }
  // `function a.f()` stores into a, read again for the record; a chain `a.b.f` is not (it would
  // call a's __index again): its key is not recorded.
  const stored = id.type === "MemberExpression" && (id.base as Node).type === "Identifier"
    ? `${(id.base as Node).name}, "${(id.identifier as Node).name}"`
    : null;
  if (id.type === "MemberExpression" && id.indexer === ":") {
    const open = skipBlank(text, id.range![1]);
    if (text[open] !== "(") return null;
    const object = id.base as Node;
    const target = `${text.slice(object.range![0], object.range![1])}.${(id.identifier as Node).name}`;
    const hasParams = (fn.parameters as Node[]).length > 0;
    return { end: id.range![1], text: `${target} = ${TRACK}(function`, self: open + 1, selfText: hasParams ? "self, " : "self", stored };
  }
  return { end: id.range![1], text: `${name} = ${TRACK}(function`, self: null, selfText: "", stored };
}

/** An expression gopher's compiler folds into one number constant (constFold: number literals
 * joined by arithmetic operators and unary minus, parentheses aside). */
function isFoldedConstant(n: Node): boolean {
  if (n.type === "NumericLiteral") return true;
  if (n.type === "UnaryExpression") return n.operator === "-" && isFoldedConstant(n.argument as Node);
  if (n.type === "BinaryExpression") return String(n.operator) in ARITHMETIC && isFoldedConstant(n.left as Node) && isFoldedConstant(n.right as Node);
  return false;
}


/** `text` with as many line breaks after it as `replaced` had, so later lines keep their numbers. */
function keepingBreaks(replaced: string, text: string): string {
  return text + "\n".repeat((replaced.match(/\n/g) ?? []).length);
}

/** The offset of the first `char` in text[from, to) outside comments, or -1. */
function charOffset(text: string, from: number, to: number, char: string): number {
  for (let i = from; i < to; i++) {
    if (text.startsWith("--", i)) {
      const long = /^--\[(=*)\[/.exec(text.slice(i, i + 64));
      const endAt = long ? text.indexOf(`]${long[1]}]`, i) : text.indexOf("\n", i);
      if (endAt < 0 || endAt >= to) return -1;
      i = endAt;
    } else if (text[i] === char) return i;
  }
  return -1;
}

/** A field of a name with a name or literal key (`t.x`, `t[k]`, `t["x"]`): its table and key are
 * read again without effects (a chain `a.b.x` would call a's __index again). */
function isSimple(n: Node): boolean {
  const plain = (e: Node) => e.type === "Identifier" || e.type === "StringLiteral" || e.type === "NumericLiteral";
  if (n.type === "MemberExpression") return n.indexer === "." && (n.base as Node).type === "Identifier";
  if (n.type === "IndexExpression") return (n.base as Node).type === "Identifier" && plain(n.index as Node);
  return false;
}

/** The edits that report the stores of an assignment statement (gopher's key order). */
function storeEdits(text: string, n: Node, depth: number, edits: Edit[]): void {
  const vars = n.variables as Node[];
  const values = n.init as Node[];
  const slice = (a: number, b: number) => text.slice(a, b);
  const targets = vars.filter((v) => v.type === "MemberExpression" || v.type === "IndexExpression");
  if (targets.length === 0) return;
  const [start, end] = n.range!;
  if (vars.length === 1 && values.length === 1) {
    const v = vars[0];
    const base = v.base as Node;
    // `t.k = v` and `t["k"] = v` with t a name: the name is read again for the record (it is what
    // the store used, even when `v` assigned it), no locals needed.
    const constantKey = v.type === "MemberExpression" ? `"${(v.identifier as Node).name}"`
      : ["StringLiteral", "NumericLiteral"].includes((v.index as Node).type) && !text.slice((v.index as Node).range![0], (v.index as Node).range![1]).includes("\n")
        ? text.slice((v.index as Node).range![0], (v.index as Node).range![1]) : null;
    if (base.type === "Identifier" && constantKey !== null) {
      // A key already recorded for this table (a field set again, as in a loop) needs no call.
      edits.push({ start: end, end, text: `; if (${ORDERS}[${base.name}] or ${NONE})[${constantKey}] == nil then ${STORED}(${base.name}, ${constantKey}) end`, order: -depth });
      return;
    }
    const pieces: Edit[] = [];
    if (v.type === "MemberExpression") {
      const dot = charOffset(text, base.range![1], v.range![1], ".");
      if (dot < 0) return;
      const id = v.identifier as Node;
      pieces.push({ start: dot, end: id.range![1], text: keepingBreaks(slice(dot, id.range![1]), `, "${id.name}"`), order: 0 });
    } else {
      const key = v.index as Node;
      const open = charOffset(text, base.range![1], key.range![0], "[");
      const close = v.range![1] - 1;
      if (open < 0 || text[close] !== "]") return;
      pieces.push({ start: open, end: open + 1, text: ", ", order: 0 }, { start: close, end: close + 1, text: "", order: 0 });
    }
    const equals = charOffset(text, v.range![1], values[0].range![0], "=");
    if (equals < 0) return;
    pieces.push({ start: equals, end: equals + 1, text: `; ${STORE_TABLE}[${STORE_KEY}] =`, order: 0 });
    edits.push(...pieces);
    edits.push({ start, end: start, text: `do local ${STORE_TABLE}, ${STORE_KEY} = `, order: depth });
    edits.push({ start: end, end, text: `; ${STORED}(${STORE_TABLE}, ${STORE_KEY}) end`, order: -depth });
    return;
  }
  // Several targets: each store is reported after the statement, when it can be named again;
  // gopher assigns them from the last to the first (observed on gopher-lua v1.1.1).
  const reports = targets.filter((v) => isSimple(v)).reverse().map((v) => {
    const base = v.base as Node;
    const key = v.type === "MemberExpression" ? `"${(v.identifier as Node).name}"` : slice((v.index as Node).range![0], (v.index as Node).range![1]);
    return `${STORED}(${slice(base.range![0], base.range![1])}, ${key})`;
  });
  if (reports.length > 0) edits.push({ start: end, end, text: `; ${reports.join("; ")}`, order: -depth });
}

/** The edits that report a table constructor's keys, in source order. */
function tableEdits(text: string, n: Node, depth: number, edits: Edit[], callArgument: boolean): void {
  const fields = n.fields as Node[];
  const keys: string[] = [];
  for (const f of fields) {
    if (f.type === "TableKeyString") keys.push(`"${(f.key as Node).name}"`);
    else if (f.type === "TableKey") {
      const key = f.key as Node;
      const literal = text.slice(key.range![0], key.range![1]);
      // An array key is passed too: past the border it counts for gopher's length.
      if ((key.type === "StringLiteral" || key.type === "NumericLiteral") && !literal.includes("\n")) keys.push(literal);
      else {
        keys.push(KEY);
        edits.push({ start: key.range![0], end: key.range![0], text: `${KEY}(`, order: depth + 1 });
        edits.push({ start: key.range![1], end: key.range![1], text: ")", order: -(depth + 1) });
      }
    }
  }
  if (keys.length === 0) return;
  // The keys as a table (a constructor takes any number of them; arguments are registers), and
  // for `f{…}` the call's parentheses.
  const [start, end] = n.range!;
  edits.push({ start, end: start, text: `${callArgument ? "(" : ""}${TABLE}(`, order: depth });
  edits.push({ start: end, end, text: `, {${keys.join(", ")}})${callArgument ? ")" : ""}`, order: -depth });
}

/** Past whitespace and comments from `i`. */
function skipBlank(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (!text.startsWith("--", i)) return i;
    const long = /^--\[(=*)\[/.exec(text.slice(i, i + 64));
    const endAt = long ? text.indexOf(`]${long[1]}]`, i) : text.indexOf("\n", i);
    if (endAt < 0) return text.length;
    i = long ? endAt + long[1].length + 2 : endAt;
  }
}

/** The offset just past the ")" of a function's parameter list, or null when not where expected. */
function bodyStart(text: string, fn: Node): number | null {
  const params = fn.parameters as Node[];
  let i: number;
  if (params.length > 0) {
    i = skipBlank(text, params[params.length - 1].range![1]);
  } else {
    const id = fn.identifier as Node | null | undefined;
    i = id ? id.range![1] : fn.range![0] + "function".length; // an anonymous function starts with it
    i = skipBlank(text, i);
    if (text[i] !== "(") return null;
    i = skipBlank(text, i + 1);
  }
  return text[i] === ")" ? i + 1 : null;
}

/** Whether text between an operator and its operand opens a parenthesis (comments skipped). */
function opensParenthesis(gap: string): boolean {
  for (let i = 0; i < gap.length; i++) {
    if (gap.startsWith("--", i)) {
      const long = /^--\[(=*)\[/.exec(gap.slice(i));
      const endAt = long ? gap.indexOf(`]${long[1]}]`, i) : gap.indexOf("\n", i);
      if (endAt < 0) return false;
      i = endAt;
    } else if (gap[i] === "(") return true;
  }
  return false;
}

/** Where ".." is in the text between two operands (skipping comments and closing parentheses). */
function operatorOffset(gap: string): number {
  for (let i = 0; i < gap.length; i++) {
    if (gap.startsWith("--", i)) {
      const long = /^--\[(=*)\[/.exec(gap.slice(i));
      const endAt = long ? gap.indexOf(`]${long[1]}]`, i) : gap.indexOf("\n", i);
      if (endAt < 0) return -1;
      i = endAt;
    } else if (gap.startsWith("..", i)) return i;
  }
  return -1;
}

const VALUE_OF_CALL = new Set([...CALLS, "VarargLiteral"]);
/** A local that holds a value no variable receives, for one statement. */
const DISCARD = "__nauthilus_sdk_discard";

/** `a, b = e1, e2` with a and b locals of the function it is in (not upvalues) becomes
 * `a = e1; b = e2`, each value on the line it was on, so that error positions and every later line
 * keep their numbers. gopher compiles each value straight into its local, calls and `...`
 * included: a call or `...` that is the last value and has more locals left fills them
 * (`a, b, c = x, f()` → `a = x; b, c = f()`), locals without a value get nil, and values
 * without a local are still evaluated, in order (observed on gopher-lua v1.1.1). */
function sequentialLocalAssignments(text: string, ast: Node): Edit[] {
  const edits: Edit[] = [];
  const lineBreaks = (s: string) => (s.match(/\n/g) ?? []).length;
  const visit = (n: Node, locals: Set<string>): void => {
    switch (n.type) {
      case "FunctionDeclaration": {
        const id = n.identifier as Node | null | undefined;
        if (n.isLocal && id?.type === "Identifier") locals.add(String(id.name));
        // A new function: the enclosing function's locals are upvalues here.
        const inner = new Set((n.parameters as Node[]).filter((p) => p.type === "Identifier").map((p) => String(p.name)));
        if (id?.type === "MemberExpression" && id.indexer === ":") inner.add("self");
        for (const statement of n.body as Node[]) visit(statement, inner);
        return;
      }
      case "LocalStatement":
        for (const value of n.init as Node[]) visit(value, locals);
        for (const v of n.variables as Node[]) locals.add(String(v.name));
        return;
      case "ForNumericStatement":
        locals.add(String((n.variable as Node).name));
        break;
      case "ForGenericStatement":
        for (const v of n.variables as Node[]) locals.add(String(v.name));
        break;
      case "AssignmentStatement": {
        const vars = n.variables as Node[];
        const values = n.init as Node[];
        const allLocal = vars.every((v) => v.type === "Identifier" && locals.has(String(v.name)));
        if ((vars.length >= 2 || values.length > vars.length) && allLocal) {
          const [start, end] = n.range!;
          let line = 0; // line breaks written so far, counted from the statement's start
          let piece = "";
          const statements: string[] = [];
          const at = (value: Node | undefined) => {
            if (!value) return;
            const wanted = lineBreaks(text.slice(start, value.range![0]));
            if (wanted > line) {
              piece += "\n".repeat(wanted - line);
              line = wanted;
            }
          };
          const emit = (statement: string) => {
            piece += `${statements.length > 0 ? "; " : ""}${statement}`;
            statements.push(statement);
            line += lineBreaks(statement);
          };
          // luaparse's range of a value leaves out its own parentheses, which cut a call or `...`
          // to one value: such a value is written back in parentheses.
          const inParens = (i: number) => {
            const from = i === 0 ? vars[vars.length - 1].range![1] : values[i - 1].range![1];
            return opensParenthesis(text.slice(from, values[i].range![0]));
          };
          const source = (value: Node) => {
            const i = values.indexOf(value);
            const bare = text.slice(value.range![0], value.range![1]);
            return VALUE_OF_CALL.has(value.type) && inParens(i) ? `(${bare})` : bare;
          };
          const lastMulti = values.length > 0 && VALUE_OF_CALL.has(values[values.length - 1].type) && !inParens(values.length - 1);
          for (let i = 0; i < vars.length; i++) {
            const value = values[i];
            if (value && i === values.length - 1 && lastMulti && vars.length > values.length) {
              at(value);
              emit(`${vars.slice(i).map((v) => v.name).join(", ")} = ${source(value)}`);
              break;
            }
            at(value);
            emit(`${vars[i].name} = ${value ? source(value) : "nil"}`);
          }
          for (const extra of values.slice(vars.length)) {
            at(extra);
            emit(`do local ${DISCARD} = ${source(extra)} end`);
          }
          piece += "\n".repeat(Math.max(0, lineBreaks(text.slice(start, end)) - line));
          edits.push({ start, end, text: piece, order: 0 });
        }
        break;
      }
    }
    for (const child of childNodes(n)) visit(child, locals);
  };
  visit(ast, new Set());
  return edits;
}
