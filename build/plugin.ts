// The TypeScriptToLua plugin, and with it the whole build: `tstl -p` with the preset and
// `nauthilus-filters build` run exactly this, so they write the same Lua.
// - the build's own rules (build/gopher-rules.ts) as diagnostics; a file with an error is not
//   written (and an older .lua of it is removed);
// - the host boilerplate authors never write: `dynamic_loader("<module>")` before each `require`
//   of a Nauthilus module, the exported `nauthilus_call_filter` as the global Nauthilus calls,
//   `return accept(code)` / `return reject(code)` from "nauthilus-sdk" as two Lua values;
// - JavaScript meaning (build/js-semantics.ts, build/undefined-keys.ts, build/array-lengths.ts) and its helpers, the file's layout
//   (build/filter-printer.ts), and a real Lua 5.1 parse of every emitted file.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import tstl from "typescript-to-lua";
import { truthyOnlyConditionalValue } from "typescript-to-lua/dist/transformation/utils/diagnostics";
import { diagnostics } from "./diagnostics";
import { FilterPrinter } from "./filter-printer";
import { checkFilter, ENTRY_NAME } from "./gopher-rules";
import { helperReturn, jsSemanticsVisitors, useHelper, usedHelpers } from "./js-semantics";
import { checkLua51 } from "./lua51-check";
import { boxCapturedLocals, passNestedTryReturns, splitMultipleAssignments } from "./lua-rewrites";
import { resolveSdkHelper, SDK_HELPER_MODULE, type SdkHelper } from "./sdk-helpers";
import { withUndefinedKeys } from "./undefined-keys";
import { countRestsAndLengthSetters, withArrayLengths } from "./array-lengths";

/** Modules Nauthilus provides through dynamic_loader (contract §2): all named nauthilus_*. */
export function isNauthilusModule(name: string): boolean {
  return /^nauthilus_[a-z0-9_]+$/.test(name);
}

/** Source files whose transformation raised an error: their Lua is not written. */
const failed = new Set<string>();

/**
 * The plugin. `removeStale`: a filter that fails also loses the .lua (and .lua.map) an earlier
 * build wrote, for `tstl -p`, which writes its own files; the SDK's build writes and removes
 * files itself (build/build-filters.ts) and also compiles in memory, where nothing is removed.
 */
export function createFilterPlugin(removeStale: boolean): tstl.Plugin {
  return {
    visitors: {
      ...withArrayLengths(withUndefinedKeys(jsSemanticsVisitors)),
      [ts.SyntaxKind.SourceFile]: (node, context) => {
        const fileName = node.fileName;
        failed.delete(fileName);
        usedHelpers.delete(fileName);
        const original = context.program.getSourceFile(fileName) ?? node;
        context.diagnostics.push(...checkFilter(context.program, original));
        const [file] = context.superTransformNode(node) as tstl.File[];
        // TypeScriptToLua warns about Lua truthiness; the visitors emit JavaScript truthiness instead.
        for (let i = context.diagnostics.length - 1; i >= 0; i--) {
          if (context.diagnostics[i].code === truthyOnlyConditionalValue.code) context.diagnostics.splice(i, 1);
        }
        if (context.diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) failed.add(fileName);
        if (!file || !tstl.isFile(file)) return file;
        splitMultipleAssignments(file);
        countRestsAndLengthSetters(file, fileName);
        passNestedTryReturns(file);
        boxCapturedLocals(file);
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
        return helperReturn(context, helper.name === "reject", code, node);
      },
    },
    printer: (program, emitHost, fileName, file) => new FilterPrinter(emitHost, program, fileName).print(file),
    beforeEmit(program, _options, _emitHost, plan) {
      const found: ts.Diagnostic[] = [];
      for (let i = plan.length - 1; i >= 0; i--) {
        const { outputPath, code, sourceFiles } = plan[i];
        const source = sourceFiles?.[0];
        // tstl -p emits files with type errors; the build writes none of them.
        let drop =
          source !== undefined &&
          (failed.has(source.fileName) ||
            [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].some((d) => d.category === ts.DiagnosticCategory.Error));
        if (!drop) {
          const luaPath = path.relative(tstl.getProjectRoot(program), outputPath).split(path.sep).join("/");
          const rejected = checkLua51(code, luaPath);
          if (rejected !== undefined) {
            found.push(diagnostics.lua51Rejected(source, luaPath, rejected));
            drop = true;
          }
        }
        if (drop) {
          plan.splice(i, 1);
          // Nothing of a filter with errors may stay behind for Nauthilus to load.
          if (removeStale) {
            fs.rmSync(outputPath, { force: true });
            fs.rmSync(`${outputPath}.map`, { force: true });
          }
        }
      }
      return found;
    },
  };
}

/** The SDK build's instance (build/build-filters.ts). */
export const filterPlugin = createFilterPlugin(false);

/** What `tstl -p` loads through the preset's luaPlugins (tstl-plugin.cjs). */
export default function tstlPlugin(): tstl.Plugin {
  return createFilterPlugin(true);
}

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
