// Each filter chunk is rewritten once, before it is compiled, where gopher-lua's Lua 5.1 differs
// from Lua 5.4 in ways no library function can repair (docs/fidelity.md):
// - numbers are float64: integer literals become float literals (`10` → `10.0`, `0x10` →
//   `0x10p0`), so `9007199254740993` rounds, `-0` is negative zero and `%` by zero is NaN;
// - `..` formats numbers as gopher does (`x .. 10/2` is `x5`): each operand goes through a
//   helper that turns a number into gopher's text and leaves anything else alone, so `..` itself
//   (metamethods, errors, positions) still runs in the filter's code;
// - a numeric `for` takes numbers only (`for statement init must be a number`);
// - a function called in a tail call keeps its caller's frame when it is a Go function
//   (OP_TAILCALL): `return f(...)` becomes a non-tail call, so host and library errors name the
//   call site and its line;
// - gopher-lua v1.1.1 compiles a multiple assignment to locals of the same function so that each
//   value is written into its local as soon as it is computed (compileAssignStmtRight compiles
//   the expression straight into the local's register): `a, b = b, a` gives b, b. Such a
//   statement becomes one assignment after the other (a first pass, on the original text).
// The helpers arrive as parameters: the chunk becomes `return function(helpers…, ...) <chunk>
// end`, all on the chunk's own lines, so every line number stays and the chunk's `...` is
// unchanged. Parsed with luaparse (a real Lua parser: strings, comments and long brackets are no
// guess); a chunk that does not parse is left alone and the VM reports its syntax error.
import { parse, type Node } from "luaparse";

/** The helper parameters, in the order runtime/lua/nauthilus.lua passes them. */
export const CHUNK_HELPERS = ["__nf_keep_frame", "__nf_text", "__nf_for"] as const;
const [KEEP_FRAME, TEXT, FOR] = CHUNK_HELPERS;
const OPEN = `return function(${CHUNK_HELPERS.join(", ")}, ...) `;
const CLOSE = "\nend";

const CALLS = new Set(["CallExpression", "StringCallExpression", "TableCallExpression"]);

type Insertion = { at: number; text: string; order: number };

/** The rewritten chunk's bytes, or null when it does not parse (then it runs as it is). */
export function rewriteChunk(source: string): Buffer | null {
  // One character per byte (a Lua source is bytes), so the parser's offsets are byte offsets.
  const original = Buffer.from(source, "utf8").toString("latin1");
  if (original.startsWith("#")) return null; // a shebang line: the loader skips it, nothing may precede it
  let text: string;
  let ast: Node;
  try {
    text = sequentialLocalAssignments(original, parseLua(original));
    ast = parseLua(text);
  } catch {
    return null;
  }
  const insertions: Insertion[] = [];
  // At one offset the text must read outer( inner( … ) inner ) outer, a literal's suffix first
  // of all: insertions with a lower `order` are applied first and so end up later in the text.
  const wrap = (node: Node, fn: string, depth: number, extra = "") => {
    const [start, end] = node.range!;
    insertions.push({ at: start, text: `${fn}(`, order: -depth }, { at: end, text: `${literalSuffix(node)}${extra})`, order: depth });
  };
  const wrapped = new Set<Node>();

  const visit = (node: unknown, depth: number): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, depth);
      return;
    }
    if (node === null || typeof node !== "object" || typeof (node as Node).type !== "string") return;
    const n = node as Node;
    switch (n.type) {
      case "ReturnStatement": {
        const args = n.arguments as Node[];
        const only = args.length === 1 ? args[0] : undefined;
        if (only && CALLS.has(only.type) && !only.inParens) wrap(only, KEEP_FRAME, depth);
        break;
      }
      case "BinaryExpression":
        if (n.operator === "..") {
          for (const side of [n.left, n.right] as Node[]) {
            const concatenation = side.type === "BinaryExpression" && side.operator === ".." && !side.inParens;
            if (!concatenation && side.type !== "StringLiteral") {
              wrap(side, TEXT, depth + 1);
              wrapped.add(side);
            }
          }
        }
        break;
      case "ForNumericStatement":
        for (const [part, what] of [[n.start, "init"], [n.end, "limit"], [n.step, "step"]] as Array<[Node | null, string]>) {
          if (part && part.type !== "NumericLiteral") {
            wrap(part, FOR, depth + 1, `, "${what}"`);
            wrapped.add(part);
          }
        }
        break;
      case "NumericLiteral":
        if (!wrapped.has(n)) {
          const suffix = literalSuffix(n);
          if (suffix) insertions.push({ at: n.range![1], text: suffix, order: Number.MAX_SAFE_INTEGER });
        }
        // gopher's lexer turns a literal beyond the float range into NaN (ParseFloat's error
        // value), Lua 5.4's into inf: NaN plus 0 times the literal is NaN whatever surrounds it.
        if (n.value === Infinity) {
          insertions.push({ at: n.range![0], text: "((0.0/0.0)+0*", order: -Number.MAX_SAFE_INTEGER }, { at: n.range![1], text: ")", order: Number.MAX_SAFE_INTEGER - 1 });
        }
        break;
    }
    for (const key of Object.keys(n)) if (key !== "range") visit(n[key], depth + 1);
  };
  visit(ast, 0);

  // From the end backwards, so that the offsets still to apply stay valid; at one offset the
  // insertion that must come first in the text is applied last.
  insertions.sort((a, b) => b.at - a.at || a.order - b.order);
  let out = text;
  for (const { at, text: piece } of insertions) out = out.slice(0, at) + piece + out.slice(at);
  return Buffer.from(OPEN + out + CLOSE, "latin1");
}

function parseLua(text: string): Node {
  return parse(text, { luaVersion: "5.1", ranges: true, comments: false, scope: false, locations: false, encodingMode: "pseudo-latin1" });
}

const VALUE_OF_CALL = new Set([...CALLS, "VarargLiteral"]);

/** `a, b = e1, e2` with a and b locals of the function it is in (not upvalues) and no call or
 * `...` among the values becomes `a = e1; b = e2`, padded with the statement's own line breaks
 * so that every later line keeps its number. Calls and `...` keep Lua 5.4's order (the runtime
 * reports those statements as hazards instead, runtime/lua-hazards.ts). */
function sequentialLocalAssignments(text: string, ast: Node): string {
  const replacements: Array<[number, number, string]> = [];
  const visit = (node: unknown, locals: Set<string>): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, locals);
      return;
    }
    if (node === null || typeof node !== "object" || typeof (node as Node).type !== "string") return;
    const n = node as Node;
    switch (n.type) {
      case "FunctionDeclaration":
      case "FunctionExpression": {
        const id = n.identifier as Node | null | undefined;
        if (n.isLocal && id?.type === "Identifier") locals.add(String(id.name));
        // A new function: the enclosing function's locals are upvalues here.
        const inner = new Set((n.parameters as Node[]).filter((p) => p.type === "Identifier").map((p) => String(p.name)));
        if (id?.type === "MemberExpression" && id.indexer === ":") inner.add("self");
        visit(n.body, inner);
        return;
      }
      case "LocalStatement":
        visit(n.init, locals);
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
        if (vars.length >= 2 && values.length === vars.length && allLocal && !values.some((v) => VALUE_OF_CALL.has(v.type))) {
          const [start, end] = n.range!;
          const statement = text.slice(start, end);
          const pieces = vars.map((v, i) => `${v.name} = ${text.slice(values[i].range![0], values[i].range![1])}`).join("; ");
          const breaks = (statement.match(/\n/g) ?? []).length - (pieces.match(/\n/g) ?? []).length;
          replacements.push([start, end, pieces + "\n".repeat(Math.max(0, breaks))]);
        }
        break;
      }
    }
    for (const key of Object.keys(n)) if (key !== "range") visit(n[key], locals);
  };
  visit(ast, new Set());
  let out = text;
  for (const [start, end, piece] of replacements.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + piece + out.slice(end);
  return out;
}

/** What makes an integer literal a float literal in Lua 5.4 ("" when it already is one). */
function literalSuffix(node: Node): string {
  if (node.type !== "NumericLiteral" || node.value === Infinity) return ""; // NaN arithmetic makes it a float
  const raw = String(node.raw);
  if (/^\d+$/.test(raw)) return ".0";
  if (/^0[xX][0-9a-fA-F]+$/.test(raw)) return "p0";
  return "";
}
