// TypeScript that means what it says on gopher-lua: visitors that replace TypeScriptToLua's Lua
// semantics with JavaScript's where the two differ and the type tells what to emit
// (docs/typescript-on-production.md). Helpers come from build/js-helpers.ts, inlined per file.
import ts from "typescript";
import tstl from "typescript-to-lua";
import { unsupportedNoSelfFunctionConversion, unsupportedSelfFunctionConversion } from "typescript-to-lua/dist/transformation/utils/diagnostics";
import { ContextType, getFunctionContextType } from "typescript-to-lua/dist/transformation/utils/function-context";
import { importLuaLibFeature, LuaLibFeature, transformLuaLibFunction } from "typescript-to-lua/dist/transformation/utils/lualib";
import { isOptionalContinuation } from "typescript-to-lua/dist/transformation/visitors/optional-chaining";
import { findScope, LoopContinued, ScopeType, walkScopesUp } from "typescript-to-lua/dist/transformation/utils/scope";
import { isArrayType, isInAsyncFunction } from "typescript-to-lua/dist/transformation/utils/typescript";
import { transformLoopBody } from "typescript-to-lua/dist/transformation/visitors/loops/utils";
import { transformVariableDeclaration } from "typescript-to-lua/dist/transformation/visitors/variable-declaration";
import { diagnostics } from "./diagnostics";
import type { HelperName } from "./js-helpers";
import { resolveSdkHelper } from "./sdk-helpers";

type Visitors = NonNullable<tstl.Plugin["visitors"]>;
type Context = tstl.TransformationContext;

/**
 * Helpers each source file uses, by file name: TypeScript's own transformers may hand the
 * visitors a new SourceFile object, so the program's object is not a reliable key.
 * build/build-filters.ts inlines them and clears the entry before each compile.
 */
export const usedHelpers = new Map<string, Set<HelperName>>();

export function useHelper(fileName: string, name: HelperName): tstl.Identifier {
  let set = usedHelpers.get(fileName);
  if (!set) usedHelpers.set(fileName, (set = new Set()));
  set.add(name);
  return tstl.createIdentifier(name);
}

function use(context: Context, name: HelperName): tstl.Identifier {
  return useHelper(context.sourceFile.fileName, name);
}

/** A call of a helper of build/js-helpers.ts, which the file then inlines. */
export function call(context: Context, name: HelperName, args: tstl.Expression[], node?: ts.Node): tstl.CallExpression {
  return tstl.createCallExpression(use(context, name), args, node);
}

/** Whether Lua truthiness differs from JavaScript's for values of this type. */
export function needsJsTruthiness(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    if (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike | ts.TypeFlags.BigIntLike)) return true;
    if (t.flags & ts.TypeFlags.TypeParameter) {
      const constraint = checker.getBaseConstraintOfType(t);
      return constraint === undefined || needsJsTruthiness(checker, constraint);
    }
    return false;
  });
}

/** The expression is in a condition slot: if/while/do/for condition, ternary condition. */
function isCondition(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isIfStatement(parent) || ts.isWhileStatement(parent) || ts.isDoStatement(parent)) return parent.expression === node;
  if (ts.isForStatement(parent)) return parent.condition === node;
  if (ts.isConditionalExpression(parent)) return parent.condition === node;
  return false;
}

function typeNeeds(context: Context, node: ts.Expression): boolean {
  return needsJsTruthiness(context.checker, context.checker.getTypeAtLocation(node));
}

/**
 * Whether values of this type are plain objects, whose keys JavaScript makes strings: not arrays
 * (TypeScriptToLua indexes those from 1), not enums (their reverse mapping has number keys), not
 * any or unknown (the value could be either).
 */
function isPlainObjectType(context: Context, type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => {
    if (!(t.flags & ts.TypeFlags.Object) && !t.isIntersection()) return false;
    if (t.symbol && t.symbol.flags & ts.SymbolFlags.Enum) return false;
    return !isArrayType(context, t);
  });
}

const isAlwaysNumber = (context: Context, node: ts.Expression): boolean => {
  const type = context.checker.getTypeAtLocation(node);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => (t.flags & ts.TypeFlags.NumberLike) !== 0);
};

/**
 * Whether `node` is a number used as an object's key: a property name `{ 993: … }`, a computed
 * name `{ [port]: … }`, the index of `o[port]` or the key of `port in o` where `o` is a plain
 * object. JavaScript makes such keys strings ("993"); Lua would keep a number key that the string
 * "993" (a header, request.local_port) and Object.keys never see.
 */
function isNumberKey(context: Context, node: ts.Expression): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return ts.isObjectLiteralExpression(parent.parent) && ts.isNumericLiteral(node);
  if (ts.isBindingElement(parent) && parent.propertyName === node && ts.isObjectBindingPattern(parent.parent)) {
    return ts.isNumericLiteral(node) && isPlainObjectType(context, context.checker.getTypeAtLocation(parent.parent));
  }
  if (ts.isComputedPropertyName(parent) && parent.expression === node) {
    const member = parent.parent;
    return (ts.isPropertyAssignment(member) || ts.isMethodDeclaration(member)) && ts.isObjectLiteralExpression(member.parent) && isAlwaysNumber(context, node);
  }
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === node) {
    const receiver = context.checker.getNonNullableType(context.checker.getTypeAtLocation(parent.expression));
    return isPlainObjectType(context, receiver) && isAlwaysNumber(context, node);
  }
  if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.InKeyword) {
    return isPlainObjectType(context, context.checker.getTypeAtLocation(parent.right)) && isAlwaysNumber(context, node);
  }
  return false;
}

/** A number key as JavaScript's string: folded for literals, String(n) otherwise. */
function asKey(context: Context, node: ts.Expression, result: tstl.Expression): tstl.Expression {
  if (tstl.isNumericLiteral(result) && Number.isFinite(result.value)) return tstl.createStringLiteral(String(result.value), node);
  return call(context, "__NF_str", [result], node);
}

/**
 * Where every visitor ends: number keys of plain objects become JavaScript's strings, and a
 * condition whose type makes Lua and JavaScript disagree gets JavaScript's truthiness.
 */
function asCondition(context: Context, node: ts.Expression, result: tstl.Expression): tstl.Expression {
  if (isNumberKey(context, node)) return asKey(context, node, result);
  if (!isCondition(node) || !typeNeeds(context, node)) return result;
  return call(context, "__NF_truthy", [result], node);
}

function isLibGlobal(context: Context, id: ts.Identifier, name: string): boolean {
  if (id.text !== name) return false;
  const decls = context.checker.getSymbolAtLocation(id)?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => context.program.isSourceFileDefaultLibrary(d.getSourceFile()));
}

// 2^1024 overflows to +Inf on every VM; `1/0` would not do: PUC Lua 5.1 folds 0 and -0 into one
// constant, so in a function that also has a -0 literal, 1/0 became -Infinity.
const infinity = (node: ts.Node) =>
  tstl.createBinaryExpression(tstl.createNumericLiteral(2), tstl.createNumericLiteral(1024), tstl.SyntaxKind.PowerOperator, node);

/**
 * `catch (e)`: TypeScriptToLua's `local function ____catch(e)` gets `e = __NF_caught(e, __NF_Error)`
 * first, so that an error Lua or a host function raised (a string with a position) is an Error
 * whose message is production's text, as JavaScript gives an Error object there.
 */
function convertCaught(context: Context, statements: tstl.Statement[]): void {
  const visit = (list: tstl.Statement[]): boolean => {
    for (const statement of list) {
      if (tstl.isVariableDeclarationStatement(statement) && statement.left[0]?.text === "____catch" && statement.right?.[0] && tstl.isFunctionExpression(statement.right[0])) {
        const fn = statement.right[0];
        const param = fn.params?.[0];
        // A destructured binding is TypeScriptToLua's unnamed parameter: left as it is.
        if (!param || !param.text) return true;
        importLuaLibFeature(context, LuaLibFeature.Error);
        // __NF_Error: the lualib's Error under a name no filter binding shadows (filter-printer.ts).
        const convert = tstl.createAssignmentStatement(tstl.cloneIdentifier(param), call(context, "__NF_caught", [tstl.cloneIdentifier(param), tstl.createIdentifier("__NF_Error")]));
        fn.body.statements.unshift(convert);
        return true;
      }
      if (tstl.isDoStatement(statement) && visit(statement.statements)) return true;
    }
    return false;
  };
  visit(statements);
}

/** The lualib's RangeError class, for helpers that throw it (they come before the lualib, so
 * it is passed in). */
function rangeError(context: Context): tstl.Identifier {
  importLuaLibFeature(context, LuaLibFeature.Error);
  return tstl.createIdentifier("RangeError");
}

/** The value of a number literal or of an expression of a number literal type (`2`, `-1`, a
 * `const` holding one), or undefined. */
function literalNumber(context: Context, node: ts.Expression): number | undefined {
  node = skipParentheses(node);
  if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ""));
  const type = context.checker.getTypeAtLocation(node);
  return type.isNumberLiteral() ? type.value : undefined;
}

/** Whether `node` is an integer literal (or of such a literal type) in [min, max]. */
function isIntegerLiteralIn(context: Context, node: ts.Expression, min: number, max: number): boolean {
  const value = literalNumber(context, node);
  return value !== undefined && Number.isInteger(value) && value >= min && value <= max;
}

/** V8's longest string, in UTF-16 code units: longer results throw RangeError in JavaScript. */
const MAX_STRING_LENGTH = 2 ** 29 - 24;

type LooseKind = "number" | "string" | "boolean" | "object" | "nullish" | "other" | "any";

/** What a value of this type can be, as loose equality tells kinds apart. */
function looseKinds(checker: ts.TypeChecker, type: ts.Type, depth = 0): Set<LooseKind> {
  const kinds = new Set<LooseKind>();
  for (const t of type.isUnion() ? type.types : [type]) {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) kinds.add("any");
    else if (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike)) kinds.add("number");
    else if (t.flags & ts.TypeFlags.StringLike) kinds.add("string");
    else if (t.flags & ts.TypeFlags.BooleanLike) kinds.add("boolean");
    else if (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) kinds.add("nullish");
    else if (t.flags & (ts.TypeFlags.ESSymbolLike | ts.TypeFlags.Never)) kinds.add("other");
    else if (t.isIntersection()) {
      // A branded primitive (`string & { brand: … }`) is that primitive.
      const inner = new Set(t.types.flatMap((part) => [...looseKinds(checker, part, depth + 1)]).filter((k) => k !== "object"));
      for (const k of inner.size > 0 ? inner : ["object" as const]) kinds.add(k);
    } else if (t.flags & ts.TypeFlags.Instantiable) {
      const constraint = depth < 8 ? checker.getBaseConstraintOfType(t) : undefined;
      for (const k of constraint ? looseKinds(checker, constraint, depth + 1) : ["any" as const]) kinds.add(k);
    } else kinds.add("object");
  }
  return kinds;
}

/**
 * Whether `a == b` needs JavaScript's IsLooselyEqual: the operands can be of different kinds that
 * it converts (number, string, boolean, object). A comparison with undefined/null, or between
 * values of one kind, compiles as TypeScriptToLua compiles it (Lua's ==, the same answers).
 */
function needsLooseEquality(context: Context, left: ts.Expression, right: ts.Expression): boolean {
  const l = looseKinds(context.checker, context.checker.getTypeAtLocation(left));
  const r = looseKinds(context.checker, context.checker.getTypeAtLocation(right));
  const nullishOnly = (kinds: Set<LooseKind>) => [...kinds].every((k) => k === "nullish" || k === "other");
  if (nullishOnly(l) || nullishOnly(r)) return false;
  if (l.has("any") || r.has("any")) return true;
  const converted: LooseKind[] = ["number", "string", "boolean", "object"];
  return [...l].some((a) => converted.includes(a) && [...r].some((b) => b !== a && converted.includes(b)));
}

/** Whether a type holds strings, undefined or null only (a separator `split` reads as it is). */
function isStringOrNullish(context: Context, node: ts.Expression): boolean {
  const type = context.checker.getTypeAtLocation(node);
  return (type.isUnion() ? type.types : [type]).every((t) => (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0);
}

function lazy(context: Context, node: ts.Expression): tstl.Expression {
  context.pushPrecedingStatements();
  const value = context.transformExpression(node);
  const before = context.popPrecedingStatements();
  return tstl.createFunctionExpression(tstl.createBlock([...before, tstl.createReturnStatement([value])]));
}

/**
 * Transforms expressions left to right, keeping JavaScript's evaluation order: when a later one
 * needs statements hoisted before it (`i++`, an assignment), the earlier values are saved in
 * temporaries first, as TypeScriptToLua does for its own operators.
 */
export function transformInOrder(context: Context, nodes: readonly ts.Expression[]): tstl.Expression[] {
  const results: tstl.Expression[] = [];
  for (const node of nodes) {
    context.pushPrecedingStatements();
    const value = context.transformExpression(node);
    const before = context.popPrecedingStatements();
    if (before.length > 0) {
      for (let i = 0; i < results.length; i++) {
        if (tstl.isStringLiteral(results[i]) || tstl.isNumericLiteral(results[i]) || tstl.isBooleanLiteral(results[i])) continue;
        const temp = context.createTempNameForLuaExpression(results[i]);
        context.addPrecedingStatements(tstl.createVariableDeclarationStatement(temp, results[i]));
        results[i] = tstl.cloneIdentifier(temp);
      }
      context.addPrecedingStatements(before);
    }
    results.push(value);
  }
  return results;
}

/** JavaScript's bitwise operators and their assignment forms, compiled to the helpers of __NF_bit
 * (Lua 5.1 has none). */
const BITWISE: ReadonlyArray<[ts.SyntaxKind, ts.SyntaxKind, HelperName]> = [
  [ts.SyntaxKind.AmpersandToken, ts.SyntaxKind.AmpersandEqualsToken, "__NF_band"],
  [ts.SyntaxKind.BarToken, ts.SyntaxKind.BarEqualsToken, "__NF_bor"],
  [ts.SyntaxKind.CaretToken, ts.SyntaxKind.CaretEqualsToken, "__NF_bxor"],
  [ts.SyntaxKind.LessThanLessThanToken, ts.SyntaxKind.LessThanLessThanEqualsToken, "__NF_shl"],
  [ts.SyntaxKind.GreaterThanGreaterThanToken, ts.SyntaxKind.GreaterThanGreaterThanEqualsToken, "__NF_shr"],
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, "__NF_ushr"],
];
const BITWISE_HELPERS = new Map(BITWISE.map(([op, , helper]) => [op, helper]));
const BITWISE_ASSIGNMENTS = new Map(BITWISE.map(([, assign, helper]) => [assign, helper]));

/** Whether a value iterated (for…of, spread, Array.from, yield*) can be a string at run time. */
function mayIterateString(context: Context, node: ts.Expression): boolean {
  const type = context.checker.getNonNullableType(context.checker.getTypeAtLocation(node));
  return (type.isUnion() ? type.types : [type]).some((t) => (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0);
}

/**
 * TypeScriptToLua's `__TS__Iterator(v)` (or `ipairs(v)`), `__TS__Spread(v)`, `__TS__ArrayFrom(v, …)`
 * or `__TS__DelegatedYield(v)` with `v` through __NF_code_points: a string is iterated by code points
 * (the lualib goes byte by byte), anything else as before.
 */
function iterateCodePoints(context: Context, lua: tstl.Expression, feature: string): tstl.Expression {
  if (tstl.isCallExpression(lua) && tstl.isIdentifier(lua.expression) && lua.expression.text === feature && lua.params.length > 0) {
    lua.params[0] = call(context, "__NF_code_points", [lua.params[0]]);
  }
  return lua;
}

/** The operators whose zero result keeps JavaScript's sign through a helper (zeroSignHelper):
 * the operator, its assignment, the helper (build/js-helpers.ts) and Lua's operator. */
const ZERO_SIGNED: ReadonlyArray<{ token: ts.SyntaxKind; assignment: ts.SyntaxKind; helper: HelperName; lua: tstl.BinaryOperator }> = [
  { token: ts.SyntaxKind.AsteriskToken, assignment: ts.SyntaxKind.AsteriskEqualsToken, helper: "__NF_mul", lua: tstl.SyntaxKind.MultiplicationOperator },
  { token: ts.SyntaxKind.SlashToken, assignment: ts.SyntaxKind.SlashEqualsToken, helper: "__NF_div", lua: tstl.SyntaxKind.DivisionOperator },
  { token: ts.SyntaxKind.PlusToken, assignment: ts.SyntaxKind.PlusEqualsToken, helper: "__NF_add", lua: tstl.SyntaxKind.AdditionOperator },
  { token: ts.SyntaxKind.MinusToken, assignment: ts.SyntaxKind.MinusEqualsToken, helper: "__NF_sub", lua: tstl.SyntaxKind.SubtractionOperator },
];
/** `*=`, `/=`, `+=`, `-=`: on numbers through the helper keeping -0. */
const SIGNED_ASSIGNMENTS = new Set(ZERO_SIGNED.map((z) => z.assignment));

/** Compound assignments whose operator the build gives JavaScript's meaning (a bitwise one as its helper). */
type CompoundOperator = "%" | "**" | "||" | "&&" | "+" | HelperName;

/**
 * The operator of `t op= v` where TypeScriptToLua's Lua would differ from JavaScript: `%=`
 * (floored modulo), `**=` (1 ** NaN), `||=`/`&&=` on types with JavaScript truthiness, `+=` on
 * strings (gopher's number text, a nil raises). Undefined for the rest (TypeScriptToLua's form).
 */
function compoundOperator(context: Context, node: ts.BinaryExpression): CompoundOperator | undefined {
  switch (node.operatorToken.kind) {
    case ts.SyntaxKind.PercentEqualsToken:
      return "%";
    case ts.SyntaxKind.AsteriskAsteriskEqualsToken:
      return "**";
    case ts.SyntaxKind.BarBarEqualsToken:
      return typeNeeds(context, node.left) ? "||" : undefined;
    case ts.SyntaxKind.AmpersandAmpersandEqualsToken:
      return typeNeeds(context, node.left) ? "&&" : undefined;
    case ts.SyntaxKind.PlusEqualsToken:
      if (context.checker.getTypeAtLocation(node.left).flags & ts.TypeFlags.StringLike) return "+";
  }
  const kind = node.operatorToken.kind;
  const signed = SIGNED_ASSIGNMENTS.has(kind) ? zeroSignHelper(context, kind, node.left, node.right) : undefined;
  return BITWISE_ASSIGNMENTS.get(kind) ?? signed;
}

/**
 * `t op= v` anywhere (a statement, inside an expression, on an element or a property of any
 * expression, on an array's length) with JavaScript's meaning and order: the target's object and
 * key are evaluated once, its old value is read before `v`, and `v` is evaluated for `||=`/`&&=`
 * only when it is assigned. Returns the statements, and with `wantValue` a temporary holding the
 * expression's value; undefined for a target it does not know (TypeScriptToLua's form is kept).
 */
function compoundAssignment(
  context: Context,
  node: ts.BinaryExpression,
  op: CompoundOperator,
  wantValue: boolean,
): { statements: tstl.Statement[]; value?: tstl.Expression } | undefined {
  let target = node.left;
  while (ts.isParenthesizedExpression(target) || ts.isAsExpression(target) || ts.isNonNullExpression(target) || ts.isTypeAssertionExpression(target) || ts.isSatisfiesExpression(target)) {
    target = target.expression;
  }
  if (!ts.isIdentifier(target) && !((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && !target.questionDotToken)) return undefined;
  const arrayLength = ts.isPropertyAccessExpression(target) && target.name.text === "length" && isArrayType(context, context.checker.getTypeAtLocation(target.expression));
  // `v` first, into its own statements: whether it has any decides what must be saved before it.
  context.pushPrecedingStatements();
  const right = context.transformExpression(node.right);
  const rightStatements = context.popPrecedingStatements();
  const saveNames = rightStatements.length > 0;
  context.pushPrecedingStatements();
  // The target: a name, or a table and a key each evaluated once (into locals unless literals;
  // names too when `v` has statements that may assign them: `xs[i] %= (i++, 3)`).
  const cache = (e: tstl.Expression): tstl.Expression => {
    if (tstl.isStringLiteral(e) || tstl.isNumericLiteral(e) || tstl.isBooleanLiteral(e) || tstl.isNilLiteral(e)) return e;
    if (!saveNames && tstl.isIdentifier(e)) return e;
    const temp = context.createTempNameForLuaExpression(e);
    context.addPrecedingStatements(tstl.createVariableDeclarationStatement(temp, e));
    return tstl.cloneIdentifier(temp);
  };
  let read: () => tstl.Expression;
  let write: (value: tstl.Expression) => tstl.Statement;
  if (arrayLength) {
    const array = cache(context.transformExpression((target as ts.PropertyAccessExpression).expression));
    read = () => call(context, "__NF_alen", [tstl.cloneNode(array)]);
    write = (value) => tstl.createExpressionStatement(transformLuaLibFunction(context, LuaLibFeature.ArraySetLength, node, tstl.cloneNode(array), value));
  } else {
    const left = context.transformExpression(target);
    if (tstl.isTableIndexExpression(left)) {
      const table = cache(left.table);
      const index = cache(left.index);
      read = () => tstl.createTableIndexExpression(tstl.cloneNode(table), tstl.cloneNode(index));
    } else if (tstl.isIdentifier(left)) {
      read = () => tstl.cloneIdentifier(left);
    } else {
      context.popPrecedingStatements();
      return undefined;
    }
    write = (value) => tstl.createAssignmentStatement(read() as tstl.AssignmentLeftHandSideExpression, value, node);
  }
  const statements = context.popPrecedingStatements();
  // The old value, read before `v` is evaluated (saved when `v` has statements of its own).
  let old = read;
  if (saveNames) {
    const saved = context.createTempNameForLuaExpression(read());
    statements.push(tstl.createVariableDeclarationStatement(saved, read()));
    old = () => tstl.cloneIdentifier(saved);
  }
  const result = wantValue ? tstl.createIdentifier(context.createTempName("value")) : undefined;
  if (op === "||" || op === "&&") {
    // The value is read once: into the result when one is wanted, else as `old` reads it.
    if (result) statements.push(tstl.createVariableDeclarationStatement(tstl.cloneIdentifier(result), old()));
    const current = result ? () => tstl.cloneIdentifier(result) : old;
    const truthy = call(context, "__NF_truthy", [current()], node.left);
    const assign = op === "||" ? tstl.createUnaryExpression(truthy, tstl.SyntaxKind.NotOperator) : truthy;
    const inner = [...rightStatements];
    if (result) inner.push(tstl.createAssignmentStatement(tstl.cloneIdentifier(result), right), write(tstl.cloneIdentifier(result)));
    else inner.push(write(right));
    statements.push(tstl.createIfStatement(assign, tstl.createBlock(inner), undefined, node));
    return { statements, value: result };
  }
  statements.push(...rightStatements);
  let value: tstl.Expression;
  if (op === "%") {
    const fmod = tstl.createTableIndexExpression(tstl.createIdentifier("math"), tstl.createStringLiteral("fmod"));
    value = tstl.createCallExpression(fmod, [old(), right], node);
  } else if (op === "**") {
    value = power(context, node.left, node.right, old(), right, node);
  } else if (op !== "+") {
    value = call(context, op, [old(), right], node);
  } else {
    value = tstl.createBinaryExpression(asString(context, node.left, old()), asString(context, node.right, right), tstl.SyntaxKind.ConcatOperator, node);
  }
  if (!result) {
    statements.push(write(value));
    return { statements };
  }
  statements.push(tstl.createVariableDeclarationStatement(tstl.cloneIdentifier(result), value), write(tstl.cloneIdentifier(result)));
  return { statements, value: result };
}

/** A compound assignment on a target compoundAssignment does not know: rejected, as TypeScriptToLua's form would differ. */
function unknownCompoundTarget(context: Context, node: ts.BinaryExpression, op: CompoundOperator): void {
  if (op === "%") context.diagnostics.push(diagnostics.remainderAssignment(node.operatorToken));
  else if (op === "**") context.diagnostics.push(diagnostics.powerAssignment(node.operatorToken));
  else if (op === "||" || op === "&&") context.diagnostics.push(diagnostics.logicalAssignment(node.operatorToken, node.operatorToken.getText()));
}

/** String(v) as JavaScript computes it, unless the value is certainly a Lua string already. */
function asString(context: Context, node: ts.Expression, value: tstl.Expression): tstl.Expression {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return value;
  // A value that may be null but not undefined: nil prints "null" (one that may be both is NF1043).
  const parts = (t: ts.Type) => (t.isUnion() ? t.types : [t]);
  const type = context.checker.getTypeAtLocation(node);
  if (parts(type).some((p) => p.flags & ts.TypeFlags.Null) && !parts(type).some((p) => p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
    return call(context, "__NF_str_null", [value], node);
  }
  // An array prints its elements joined by commas; __NF_str would print the table's address.
  if (isArrayValue(context, context.checker.getTypeAtLocation(node))) return call(context, "__NF_array_str", [value], node);
  return call(context, "__NF_str", [value], node);
}

/** An array, or an array that may be undefined/null: nothing else. */
function isArrayValue(context: Context, type: ts.Type): boolean {
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
  return parts.length > 0 && parts.every((t) => isArrayType(context, t));
}

const UNIT_METHODS: Record<string, string> = {
  codePointAt: "__NF_code_point_at",
  startsWith: "__NF_starts_with",
  endsWith: "__NF_ends_with",
  includes: "__NF_includes",
  charAt: "__NF_char_at",
  charCodeAt: "__NF_char_code_at",
  substring: "__NF_substring",
  slice: "__NF_slice",
  substr: "__NF_substr",
  indexOf: "__NF_index_of",
};

/** Whether an array's elements would print differently with Lua's text than with String():
 * numbers, booleans, undefined, null or arrays among them (strings alone join the same). */
function joinNeedsJsText(context: Context, arrayType: ts.Type): boolean {
  const element = context.checker.getTypeArguments(arrayType as ts.TypeReference)[0];
  if (!element) return false;
  const parts = element.isUnion() ? element.types : [element];
  const printable = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null;
  // Nested arrays print their elements joined by commas, as String() of an array does.
  const isPrintable = (t: ts.Type) => (t.flags & printable) !== 0 || isArrayType(context, t);
  return parts.every(isPrintable) && parts.some((t) => (t.flags & ts.TypeFlags.StringLike) === 0);
}

/** An array of strings only (TypeScriptToLua joins it with table.concat). */
function joinsStrings(context: Context, arrayType: ts.Type): boolean {
  const element = context.checker.getTypeArguments(arrayType as ts.TypeReference)[0];
  return element !== undefined && (element.isUnion() ? element.types : [element]).every((t) => (t.flags & ts.TypeFlags.StringLike) !== 0);
}

/** Members whose optional call `s?.m(…)` the build compiles itself (stringMethodCall). */
export const OPTIONAL_STRING_METHODS = new Set([...Object.keys(UNIT_METHODS), "toUpperCase", "toLowerCase", "padStart", "padEnd", "trim", "trimStart", "trimEnd"]);

/**
 * A string method with JavaScript's meaning (code units, casing, padding, trimming), or undefined
 * when `node` is none of them. `receiver`: the string already in Lua (for `s?.m()`); otherwise
 * `callee.expression` is transformed here, in order with the arguments.
 */
function stringMethodCall(
  context: Context,
  node: ts.CallExpression,
  callee: ts.PropertyAccessExpression,
  receiver?: tstl.Expression,
): tstl.Expression | undefined {
  const name = callee.name.text;
  if (!isString(context, callee.expression)) return undefined;
  const withReceiver = (args: readonly ts.Expression[]): tstl.Expression[] =>
    receiver ? [receiver, ...transformInOrder(context, args)] : transformInOrder(context, [callee.expression, ...args]);
  // Index-based string methods count UTF-16 code units, as in JavaScript.
  // Own entries only: "toString" must not find Object.prototype's function.
  const unitMethod = Object.hasOwn(UNIT_METHODS, name) ? UNIT_METHODS[name] : undefined;
  if (unitMethod && (receiver || !callee.questionDotToken) && node.arguments.every((a) => !ts.isSpreadElement(a))) {
    return asCondition(context, node, unitCall(context, unitMethod, withReceiver(node.arguments), node));
  }
  // toUpperCase/toLowerCase: JavaScript's special casings on top of gopher's mapping.
  if ((name === "toUpperCase" || name === "toLowerCase") && node.arguments.length === 0) {
    const helper = name === "toUpperCase" ? "__NF_to_upper" : "__NF_to_lower";
    return asCondition(context, node, tstl.createCallExpression(use(context, helper), withReceiver([]), node));
  }
  // split(""): one string per UTF-16 code unit, not per byte.
  if (!receiver && name === "split" && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) && node.arguments[0].text === "") {
    return unitCall(context, "__NF_split_units", [context.transformExpression(callee.expression)], node);
  }
  // split(sep) with a separator known only at run time: "" splits code units, not bytes. A
  // non-empty literal separator keeps the lualib's call.
  if (!receiver && name === "split" && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0]) &&
    !(ts.isStringLiteralLike(node.arguments[0]) && node.arguments[0].text !== "") && isStringOrNullish(context, node.arguments[0])) {
    return call(context, "__NF_split", withReceiver(node.arguments), node);
  }
  // split(sep, limit): JavaScript's limit (ToUint32) and code units for "".
  if (!receiver && name === "split" && node.arguments.length === 2 && node.arguments.every((a) => !ts.isSpreadElement(a))) {
    return call(context, "__NF_split", withReceiver(node.arguments), node);
  }
  // replace/replaceAll with a string replacement: $-patterns, and "" between code units. A
  // non-empty literal search with a literal replacement without "$" keeps the lualib's.
  if (!receiver && (name === "replace" || name === "replaceAll") && node.arguments.length === 2 && node.arguments.every((a) => !ts.isSpreadElement(a))) {
    const [search, replacement] = node.arguments;
    const literalSafe = ts.isStringLiteralLike(search) && search.text !== "" && ts.isStringLiteralLike(replacement) && !replacement.text.includes("$");
    if (!literalSafe && isString(context, search) && isString(context, replacement)) {
      return call(context, "__NF_replace", [...withReceiver(node.arguments), tstl.createBooleanLiteral(name === "replaceAll")], node);
    }
  }
  // padStart/padEnd: lengths in code units.
  if ((name === "padStart" || name === "padEnd") && node.arguments.length >= 1) {
    const [text, target, fill] = withReceiver([node.arguments[0], ...node.arguments.slice(1, 2)]);
    const args = [text, target, fill ?? tstl.createNilLiteral(), tstl.createBooleanLiteral(name === "padStart")];
    // A length that can exceed V8's longest string throws RangeError: the helper gets the class.
    if (!isIntegerLiteralIn(context, node.arguments[0], -Infinity, MAX_STRING_LENGTH)) args.push(rangeError(context));
    return unitCall(context, "__NF_pad", args, node);
  }
  // repeat(count): RangeError for a negative or infinite count and for a result longer than V8's
  // longest string (the lualib's string.rep gives "" or allocates). A literal string repeated a
  // literal number of times that fits keeps the lualib's call.
  if (name === "repeat" && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0])) {
    const [count] = node.arguments;
    const unit = ts.isStringLiteralLike(callee.expression) ? Math.max(callee.expression.text.length, 1) : undefined;
    if (!receiver && unit !== undefined && isIntegerLiteralIn(context, count, 0, Math.floor(MAX_STRING_LENGTH / unit))) return undefined;
    const [text, n] = withReceiver(node.arguments);
    return unitCall(context, "__NF_repeat", [text, n, rangeError(context)], node);
  }
  // String.prototype.trim*: whole UTF-8 white-space sequences, JavaScript's set.
  const trims: Record<string, [boolean, boolean]> = { trim: [true, true], trimStart: [true, false], trimEnd: [false, true] };
  const mode = Object.hasOwn(trims, name) ? trims[name] : undefined;
  if (mode && node.arguments.length === 0) {
    const [text] = withReceiver([]);
    return asCondition(context, node, call(context, "__NF_trim", [text, tstl.createBooleanLiteral(mode[0]), tstl.createBooleanLiteral(mode[1])], node));
  }
  return undefined;
}

/** Whether `s?.m(…)` is a call the build compiles itself: a string method with JavaScript's
 * meaning and its arguments, at the end of its chain (the rules use it to let it through). */
export function optionalStringCallHandled(node: ts.CallExpression, callee: ts.PropertyAccessExpression): boolean {
  if (!callee.questionDotToken || !OPTIONAL_STRING_METHODS.has(callee.name.text) || continuesOptionalChain(node)) return false;
  return stringMethodHandled(node, callee);
}

/** Whether a call of a string method (`s.m(…)`, `o?.s.m(…)`) is one stringMethodCall compiles
 * with JavaScript's meaning (given a string receiver). */
export function stringMethodHandled(node: ts.CallExpression, callee: ts.PropertyAccessExpression): boolean {
  const name = callee.name.text;
  if (!OPTIONAL_STRING_METHODS.has(name) && name !== "split") return false;
  if (node.arguments.some((a) => ts.isSpreadElement(a))) return false;
  if (name === "toUpperCase" || name === "toLowerCase" || name.startsWith("trim")) return node.arguments.length === 0;
  if (name === "padStart" || name === "padEnd") return node.arguments.length >= 1;
  return true;
}

/** Whether a call is continued by a later member of the same optional chain (`s?.m().n`). */
export function continuesOptionalChain(node: ts.Expression): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) &&
    parent.expression === node && ts.isOptionalChain(parent);
}

/**
 * `s?.m(…)` for a string method with JavaScript's meaning, at the end of its chain: the string
 * once, and the call (its arguments included) only when it is not nil, as JavaScript
 * short-circuits; the value is nil (undefined) otherwise.
 */
function optionalStringCall(context: Context, node: ts.CallExpression, callee: ts.PropertyAccessExpression): tstl.Expression | undefined {
  if (!optionalStringCallHandled(node, callee) || !isString(context, callee.expression)) return undefined;
  const value = context.transformExpression(callee.expression);
  const text = context.createTempNameForLuaExpression(value);
  context.addPrecedingStatements(tstl.createVariableDeclarationStatement(text, value));
  const result = tstl.createIdentifier(context.createTempName("opt"));
  context.addPrecedingStatements(tstl.createVariableDeclarationStatement(tstl.cloneIdentifier(result)));
  context.pushPrecedingStatements();
  const called = stringMethodCall(context, node, callee, tstl.cloneIdentifier(text));
  const inside = context.popPrecedingStatements();
  if (!called) return undefined;
  const notNil = tstl.createBinaryExpression(tstl.cloneIdentifier(text), tstl.createNilLiteral(), tstl.SyntaxKind.InequalityOperator);
  context.addPrecedingStatements(
    tstl.createIfStatement(notNil, tstl.createBlock([...inside, tstl.createAssignmentStatement(tstl.cloneIdentifier(result), called)])),
  );
  return tstl.cloneIdentifier(result);
}

function isString(context: Context, node: ts.Expression): boolean {
  return (receiverType(context, node).flags & ts.TypeFlags.StringLike) !== 0;
}

/**
 * Whether `node` is the part of an optional chain after its `?.`, as TypeScriptToLua rebuilds it
 * (`o?.s.length` becomes `____opt.s.length`, evaluated only when `o` is not nil): a member, index
 * or call chain that starts at its continuation name.
 */
function inOptionalContinuation(node: ts.Expression): boolean {
  let n: ts.Expression = node;
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n) || ts.isNonNullExpression(n) || ts.isParenthesizedExpression(n)) {
    n = n.expression;
  }
  return isOptionalContinuation(n);
}

/**
 * The type of a member's receiver. Inside an optional chain's continuation, without the undefined
 * the chain adds (`o?.s` is `string | undefined` to TypeScript, a string where the rest of the
 * chain runs; TypeScript rejects `o?.s.length` when `s` itself may be undefined).
 */
function receiverType(context: Context, node: ts.Expression): ts.Type {
  const type = context.checker.getTypeAtLocation(node);
  return inOptionalContinuation(node) ? context.checker.getNonNullableType(type) : type;
}

/** A call to one of the code-unit helpers (defined in the __NF_units block, inlined one by one). */
function unitCall(context: Context, name: string, args: tstl.Expression[], node: ts.Node): tstl.CallExpression {
  return tstl.createCallExpression(use(context, name as HelperName), args, node);
}

/**
 * What `.length` of a value of this type counts: "string" (every part a string), "array" (every
 * part an array or a tuple), "either" (each part one of the two: told apart at run time, where a
 * string is a Lua string and an array a table); undefined for anything else (any, unknown,
 * objects: TypeScriptToLua's arrays and objects are both tables, and `{}` cannot be told from `[]`).
 */
export function lengthKind(checker: ts.TypeChecker, type: ts.Type): "string" | "array" | "either" | undefined {
  const parts = type.isUnion() ? type.types : [type];
  const string = (t: ts.Type) => (t.flags & ts.TypeFlags.StringLike) !== 0;
  const array = (t: ts.Type) => checker.isArrayType(t) || checker.isTupleType(t);
  if (parts.every(string)) return "string";
  if (parts.every(array)) return "array";
  return parts.every((t) => string(t) || array(t)) ? "either" : undefined;
}

/**
 * Whether the build compiles `x?.length` with JavaScript's meaning: `x` is a string, an array or
 * either (possibly undefined), wherever it stands in its chain (TypeScriptToLua's chain puts it in
 * a temporary, and the member visitor reads its length by its type without the undefined).
 */
export function optionalLengthCompiled(checker: ts.TypeChecker, node: ts.PropertyAccessExpression): boolean {
  if (!node.questionDotToken || node.name.text !== "length") return false;
  return lengthKind(checker, checker.getNonNullableType(checker.getTypeAtLocation(node.expression))) !== undefined;
}

/**
 * `x?.length` compiled without TypeScriptToLua's chain: a plain reference to a string, an array
 * or either (possibly undefined), alone in its chain. Undefined for every other `?.length`.
 */
export function optionalLengthKind(checker: ts.TypeChecker, node: ts.PropertyAccessExpression): "string" | "array" | "either" | undefined {
  if (!node.questionDotToken || node.name.text !== "length" || !isPlainReference(node.expression)) return undefined;
  if (ts.isOptionalChain(node.parent) && (node.parent as ts.PropertyAccessExpression).expression === node) return undefined;
  return lengthKind(checker, checker.getNonNullableType(checker.getTypeAtLocation(node.expression)));
}

/** A target that can be read and written twice without side effects: `x`, `a.b.c`. */
export function isPlainReference(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return true;
  return ts.isPropertyAccessExpression(node) && !node.questionDotToken && isPlainReference(node.expression);
}

/** Expression kinds whose only change is JavaScript truthiness when they stand in a condition. */
const CONDITION_ONLY_KINDS = [
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.ParenthesizedExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.TypeAssertionExpression,
  ts.SyntaxKind.SatisfiesExpression,
  ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.PostfixUnaryExpression,
] as const;

const conditionOnly = (node: ts.Expression, context: Context) =>
  adaptContext(context, node) ?? asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);

/**
 * The variables a `for (let …; …; …)` declares, when a function inside the loop captures one of
 * them: JavaScript gives each iteration its own copy, TypeScriptToLua one shared Lua local.
 */
function perIterationBindings(context: Context, node: ts.ForStatement): ts.Identifier[] | undefined {
  const init = node.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || !(init.flags & ts.NodeFlags.BlockScoped)) return undefined;
  const names = init.declarations.map((d) => d.name);
  if (!names.every(ts.isIdentifier)) return undefined;
  const symbols = new Set(names.map((n) => context.checker.getSymbolAtLocation(n)).filter((s) => s !== undefined));
  const refers = (n: ts.Node): boolean => {
    if (ts.isIdentifier(n)) {
      const symbol = ts.isShorthandPropertyAssignment(n.parent) && n.parent.name === n
        ? context.checker.getShorthandAssignmentValueSymbol(n.parent)
        : context.checker.getSymbolAtLocation(n);
      if (symbol && symbols.has(symbol)) return true;
    }
    return ts.forEachChild(n, refers) ?? false;
  };
  const captures = (n: ts.Node): boolean => (ts.isFunctionLike(n) ? refers(n) : (ts.forEachChild(n, captures) ?? false));
  return captures(node) ? (names as ts.Identifier[]) : undefined;
}

/**
 * `for (let i …)` whose variables a closure captures, with JavaScript's copy per iteration:
 *
 *     local i = 0; local ____i = i; local ____first = true
 *     while true do
 *         local i = ____i                       -- this iteration's binding
 *         if ____first then ____first = false else i = i + 1 end
 *         if not (i < 3) then break end
 *         <body>
 *         ____i = i                             -- carried into the next iteration
 *     end
 *
 * The increment runs on the next iteration's copy, as in JavaScript, so closures of the body
 * keep the value their iteration ended with.
 */
function transformPerIterationFor(context: Context, node: ts.ForStatement, names: ts.Identifier[]): tstl.Statement {
  const declarations = (node.initializer as ts.VariableDeclarationList).declarations;
  context.pushScope(ScopeType.Loop, node);
  const outer: tstl.Statement[] = declarations.flatMap((d) => transformVariableDeclaration(context, d));
  const locals = names.map((n) => context.transformExpression(n) as tstl.Identifier);
  const carries = locals.map((local) => tstl.createIdentifier(context.createTempName(local.text)));
  locals.forEach((local, i) => outer.push(tstl.createVariableDeclarationStatement(carries[i], tstl.cloneIdentifier(local))));
  const inner: tstl.Statement[] = locals.map((local, i) => tstl.createVariableDeclarationStatement(tstl.cloneIdentifier(local), tstl.cloneIdentifier(carries[i])));
  if (node.incrementor) {
    const first = tstl.createIdentifier(context.createTempName("first"));
    outer.push(tstl.createVariableDeclarationStatement(first, tstl.createBooleanLiteral(true)));
    const increment = context.transformStatements(ts.factory.createExpressionStatement(node.incrementor));
    inner.push(
      tstl.createIfStatement(
        tstl.cloneIdentifier(first),
        tstl.createBlock([tstl.createAssignmentStatement(tstl.cloneIdentifier(first), tstl.createBooleanLiteral(false))]),
        tstl.createBlock(increment),
      ),
    );
  }
  if (node.condition) {
    context.pushPrecedingStatements();
    const condition = context.transformExpression(node.condition);
    inner.push(...context.popPrecedingStatements());
    const stop = tstl.createUnaryExpression(condition, tstl.SyntaxKind.NotOperator);
    inner.push(tstl.createIfStatement(stop, tstl.createBlock([tstl.createBreakStatement()]), undefined, node.condition));
  }
  inner.push(...transformLoopBody(context, node));
  locals.forEach((local, i) => inner.push(tstl.createAssignmentStatement(tstl.cloneIdentifier(carries[i]), tstl.cloneIdentifier(local))));
  outer.push(tstl.createWhileStatement(tstl.createBlock(inner), tstl.createBooleanLiteral(true), node));
  context.popScope();
  return tstl.createDoStatement(outer, node);
}

/** Built-ins that Lua has no value for, by name: what stands in when one is passed as a value. */
const GLOBAL_VALUES: Record<string, HelperName> = {
  Number: "__NF_value_Number",
  String: "__NF_value_String",
  Boolean: "__NF_value_Boolean",
  parseInt: "__NF_value_parseInt",
  parseFloat: "__NF_value_parseFloat",
  isNaN: "__NF_value_isNaN",
  isFinite: "__NF_value_isFinite",
  encodeURIComponent: "__NF_value_encodeURIComponent",
  encodeURI: "__NF_value_encodeURI",
  decodeURIComponent: "__NF_value_decodeURIComponent",
  decodeURI: "__NF_value_decodeURI",
  escape: "__NF_value_escape",
  unescape: "__NF_value_unescape",
};
const NUMBER_VALUES: Record<string, HelperName> = {
  parseInt: "__NF_value_parseInt",
  parseFloat: "__NF_value_parseFloat",
  isNaN: "__NF_value_Number_isNaN",
  isFinite: "__NF_value_Number_isFinite",
  isInteger: "__NF_value_Number_isInteger",
};

/**
 * Arguments whose function takes no context argument (declared in a filter: noImplicitSelf) passed
 * where the parameter's function takes one (the ES library's callbacks: `servers.map(describe)`),
 * or the other way round. TypeScriptToLua rejects them (TSTL100016); the build passes a function
 * that adds or drops the context argument instead. Marked here, wrapped by the argument's own
 * visitor (a name or a property access).
 */
const contextAdapted = new WeakMap<ts.Node, "add" | "drop">();
/** The argument kinds whose visitors wrap a marked argument. */
const CONTEXT_ADAPTED_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier, ts.SyntaxKind.PropertyAccessExpression, ts.SyntaxKind.ElementAccessExpression, ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.ConditionalExpression, ts.SyntaxKind.ParenthesizedExpression, ts.SyntaxKind.AsExpression, ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.SatisfiesExpression, ts.SyntaxKind.TypeAssertionExpression,
]);

function markContextAdaptations(context: Context, node: ts.CallExpression): ts.Expression[] {
  const signature = context.checker.getResolvedSignature(node);
  // As TypeScriptToLua's validateArguments: arguments beyond the parameters are not checked.
  if (!signature || signature.parameters.length < node.arguments.length) return [];
  const marked: ts.Expression[] = [];
  node.arguments.forEach((arg, i) => {
    const declaration = signature.parameters[i].valueDeclaration;
    if (!declaration || !CONTEXT_ADAPTED_KINDS.has(arg.kind)) return;
    const from = getFunctionContextType(context, context.checker.getTypeAtLocation(arg));
    const to = getFunctionContextType(context, context.checker.getTypeAtLocation(declaration));
    if (from === ContextType.Void && to === ContextType.NonVoid) contextAdapted.set(arg, "add");
    else if (from === ContextType.NonVoid && to === ContextType.Void) contextAdapted.set(arg, "drop");
    else return;
    marked.push(arg);
  });
  return marked;
}

/** `function(____, ...) return f(...) end` (add) or `function(...) return f(nil, ...) end` (drop),
 * with `f` evaluated once, where the argument stands, as JavaScript evaluates it. */
function contextAdapter(context: Context, node: ts.Expression, how: "add" | "drop"): tstl.Expression {
  let fn = context.transformExpression(node);
  if (!tstl.isIdentifier(fn)) {
    const temp = context.createTempNameForLuaExpression(fn);
    context.addPrecedingStatements(tstl.createVariableDeclarationStatement(temp, fn));
    fn = tstl.cloneIdentifier(temp);
  }
  const args: tstl.Expression[] = how === "drop" ? [tstl.createNilLiteral(), tstl.createDotsLiteral()] : [tstl.createDotsLiteral()];
  const params = how === "add" ? [tstl.createAnonymousIdentifier()] : [];
  const body = tstl.createBlock([tstl.createReturnStatement([tstl.createCallExpression(fn, args)])]);
  return tstl.createFunctionExpression(body, params, tstl.createDotsLiteral(), tstl.NodeFlags.Inline, node);
}

/** Transforms `node` (a marked argument) through its visitor, then wraps it. */
function adaptContext(context: Context, node: ts.Expression): tstl.Expression | undefined {
  const how = contextAdapted.get(node);
  if (!how) return undefined;
  contextAdapted.delete(node);
  return contextAdapter(context, node, how);
}

/** Whether an expression is used as a value: not called, not the object of a member access. */
function isValueUse(node: ts.Expression): boolean {
  let child: ts.Node = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent) || ts.isSatisfiesExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent) || ts.isTaggedTemplateExpression(parent)) && (parent as { expression?: ts.Node }).expression === child) {
    return false;
  }
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === child) return false;
  if (ts.isTypeOfExpression(parent) || ts.isHeritageClause(parent) || ts.isExpressionWithTypeArguments(parent)) return false;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) return false;
  return true;
}

/** `Number.parseFloat` and friends: the global `Number`'s member `name`, or undefined. */
function numberMember(context: Context, node: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression) || !isLibGlobal(context, node.expression, "Number")) return undefined;
  return node.name.text;
}

function isAssignmentTarget(node: ts.Node): boolean {
  const parent = node.parent;
  return parent !== undefined && ts.isBinaryExpression(parent) && parent.left === node &&
    parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

export function skipParentheses(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/** `accept(…)`/`reject(…)` from "nauthilus-sdk", or a conditional whose branches all are. */
export function isHelperResult(checker: ts.TypeChecker, node: ts.Expression): boolean {
  const inner = skipParentheses(node);
  if (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression)) return resolveSdkHelper(checker, inner.expression) !== undefined;
  if (ts.isConditionalExpression(inner)) return isHelperResult(checker, inner.whenTrue) && isHelperResult(checker, inner.whenFalse);
  return false;
}

/**
 * `return c ? reject() : accept()`: each helper is two Lua values (action, code), which no
 * expression can choose between, so the conditional becomes an if/else of returns.
 */
function helperResultReturns(context: Context, node: ts.Expression): tstl.Statement[] {
  const inner = skipParentheses(node);
  if (ts.isConditionalExpression(inner)) {
    context.pushPrecedingStatements();
    const condition = context.transformExpression(inner.condition);
    const before = context.popPrecedingStatements();
    const whenTrue = tstl.createBlock(helperResultReturns(context, inner.whenTrue));
    const otherwise = helperResultReturns(context, inner.whenFalse);
    const whenFalse = otherwise.length === 1 && tstl.isIfStatement(otherwise[0]) ? otherwise[0] : tstl.createBlock(otherwise);
    return [...before, tstl.createIfStatement(condition, whenTrue, whenFalse, inner)];
  }
  const helperCall = inner as ts.CallExpression;
  const reject = resolveSdkHelper(context.checker, helperCall.expression as ts.Identifier) === "reject";
  const [argument] = helperCall.arguments;
  const code = argument ? context.transformExpression(argument) : tstl.createNumericLiteral(reject ? 1 : 0);
  return [helperReturn(context, reject, code, helperCall)];
}

/**
 * `return accept(code)` / `return reject(code)` as the two values Nauthilus reads. Inside a
 * try or catch block, which TypeScriptToLua runs as a function of its own, the return is told to
 * the try statement as TypeScriptToLua's own returns are (`return true, {action, code}`; the try
 * statement then returns `unpack(____returnValue)`): a plain `return false, 0` there only left
 * the block, and the filter went on as if nothing had been returned.
 */
export function helperReturn(context: Context, reject: boolean, code: tstl.Expression, node: ts.Node): tstl.ReturnStatement {
  const values = [tstl.createBooleanLiteral(reject), code];
  let insideTry = false;
  // As TypeScriptToLua's return statement: every scope up to the function learns that it returns.
  for (const scope of walkScopesUp(context)) {
    scope.functionReturned = true;
    if (scope.type === ScopeType.Function) break;
    insideTry = insideTry || scope.type === ScopeType.Try || scope.type === ScopeType.Catch;
  }
  if (insideTry) return tstl.createReturnStatement([tstl.createBooleanLiteral(true), tstl.createTableExpression(values.map((v) => tstl.createTableFieldExpression(v)))], node);
  return tstl.createReturnStatement(values, node);
}

/** Object binding patterns with a rest element, in the order TypeScriptToLua emits their
 * __TS__ObjectRest calls (an inner pattern before the rest of the pattern around it). */
function objectRestPatterns(node: ts.Node, found: ts.ObjectBindingPattern[] = []): ts.ObjectBindingPattern[] {
  ts.forEachChild(node, (child) => {
    objectRestPatterns(child, found);
  });
  if (ts.isObjectBindingPattern(node) && node.elements.some((e) => e.dotDotDotToken)) found.push(node);
  return found;
}

/** The key a binding element reads, when it is known at compile time: JavaScript's string. */
function staticKey(context: Context, element: ts.BindingElement): string | undefined {
  const key = element.propertyName ?? element.name;
  if (ts.isIdentifier(key) || ts.isStringLiteral(key)) return key.text;
  if (ts.isNumericLiteral(key)) return String(Number(key.text));
  if (ts.isComputedPropertyName(key)) {
    const type = context.checker.getTypeAtLocation(key.expression);
    if (type.isStringLiteral()) return type.value;
    if (type.isNumberLiteral()) return String(type.value);
  }
  return undefined;
}

/** Every __TS__ObjectRest call in `node`, in source order. */
function objectRestCalls(node: unknown, found: tstl.CallExpression[] = []): tstl.CallExpression[] {
  if (Array.isArray(node)) {
    for (const item of node) objectRestCalls(item, found);
    return found;
  }
  if (typeof node !== "object" || node === null || typeof (node as { kind?: unknown }).kind !== "number") return found;
  const lua = node as tstl.Node;
  if (tstl.isCallExpression(lua) && tstl.isIdentifier(lua.expression) && lua.expression.text === "__TS__ObjectRest") found.push(lua);
  for (const [key, value] of Object.entries(lua)) {
    if (key !== "tsOriginal" && key !== "parent") objectRestCalls(value, found);
  }
  return found;
}

/**
 * `const { "X-Mail-Quota": q, ...rest } = o`: TypeScriptToLua leaves quoted, numeric and
 * computed keys out of the keys the rest excludes, so rest kept them. The list is rebuilt
 * from the pattern when every key is known at compile time.
 */
function fixObjectRests(context: Context, node: ts.Node, statements: tstl.Statement[]): void {
  const patterns = objectRestPatterns(node);
  if (patterns.length === 0) return;
  const calls = objectRestCalls(statements);
  if (calls.length !== patterns.length) return;
  patterns.forEach((pattern, i) => {
    const keys = pattern.elements.filter((e) => !e.dotDotDotToken).map((e) => staticKey(context, e));
    if (keys.some((k) => k === undefined) || calls[i].params.length !== 2) return;
    calls[i].params[1] = tstl.createTableExpression(
      keys.map((k) => tstl.createTableFieldExpression(tstl.createBooleanLiteral(true), tstl.createStringLiteral(k!))),
    );
  });
}

/**
 * `break` and `continue` that leave a try or catch block: TypeScriptToLua runs those blocks as
 * functions (pcall), where its `break` is not valid Lua ("no loop to break"). Such a jump sets a
 * flag of its try statement and returns from the block; after the try statement (its finally
 * block included) the flag breaks or continues, or is handed on to the next try statement out.
 */
const tryJumps = new WeakMap<ts.TryStatement, { broke?: string; continued?: string }>();

/** What an unlabeled `break` (a loop or a switch) or `continue` (a loop) goes to. */
function jumpTarget(node: ts.Node, kind: "broke" | "continued"): ts.Node | undefined {
  for (let n = node.parent; n && !ts.isFunctionLike(n) && !ts.isClassLike(n); n = n.parent) {
    if (ts.isIterationStatement(n, false) || (kind === "broke" && ts.isSwitchStatement(n))) return n;
  }
  return undefined;
}

/** The innermost try statement whose try or catch block lies between `from` and `target`. */
function tryBetween(from: ts.Node, target: ts.Node): ts.TryStatement | undefined {
  for (let n: ts.Node = from; n.parent && n.parent !== target; n = n.parent) {
    const parent = n.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === n) return parent;
    if (ts.isCatchClause(n)) return n.parent as ts.TryStatement;
  }
  return undefined;
}

function tryFlag(context: Context, statement: ts.TryStatement, kind: "broke" | "continued"): tstl.Identifier {
  let jumps = tryJumps.get(statement);
  if (!jumps) tryJumps.set(statement, (jumps = {}));
  return tstl.createIdentifier((jumps[kind] ??= context.createTempName(kind)));
}

/** The `__continueN` flag of a loop: marks the loop as continued (TypeScriptToLua then declares it). */
function continueFlag(context: Context, loop: ts.Node): tstl.Identifier | undefined {
  for (const scope of walkScopesUp(context)) {
    if (scope.type === ScopeType.Loop && scope.node === loop) {
      scope.loopContinued = LoopContinued.WithRepeatBreak;
      return tstl.createIdentifier(`__continue${scope.id}`);
    }
  }
  return undefined;
}

/**
 * The Lua for a `break` or `continue` standing at `from`: through the next try statement out when
 * one lies before the target (its flag, then a return from the block), else Lua's own.
 */
function jumpStatements(context: Context, from: ts.Node, kind: "broke" | "continued"): tstl.Statement[] | undefined {
  const target = jumpTarget(from, kind);
  if (!target) return undefined;
  const through = tryBetween(from, target);
  if (through) {
    return [tstl.createAssignmentStatement(tryFlag(context, through, kind), tstl.createBooleanLiteral(true)), tstl.createDoStatement([tstl.createReturnStatement([])])];
  }
  if (kind === "broke") return [tstl.createBreakStatement()];
  const flag = continueFlag(context, target);
  return flag ? [tstl.createAssignmentStatement(flag, tstl.createBooleanLiteral(true)), tstl.createBreakStatement()] : undefined;
}

/** Whether a `continue` inside this switch (not in a nested loop or function) goes to a loop around it. */
function continuesAcross(node: ts.SwitchStatement): boolean {
  const visit = (n: ts.Node): boolean => {
    if (ts.isContinueStatement(n)) return n.label === undefined;
    if (ts.isFunctionLike(n) || ts.isIterationStatement(n, false) || ts.isClassLike(n)) return false;
    return ts.forEachChild(n, visit) ?? false;
  };
  return ts.forEachChild(node.caseBlock, visit) ?? false;
}

function hasPrivateName(node: ts.Node): boolean {
  return ts.isPrivateIdentifier(node) || (ts.forEachChild(node, hasPrivateName) ?? false);
}

/** The visitors; each falls back to TypeScriptToLua's own (superTransformNode) when not needed. */
const visitors: Visitors = {
  ...(Object.fromEntries(CONDITION_ONLY_KINDS.map((kind) => [kind, conditionOnly])) as Visitors),
  [ts.SyntaxKind.ConditionalExpression]: (node, context) => {
    const adapted = adaptContext(context, node);
    if (adapted) return adapted;
    // A node TypeScript synthesized (a conditional holding a called arrow function) has no parent.
    let outer: ts.Node = node;
    while (outer.parent && ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    if (outer.parent && ts.isReturnStatement(outer.parent) && isHelperResult(context.checker, node)) {
      context.addPrecedingStatements(helperResultReturns(context, node));
      // Never reached: every branch of the if above returns (TypeScriptToLua prints it as
      // `return unpack(nil)` in a function typed FilterResult).
      return tstl.createNilLiteral();
    }
    return conditionOnly(node, context);
  },
  // TypeScriptToLua throws on a private name (#x) instead of reporting it: such a class is
  // left out, and the build's rule NF1040 rejects the file.
  [ts.SyntaxKind.ClassDeclaration]: (node, context) => (hasPrivateName(node) ? [] : (context.superTransformNode(node) as tstl.Statement[])),
  [ts.SyntaxKind.ClassExpression]: (node, context) => (hasPrivateName(node) ? tstl.createNilLiteral(node) : (context.superTransformNode(node)[0] as tstl.Expression)),
  // `continue` inside a switch inside a loop: TypeScriptToLua (Lua 5.1, no goto) sets the loop's
  // `__continueN` flag and breaks, which leaves only the switch's own `repeat … until true`. After
  // such a switch the flag is tested and the break passed on, up to the loop body's wrapper.
  [ts.SyntaxKind.SwitchStatement]: (node, context) => {
    const statements = context.superTransformNode(node) as tstl.Statement[];
    const loop = continuesAcross(node) ? findScope(context, ScopeType.Loop) : undefined;
    if (loop === undefined) return statements;
    const flag = tstl.createIdentifier(`__continue${loop.id}`);
    return [...statements, tstl.createIfStatement(flag, tstl.createBlock([tstl.createBreakStatement()]))];
  },
  [ts.SyntaxKind.BreakStatement]: (node, context) => {
    if (!node.label && !isInAsyncFunction(node)) {
      const target = jumpTarget(node, "broke");
      if (target && tryBetween(node, target)) return jumpStatements(context, node, "broke")!;
    }
    return context.superTransformNode(node) as tstl.Statement[];
  },
  [ts.SyntaxKind.ContinueStatement]: (node, context) => {
    if (!node.label && !isInAsyncFunction(node)) {
      const target = jumpTarget(node, "continued");
      if (target && tryBetween(node, target)) return jumpStatements(context, node, "continued")!;
    }
    return context.superTransformNode(node) as tstl.Statement[];
  },
  [ts.SyntaxKind.TryStatement]: (node, context) => {
    const statements = context.superTransformNode(node) as tstl.Statement[];
    if (node.catchClause?.variableDeclaration) convertCaught(context, statements);
    const jumps = tryJumps.get(node);
    if (!jumps) return statements;
    const flags = [jumps.broke, jumps.continued].filter((f): f is string => f !== undefined);
    const checks: tstl.Statement[] = [];
    for (const kind of ["broke", "continued"] as const) {
      const flag = jumps[kind];
      const then = flag && jumpStatements(context, node, kind);
      if (flag && then) checks.push(tstl.createIfStatement(tstl.createIdentifier(flag), tstl.createBlock(then)));
    }
    const declaration = tstl.createVariableDeclarationStatement(flags.map((f) => tstl.createIdentifier(f)));
    return [tstl.createDoStatement([declaration, ...statements, ...checks], node)];
  },
  [ts.SyntaxKind.VariableStatement]: (node, context) => {
    // `const { ip, ...rest } = server`: the rest walks its source with pairs(), so a BackendServer
    // is copied first (serverSources).
    for (const declaration of node.declarationList.declarations) {
      if (ts.isObjectBindingPattern(declaration.name) && declaration.name.elements.some((e) => e.dotDotDotToken)) {
        markServerSource(context, declaration.initializer);
      }
    }
    const statements = context.superTransformNode(node) as tstl.Statement[];
    fixObjectRests(context, node, statements);
    return statements;
  },
  // Strings iterate by code points (the lualib goes byte by byte): for…of, spread, yield*.
  [ts.SyntaxKind.ForOfStatement]: (node, context) => {
    const statements = context.superTransformNode(node) as tstl.Statement[];
    if (node.awaitModifier || !mayIterateString(context, node.expression)) return statements;
    for (const statement of statements) {
      if (tstl.isForInStatement(statement) && statement.expressions.length === 1) {
        // TypeScriptToLua iterates a union with an array part by ipairs, anything else by __TS__Iterator.
        const iterated = statement.expressions[0];
        const feature = tstl.isCallExpression(iterated) && tstl.isIdentifier(iterated.expression) && iterated.expression.text === "ipairs" ? "ipairs" : "__TS__Iterator";
        statement.expressions[0] = iterateCodePoints(context, iterated, feature);
      }
    }
    return statements;
  },
  [ts.SyntaxKind.SpreadElement]: (node, context) => {
    const lua = context.superTransformNode(node)[0] as tstl.Expression;
    return mayIterateString(context, node.expression) ? iterateCodePoints(context, lua, "__TS__Spread") : lua;
  },
  [ts.SyntaxKind.NewExpression]: (node, context) => {
    const lua = context.superTransformNode(node)[0] as tstl.Expression;
    const first = node.arguments?.[0];
    if (
      ts.isIdentifier(node.expression) && isLibGlobal(context, node.expression, "Set") && first && !ts.isSpreadElement(first) && mayIterateString(context, first) &&
      tstl.isCallExpression(lua) && lua.params.length > 1
    ) {
      lua.params[1] = call(context, "__NF_code_points", [lua.params[1]]);
    }
    return lua;
  },
  [ts.SyntaxKind.YieldExpression]: (node, context) => {
    const lua = context.superTransformNode(node)[0] as tstl.Expression;
    return node.asteriskToken && node.expression && mayIterateString(context, node.expression) ? iterateCodePoints(context, lua, "__TS__DelegatedYield") : lua;
  },
  [ts.SyntaxKind.ForStatement]: (node, context) => {
    const names = perIterationBindings(context, node);
    if (names) return transformPerIterationFor(context, node, names);
    return context.superTransformNode(node) as tstl.Statement[];
  },
  [ts.SyntaxKind.ExpressionStatement]: (node, context) => {
    // `x %= y`, `x **= y`, `x ||= y`, `x &&= y`, `s += v` on a string: JavaScript's meaning, on
    // any target (compoundAssignment; inside expressions the BinaryExpression visitor).
    const e = node.expression;
    const op = ts.isBinaryExpression(e) ? compoundOperator(context, e) : undefined;
    if (op) {
      const compiled = compoundAssignment(context, e as ts.BinaryExpression, op, false);
      // Its temporaries (a table, a key, an old value) end with the statement.
      if (compiled) return compiled.statements.length > 1 ? [tstl.createDoStatement(compiled.statements, node)] : compiled.statements;
      unknownCompoundTarget(context, e as ts.BinaryExpression, op);
    }
    return context.superTransformNode(node) as tstl.Statement[];
  },
  [ts.SyntaxKind.Identifier]: (node, context) => {
    const adapted = adaptContext(context, node);
    if (adapted) return adapted;
    // Infinity is math.huge in TypeScriptToLua, the largest finite float64 on gopher-lua.
    if (isLibGlobal(context, node, "Infinity")) return asCondition(context, node, infinity(node));
    const value = Object.hasOwn(GLOBAL_VALUES, node.text) ? GLOBAL_VALUES[node.text] : undefined;
    if (value && isLibGlobal(context, node, node.text) && isValueUse(node)) return use(context, value);
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
  [ts.SyntaxKind.PropertyAccessExpression]: (node, context) => {
    const adapted = adaptContext(context, node);
    if (adapted) return adapted;
    // `x?.length` on a plain string or array reference: undefined when x is, else its length
    // (TypeScriptToLua would read a field `length`, always nil). Other forms go through
    // TypeScriptToLua's chain: arrays it counts itself, strings below; other types are NF1031.
    const optionalLength = optionalLengthKind(context.checker, node);
    if (optionalLength) {
      // A plain reference reads the same value each time it is compiled.
      const ref = () => context.transformExpression(node.expression);
      const length =
        optionalLength === "string"
          ? unitCall(context, "__NF_str_len", [ref()], node)
          : optionalLength === "either"
            ? call(context, "__NF_length", [ref()], node)
            : call(context, "__NF_alen", [ref()], node);
      const present = tstl.createBinaryExpression(ref(), tstl.createNilLiteral(), tstl.SyntaxKind.InequalityOperator);
      const chosen = tstl.createBinaryExpression(tstl.createBinaryExpression(present, length, tstl.SyntaxKind.AndOperator), tstl.createNilLiteral(), tstl.SyntaxKind.OrOperator, node);
      return asCondition(context, node, chosen);
    }
    if (node.name.text === "length" && !node.questionDotToken) {
      // A string (a union of string literals too), or a string or an array told apart at run time.
      const kind = isString(context, node.expression) ? "string" : lengthKind(context.checker, receiverType(context, node.expression));
      if (kind === "string") return asCondition(context, node, unitCall(context, "__NF_str_len", [context.transformExpression(node.expression)], node));
      if (kind === "either") return asCondition(context, node, call(context, "__NF_length", [context.transformExpression(node.expression)], node));
      // An array: JavaScript's length, which counts undefined elements at the end that gopher's `#`
      // does not (build/array-lengths.ts). `a.length = n` stays TypeScriptToLua's setter.
      if (kind === "array" && !isAssignmentTarget(node)) return asCondition(context, node, call(context, "__NF_alen", [context.transformExpression(node.expression)], node));
    }
    if (ts.isIdentifier(node.expression) && isLibGlobal(context, node.expression, "Number")) {
      const value = Object.hasOwn(NUMBER_VALUES, node.name.text) ? NUMBER_VALUES[node.name.text] : undefined;
      if (value && isValueUse(node)) return use(context, value);
      if (node.name.text === "POSITIVE_INFINITY") return infinity(node);
      if (node.name.text === "NEGATIVE_INFINITY") return tstl.createUnaryExpression(infinity(node), tstl.SyntaxKind.NegationOperator, node);
    }
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
  [ts.SyntaxKind.ElementAccessExpression]: (node, context) => {
    const adapted = adaptContext(context, node);
    if (adapted) return adapted;
    if (isString(context, node.expression) && !node.questionDotToken) {
      const args = transformInOrder(context, [node.expression, node.argumentExpression]);
      return asCondition(context, node, unitCall(context, "__NF_str_index", args, node));
    }
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
  // `{ ...server }`, `for (k in server)`: a BackendServer source is copied first (serverSources).
  // `{ ...a, k: v }`, `Object.assign(t, { k: v })`: TypeScriptToLua copies the properties from a
  // table literal, which has no key k when v is undefined, so the k before stayed; each value that
  // may be nil is marked (__NF_present) and the copy removes the key (build/lualib-objects.ts).
  [ts.SyntaxKind.ObjectLiteralExpression]: (node, context) => {
    for (const member of node.properties) if (ts.isSpreadAssignment(member)) markServerSource(context, member.expression);
    const lua = context.superTransformNode(node)[0] as tstl.Expression;
    const mark = (table: tstl.TableExpression) => {
      for (const field of table.fields) {
        const value = field.value;
        if (field.key && !tstl.isNumericLiteral(value) && !tstl.isStringLiteral(value) && !tstl.isBooleanLiteral(value) && !tstl.isTableExpression(value) && !tstl.isFunctionExpression(value)) {
          field.value = call(context, "__NF_present", [value]);
        }
      }
    };
    if (tstl.isCallExpression(lua) && tstl.isIdentifier(lua.expression) && lua.expression.text === "__TS__ObjectAssign") {
      for (const part of lua.params.slice(1)) if (tstl.isTableExpression(part)) mark(part);
    }
    // `Object.assign(t, { k: v })`: the same copy.
    const parent = node.parent;
    if (tstl.isTableExpression(lua) && ts.isCallExpression(parent) && parent.arguments.indexOf(node) >= 1 && ts.isPropertyAccessExpression(parent.expression) &&
      ts.isIdentifier(parent.expression.expression) && isLibGlobal(context, parent.expression.expression, "Object") && parent.expression.name.text === "assign") {
      mark(lua);
    }
    return lua;
  },
  // for…in visits keys in JavaScript's order (__NF_for_in), not pairs() order.
  [ts.SyntaxKind.ForInStatement]: (node, context) => {
    markServerSource(context, node.expression);
    const statements = context.superTransformNode(node) as tstl.Statement[];
    for (const statement of statements) {
      if (!tstl.isForInStatement(statement)) continue;
      const [iterated] = statement.expressions;
      if (iterated && tstl.isCallExpression(iterated) && tstl.isIdentifier(iterated.expression) && iterated.expression.text === "pairs" && iterated.params.length === 1) {
        statement.expressions[0] = call(context, "__NF_for_in", [iterated.params[0]], node.expression);
      }
    }
    return statements;
  },
  [ts.SyntaxKind.CallExpression]: (node, context) => {
    const adaptedCall = adaptContext(context, node);
    if (adaptedCall) return adaptedCall;
    markServerArguments(context, node);
    const callee = node.expression;
    // Array.from(s): code points, as for…of (the lualib goes byte by byte).
    if (
      ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && isLibGlobal(context, callee.expression, "Array") &&
      callee.name.text === "from" && node.arguments[0] && !ts.isSpreadElement(node.arguments[0]) && mayIterateString(context, node.arguments[0])
    ) {
      return asCondition(context, node, iterateCodePoints(context, context.superTransformNode(node)[0] as tstl.Expression, "__TS__ArrayFrom"));
    }
    if (ts.isPropertyAccessExpression(callee) && callee.questionDotToken) {
      const optional = optionalStringCall(context, node, callee);
      if (optional) return asCondition(context, node, optional);
    }
    // Object.keys/entries of an array: indices "0", "1", … (the lualib lists the Lua keys 1, 2, …).
    if (
      ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && isLibGlobal(context, callee.expression, "Object") &&
      (callee.name.text === "keys" || callee.name.text === "entries") && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0]) &&
      isArrayValue(context, context.checker.getTypeAtLocation(node.arguments[0]))
    ) {
      const helper = callee.name.text === "keys" ? "__NF_array_keys" : "__NF_array_entries";
      return asCondition(context, node, call(context, helper, [context.transformExpression(node.arguments[0])], node));
    }
    // Number(s) and parseFloat(s) parse as JavaScript does (gopher's tonumber rejects "1e3").
    if (ts.isIdentifier(callee) && node.arguments.length === 1 && (isLibGlobal(context, callee, "Number") || isLibGlobal(context, callee, "parseFloat"))) {
      const helper = callee.text === "Number" ? "__NF_to_number" : "__NF_parse_float";
      const arg = context.transformExpression(node.arguments[0]);
      return asCondition(context, node, tstl.createCallExpression(use(context, helper), [arg], node));
    }
    // parseInt(v, radix), Number.parseInt, Number.parseFloat; Boolean(v), isNaN(v) (lualib has no
    // Boolean, and its isNaN converts with gopher's tonumber).
    const member = numberMember(context, callee);
    const global = ts.isIdentifier(callee) && ["parseInt", "Boolean", "isNaN"].includes(callee.text) && isLibGlobal(context, callee, callee.text)
      ? callee.text
      : undefined;
    if ((global || member === "parseInt" || member === "parseFloat") && node.arguments.every((a) => !ts.isSpreadElement(a))) {
      const args = transformInOrder(context, node.arguments);
      if (global === "Boolean") return asCondition(context, node, args.length === 0 ? tstl.createBooleanLiteral(false, node) : call(context, "__NF_truthy", args.slice(0, 1), node));
      if (global === "isNaN") return asCondition(context, node, call(context, "__NF_is_nan", args.slice(0, 1), node));
      if (member === "parseFloat") {
        use(context, "__NF_parse_float");
        return asCondition(context, node, tstl.createCallExpression(tstl.createIdentifier("__NF_parse_float"), args.slice(0, 1), node));
      }
      return asCondition(context, node, call(context, "__NF_parse_int", args.slice(0, 2), node));
    }
    // encodeURIComponent, encodeURI, decodeURIComponent, decodeURI, escape, unescape: no such Lua globals.
    if (ts.isIdentifier(callee) && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0])) {
      const name = callee.text;
      if ((name === "encodeURIComponent" || name === "encodeURI") && isLibGlobal(context, callee, name)) {
        const args = [context.transformExpression(node.arguments[0]), tstl.createBooleanLiteral(name === "encodeURIComponent")];
        return asCondition(context, node, call(context, "__NF_encode_uri", args, node));
      }
      if ((name === "escape" || name === "unescape") && isLibGlobal(context, callee, name)) {
        return asCondition(context, node, call(context, name === "escape" ? "__NF_escape" : "__NF_unescape", [context.transformExpression(node.arguments[0])], node));
      }
      if ((name === "decodeURIComponent" || name === "decodeURI") && isLibGlobal(context, callee, name)) {
        const args = [context.transformExpression(node.arguments[0]), tstl.createBooleanLiteral(name === "decodeURI")];
        return asCondition(context, node, call(context, "__NF_decode_uri_component", args, node));
      }
    }
    // String.fromCharCode: code units to UTF-8.
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && isLibGlobal(context, callee.expression, "String") && callee.name.text === "fromCharCode") {
      return asCondition(context, node, call(context, "__NF_from_char_code", transformArguments(context, node.arguments), node));
    }
    // String(v) as templates have it ("undefined" for undefined, JavaScript's number text).
    if (ts.isIdentifier(callee) && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0]) && isLibGlobal(context, callee, "String")) {
      return asCondition(context, node, asString(context, node.arguments[0], context.transformExpression(node.arguments[0])));
    }
    // isFinite(v) converts with Number() first; Number.isFinite(v) does not.
    if (ts.isIdentifier(callee) && node.arguments.length === 1 && isLibGlobal(context, callee, "isFinite")) {
      use(context, "__NF_to_number");
      const arg = tstl.createCallExpression(tstl.createIdentifier("__NF_to_number"), [context.transformExpression(node.arguments[0])], node);
      return asCondition(context, node, call(context, "__NF_is_finite", [arg], node));
    }
    if ((member === "isFinite" || member === "isInteger") && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0])) {
      const helper = member === "isFinite" ? "__NF_is_finite" : "__NF_is_integer";
      return asCondition(context, node, call(context, helper, [context.transformExpression(node.arguments[0])], node));
    }
    if (ts.isPropertyAccessExpression(callee) && !callee.questionDotToken) {
      const receiver = receiverType(context, callee.expression);
      const isNumber = (receiver.flags & ts.TypeFlags.NumberLike) !== 0;
      // n.toString() and n.toFixed(d) in JavaScript's text and rounding.
      if (isNumber && callee.name.text === "toString" && node.arguments.length === 0) {
        return asCondition(context, node, call(context, "__NF_number", [context.transformExpression(callee.expression)], node));
      }
      // n.toString(radix): V8's digits; a radix that is not an integer literal in 2..36 may
      // throw RangeError, so the helper gets the class.
      if (isNumber && callee.name.text === "toString" && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0])) {
        const args = transformInOrder(context, [callee.expression, ...node.arguments]);
        if (!isIntegerLiteralIn(context, node.arguments[0], 2, 36)) args.push(rangeError(context));
        return asCondition(context, node, call(context, "__NF_radix", args, node));
      }
      if (isNumber && callee.name.text === "toFixed" && node.arguments.length <= 1 && node.arguments.every((a) => !ts.isSpreadElement(a))) {
        const args = transformInOrder(context, [callee.expression, ...node.arguments]);
        // Digits that are not an integer literal in 0..100 may throw RangeError.
        if (node.arguments.length === 1 && !isIntegerLiteralIn(context, node.arguments[0], 0, 100)) args.push(rangeError(context));
        return asCondition(context, node, call(context, "__NF_to_fixed", args, node));
      }
      // includes on arrays that may hold numbers: SameValueZero finds NaN.
      if (callee.name.text === "includes" && node.arguments.length >= 1 && node.arguments.length <= 2 && isArrayType(context, receiver) && mayHoldNumbers(context, receiver)) {
        const args = transformInOrder(context, [callee.expression, ...node.arguments]);
        return asCondition(context, node, call(context, "__NF_array_includes", args, node));
      }
      // Array positions (slice, splice, toSpliced, at, indexOf, includes, fill, with) read as
      // JavaScript reads them.
      const positions = arrayPositionCall(context, node, callee, receiver);
      if (positions) return asCondition(context, node, positions);
      // join of arrays of numbers, booleans, undefined: each element as String() gives it; of
      // strings: table.concat, unless the array has a hole (which concat raises on; JavaScript
      // joins it as "").
      if (callee.name.text === "join" && node.arguments.length <= 1 && context.checker.isArrayType(receiver) && (joinNeedsJsText(context, receiver) || joinsStrings(context, receiver))) {
        const args = transformInOrder(context, [callee.expression, ...node.arguments]);
        return asCondition(context, node, call(context, joinNeedsJsText(context, receiver) ? "__NF_join" : "__NF_join_strings", args, node));
      }
    }
    if (ts.isPropertyAccessExpression(callee)) {
      // Math.max()/Math.min(): empty -> -Infinity/Infinity, NaN propagates.
      if (ts.isIdentifier(callee.expression) && isLibGlobal(context, callee.expression, "Math")) {
        const name = callee.name.text;
        if (name === "max" || name === "min") {
          // A spread before another argument would be cut to one value by Lua: each argument
          // goes to the helper as it is, spreads as their arrays.
          if (node.arguments.some((a, i) => ts.isSpreadElement(a) && i < node.arguments.length - 1)) {
            const flags = node.arguments.map((a) => (ts.isSpreadElement(a) ? "s" : "v")).join("");
            // A spread of a Set or an iterator is first made an array (TypeScriptToLua's spread).
            const values = transformInOrder(context, node.arguments.map((a) => (ts.isSpreadElement(a) && isArraySpread(context, a) ? a.expression : a)))
              .map((v, i) => {
                const a = node.arguments[i];
                return ts.isSpreadElement(a) && !isArraySpread(context, a) ? tstl.createTableExpression([tstl.createTableFieldExpression(v)]) : v;
              });
            const args = [tstl.createBooleanLiteral(name === "max"), tstl.createStringLiteral(flags), ...values];
            return asCondition(context, node, call(context, "__NF_extreme", args, node));
          }
          const args = transformArguments(context, node.arguments);
          return asCondition(context, node, call(context, name === "max" ? "__NF_max" : "__NF_min", args, node));
        }
        // Math.round: half up on the exact value, -0 kept.
        if (name === "round" && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0])) {
          return asCondition(context, node, call(context, "__NF_round", [context.transformExpression(node.arguments[0])], node));
        }
        // Math.pow(a, b) as a ** b: NaN for 1 ** NaN and 1 ** ±Infinity.
        if (name === "pow" && node.arguments.length === 2 && node.arguments.every((a) => !ts.isSpreadElement(a))) {
          const [base, exponent] = node.arguments;
          const [a, b] = transformInOrder(context, [base, exponent]);
          return asCondition(context, node, power(context, base, exponent, a, b, node));
        }
        // Math.log/log1p/log2/log10 as V8 computes them (gopher's log, TypeScriptToLua's
        // log(1 + x) and log(x) / log(base) differ in the last digit, and log1p(-0) was 0).
        const LOGS: Record<string, HelperName> = { log: "__NF_log", log1p: "__NF_log1p", log2: "__NF_log2", log10: "__NF_log10" };
        if (Object.hasOwn(LOGS, name) && node.arguments.length === 1 && !ts.isSpreadElement(node.arguments[0])) {
          return asCondition(context, node, call(context, LOGS[name], [context.transformExpression(node.arguments[0])], node));
        }
      }
      const stringCall = stringMethodCall(context, node, callee);
      if (stringCall) return stringCall;
      // Array.prototype.sort: stable, JavaScript's comparator contract.
      if (callee.name.text === "sort" && node.arguments.length <= 1 && context.checker.isArrayType(receiverType(context, callee.expression))) {
        const [array, ...args] = transformInOrder(context, [callee.expression, ...node.arguments]);
        // Inline comparators get TypeScriptToLua's context argument (their contextual type is the
        // ES library's); functions declared in a filter do not (noImplicitSelf).
        const comparator = node.arguments[0];
        const noSelf = comparator !== undefined && !ts.isArrowFunction(comparator) && !ts.isFunctionExpression(comparator);
        return call(context, "__NF_sort", [array, ...args, ...(noSelf ? [tstl.createBooleanLiteral(true)] : [])], node);
      }
    }
    const marked = markContextAdaptations(context, node);
    const result = context.superTransformNode(node)[0] as tstl.Expression;
    // TypeScriptToLua still checked the arguments: its TSTL100016/TSTL100015 for those that were
    // wrapped is answered (an argument it did not hand to a visitor keeps its diagnostic).
    const adapted = marked.filter((a) => !contextAdapted.has(a));
    if (adapted.length > 0) {
      const codes = [unsupportedSelfFunctionConversion.code, unsupportedNoSelfFunctionConversion.code];
      const starts = new Set(adapted.map((a) => a.getStart()));
      for (let i = context.diagnostics.length - 1; i >= 0; i--) {
        const d = context.diagnostics[i];
        if (codes.includes(d.code) && d.file?.fileName === context.sourceFile.fileName && d.start !== undefined && starts.has(d.start)) context.diagnostics.splice(i, 1);
      }
    }
    for (const a of marked) contextAdapted.delete(a);
    return asCondition(context, node, result);
  },
  [ts.SyntaxKind.PrefixUnaryExpression]: (node, context) => {
    if (node.operator === ts.SyntaxKind.PlusToken && !(context.checker.getTypeAtLocation(node.operand).flags & ts.TypeFlags.NumberLike)) {
      return asCondition(context, node, call(context, "__NF_to_number", [context.transformExpression(node.operand)], node));
    }
    // -s, -[]: Number() first (Lua's unary minus raises on a non-numeric string or a table).
    if (node.operator === ts.SyntaxKind.MinusToken && !(context.checker.getTypeAtLocation(node.operand).flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.BigIntLike))) {
      const value = call(context, "__NF_to_number", [context.transformExpression(node.operand)], node);
      return asCondition(context, node, tstl.createUnaryExpression(value, tstl.SyntaxKind.NegationOperator, node));
    }
    const negativeZero = negativeZeroConstant(context, node);
    if (negativeZero) return negativeZero;
    if (node.operator === ts.SyntaxKind.TildeToken) {
      return asCondition(context, node, call(context, "__NF_bnot", [context.transformExpression(node.operand)], node));
    }
    if (node.operator === ts.SyntaxKind.ExclamationToken && typeNeeds(context, node.operand)) {
      const operand = context.transformExpression(node.operand);
      return tstl.createUnaryExpression(call(context, "__NF_truthy", [operand], node), tstl.SyntaxKind.NotOperator, node);
    }
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
  [ts.SyntaxKind.TemplateExpression]: (node, context) => {
    // Every part through String(v): a template is always a string, undefined prints "undefined"
    // and numbers print as JavaScript prints them.
    const parts: tstl.Expression[] = [];
    if (node.head.text !== "") parts.push(tstl.createStringLiteral(node.head.text));
    const values = transformInOrder(context, node.templateSpans.map((span) => span.expression));
    node.templateSpans.forEach((span, i) => {
      parts.push(asString(context, span.expression, values[i]));
      if (span.literal.text !== "") parts.push(tstl.createStringLiteral(span.literal.text));
    });
    const joined = parts.reduce((a, b) => tstl.createBinaryExpression(a, b, tstl.SyntaxKind.ConcatOperator));
    return asCondition(context, node, joined);
  },
  [ts.SyntaxKind.BinaryExpression]: (node, context) => {
    const op = node.operatorToken.kind;
    const { checker } = context;
    // `({ ip, ...rest } = server)`: as in a declaration, a BackendServer source is copied first.
    if (op === ts.SyntaxKind.EqualsToken && ts.isObjectLiteralExpression(skipParentheses(node.left)) &&
      (skipParentheses(node.left) as ts.ObjectLiteralExpression).properties.some((p) => ts.isSpreadAssignment(p))) {
      markServerSource(context, node.right);
    }
    const compound = compoundOperator(context, node);
    if (compound) {
      const compiled = compoundAssignment(context, node, compound, true);
      if (compiled) {
        context.addPrecedingStatements(compiled.statements);
        return asCondition(context, node, compiled.value!);
      }
      unknownCompoundTarget(context, node, compound);
    }
    if ((op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) && typeNeeds(context, node.left)) {
      const left = context.transformExpression(node.left);
      const helper = op === ts.SyntaxKind.BarBarToken ? "__NF_or" : "__NF_and";
      return asCondition(context, node, call(context, helper, [left, lazy(context, node.right)], node));
    }
    // == and != between operands that can be of different kinds: JavaScript's IsLooselyEqual
    // (0 == "", "" == [], 1 == true); Lua's == says false.
    if ((op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) && needsLooseEquality(context, node.left, node.right)) {
      const equal = call(context, "__NF_loose_eq", transformInOrder(context, [node.left, node.right]), node);
      return asCondition(context, node, op === ts.SyntaxKind.EqualsEqualsToken ? equal : tstl.createUnaryExpression(equal, tstl.SyntaxKind.NotOperator, node));
    }
    // <, >, <=, >= between strings: UTF-16 code units, as JavaScript compares (Lua compares bytes,
    // which differs only between characters above U+FFFF and U+E000-U+FFFF). A literal without
    // such characters on either side keeps Lua's operator.
    const relational = RELATIONAL.get(op);
    if (relational !== undefined && isStringOperand(context, node.left) && isStringOperand(context, node.right) &&
      !isCodeUnitSafeLiteral(node.left) && !isCodeUnitSafeLiteral(node.right)) {
      const [l, r] = transformInOrder(context, [node.left, node.right]);
      const compared = tstl.createBinaryExpression(call(context, "__NF_str_cmp", [l, r], node), tstl.createNumericLiteral(0), relational, node);
      return asCondition(context, node, compared);
    }
    const negativeZero = negativeZeroConstant(context, node);
    if (negativeZero) return negativeZero;
    const bitwise = BITWISE_HELPERS.get(op);
    if (bitwise) return asCondition(context, node, call(context, bitwise, transformInOrder(context, [node.left, node.right]), node));
    if (op === ts.SyntaxKind.AsteriskAsteriskToken) {
      const [a, b] = transformInOrder(context, [node.left, node.right]);
      return asCondition(context, node, power(context, node.left, node.right, a, b, node));
    }
    if (op === ts.SyntaxKind.PercentToken) {
      // JavaScript's % is the truncated remainder (-7 % 3 === -1); Lua's is floored (2).
      const [left, right] = transformInOrder(context, [node.left, node.right]);
      const fmod = tstl.createTableIndexExpression(tstl.createIdentifier("math"), tstl.createStringLiteral("fmod"));
      return asCondition(context, node, tstl.createCallExpression(fmod, [left, right], node));
    }
    const signed = zeroSignHelper(context, op, node.left, node.right);
    if (signed) return asCondition(context, node, zeroSigned(context, signed, node));
    if (op === ts.SyntaxKind.PlusToken) {
      const type = checker.getTypeAtLocation(node);
      if (type.flags & ts.TypeFlags.StringLike) {
        const [l, r] = transformInOrder(context, [node.left, node.right]);
        const left = asString(context, node.left, l);
        const right = asString(context, node.right, r);
        return asCondition(context, node, tstl.createBinaryExpression(left, right, tstl.SyntaxKind.ConcatOperator, node));
      }
    }
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
};

/**
 * BackendServer values (nauthilus_backend) iterated as objects: in production they are gopher
 * userdata that pairs() rejects, and the lualib's object spread, Object.keys/values/entries,
 * Object.assign and for…in call pairs(). Such a source is compiled through __NF_server_fields, a
 * plain table of the five fields read by name (JavaScript's copy). The parent marks the source;
 * the visitor of the source's kind wraps what it compiled.
 */
const serverSources = new WeakSet<ts.Node>();

const SERVER_SOURCE_KINDS = [...CONTEXT_ADAPTED_KINDS, ts.SyntaxKind.BinaryExpression];

/** The SDK's `BackendServer` symbol (declare module "nauthilus_backend"), per checker. */
const backendServerSymbols = new WeakMap<ts.TypeChecker, ts.Symbol | null>();

function backendServerSymbol(checker: ts.TypeChecker): ts.Symbol | undefined {
  if (!backendServerSymbols.has(checker)) {
    const module = checker.getAmbientModules().find((m) => m.name === '"nauthilus_backend"');
    const symbol = module && checker.getExportsOfModule(module).find((e) => e.name === "BackendServer");
    backendServerSymbols.set(checker, symbol ?? null);
  }
  return backendServerSymbols.get(checker) ?? undefined;
}

/** Whether the value is a BackendServer (or undefined/null): its type at the node, narrowed. */
function isBackendServer(context: Context, node: ts.Expression): boolean {
  const expected = backendServerSymbol(context.checker);
  if (!expected) return false;
  const type = context.checker.getNonNullableType(context.checker.getTypeAtLocation(node));
  if (type.isUnion() || !(type.flags & ts.TypeFlags.Object)) return false;
  const symbol = type.symbol?.flags & ts.SymbolFlags.Alias ? context.checker.getAliasedSymbol(type.symbol) : type.symbol;
  return symbol === expected;
}

function markServerSource(context: Context, node: ts.Expression | undefined): void {
  if (node && !ts.isSpreadElement(node) && SERVER_SOURCE_KINDS.includes(node.kind) && isBackendServer(context, node)) serverSources.add(node);
}

/** Marks the BackendServer sources of `Object.keys/values/entries(s)` and `Object.assign(t, s…)`. */
function markServerArguments(context: Context, node: ts.CallExpression): void {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || !isLibGlobal(context, callee.expression, "Object")) return;
  const name = callee.name.text;
  if (name === "keys" || name === "values" || name === "entries") markServerSource(context, node.arguments[0]);
  else if (name === "assign") node.arguments.slice(1).forEach((a) => markServerSource(context, a));
}

/** Each visitor of a source kind, wrapped: a marked source becomes __NF_server_fields(source). */
export const jsSemanticsVisitors: Visitors = { ...visitors };
for (const kind of SERVER_SOURCE_KINDS) {
  const inner = (visitors as Record<number, unknown>)[kind] as ((node: ts.Expression, context: Context) => tstl.Expression) | undefined;
  (jsSemanticsVisitors as Record<number, unknown>)[kind] = (node: ts.Expression, context: Context): tstl.Expression => {
    if (!serverSources.has(node)) return inner ? inner(node, context) : (context.superTransformNode(node)[0] as tstl.Expression);
    serverSources.delete(node);
    const lua = inner ? inner(node, context) : (context.superTransformNode(node)[0] as tstl.Expression);
    return call(context, "__NF_server_fields", [lua], node);
  };
}

const RELATIONAL = new Map<ts.SyntaxKind, tstl.BinaryOperator>([
  [ts.SyntaxKind.LessThanToken, tstl.SyntaxKind.LessThanOperator],
  [ts.SyntaxKind.GreaterThanToken, tstl.SyntaxKind.GreaterThanOperator],
  [ts.SyntaxKind.LessThanEqualsToken, tstl.SyntaxKind.LessEqualOperator],
  [ts.SyntaxKind.GreaterThanEqualsToken, tstl.SyntaxKind.GreaterEqualOperator],
]);

/** A value that is a string whatever it is at run time (every part of its type). */
function isStringOperand(context: Context, node: ts.Expression): boolean {
  const type = context.checker.getTypeAtLocation(node);
  return (type.isUnion() ? type.types : [type]).every((t) => (t.flags & ts.TypeFlags.StringLike) !== 0);
}

/** A string literal without characters from U+E000 up: bytes order it as code units do. */
function isCodeUnitSafeLiteral(node: ts.Expression): boolean {
  return ts.isStringLiteralLike(node) && !/[\ue000-\uffff\ud800-\udfff]/.test(node.text);
}

/**
 * `a ** b` with JavaScript's NaN for `1 ** NaN` and `1 ** ±Infinity` (C's pow gives 1): Lua's `^`
 * where the exponent is a number literal or the base a literal other than ±1, `__NF_pow`
 * otherwise.
 */
function power(context: Context, base: ts.Expression, exponent: ts.Expression, a: tstl.Expression, b: tstl.Expression, node: ts.Node): tstl.Expression {
  const baseValue = literalNumber(context, base);
  const exponentValue = literalNumber(context, exponent);
  // A zero result is -0 only for a negative base and an odd exponent (gopher would make it +0).
  const oddExponent = exponentValue !== undefined && Math.abs(exponentValue % 2) === 1;
  const negativeZeroBase = Object.is(literalArithmetic(base), -0);
  if ((exponentValue !== undefined && !oddExponent) || (baseValue !== undefined && baseValue >= 0 && !negativeZeroBase && baseValue !== 1)) {
    return tstl.createBinaryExpression(a, b, tstl.SyntaxKind.PowerOperator, node);
  }
  return call(context, "__NF_pow", [a, b], node);
}

/** The value of an expression of number literals (`-0`, `0 * -5`, `-(1 - 1)`), or undefined. */
function literalArithmetic(node: ts.Expression): number | undefined {
  node = skipParentheses(node);
  if (ts.isNumericLiteral(node)) return Number(node.text.replace(/_/g, ""));
  if (ts.isPrefixUnaryExpression(node) && (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken)) {
    const v = literalArithmetic(node.operand);
    return v === undefined ? undefined : node.operator === ts.SyntaxKind.MinusToken ? -v : v;
  }
  if (!ts.isBinaryExpression(node)) return undefined;
  const a = literalArithmetic(node.left);
  const b = a === undefined ? undefined : literalArithmetic(node.right);
  if (a === undefined || b === undefined) return undefined;
  switch (node.operatorToken.kind) {
    case ts.SyntaxKind.PlusToken: return a + b;
    case ts.SyntaxKind.MinusToken: return a - b;
    case ts.SyntaxKind.AsteriskToken: return a * b;
    case ts.SyntaxKind.SlashToken: return a / b;
    case ts.SyntaxKind.PercentToken: return a % b;
    case ts.SyntaxKind.AsteriskAsteriskToken: return a ** b;
  }
  return undefined;
}

/**
 * `-0`, and any expression of literals that is -0 (`0 * -5`): negated at run time from a zero
 * that is no constant. As a constant it would take the sign of its function's first zero
 * constant, and give its own to every later `0` (gopher and PUC merge constants that compare
 * equal: `n / 0` became -Infinity after a `-0`).
 */
function negativeZeroConstant(context: Context, node: ts.Expression): tstl.Expression | undefined {
  if (!Object.is(literalArithmetic(node), -0)) return undefined;
  return asCondition(context, node, tstl.createUnaryExpression(use(context, "__NF_zero"), tstl.SyntaxKind.NegationOperator, node));
}

/** The helper keeping JavaScript's -0 for `a op b` on numbers (gopher stores every zero result as
 * +0), or undefined where the result cannot be -0 or the operands are not both numbers: `+` with
 * a literal operand other than -0 (`i + 1`), `-` with a literal on the left or a non-zero literal
 * on the right, an expression of literals (folded by the compiler, sign kept). */
function zeroSignHelper(context: Context, op: ts.SyntaxKind, left: ts.Expression, right: ts.Expression): HelperName | undefined {
  const helper = ZERO_SIGNED.find((z) => z.token === op || z.assignment === op)?.helper;
  if (helper === undefined) return undefined;
  // Every part a number (unions of literals, number enums, a type parameter's constraint).
  const isNumber = (e: ts.Expression) => {
    let type = context.checker.getTypeAtLocation(e);
    if (type.flags & ts.TypeFlags.TypeParameter) type = context.checker.getBaseConstraintOfType(type) ?? type;
    return (type.isUnion() ? type.types : [type]).every((t) => (t.flags & ts.TypeFlags.NumberLike) !== 0);
  };
  if (!isNumber(left) || !isNumber(right)) return undefined;
  // A literal here is a number literal in the source (not `-0`, which is negated at run time).
  const literal = (e: ts.Expression): number | undefined => {
    const inner = skipParentheses(e);
    if (ts.isNumericLiteral(inner)) return Number(inner.text.replace(/_/g, ""));
    if (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(skipParentheses(inner.operand))) {
      const v = -Number((skipParentheses(inner.operand) as ts.NumericLiteral).text.replace(/_/g, ""));
      return Object.is(v, -0) ? undefined : v;
    }
    return undefined;
  };
  const l = literal(left), r = literal(right);
  if (l !== undefined && r !== undefined) return undefined;
  // A sum is -0 only when both sides are; a difference only when the left side is -0 and the right +0.
  if (helper === "__NF_add" && (l !== undefined || r !== undefined || neverNegativeZero(left) || neverNegativeZero(right))) return undefined;
  if (helper === "__NF_sub" && (l !== undefined || (r !== undefined && r !== 0) || neverNegativeZero(left))) return undefined;
  return helper;
}

/** A value that is never -0: a string's or an array's length, a character code, a position. */
function neverNegativeZero(node: ts.Expression): boolean {
  node = skipParentheses(node);
  if (ts.isPropertyAccessExpression(node)) return node.name.text === "length";
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    if (["charCodeAt", "codePointAt", "indexOf", "lastIndexOf", "search"].includes(name)) return true;
    // lua-types: string.byte, string.len, string.find positions.
    return ts.isIdentifier(callee.expression) && callee.expression.text === "string" && ["byte", "len"].includes(name);
  }
  return false;
}

/**
 * `a op b` through its -0 helper. Where both operands are names or number literals (read again
 * without effects) the operator is computed inline and the helper called only for a zero result:
 * `(a * b == 0 and __NF_mul(a, b) or a * b)` (a zero is true in Lua), no call in a hot loop.
 */
function zeroSigned(context: Context, helper: HelperName, node: ts.BinaryExpression): tstl.Expression {
  const [a, b] = transformInOrder(context, [node.left, node.right]);
  const simple = (e: tstl.Expression) => tstl.isIdentifier(e) || tstl.isNumericLiteral(e);
  if (!simple(a) || !simple(b)) return call(context, helper, [a, b], node);
  const operator = ZERO_SIGNED.find((z) => z.helper === helper)!.lua;
  const compute = () => tstl.createBinaryExpression(tstl.cloneNode(a), tstl.cloneNode(b), operator, node);
  const isZero = tstl.createBinaryExpression(compute(), tstl.createNumericLiteral(0), tstl.SyntaxKind.EqualityOperator);
  const slow = call(context, helper, [tstl.cloneNode(a), tstl.cloneNode(b)], node);
  return tstl.createParenthesizedExpression(
    tstl.createBinaryExpression(tstl.createBinaryExpression(isZero, slow, tstl.SyntaxKind.AndOperator), compute(), tstl.SyntaxKind.OrOperator),
  );
}

/**
 * Whether an array position is certainly an integer (or ±Infinity), which TypeScriptToLua's
 * lualib compares correctly as it is: an integer literal (or literal type), a sign before one, the
 * `length` of a string or an array, `+`, `-`, `*` of those (`arr.length - 1`), and a `const`
 * initialized with one.
 */
function isIntegerPosition(context: Context, node: ts.Expression, depth = 0): boolean {
  node = skipParentheses(node);
  if (depth > 8) return false;
  if (ts.isNumericLiteral(node)) return Number.isInteger(Number(node.text.replace(/_/g, "")));
  const type = context.checker.getTypeAtLocation(node);
  if (type.isNumberLiteral()) return Number.isInteger(type.value);
  if (ts.isIdentifier(node)) {
    const declaration = context.checker.getSymbolAtLocation(node)?.valueDeclaration;
    const isConst = declaration && ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) &&
      (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
    return isConst && declaration.initializer !== undefined ? isIntegerPosition(context, declaration.initializer, depth + 1) : false;
  }
  if (ts.isPrefixUnaryExpression(node) && (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken)) {
    return isIntegerPosition(context, node.operand, depth + 1);
  }
  if (ts.isPropertyAccessExpression(node) && node.name.text === "length" && !node.questionDotToken) {
    return isString(context, node.expression) || isArrayType(context, context.checker.getTypeAtLocation(node.expression));
  }
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    const arithmetic = op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.AsteriskToken;
    return arithmetic && isIntegerPosition(context, node.left, depth + 1) && isIntegerPosition(context, node.right, depth + 1);
  }
  return false;
}

/** The array members whose arguments at these indices are positions (ToIntegerOrInfinity). */
const ARRAY_POSITIONS: Record<string, number[]> = {
  slice: [0, 1],
  splice: [0, 1],
  toSpliced: [0, 1],
  at: [0],
  indexOf: [1],
  includes: [1],
  fill: [1, 2],
  with: [0],
};

/**
 * An array member with JavaScript's positions, or undefined where TypeScriptToLua's lualib call
 * already means the same (no position, or integer ones): NaN is 0, fractions are truncated toward
 * zero (`__NF_int` around each position that is not certainly an integer), ±Infinity clamps;
 * `toSpliced(start)` deletes to the end; `fill` stays inside the array; `with` counts a negative
 * index from the end and throws RangeError outside the array.
 */
function arrayPositionCall(
  context: Context,
  node: ts.CallExpression,
  callee: ts.PropertyAccessExpression,
  receiver: ts.Type,
): tstl.Expression | undefined {
  const name = callee.name.text;
  const indices = Object.hasOwn(ARRAY_POSITIONS, name) ? ARRAY_POSITIONS[name] : undefined;
  if (!indices || node.questionDotToken || !isArrayType(context, receiver) || node.arguments.some((a) => ts.isSpreadElement(a))) return undefined;
  const args = node.arguments;
  const exact = (i: number) => args[i] === undefined || isIntegerPosition(context, args[i]);
  // with: the lualib neither counts a negative index from the end nor throws outside the array.
  if (name === "with") {
    const [array, index, value] = transformInOrder(context, [callee.expression, ...args]);
    return call(context, "__NF_array_with", [array, index ?? tstl.createNilLiteral(), value ?? tstl.createNilLiteral(), rangeError(context)], node);
  }
  if (name === "fill") {
    // fill(v) and fill(v, k) with a literal k (never negative) are the lualib's; an end or any
    // other start can leave the array.
    if (args.length <= 1 || (args.length === 2 && ts.isNumericLiteral(args[1]) && exact(1))) return undefined;
    const [array, ...rest] = transformInOrder(context, [callee.expression, ...args]);
    return call(context, "__NF_array_fill", [array, ...rest], node);
  }
  if (name === "toSpliced" && args.length <= 1) {
    // The lualib passes the missing deleteCount on as nil, which splice counts as 0: JavaScript
    // deletes to the end. (toSpliced() does not type-check.)
    if (args.length === 0) return undefined;
    const [array, start] = transformInOrder(context, [callee.expression, ...args]);
    const position = exact(0) ? start : call(context, "__NF_int", [start, tstl.createNumericLiteral(0)]);
    return transformLuaLibFunction(context, LuaLibFeature.ArrayToSpliced, node, array, position, infinity(node));
  }
  // Integer positions: the lualib call as TypeScriptToLua emits it.
  if (indices.every(exact)) return undefined;
  if (name === "includes") {
    // __NF_array_includes reads its position as JavaScript does (and finds NaN).
    return call(context, "__NF_array_includes", transformInOrder(context, [callee.expression, ...args]), node);
  }
  const [array, ...values] = transformInOrder(context, [callee.expression, ...args]);
  // A start undefined at run time is 0 for splice/toSpliced/at (the lualib would compare nil);
  // other positions stay nil, which the lualib reads as JavaScript does.
  const startDefault = name === "splice" || name === "toSpliced" || name === "at";
  const params = values.map((value, i) => {
    if (!indices.includes(i) || exact(i)) return value;
    const byDefault = i === 0 && startDefault ? [tstl.createNumericLiteral(0)] : [];
    return call(context, "__NF_int", [value, ...byDefault]);
  });
  const features: Record<string, LuaLibFeature> = {
    slice: LuaLibFeature.ArraySlice,
    splice: LuaLibFeature.ArraySplice,
    toSpliced: LuaLibFeature.ArrayToSpliced,
    at: LuaLibFeature.ArrayAt,
    indexOf: LuaLibFeature.ArrayIndexOf,
  };
  return transformLuaLibFunction(context, features[name], node, array, ...params);
}

const isArraySpread = (context: Context, spread: ts.SpreadElement): boolean =>
  isArrayType(context, context.checker.getTypeAtLocation(spread.expression));

/** Whether an array's elements may be numbers (NaN among them). */
function mayHoldNumbers(context: Context, arrayType: ts.Type): boolean {
  const element = context.checker.getTypeArguments(arrayType as ts.TypeReference)[0];
  if (!element) return true;
  const parts = element.isUnion() ? element.types : [element];
  return parts.some((t) => (t.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) !== 0);
}

/** Call arguments: an array spread as unpack(array); a Set, Map or iterator spread as
 * TypeScriptToLua spreads it (unpack would see no elements in them). */
function transformArguments(context: Context, args: readonly ts.Expression[]): tstl.Expression[] {
  return args.map((a) => {
    if (ts.isSpreadElement(a) && !isArraySpread(context, a)) return context.transformExpression(a);
    if (ts.isSpreadElement(a)) {
      const inner = context.transformExpression(a.expression);
      return tstl.createCallExpression(tstl.createIdentifier("unpack"), [inner]);
    }
    return context.transformExpression(a);
  });
}
