// An array's length and slots as JavaScript's, in the filter's own code (build/lualib-arrays.ts
// does the same in the lualib). gopher's `#` is the largest index holding a value; JavaScript's
// length also counts undefined elements at the end, which the operations making them record
// (__NF_array_lengths). ipairs stops at the first nil; JavaScript's for…of visits a hole as
// undefined. So: `.length` is __NF_alen, for…of over an array __NF_ipairs, pop/shift
// __NF_pop/__NF_shift, a push or a store of a value that may be undefined __NF_append and
// __NF_array_store, and a spread passes every element up to the length.
import ts from "typescript";
import tstl from "typescript-to-lua";
import { isArrayType } from "typescript-to-lua/dist/transformation/utils/typescript";
import { call, lengthKind, skipParentheses, transformInOrder } from "./js-semantics";
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

function isAssignmentTarget(node: ts.Node): boolean {
  const parent = node.parent;
  return parent !== undefined && ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

const propertyAccess = (inner: Visitor<ts.PropertyAccessExpression, tstl.Expression>): Visitor<ts.PropertyAccessExpression, tstl.Expression> => (node, context) => {
  if (node.name.text !== "length" || node.questionDotToken || isAssignmentTarget(node)) return inner(node, context);
  if (lengthKind(context.checker, context.checker.getTypeAtLocation(node.expression)) !== "array") return inner(node, context);
  const lua = inner(node, context);
  // TypeScriptToLua's `#a`: the same operand, counted as JavaScript does.
  return tstl.isUnaryExpression(lua) && lua.operator === tstl.SyntaxKind.LengthOperator ? call(context, "__NF_alen", [lua.operand], node) : lua;
};

const callExpression = (inner: Visitor<ts.CallExpression, tstl.Expression>): Visitor<ts.CallExpression, tstl.Expression> => (node, context) => {
  const method = arrayMethod(context, node, ["pop", "shift"]);
  if (method && node.arguments.length === 0) {
    return call(context, method.name.text === "pop" ? "__NF_pop" : "__NF_shift", [context.transformExpression(method.expression)], node);
  }
  return inner(node, context);
};

/** `a.push(v);` (TypeScriptToLua writes `a[#a + 1] = v`, which writes into undefined elements at
 * the end or a deleted last one), `a[i] = v;` with a value that may be undefined. */
const expressionStatement = (inner: Visitor<ts.ExpressionStatement, tstl.Statement[]>): Visitor<ts.ExpressionStatement, tstl.Statement[]> => (node, context) => {
  const e = skipParentheses(node.expression);
  const { checker } = context;
  if (ts.isCallExpression(e)) {
    const method = arrayMethod(context, e, ["push"]);
    const [value] = e.arguments;
    if (method && e.arguments.length === 1 && !ts.isSpreadElement(value)) {
      context.pushPrecedingStatements();
      const args = transformInOrder(context, [method.expression, value]);
      return [...context.popPrecedingStatements(), tstl.createExpressionStatement(call(context, "__NF_append", args, node), node)];
    }
  }
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
  return isCallTo(lua, "unpack") && lua.params.length === 1 ? call(context, "__NF_unpack", lua.params, node) : lua;
};

/** `[a, v]` whose last element may be undefined, `[...a]`: the table keeps every value's slot as
 * its length (a table constructor's trailing nils are not counted). */
const arrayLiteral = (inner: Visitor<ts.ArrayLiteralExpression, tstl.Expression>): Visitor<ts.ArrayLiteralExpression, tstl.Expression> => (node, context) => {
  const lua = inner(node, context);
  if (!tstl.isTableExpression(lua) || lua.fields.some((f) => f.key)) return lua;
  const last = node.elements[node.elements.length - 1];
  if (last && !ts.isSpreadElement(last) && lua.fields.length === node.elements.length &&
    (ts.isOmittedExpression(last) || mayBeNil(context.checker, context.checker.getTypeAtLocation(last)))) {
    return call(context, "__NF_array_of", lua.fields.map((f) => f.value), node);
  }
  if (lua.fields.length !== 1) return lua;
  const only = lua.fields[0].value;
  const counted = ["__NF_unpack", "__TS__SparseArraySpread", "__TS__Spread"].some((name) => isCallTo(only, name));
  return counted ? call(context, "__NF_array_of", [only], node) : lua;
};

/** The visitors (js-semantics.ts's and undefined-keys.ts's), with the ones above around them. */
export function withArrayLengths(visitors: Visitors): Visitors {
  const inner = <N extends ts.Node, R>(kind: ts.SyntaxKind) => innerVisitor<N, R>(visitors, kind);
  return {
    ...visitors,
    [ts.SyntaxKind.PropertyAccessExpression]: propertyAccess(inner(ts.SyntaxKind.PropertyAccessExpression)),
    [ts.SyntaxKind.CallExpression]: callExpression(inner(ts.SyntaxKind.CallExpression)),
    [ts.SyntaxKind.ExpressionStatement]: expressionStatement(inner(ts.SyntaxKind.ExpressionStatement)),
    [ts.SyntaxKind.ForOfStatement]: forOfStatement(inner(ts.SyntaxKind.ForOfStatement)),
    [ts.SyntaxKind.SpreadElement]: spreadElement(inner(ts.SyntaxKind.SpreadElement)),
    [ts.SyntaxKind.ArrayLiteralExpression]: arrayLiteral(inner(ts.SyntaxKind.ArrayLiteralExpression)),
  };
}
