// An array's length and slots as JavaScript's, in the filter's own code (build/lualib-arrays.ts
// does the same in the lualib). gopher's `#` is the largest index holding a value; JavaScript's
// length also counts undefined elements at the end, which the operations making them record
// (__NF_array_lengths). ipairs stops at the first nil; JavaScript's for…of visits a hole as
// undefined. So: `.length` is __NF_alen (build/js-semantics.ts, with the other lengths), for…of
// over an array __NF_ipairs, pop/shift __NF_pop/__NF_shift, a push __NF_append, a store of a
// value that may be undefined __NF_array_store, and a spread passes every element up to the
// length.
import ts from "typescript";
import tstl from "typescript-to-lua";
import { LuaLibFeature, transformLuaLibFunction } from "typescript-to-lua/dist/transformation/utils/lualib";
import { isArrayType } from "typescript-to-lua/dist/transformation/utils/typescript";
import { call, skipParentheses, transformInOrder, useHelper } from "./js-semantics";
import { innerVisitor, type Context, type Visitor, type Visitors } from "./visitors";
import { mayBeNil } from "./undefined-keys";


const isCallTo = (e: tstl.Expression, name: string): e is tstl.CallExpression =>
  tstl.isCallExpression(e) && tstl.isIdentifier(e.expression) && e.expression.text === name;

/** Whether the expression is an array (every part of its type an array or a tuple). */
function isArray(context: Context, node: ts.Expression): boolean {
  const type = context.checker.getNonNullableType(context.checker.getTypeAtLocation(node));
  return (type.isUnion() ? type.types : [type]).every((t) => isArrayType(context, t));
}

/** `a.push(v)`, `a.pop()`, `a.shift()` on an array, as a statement or not: its receiver and method. */
function arrayMethod(context: Context, node: ts.CallExpression, names: readonly string[]): ts.PropertyAccessExpression | undefined {
  const callee = skipParentheses(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken || node.questionDotToken || !names.includes(callee.name.text)) return undefined;
  return isArray(context, callee.expression) ? callee : undefined;
}

/** `a.pop()`, `a.shift()`, and `a.push(v)` of one value (TypeScriptToLua writes `a[#a + 1] = v`,
 * which writes into undefined elements at the end or a deleted last one). */
const callExpression = (inner: Visitor<ts.CallExpression, tstl.Expression>): Visitor<ts.CallExpression, tstl.Expression> => (node, context) => {
  const method = arrayMethod(context, node, ["pop", "shift", "push"]);
  if (!method) return inner(node, context);
  if (method.name.text !== "push" && node.arguments.length === 0) {
    return call(context, method.name.text === "pop" ? "__NF_pop" : "__NF_shift", [context.transformExpression(method.expression)], node);
  }
  const [value] = node.arguments;
  if (method.name.text === "push" && node.arguments.length === 1 && !ts.isSpreadElement(value)) {
    return call(context, "__NF_append", transformInOrder(context, [method.expression, value]), node);
  }
  return inner(node, context);
};

/** `a[i] = v;` with a value that may be undefined. */
const expressionStatement = (inner: Visitor<ts.ExpressionStatement, tstl.Statement[]>): Visitor<ts.ExpressionStatement, tstl.Statement[]> => (node, context) => {
  const e = skipParentheses(node.expression);
  const { checker } = context;
  const statements = inner(node, context);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isElementAccessExpression(skipParentheses(e.left))) {
    const target = skipParentheses(e.left) as ts.ElementAccessExpression;
    if (isArray(context, target.expression) && mayBeNil(checker, checker.getTypeAtLocation(e.right))) {
      const last = statements[statements.length - 1];
      if (last && tstl.isAssignmentStatement(last) && last.left.length === 1 && last.right.length === 1 && tstl.isTableIndexExpression(last.left[0])) {
        const index = last.left[0];
        statements[statements.length - 1] = tstl.createExpressionStatement(call(context, "__NF_array_store", [index.table, index.index, last.right[0]], node), node);
      }
    }
  }
  return statements;
};

/** for…of over an array: __NF_ipairs (TypeScriptToLua's ipairs stops at the first hole). */
const forOfStatement = (inner: Visitor<ts.ForOfStatement, tstl.Statement[]>): Visitor<ts.ForOfStatement, tstl.Statement[]> => (node, context) => {
  const statements = inner(node, context);
  for (const statement of statements) {
    const loop = tstl.isDoStatement(statement) ? statement.statements.find(tstl.isForInStatement) : statement;
    if (loop && tstl.isForInStatement(loop) && loop.expressions.length === 1 && isCallTo(loop.expressions[0], "ipairs")) {
      loop.expressions[0] = call(context, "__NF_ipairs", (loop.expressions[0] as tstl.CallExpression).params, node.expression);
    }
  }
  return statements;
};

/** `f(...a)`, `[x, ...a]`: every element up to the length (unpack stops at `#`). */
const spreadElement = (inner: Visitor<ts.SpreadElement, tstl.Expression>): Visitor<ts.SpreadElement, tstl.Expression> => (node, context) => {
  const lua = inner(node, context);
  // `[...a]` alone becomes Array.from(a) (arrayLiteral below).
  const alone = ts.isArrayLiteralExpression(node.parent) && node.parent.elements.length === 1;
  if (alone || !isCallTo(lua, "unpack") || lua.params.length !== 1) return lua;
  // Still TypeScriptToLua's unpack call to its push (`a.push(...b)` is __TS__ArrayPushArray).
  return tstl.setNodeFlags(call(context, "__NF_unpack", lua.params, node), tstl.NodeFlags.TableUnpackCall);
};

/** `[a, v]` whose last element may be undefined, `[x, ...a]`: the array keeps every value's slot
 * in its length (a table constructor's trailing nils are not counted). */
const arrayLiteral = (inner: Visitor<ts.ArrayLiteralExpression, tstl.Expression>): Visitor<ts.ArrayLiteralExpression, tstl.Expression> => (node, context) => {
  const lua = inner(node, context);
  if (!tstl.isTableExpression(lua) || lua.fields.some((f) => f.key)) return lua;
  gopherSetListCount(lua, node);
  const last = node.elements[node.elements.length - 1];
  if (!last || lua.fields.length === 0) return lua;
  // Every element a value of its own: the count is the literal's, and one that is undefined is an
  // element (not a hole).
  const mayBeUndefined = (e: ts.Expression) => ts.isOmittedExpression(e) || mayBeNil(context.checker, context.checker.getTypeAtLocation(e));
  if (!node.elements.some(ts.isSpreadElement) && lua.fields.length === node.elements.length && node.elements.some(mayBeUndefined)) {
    // Only elisions (`[1, , 3]`): holes, not undefined elements.
    const holes = node.elements.every((e) => ts.isOmittedExpression(e) || !mayBeNil(context.checker, context.checker.getTypeAtLocation(e)));
    const args = [lua, tstl.createNumericLiteral(node.elements.length), ...(holes ? [tstl.createBooleanLiteral(true)] : [])];
    return call(context, "__NF_with_length", args, node);
  }
  // Only a spread (`[...a]`, `[...set]`): Array.from, which copies in a loop (gopher's unpack of
  // some thousands of values overflows its registry) and counts every slot.
  const only = lua.fields.length === 1 ? lua.fields[0].value : undefined;
  if (only && (isCallTo(only, "unpack") || isCallTo(only, "__TS__Spread")) && only.params.length === 1) {
    return transformLuaLibFunction(context, LuaLibFeature.ArrayFrom, node, only.params[0]);
  }
  // Ending in a spread: counted when the table is made (a few values before it at most; a longer
  // literal keeps the table constructor).
  const end = lua.fields[lua.fields.length - 1].value;
  const counted = ["__NF_unpack", "__TS__SparseArraySpread", "__TS__Spread"].some((name) => isCallTo(end, name));
  const before = lua.fields.length - 1;
  const gopherSetList = before > 0 && before % 50 === 0 && before <= 200;
  return counted && (lua.fields.length <= 32 || gopherSetList) ? call(context, "__NF_array_of", lua.fields.map((f) => f.value), node) : lua;
};

/**
 * gopher-lua v1.1.1 stores a table constructor's last value list (a call, `unpack(a)`) from index
 * 1 when the values before it are a multiple of 50 (its SETLIST batch): `{n1, …, n50, f()}` has
 * f()'s value at 1 and 50 elements (observed). A call in that place is parenthesized (one value,
 * which is JavaScript's meaning anyway); a spread keeps its values, counted by __NF_array_of, which
 * takes its elements as arguments instead (PUC's limit of about 240 allows that).
 */
function gopherSetListCount(lua: tstl.TableExpression, node: ts.ArrayLiteralExpression): void {
  const before = lua.fields.length - 1;
  const last = lua.fields[before];
  if (before === 0 || before % 50 !== 0 || !last || !tstl.isCallExpression(last.value) && !tstl.isMethodCallExpression(last.value)) return;
  const element = node.elements[node.elements.length - 1];
  if (element && !ts.isSpreadElement(element)) last.value = tstl.createParenthesizedExpression(last.value);
}

/** `i in a` on an array: an index below the length that is not a hole, or "length" (TypeScriptToLua
 * read `a[i]`, one slot off, and missed "1" and "length"). */
const binaryExpression = (inner: Visitor<ts.BinaryExpression, tstl.Expression>): Visitor<ts.BinaryExpression, tstl.Expression> => (node, context) => {
  if (node.operatorToken.kind !== ts.SyntaxKind.InKeyword || ts.isPrivateIdentifier(node.left) || !isArray(context, node.right)) return inner(node, context);
  return call(context, "__NF_in_array", transformInOrder(context, [node.left, node.right]), node);
};

/** The visitors (js-semantics.ts's and undefined-keys.ts's), with the ones above around them. */
export function withArrayLengths(visitors: Visitors): Visitors {
  const inner = <N extends ts.Node, R>(kind: ts.SyntaxKind) => innerVisitor<N, R>(visitors, kind);
  return {
    ...visitors,
    [ts.SyntaxKind.CallExpression]: callExpression(inner(ts.SyntaxKind.CallExpression)),
    [ts.SyntaxKind.ExpressionStatement]: expressionStatement(inner(ts.SyntaxKind.ExpressionStatement)),
    [ts.SyntaxKind.ForOfStatement]: forOfStatement(inner(ts.SyntaxKind.ForOfStatement)),
    [ts.SyntaxKind.SpreadElement]: spreadElement(inner(ts.SyntaxKind.SpreadElement)),
    [ts.SyntaxKind.ArrayLiteralExpression]: arrayLiteral(inner(ts.SyntaxKind.ArrayLiteralExpression)),
    [ts.SyntaxKind.BinaryExpression]: binaryExpression(inner(ts.SyntaxKind.BinaryExpression)),
  };
}

/**
 * Two shapes TypeScriptToLua writes outside the visitors above, rewritten in the finished file: a
 * rest parameter `local xs = {...}` (`__NF_array_of(...)`: undefined arguments at the end count),
 * and `__TS__ArraySetLength(a, #a + 1)` for `a.length++`/`a.length += n` (`__NF_alen(a)`).
 */
export function countRestsAndLengthSetters(file: tstl.File, fileName: string): void {
  const alen = (operand: tstl.Expression) => tstl.createCallExpression(useHelper(fileName, "__NF_alen"), [operand]);
  const lengthsOf = (node: unknown, table: string): void => {
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "tsOriginal" || key === "parent") continue;
      if (value && typeof value === "object" && tstl.isUnaryExpression(value as tstl.Node) && (value as tstl.UnaryExpression).operator === tstl.SyntaxKind.LengthOperator) {
        const operand = (value as tstl.UnaryExpression).operand;
        if (tstl.isIdentifier(operand) && operand.text === table) (node as Record<string, unknown>)[key] = alen(operand);
        continue;
      }
      lengthsOf(value, table);
    }
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null || typeof (node as { kind?: unknown }).kind !== "number") return;
    const lua = node as tstl.Node;
    if (tstl.isVariableDeclarationStatement(lua) && lua.right?.length === 1) {
      const [value] = lua.right;
      if (tstl.isTableExpression(value) && value.fields.length === 1 && !value.fields[0].key && tstl.isDotsLiteral(value.fields[0].value)) {
        lua.right[0] = tstl.createCallExpression(useHelper(fileName, "__NF_array_of"), [tstl.createDotsLiteral()]);
      }
    }
    if (isCallTo(lua as tstl.Expression, "__TS__ArraySetLength")) {
      const [table, length] = (lua as tstl.CallExpression).params;
      if (table && length && tstl.isIdentifier(table)) lengthsOf((lua as tstl.CallExpression).params, table.text);
    }
    for (const [key, value] of Object.entries(node)) if (key !== "tsOriginal" && key !== "parent") visit(value);
  };
  visit(file.statements);
}
