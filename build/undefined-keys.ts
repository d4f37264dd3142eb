// A key holding undefined: JavaScript's `{ k: undefined }`, `o.k = undefined` and their copies
// keep the key (`"k" in o`, Object.keys, spread and Object.assign see it and copy it over an
// earlier value); a Lua table has no key whose value is nil. Where the type says a value may be
// undefined (or null, also nil), the build stores it through helpers that keep the key in a
// record of the object's own keys (build/js-helpers.ts, __NF_undefined_keys); the lualib's copies,
// delete and key loops use the record (build/lualib-objects.ts). Reading the key gives nil, as
// before, so host functions see what they always saw.
import ts from "typescript";
import tstl from "typescript-to-lua";
import { isArrayType } from "typescript-to-lua/dist/transformation/utils/typescript";
import { call, skipParentheses, transformInOrder } from "./js-semantics";
import { innerVisitor, type Context, type Visitor, type Visitors } from "./visitors";


/** Whether a value of this type may be nil in Lua: undefined, null, void, any, unknown, or a type
 * parameter that may be one of them. */
export function mayBeNil(checker: ts.TypeChecker, type: ts.Type): boolean {
  return (type.isUnion() ? type.types : [type]).some((t) => {
    if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    if (t.flags & ts.TypeFlags.TypeParameter) {
      const constraint = checker.getBaseConstraintOfType(t);
      return constraint === undefined || constraint === t || mayBeNil(checker, constraint);
    }
    return false;
  });
}

/** Whether keys of a value of this type are an object's keys: not an array's or a tuple's (their
 * elements are positions, see docs/typescript-on-production.md "Limits"), not a string's. */
function hasObjectKeys(context: Context, type: ts.Type): boolean {
  return !(type.isUnion() ? type.types : [type]).some((t) => isArrayType(context, t) || t.flags & ts.TypeFlags.StringLike);
}

const isPresentCall = (e: tstl.Expression) => tstl.isCallExpression(e) && tstl.isIdentifier(e.expression) && e.expression.text === "__NF_present";

/** `{ k: v }` where v may be undefined: the literal's value is marked (__NF_present), and
 * __NF_object turns a marked absent value into a key holding undefined. */
function objectLiteral(inner: Visitor<ts.ObjectLiteralExpression, tstl.Expression>): Visitor<ts.ObjectLiteralExpression, tstl.Expression> {
  return (node, context) => {
    const lua = inner(node, context);
    // A literal with a spread is the lualib's Object.assign, whose parts js-semantics.ts marked.
    if (!tstl.isTableExpression(lua) || lua.fields.length !== node.properties.length) return lua;
    let marked = false;
    node.properties.forEach((property, i) => {
      const field = lua.fields[i];
      if (!field.key || (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property))) return;
      if (isPresentCall(field.value)) marked = true;
      else if (mayBeNil(context.checker, context.checker.getTypeAtLocation(ts.isPropertyAssignment(property) ? property.initializer : property.name))) {
        field.value = call(context, "__NF_present", [field.value]);
        marked = true;
      }
    });
    return marked ? call(context, "__NF_object", [lua], node) : lua;
  };
}

/** `o.k = v;` / `o[k] = v;` where v may be undefined: __NF_store keeps the key. (An assignment
 * inside an expression stays TypeScriptToLua's; docs "Limits".) */
function expressionStatement(inner: Visitor<ts.ExpressionStatement, tstl.Statement[]>): Visitor<ts.ExpressionStatement, tstl.Statement[]> {
  return (node, context) => {
    const e = skipParentheses(node.expression);
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return inner(node, context);
    const target = skipParentheses(e.left);
    if (!(ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.name)) && !ts.isElementAccessExpression(target)) return inner(node, context);
    if (target.expression.kind === ts.SyntaxKind.SuperKeyword) return inner(node, context);
    const { checker } = context;
    if (!hasObjectKeys(context, checker.getTypeAtLocation(target.expression)) || !mayBeNil(checker, checker.getTypeAtLocation(e.right))) {
      return inner(node, context);
    }
    context.pushPrecedingStatements();
    let args: tstl.Expression[];
    if (ts.isPropertyAccessExpression(target)) {
      const [object, value] = transformInOrder(context, [target.expression, e.right]);
      args = [object, tstl.createStringLiteral(target.name.text), value];
    } else {
      args = transformInOrder(context, [target.expression, target.argumentExpression, e.right]);
    }
    const before = context.popPrecedingStatements();
    return [...before, tstl.createExpressionStatement(call(context, "__NF_store", args, node), node)];
  };
}

/** `k in o`: a key holding undefined is in o (__NF_in). */
function binaryExpression(inner: Visitor<ts.BinaryExpression, tstl.Expression>): Visitor<ts.BinaryExpression, tstl.Expression> {
  return (node, context) => {
    if (node.operatorToken.kind !== ts.SyntaxKind.InKeyword || ts.isPrivateIdentifier(node.left)) return inner(node, context);
    if (!hasObjectKeys(context, context.checker.getTypeAtLocation(node.right))) return inner(node, context);
    const [key, object] = transformInOrder(context, [node.left, node.right]);
    const simple = (e: tstl.Expression) => tstl.isIdentifier(e) || tstl.isStringLiteral(e) || tstl.isNumericLiteral(e);
    if (!simple(key) || !simple(object)) return call(context, "__NF_in", [key, object], node);
    // A key holding a value needs no call: `o[k] ~= nil or __NF_in(k, o)`.
    const held = tstl.createBinaryExpression(tstl.createTableIndexExpression(object, key), tstl.createNilLiteral(), tstl.SyntaxKind.InequalityOperator);
    return tstl.createBinaryExpression(held, call(context, "__NF_in", [tstl.cloneNode(key), tstl.cloneNode(object)]), tstl.SyntaxKind.OrOperator, node);
  };
}

/** The visitors, with the three above around them. */
export function withUndefinedKeys(visitors: Visitors): Visitors {
  const inner = <N extends ts.Node, R>(kind: ts.SyntaxKind) => innerVisitor<N, R>(visitors, kind);
  return {
    ...visitors,
    [ts.SyntaxKind.ObjectLiteralExpression]: objectLiteral(inner(ts.SyntaxKind.ObjectLiteralExpression)),
    [ts.SyntaxKind.ExpressionStatement]: expressionStatement(inner(ts.SyntaxKind.ExpressionStatement)),
    [ts.SyntaxKind.BinaryExpression]: binaryExpression(inner(ts.SyntaxKind.BinaryExpression)),
  };
}
