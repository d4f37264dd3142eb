// TypeScript that means what it says on gopher-lua: visitors that replace TypeScriptToLua's Lua
// semantics with JavaScript's where the two differ and the type tells what to emit
// (docs/typescript-on-production.md). Helpers come from build/js-helpers.ts, inlined per file.
import ts from "typescript";
import tstl from "typescript-to-lua";
import type { HelperName } from "./js-helpers";

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

function call(context: Context, name: HelperName, args: tstl.Expression[], node?: ts.Node): tstl.CallExpression {
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

/** Wraps a condition whose type makes Lua and JavaScript disagree. */
function asCondition(context: Context, node: ts.Expression, result: tstl.Expression): tstl.Expression {
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
function transformInOrder(context: Context, nodes: readonly ts.Expression[]): tstl.Expression[] {
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

/** String(v) as JavaScript computes it, unless the value is certainly a Lua string already. */
function asString(context: Context, node: ts.Expression, value: tstl.Expression): tstl.Expression {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return value;
  return call(context, "__NF_str", [value], node);
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
 * numbers, booleans, undefined or null among them (strings alone join the same). */
function joinNeedsJsText(context: Context, arrayType: ts.Type): boolean {
  const element = context.checker.getTypeArguments(arrayType as ts.TypeReference)[0];
  if (!element) return false;
  const parts = element.isUnion() ? element.types : [element];
  const printable = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null;
  return parts.every((t) => (t.flags & printable) !== 0) && parts.some((t) => (t.flags & ts.TypeFlags.StringLike) === 0);
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
  const unitMethod = UNIT_METHODS[name];
  if (unitMethod && (receiver || !callee.questionDotToken) && node.arguments.every((a) => !ts.isSpreadElement(a))) {
    return asCondition(context, node, unitCall(context, unitMethod, withReceiver(node.arguments), node));
  }
  // toUpperCase/toLowerCase: JavaScript's special casings on top of gopher's mapping.
  if ((name === "toUpperCase" || name === "toLowerCase") && node.arguments.length === 0) {
    const helper = name === "toUpperCase" ? "__NF_to_upper" : "__NF_to_lower";
    use(context, "__NF_case");
    return asCondition(context, node, tstl.createCallExpression(tstl.createIdentifier(helper), withReceiver([]), node));
  }
  // split(""): one string per UTF-16 code unit, not per byte.
  if (!receiver && name === "split" && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) && node.arguments[0].text === "") {
    return unitCall(context, "__NF_split_units", [context.transformExpression(callee.expression)], node);
  }
  // padStart/padEnd: lengths in code units.
  if ((name === "padStart" || name === "padEnd") && node.arguments.length >= 1) {
    const [text, target, fill] = withReceiver([node.arguments[0], ...node.arguments.slice(1, 2)]);
    const args = [text, target, fill ?? tstl.createNilLiteral(), tstl.createBooleanLiteral(name === "padStart")];
    return unitCall(context, "__NF_pad", args, node);
  }
  // String.prototype.trim*: whole UTF-8 white-space sequences, JavaScript's set.
  const trims: Record<string, [boolean, boolean]> = { trim: [true, true], trimStart: [true, false], trimEnd: [false, true] };
  const mode = trims[name];
  if (mode && node.arguments.length === 0) {
    const [text] = withReceiver([]);
    return asCondition(context, node, call(context, "__NF_trim", [text, tstl.createBooleanLiteral(mode[0]), tstl.createBooleanLiteral(mode[1])], node));
  }
  return undefined;
}

/** Whether `s?.m(…)` is a call the build compiles itself: a string method with JavaScript's
 * meaning and its arguments, at the end of its chain (the rules use it to let it through). */
export function optionalStringCallHandled(node: ts.CallExpression, callee: ts.PropertyAccessExpression): boolean {
  const name = callee.name.text;
  if (!callee.questionDotToken || !OPTIONAL_STRING_METHODS.has(name) || continuesOptionalChain(node)) return false;
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
  const type = context.checker.getTypeAtLocation(node);
  return (type.flags & ts.TypeFlags.StringLike) !== 0;
}

/** A call to one of the code-unit helpers (all defined by the __NF_units helper block). */
function unitCall(context: Context, name: string, args: tstl.Expression[], node: ts.Node): tstl.CallExpression {
  use(context, "__NF_units");
  return tstl.createCallExpression(tstl.createIdentifier(name), args, node);
}

/** A target that can be read and written twice without side effects: `x`, `a.b.c`. */
function isPlainReference(node: ts.Expression): boolean {
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
  ts.SyntaxKind.ConditionalExpression,
] as const;

const conditionOnly = (node: ts.Expression, context: Context) =>
  asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);

/** The visitors; each falls back to TypeScriptToLua's own (superTransformNode) when not needed. */
export const jsSemanticsVisitors: Visitors = {
  ...(Object.fromEntries(CONDITION_ONLY_KINDS.map((kind) => [kind, conditionOnly])) as Visitors),
  [ts.SyntaxKind.ExpressionStatement]: (node, context) => {
    // `s += v` on a string: String(v) as JavaScript formats it, like `s = s + v`.
    const e = node.expression;
    if (
      ts.isBinaryExpression(e) &&
      e.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
      context.checker.getTypeAtLocation(e.left).flags & ts.TypeFlags.StringLike &&
      isPlainReference(e.left)
    ) {
      context.pushPrecedingStatements();
      const [l, r] = transformInOrder(context, [e.left, e.right]);
      const target = context.transformExpression(e.left) as tstl.AssignmentLeftHandSideExpression;
      const assignment = tstl.createAssignmentStatement(
        target,
        tstl.createBinaryExpression(asString(context, e.left, l), asString(context, e.right, r), tstl.SyntaxKind.ConcatOperator),
        node,
      );
      return [...context.popPrecedingStatements(), assignment];
    }
    return context.superTransformNode(node) as tstl.Statement[];
  },
  [ts.SyntaxKind.Identifier]: (node, context) => {
    // Infinity is math.huge in TypeScriptToLua, the largest finite float64 on gopher-lua.
    if (isLibGlobal(context, node, "Infinity")) return asCondition(context, node, infinity(node));
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
  [ts.SyntaxKind.PropertyAccessExpression]: (node, context) => {
    if (node.name.text === "length" && !node.questionDotToken && isString(context, node.expression)) {
      return asCondition(context, node, unitCall(context, "__NF_str_len", [context.transformExpression(node.expression)], node));
    }
    if (ts.isIdentifier(node.expression) && isLibGlobal(context, node.expression, "Number")) {
      if (node.name.text === "POSITIVE_INFINITY") return infinity(node);
      if (node.name.text === "NEGATIVE_INFINITY") return tstl.createUnaryExpression(infinity(node), tstl.SyntaxKind.NegationOperator, node);
    }
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
  [ts.SyntaxKind.ElementAccessExpression]: (node, context) => {
    if (isString(context, node.expression) && !node.questionDotToken) {
      const args = transformInOrder(context, [node.expression, node.argumentExpression]);
      return asCondition(context, node, unitCall(context, "__NF_str_index", args, node));
    }
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
  [ts.SyntaxKind.CallExpression]: (node, context) => {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.questionDotToken) {
      const optional = optionalStringCall(context, node, callee);
      if (optional) return asCondition(context, node, optional);
    }
    // Number(s) and parseFloat(s) parse as JavaScript does (gopher's tonumber rejects "1e3").
    if (ts.isIdentifier(callee) && node.arguments.length === 1 && (isLibGlobal(context, callee, "Number") || isLibGlobal(context, callee, "parseFloat"))) {
      const helper = callee.text === "Number" ? "__NF_to_number" : "__NF_parse_float";
      use(context, "__NF_to_number");
      const arg = context.transformExpression(node.arguments[0]);
      return asCondition(context, node, tstl.createCallExpression(tstl.createIdentifier(helper), [arg], node));
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
    if (
      ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && isLibGlobal(context, callee.expression, "Number") &&
      callee.name.text === "isFinite" && node.arguments.length === 1
    ) {
      return asCondition(context, node, call(context, "__NF_is_finite", [context.transformExpression(node.arguments[0])], node));
    }
    if (ts.isPropertyAccessExpression(callee) && !callee.questionDotToken) {
      const receiver = context.checker.getTypeAtLocation(callee.expression);
      const isNumber = (receiver.flags & ts.TypeFlags.NumberLike) !== 0;
      // n.toString() and n.toFixed(d) in JavaScript's text and rounding.
      if (isNumber && callee.name.text === "toString" && node.arguments.length === 0) {
        return asCondition(context, node, call(context, "__NF_number", [context.transformExpression(callee.expression)], node));
      }
      if (isNumber && callee.name.text === "toFixed" && node.arguments.length <= 1) {
        const args = transformInOrder(context, [callee.expression, ...node.arguments]);
        return asCondition(context, node, call(context, "__NF_to_fixed", args, node));
      }
      // join of arrays of numbers, booleans, undefined: each element as String() gives it.
      if (callee.name.text === "join" && node.arguments.length <= 1 && context.checker.isArrayType(receiver) && joinNeedsJsText(context, receiver)) {
        const args = transformInOrder(context, [callee.expression, ...node.arguments]);
        return asCondition(context, node, call(context, "__NF_join", args, node));
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
            const values = transformInOrder(context, node.arguments.map((a) => (ts.isSpreadElement(a) ? a.expression : a)));
            const args = [tstl.createBooleanLiteral(name === "max"), tstl.createStringLiteral(flags), ...values];
            return asCondition(context, node, call(context, "__NF_extreme", args, node));
          }
          const args = transformArguments(context, node.arguments);
          return asCondition(context, node, call(context, name === "max" ? "__NF_max" : "__NF_min", args, node));
        }
      }
      const stringCall = stringMethodCall(context, node, callee);
      if (stringCall) return stringCall;
      // Array.prototype.sort: stable, JavaScript's comparator contract.
      if (callee.name.text === "sort" && node.arguments.length <= 1 && context.checker.isArrayType(context.checker.getTypeAtLocation(callee.expression))) {
        const [array, ...args] = transformInOrder(context, [callee.expression, ...node.arguments]);
        // Inline comparators get TypeScriptToLua's context argument (their contextual type is the
        // ES library's); functions declared in a filter do not (noImplicitSelf).
        const comparator = node.arguments[0];
        const noSelf = comparator !== undefined && !ts.isArrowFunction(comparator) && !ts.isFunctionExpression(comparator);
        return call(context, "__NF_sort", [array, ...args, ...(noSelf ? [tstl.createBooleanLiteral(true)] : [])], node);
      }
    }
    return asCondition(context, node, context.superTransformNode(node)[0] as tstl.Expression);
  },
  [ts.SyntaxKind.PrefixUnaryExpression]: (node, context) => {
    if (node.operator === ts.SyntaxKind.PlusToken && !(context.checker.getTypeAtLocation(node.operand).flags & ts.TypeFlags.NumberLike)) {
      return asCondition(context, node, call(context, "__NF_to_number", [context.transformExpression(node.operand)], node));
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
    if ((op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.AmpersandAmpersandToken) && typeNeeds(context, node.left)) {
      const left = context.transformExpression(node.left);
      const helper = op === ts.SyntaxKind.BarBarToken ? "__NF_or" : "__NF_and";
      return asCondition(context, node, call(context, helper, [left, lazy(context, node.right)], node));
    }
    if (op === ts.SyntaxKind.PercentToken) {
      // JavaScript's % is the truncated remainder (-7 % 3 === -1); Lua's is floored (2).
      const [left, right] = transformInOrder(context, [node.left, node.right]);
      const fmod = tstl.createTableIndexExpression(tstl.createIdentifier("math"), tstl.createStringLiteral("fmod"));
      return asCondition(context, node, tstl.createCallExpression(fmod, [left, right], node));
    }
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

function transformArguments(context: Context, args: readonly ts.Expression[]): tstl.Expression[] {
  return args.map((a) => {
    if (ts.isSpreadElement(a)) {
      const inner = context.transformExpression(a.expression);
      return tstl.createCallExpression(tstl.createIdentifier("unpack"), [inner]);
    }
    return context.transformExpression(a);
  });
}
