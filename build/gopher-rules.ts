// What compiles with TypeScriptToLua but cannot run on Nauthilus's gopher-lua, found on the
// TypeScript AST with the type checker. Returns diagnostics; never throws.
import ts from "typescript";
import { diagnostics } from "./diagnostics";
import { isHelperResult, optionalLengthCompiled, optionalStringCallHandled, stringMethodHandled } from "./js-semantics";
import { resolveSdkHelper } from "./sdk-helpers";

/** String members whose meaning the build fixes (code units, casing, trim): not inside `?.` chains. */
const STRING_SEMANTIC_MEMBERS = new Set([
  "length", "charAt", "charCodeAt", "codePointAt", "substring", "slice", "substr", "indexOf", "includes", "startsWith",
  "endsWith", "split", "padStart", "padEnd", "trim", "trimStart", "trimEnd", "toUpperCase", "toLowerCase",
]);

export const ENTRY_NAME = "nauthilus_call_filter";

/** ES globals with no Lua counterpart in TypeScriptToLua's lualib, and what to use instead. */
export const UNSUPPORTED_GLOBALS: ReadonlyMap<string, string> = new Map([
  ["JSON", "Build strings with templates or table.concat; parse with Lua patterns."],
  ["Date", "Use os.time() and os.date() (lua-types declares them)."],
  ["RegExp", "Use Lua patterns through string.match/string.find/string.gsub."],
  ["Promise", "Host functions are synchronous: call them directly."],
  ["Proxy", "Use a plain table or setmetatable."],
  ["Reflect", "Use rawget/rawset or plain property access."],
  ["Intl", "Format numbers and strings with string.format."],
  ["eval", "Production has no code loading from filters; write the code."],
  ["Function", "Write a function expression."],
  ["BigInt", "gopher-lua numbers are float64: use number."],
  ["queueMicrotask", "Filters run synchronously."],
  ["structuredClone", "Copy the fields you need."],
  ["WeakRef", "gopher-lua has no weak references."],
  ["FinalizationRegistry", "gopher-lua has no finalizers."],
  ["SharedArrayBuffer", "Not available in Lua."],
  ["ArrayBuffer", "Not available in Lua: use strings and string.byte/string.char."],
  ["Atomics", "Not available in Lua."],
]);

/** Checks one filter source file. */
export function checkFilter(program: ts.Program, file: ts.SourceFile): ts.Diagnostic[] {
  const checker = program.getTypeChecker();
  const found: ts.Diagnostic[] = [];

  const isDefaultLibGlobal = (id: ts.Identifier): boolean => {
    const symbol = checker.getSymbolAtLocation(id);
    const decls = symbol?.declarations ?? [];
    return decls.length > 0 && decls.every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));
  };

  const visit = (node: ts.Node): void => {
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      found.push(diagnostics.asyncFunction(node));
    } else if (ts.isFunctionLike(node) && ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Async) {
      const asyncKeyword = (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.find(
        (m) => m.kind === ts.SyntaxKind.AsyncKeyword,
      );
      found.push(diagnostics.asyncFunction(asyncKeyword ?? node));
    } else if (ts.isRegularExpressionLiteral(node)) {
      found.push(diagnostics.regexLiteral(node));
    } else if (ts.isIdentifier(node)) {
      checkIdentifier(node);
    } else if (ts.isPrivateIdentifier(node)) {
      found.push(diagnostics.privateName(node, node.text));
    } else if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const spec = node.moduleSpecifier;
      if (spec && ts.isStringLiteral(spec) && (spec.text.startsWith(".") || spec.text.startsWith("/"))) {
        found.push(diagnostics.localImport(spec, spec.text));
      }
    }
    const isStringTyped = (e: ts.Expression) => (checker.getNonNullableType(checker.getTypeAtLocation(e)).flags & ts.TypeFlags.StringLike) !== 0;
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && ts.isOptionalChain(node) && isStringTyped(node.expression)) {
      const member = ts.isPropertyAccessExpression(node) ? node.name.text : "[…]";
      // Compiled with JavaScript's meaning (js-semantics.ts): `s?.m(…)` at the end of its chain, and
      // anywhere in a chain `.length`, an index and the string methods the build rewrites, called.
      const called = ts.isPropertyAccessExpression(node) && ts.isCallExpression(node.parent) && node.parent.expression === node;
      const handled =
        ts.isElementAccessExpression(node) ||
        (ts.isPropertyAccessExpression(node) && member === "length") ||
        (called && (optionalStringCallHandled(node.parent as ts.CallExpression, node as ts.PropertyAccessExpression) || stringMethodHandled(node.parent as ts.CallExpression, node as ts.PropertyAccessExpression)));
      if (!handled && (!ts.isPropertyAccessExpression(node) || STRING_SEMANTIC_MEMBERS.has(member))) found.push(diagnostics.stringInOptionalChain(node, member));
    }
    if (
      ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "attributes" &&
      node.arguments.length === 1 && ts.isObjectLiteralExpression(node.arguments[0]) && node.arguments[0].properties.length === 0 &&
      checker.getResolvedSignature(node)?.declaration?.getSourceFile().fileName.endsWith("backend-result.d.ts")
    ) {
      found.push(diagnostics.emptyAttributes(node.arguments[0]));
    }
    if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) && !node.dotDotDotToken) {
      const key = node.propertyName ?? node.name;
      const type = checker.getNonNullableType(checker.getTypeAtLocation(node.parent));
      const stringOrArray = (type.flags & ts.TypeFlags.StringLike) !== 0 || checker.isArrayType(type) || checker.isTupleType(type);
      if ((ts.isIdentifier(key) || ts.isStringLiteral(key)) && key.text === "length" && stringOrArray) found.push(diagnostics.lengthDestructuring(node));
    }
    if (ts.isPropertyAccessExpression(node) && node.questionDotToken && node.name.text === "length" && !optionalLengthCompiled(checker, node)) {
      found.push(diagnostics.optionalLength(node));
    }
    checkNullDistinction(node);
    if (ts.isCatchClause(node) && node.variableDeclaration && !ts.isIdentifier(node.variableDeclaration.name)) {
      found.push(diagnostics.catchDestructuring(node.variableDeclaration));
    }
    ts.forEachChild(node, visit);
  };

  // Where JavaScript tells null from undefined, which are both nil on Lua (NF1043): a strict
  // comparison with one of them on a value that may be the other, typeof of a value that may be
  // null, a default value for a parameter or binding that may be null, String() of a value that
  // may be either.
  const typeParts = (t: ts.Type): readonly ts.Type[] => (t.isUnion() ? t.types : [t]);
  // `any`/`unknown` count as undefined, not as null: values from Lua (host functions, lua-types'
  // declarations) are never null; only the filter's own code can make one, and says so in a type.
  const mayBe = (e: ts.Node, flag: ts.TypeFlags): boolean => {
    let type = checker.getTypeAtLocation(e);
    // A type parameter is what its constraint allows (unknown without one).
    if (type.flags & ts.TypeFlags.TypeParameter) type = checker.getBaseConstraintOfType(type) ?? checker.getUnknownType();
    const loose = flag === ts.TypeFlags.Undefined ? ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Void : 0;
    return typeParts(type).some((p) => (p.flags & (flag | loose)) !== 0);
  };
  const skipParens = (e: ts.Expression): ts.Expression => (ts.isParenthesizedExpression(e) ? skipParens(e.expression) : e);
  const isNull = (e: ts.Expression) => skipParens(e).kind === ts.SyntaxKind.NullKeyword;
  const isUndefined = (e: ts.Expression) => {
    const inner = skipParens(e);
    return (ts.isIdentifier(inner) && inner.text === "undefined") || ts.isVoidExpression(inner);
  };
  // `v === null || v === undefined` (and `!==` with &&): both together ask what Lua's nil does.
  const testsBoth = (node: ts.BinaryExpression): boolean => {
    const parent = node.parent;
    const joiner = node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ? ts.SyntaxKind.BarBarToken : ts.SyntaxKind.AmpersandAmpersandToken;
    if (!ts.isBinaryExpression(parent) || parent.operatorToken.kind !== joiner) return false;
    const other = skipParens(parent.left) === node ? skipParens(parent.right) : skipParens(parent.left);
    if (!ts.isBinaryExpression(other) || other.operatorToken.kind !== node.operatorToken.kind) return false;
    const subject = (b: ts.BinaryExpression) => (isNull(b.right) || isUndefined(b.right) ? b.left : b.right);
    const nullish = (b: ts.BinaryExpression) => (isNull(b.right) || isUndefined(b.right) ? b.right : b.left);
    return subject(node).getText() === subject(other).getText() && isNull(nullish(node)) !== isNull(nullish(other)) &&
      (isNull(nullish(node)) || isUndefined(nullish(node))) && (isNull(nullish(other)) || isUndefined(nullish(other)));
  };
  // `typeof v === "string"`: a name other than "object" and "undefined" agrees on Lua.
  const comparedWithOtherType = (node: ts.TypeOfExpression): boolean => {
    const parent = node.parent;
    if (!ts.isBinaryExpression(parent) || ![ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(parent.operatorToken.kind)) return false;
    const other = parent.left === node ? parent.right : parent.left;
    return ts.isStringLiteral(other) && other.text !== "object" && other.text !== "undefined";
  };
  // Where a value goes into a slot whose type the checker takes from elsewhere: an initializer,
  // a return, an argument, an element, a property, an assignment, an assertion.
  const isBoundary = (node: ts.Expression): boolean => {
    const parent = node.parent;
    if (!parent) return false;
    if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isPropertyDeclaration(parent) || ts.isBindingElement(parent) || ts.isPropertyAssignment(parent)) && parent.initializer === node) return true;
    if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === node) || ts.isArrayLiteralExpression(parent)) return true;
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node)) return true;
    if ((ts.isAsExpression(parent) || ts.isTypeAssertionExpression(parent) || ts.isSatisfiesExpression(parent)) && parent.expression === node) return true;
    const assignments = [ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken];
    return ts.isBinaryExpression(parent) && parent.right === node && assignments.includes(parent.operatorToken.kind);
  };
  // A host or Lua function (declared outside the filter and the ES library: lua-types, the SDK's
  // modules): it receives Lua's nil whichever of the two it is given. Also String() and Boolean().
  const isHostCallArgument = (node: ts.Expression): boolean => {
    const call = node.parent;
    if (!(ts.isCallExpression(call) || ts.isNewExpression(call))) return false;
    // String(v) prints "null" where the type allows only null (js-semantics.ts), which the checks
    // above hold to; Boolean(v) is false for both.
    if (ts.isIdentifier(call.expression) && (call.expression.text === "String" || call.expression.text === "Boolean") && isDefaultLibGlobal(call.expression)) return true;
    const declaration = checker.getResolvedSignature(call)?.declaration;
    const source = declaration?.getSourceFile();
    return source !== undefined && source.isDeclarationFile && !program.isSourceFileDefaultLibrary(source);
  };
  // A value that may be null going where its type cannot say so (unknown, any, a type parameter
  // whose constraint excludes null): later text, typeof and === of it cannot tell it from undefined
  // in production, and no type shows it any more.
  const nullLosesItsType = (node: ts.Expression): ts.Type | undefined => {
    if (!isBoundary(node) || !typeParts(checker.getTypeAtLocation(node)).some((p) => p.flags & ts.TypeFlags.Null)) return undefined;
    const target = checker.getContextualType(node);
    if (!target || isHostCallArgument(node)) return undefined;
    if (target.flags & ts.TypeFlags.TypeParameter) {
      // A generic call's argument infers the parameter; a constraint that allows null says so.
      if (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent)) return undefined;
      const constraint = checker.getBaseConstraintOfType(target);
      return constraint && typeParts(constraint).some((p) => p.flags & (ts.TypeFlags.Null | ts.TypeFlags.Any)) ? undefined : target;
    }
    return target.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) ? target : undefined;
  };
  const checkNullDistinction = (node: ts.Node): void => {
    // `a === b`: true on Lua when one side is null and the other undefined (both nil).
    if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken)) {
      const mayBeNull = (e: ts.Expression) => isNull(e) || (!isUndefined(e) && mayBe(e, ts.TypeFlags.Null));
      const mayBeUndefined = (e: ts.Expression) => isUndefined(e) || (!isNull(e) && mayBe(e, ts.TypeFlags.Undefined));
      const mixed = (mayBeNull(node.left) && mayBeUndefined(node.right)) || (mayBeUndefined(node.left) && mayBeNull(node.right));
      if (mixed && !testsBoth(node)) {
        const negated = node.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken;
        found.push(diagnostics.nullOrUndefined(node, `'${node.getText()}' is ${negated ? "false" : "true"} in production when one side is null and the other undefined, which their types allow.`));
        return;
      }
    }
    const lost = ts.isExpression(node) ? nullLosesItsType(node) : undefined;
    if (lost) {
      found.push(diagnostics.nullOrUndefined(node, `A value that may be null becomes a value typed '${checker.typeToString(lost)}' here, which production cannot tell from undefined when it is made text or a number, passed to typeof or compared with ===.`));
    }
    // `switch (v) { case null: … }` compares as ===.
    if (ts.isCaseClause(node) && (isNull(node.expression) || isUndefined(node.expression))) {
      const subject = node.parent.parent.expression;
      if ((isNull(node.expression) && mayBe(subject, ts.TypeFlags.Undefined)) || (isUndefined(node.expression) && mayBe(subject, ts.TypeFlags.Null))) {
        found.push(diagnostics.nullOrUndefined(node.expression, `'case ${node.expression.getText()}:' also matches ${isNull(node.expression) ? "undefined" : "null"} in production, which the switch's value allows.`));
      }
    }
    // typeof differs only as "object" against "undefined": a comparison with another name agrees.
    if (ts.isTypeOfExpression(node) && typeParts(checker.getTypeAtLocation(node.expression)).some((p) => p.flags & ts.TypeFlags.Null) && !comparedWithOtherType(node)) {
      found.push(diagnostics.nullOrUndefined(node, `'typeof' of a value that may be null is "undefined" in production, not "object".`));
    }
    if ((ts.isParameter(node) || ts.isBindingElement(node)) && node.initializer && !isNull(node.initializer) && typeParts(checker.getTypeAtLocation(node.name)).some((p) => p.flags & ts.TypeFlags.Null)) {
      found.push(diagnostics.nullOrUndefined(node, `The default value '${node.initializer.getText()}' would also replace null in production; JavaScript replaces only undefined.`));
    }
    // Text of a value that may be null or undefined: "null" or "undefined" in JavaScript, nil
    // either way (a value that may only be null prints "null": js-semantics.ts asString).
    const stringified = ts.isTemplateSpan(node) ? node.expression
      : ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "String" && node.arguments.length === 1 ? node.arguments[0]
      : undefined;
    const both = (e: ts.Expression) => {
      const parts = typeParts(checker.getTypeAtLocation(e));
      return parts.some((p) => p.flags & ts.TypeFlags.Null) && parts.some((p) => p.flags & ts.TypeFlags.Undefined);
    };
    if (stringified && both(stringified)) {
      found.push(diagnostics.nullOrUndefined(stringified, `As text, a value that may be null or undefined prints "null" or "undefined" in JavaScript; production cannot tell which.`));
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && (checker.getTypeAtLocation(node).flags & ts.TypeFlags.StringLike)) {
      for (const side of [node.left, node.right]) {
        if (both(side)) found.push(diagnostics.nullOrUndefined(side, `As text, a value that may be null or undefined prints "null" or "undefined" in JavaScript; production cannot tell which.`));
      }
    }
  };

  const checkIdentifier = (id: ts.Identifier): void => {
    const parent = id.parent;
    // Property names (`x.JSON`, `{ Date: 1 }`) and declarations are not references to globals.
    if (ts.isPropertyAccessExpression(parent) && parent.name === id) return;
    if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent)) && parent.name === id) return;
    if (ts.isImportSpecifier(parent) || ts.isImportClause(parent)) return;
    const instead = UNSUPPORTED_GLOBALS.get(id.text);
    if (instead !== undefined && isDefaultLibGlobal(id)) {
      found.push(diagnostics.unsupportedGlobal(id, id.text, instead));
      return;
    }
    if (resolveSdkHelper(checker, id)) {
      const call = parent;
      // `return reject()`, or a branch of `return c ? reject() : accept()` (js-semantics.ts
      // compiles the conditional to an if/else of returns when every branch is a helper).
      let outer: ts.Node = call;
      while (ts.isParenthesizedExpression(outer.parent) || (ts.isConditionalExpression(outer.parent) && outer.parent.condition !== outer)) outer = outer.parent;
      const valid =
        ts.isCallExpression(call) && call.expression === id && ts.isReturnStatement(outer.parent) && isHelperResult(checker, outer as ts.Expression);
      if (!valid) found.push(diagnostics.sdkHelperMisuse(id, id.text));
    }
  };

  visit(file);
  found.push(...checkEntry(program, checker, file));
  return found;
}

/** The exported entry must exist, be a function and fit FilterEntry (sdk/filter.d.ts). */
function checkEntry(program: ts.Program, checker: ts.TypeChecker, file: ts.SourceFile): ts.Diagnostic[] {
  const moduleSymbol = checker.getSymbolAtLocation(file);
  const entry = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === ENTRY_NAME);
  if (!entry) return [diagnostics.missingEntry(file)];
  const decl = entry.valueDeclaration ?? entry.declarations?.[0];
  const where = (decl && ts.getNameOfDeclaration(decl)) ?? decl ?? file;
  const type = checker.getTypeOfSymbolAtLocation(entry, where);
  if (type.getCallSignatures().length === 0) return [diagnostics.entryNotFunction(where)];
  const filterEntry = findSdkType(program, checker, "FilterEntry");
  if (filterEntry && !checker.isTypeAssignableTo(type, filterEntry)) {
    return [diagnostics.entrySignature(where, checker.typeToString(type))];
  }
  return [];
}

function findSdkType(program: ts.Program, checker: ts.TypeChecker, name: string): ts.Type | undefined {
  for (const sdkFile of program.getSourceFiles()) {
    if (!sdkFile.isDeclarationFile || !/[\\/]sdk[\\/]filter\.d\.ts$/.test(sdkFile.fileName)) continue;
    const alias = sdkFile.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
    if (alias) return checker.getTypeAtLocation(alias.name);
  }
  return undefined;
}
