// The TypeScriptToLua plugin: the host boilerplate authors never write.
// - `dynamic_loader("<module>")` before each `require` of a Nauthilus module (contract §2);
// - the exported `nauthilus_call_filter` becomes the global Nauthilus calls (contract §5);
// - `return accept(code)` / `return reject(code)` from "nauthilus-sdk" become two Lua values,
//   and the import of that compile-time module disappears.
import ts from "typescript";
import tstl from "typescript-to-lua";
import { ENTRY_NAME } from "./gopher-rules";
import { jsSemanticsVisitors, useHelper } from "./js-semantics";
import { splitMultipleAssignments } from "./lua-rewrites";
import { resolveSdkHelper, SDK_HELPER_MODULE, type SdkHelper } from "./sdk-helpers";

/** Modules Nauthilus provides through dynamic_loader (contract §2): all named nauthilus_*. */
export function isNauthilusModule(name: string): boolean {
  return /^nauthilus_[a-z0-9_]+$/.test(name);
}

export const filterPlugin: tstl.Plugin = {
  visitors: {
    ...jsSemanticsVisitors,
    [ts.SyntaxKind.SourceFile]: (node, context) => {
      const [file] = context.superTransformNode(node) as tstl.File[];
      if (!file || !tstl.isFile(file)) return file;
      splitMultipleAssignments(file);
      file.statements = file.statements.flatMap((statement) => {
        const loaded = requiredNauthilusModule(statement);
        return loaded ? [loaderCall(loaded), statement] : [statement];
      });
      const last = file.statements[file.statements.length - 1];
      if (last && tstl.isReturnStatement(last) && hasExports(file)) {
        // `nauthilus_call_filter = __NF_entry(____exports.nauthilus_call_filter)`, before
        // `return ____exports`: the global Nauthilus calls, with uncaught Error objects turned
        // into their message (build/js-helpers.ts).
        const exportsTable = tstl.createIdentifier("____exports");
        file.statements.splice(
          file.statements.length - 1,
          0,
          tstl.createAssignmentStatement(
            tstl.createIdentifier(ENTRY_NAME),
            tstl.createCallExpression(useHelper(node.fileName, "__NF_entry"), [
              tstl.createTableIndexExpression(exportsTable, tstl.createStringLiteral(ENTRY_NAME)),
            ]),
          ),
        );
      }
      return file;
    },
    [ts.SyntaxKind.ImportDeclaration]: (node, context) => {
      if (ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === SDK_HELPER_MODULE) return undefined;
      return context.superTransformNode(node) as tstl.Statement[];
    },
    [ts.SyntaxKind.ReturnStatement]: (node, context) => {
      const helper = node.expression && sdkHelperCall(context.checker, node.expression);
      if (!helper) return context.superTransformNode(node) as tstl.Statement[];
      const [argument] = helper.call.arguments;
      const code = argument
        ? context.transformExpression(argument)
        : tstl.createNumericLiteral(helper.name === "accept" ? 0 : 1);
      return tstl.createReturnStatement([tstl.createBooleanLiteral(helper.name === "reject"), code], node);
    },
  },
};

function requiredNauthilusModule(statement: tstl.Statement): string | undefined {
  if (!tstl.isVariableDeclarationStatement(statement)) return undefined;
  const [value] = statement.right ?? [];
  if (!value || !tstl.isCallExpression(value)) return undefined;
  const callee = value.expression;
  const [arg] = value.params;
  if (!tstl.isIdentifier(callee) || callee.text !== "require" || !arg || !tstl.isStringLiteral(arg)) return undefined;
  // TypeScriptToLua marks @noResolution modules this way until it resolves require paths.
  const name = arg.value.replace(/^@NoResolution:/, "");
  return isNauthilusModule(name) ? name : undefined;
}

function loaderCall(moduleName: string): tstl.Statement {
  return tstl.createExpressionStatement(
    tstl.createCallExpression(tstl.createIdentifier("dynamic_loader"), [tstl.createStringLiteral(moduleName)]),
  );
}

function hasExports(file: tstl.File): boolean {
  return file.statements.some(
    (s) => tstl.isVariableDeclarationStatement(s) && s.left.some((id) => id.text === "____exports"),
  );
}

function sdkHelperCall(
  checker: ts.TypeChecker,
  expression: ts.Expression,
): { name: SdkHelper; call: ts.CallExpression } | undefined {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
  if (!ts.isCallExpression(inner) || !ts.isIdentifier(inner.expression)) return undefined;
  const name = resolveSdkHelper(checker, inner.expression);
  return name ? { name, call: inner } : undefined;
}
