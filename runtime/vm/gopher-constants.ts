// How gopher-lua v1.1.1's compiler reads number literals and keeps number constants, for the chunk
// rewrite (runtime/vm/chunk-rewrite.ts):
// - a literal is read as its lexer and parseNumber read it (gopherLiteral, gopherNumber);
// - a function's constant table (funcContext.ConstIndex in compile.go) holds one entry per value
//   that compares equal with Go's ==, and -0 == 0: the first zero constant a function registers
//   gives its sign to every later zero constant of that function (zeroConstantEdits).
// Which expressions register a constant, and in which order, is compile.go's: constFold folds a
// unary minus of a constant and an arithmetic operator (+ - * / % ^) between two constants into one
// constant (parentheses are no node in gopher's tree); a bare number literal as a condition of
// if/elseif/while/until registers nothing when nothing follows it (compileBranchCondition), nor as
// an operand of and/or whose truth only decides a jump (compileLogicalOpExprAux: `0 and x`); each
// function, nested ones included, has its own table. Observed on gopher-lua v1.1.1
// (test/runtime/fidelity.test.ts, "was D36").
import { childNodes, type Node } from "./lua-ast";

/** A numeric literal as gopher's lexer reads it (compile.go: one leading "0" dropped, then Go's
 * ParseInt base 0, then ParseFloat; an error is NaN), as a Lua 5.4 float literal; null when
 * Lua 5.4 already reads it the same (it has a "." or an exponent and is finite). */
export function gopherLiteral(raw: string, value: number): string | null {
  if (value === Infinity) return NAN; // beyond the float range: ParseFloat's error
  if (/^0[xX][0-9a-fA-F]+$/.test(raw)) return BigInt(raw) > 0x7fffffffffffffffn ? NAN : `${raw}p0`;
  if (!/^\d+$/.test(raw)) return null;
  let digits = raw.length > 1 && raw.startsWith("0") ? raw.slice(1) : raw;
  if (digits.length > 1 && digits.startsWith("0") && /^[0-7]+$/.test(digits)) {
    const octal = BigInt(`0o${digits.slice(1)}`);
    return octal > 0x7fffffffffffffffn ? NAN : `${Number(octal)}.0`;
  }
  digits = digits.replace(/^0+(?=\d)/, "");
  return `${digits}.0`;
}
const NAN = "(0.0/0.0)";

/** The value gopher gives a numeric literal (luaparse's `raw` and `value`). */
export function gopherNumber(raw: string, value: number): number {
  const literal = gopherLiteral(raw, value);
  if (literal === null) return value;
  if (literal === NAN) return NaN;
  if (literal.endsWith("p0")) return Number(BigInt(raw));
  return Number(literal);
}

/** gopher's constFold of an arithmetic operator (compile.go; luaModulo in vm.go; Go's math.Pow). */
const FOLD: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "%": (a, b) => {
    let v = a % b; // Go's math.Mod: the sign of a, NaN for b = 0 or a infinite
    if ((b > 0 && v < 0) || (b < 0 && v > 0)) v += b;
    return v;
  },
  // Go's math.Pow: 1 to any power and -1 to an infinite power are 1 (JavaScript: NaN).
  "^": (a, b) => (a === 1 || (a === -1 && !Number.isFinite(b) && !Number.isNaN(b)) ? 1 : Math.pow(a, b)),
};

/** Whether the chunk may hold a zero constant: a zero-valued number literal (`0`, `0.0`, `0x0`,
 * `1e-400`), or two literals joined by an arithmetic operator (`1 - 1`, `(-4) % 2`), which
 * constFold may fold to a zero. Strings and comments may match too; that only costs the walk. */
export function mayHoldZeroConstants(text: string): boolean {
  const literal = /(?<![\w.])(?:0[xX][0-9a-fA-F]*|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d*)?)/g;
  // Blanks, comments and parentheses between the literals, a unary minus before the second (a
  // long comment's closing bracket is found by its group's back-reference).
  const gap = (group: number, more: string) => `(?:\\s|--\\[(=*)\\[[\\s\\S]*?\\]\\${group}\\]|--[^\\n]*|${more})*`;
  const arithmeticOnLiteral = new RegExp(`${gap(1, "\\)")}[-+*/%^]${gap(2, "\\(|-")}\\.?\\d`, "y");
  for (let m = literal.exec(text); m !== null; m = literal.exec(text)) {
    const raw = m[0];
    if (/^0[xX]0*$/.test(raw) || /^[0.]*(?:[eE]|$)/.test(raw) || Number(raw) === 0) return true;
    arithmeticOnLiteral.lastIndex = literal.lastIndex;
    if (arithmeticOnLiteral.test(text)) return true;
  }
  return false;
}

/** A replacement of text[start, end). */
export type TextEdit = { start: number; end: number; text: string };

/** The edits that give every zero constant of a function the sign of the first zero constant
 * that function registers in gopher's compile order: the expression that folds to the other zero
 * becomes `0.0` or `(-0.0)` (Lua 5.4 folds no zero: `-0.0` is negated when it runs). */
export function zeroConstantEdits(ast: Node): TextEdit[] {
  const edits: TextEdit[] = [];
  const folds = new Map<Node, number | null>();
  type Scope = { sign: number }; // 0 before the function's first zero constant, else its sign

  /** The constant gopher's constFold makes of the expression, or null. */
  const folded = (n: Node): number | null => {
    let v = folds.get(n);
    if (v !== undefined) return v;
    v = null;
    if (n.type === "NumericLiteral") v = gopherNumber(String(n.raw), Number(n.value));
    else if (n.type === "UnaryExpression" && n.operator === "-") {
      const a = folded(n.argument as Node);
      v = a === null ? null : -a;
    } else if (n.type === "BinaryExpression" && FOLD[String(n.operator)]) {
      const a = folded(n.left as Node);
      const b = a === null ? null : folded(n.right as Node);
      v = a === null || b === null ? null : FOLD[String(n.operator)](a, b);
    }
    folds.set(n, v);
    return v;
  };

  /** A constant registered in the function's table (ConstIndex). */
  const register = (n: Node, value: number, scope: Scope) => {
    if (value !== 0) return; // other numbers equal with == are the same number; NaN equals none
    const sign = Object.is(value, -0) ? -1 : 1;
    if (scope.sign === 0) scope.sign = sign;
    else if (sign !== scope.sign) edits.push({ start: n.range![0], end: n.range![1], text: scope.sign < 0 ? "(-0.0)" : "0.0" });
  };

  const body = (statements: Node[], scope: Scope) => {
    for (const s of statements) visit(s, scope);
  };

  /** A condition of if, elseif, while or until (compileBranchCondition); `rest`: another
   * condition follows in the same jump chain (its hasnextcond). */
  const condition = (n: Node, rest: boolean, scope: Scope): void => {
    if (n.type === "NumericLiteral") {
      if (rest) visit(n, scope);
    } else if (n.type === "UnaryExpression" && n.operator === "not") {
      condition(n.argument as Node, !rest, scope);
    } else if (n.type === "LogicalExpression") {
      condition(n.left as Node, n.operator === "or", scope);
      condition(n.right as Node, rest, scope);
    } else visit(n, scope);
  };

  /** An operand of and/or whose value is taken (compileLogicalOpExprAux); `kept`: its value can be
   * the result (the jump when it is true leads to the end). */
  const logical = (n: Node, kept: boolean, scope: Scope): void => {
    if (n.type === "NumericLiteral") {
      if (kept) visit(n, scope);
    } else if (n.type === "LogicalExpression") {
      logical(n.left as Node, n.operator === "and" ? false : kept, scope);
      logical(n.right as Node, kept, scope);
    } else visit(n, scope);
  };

  const visit = (n: Node, scope: Scope): void => {
    switch (n.type) {
      case "FunctionDeclaration":
        body(n.body as Node[], { sign: 0 }); // its own constant table; its name and parameters hold none
        return;
      case "NumericLiteral":
      case "UnaryExpression":
      case "BinaryExpression": {
        const value = folded(n);
        if (value !== null) {
          register(n, value, scope);
          return;
        }
        break;
      }
      case "LogicalExpression":
        logical(n, true, scope);
        return;
      case "IfClause":
      case "ElseifClause":
      case "WhileStatement":
        condition(n.condition as Node, false, scope);
        body(n.body as Node[], scope);
        return;
      case "RepeatStatement": // luaparse lists the condition first
        body(n.body as Node[], scope);
        condition(n.condition as Node, false, scope);
        return;
    }
    for (const child of childNodes(n)) visit(child, scope);
  };
  visit(ast, { sign: 0 });
  return edits;
}
