// Every diagnostic the build itself raises, as a coded factory. Codes are printed as NF<code>
// next to TypeScript's TS<code> and TypeScriptToLua's TSTL<code> diagnostics.
import path from "node:path";
import ts from "typescript";

export const DIAGNOSTIC_SOURCE = "nauthilus-filters";

type At = { file: ts.SourceFile; start: number; length: number };

function at(node: ts.Node): At {
  const file = node.getSourceFile();
  return { file, start: node.getStart(file), length: node.getWidth(file) };
}

function error(code: number, where: At | undefined, messageText: string): ts.Diagnostic {
  return {
    category: ts.DiagnosticCategory.Error,
    code,
    source: DIAGNOSTIC_SOURCE,
    messageText,
    file: where?.file,
    start: where?.start,
    length: where?.length,
  };
}

const PRODUCTION = "Nauthilus v1.3.9 runs filters on gopher-lua (Lua 5.1)";

export const diagnostics = {
  bitwiseOperator: (node: ts.Node, operator: string) =>
    error(
      1001,
      at(node),
      `Bitwise operator '${operator}' cannot run in production: ${PRODUCTION}, which has no bitwise operators and no bit library. ` +
        `Use arithmetic (Math.floor(x / 2 ** n), x % 2 ** n) instead.`,
    ),
  asyncFunction: (node: ts.Node) =>
    error(
      1002,
      at(node),
      `'async'/'await' cannot run in production: a filter is called synchronously and ${PRODUCTION}, where TypeScriptToLua's promises never settle. ` +
        `Call host functions directly; they are synchronous.`,
    ),
  generator: (node: ts.Node) =>
    error(
      1003,
      at(node),
      `Generators ('function*', 'yield') are not supported in filters: a filter must finish in one synchronous call. Build an array and loop over it instead.`,
    ),
  unsupportedGlobal: (node: ts.Node, name: string, instead: string) =>
    error(
      1004,
      at(node),
      `'${name}' compiles but does not exist in production: ${PRODUCTION}, which has no '${name}' global and TypeScriptToLua does not provide one. ${instead}`,
    ),
  regexLiteral: (node: ts.Node) =>
    error(
      1005,
      at(node),
      `Regular expressions cannot run in production: ${PRODUCTION}, which has no RegExp. Use Lua patterns through string.match/string.find/string.gsub (lua-types declares them).`,
    ),
  localImport: (node: ts.Node, specifier: string) =>
    error(
      1006,
      at(node),
      `Import of '${specifier}' cannot be resolved in production: each filter is loaded as one script_path, and the build does not bundle other files. ` +
        `Import only Nauthilus modules ('nauthilus_backend') and 'nauthilus-sdk'; copy shared code into the filter.`,
    ),
  missingEntry: (file: ts.SourceFile) =>
    error(
      1010,
      { file, start: 0, length: 0 },
      `The filter does not export 'nauthilus_call_filter'. Nauthilus calls the global nauthilus_call_filter(request) and, without it, every request ends in a temporary failure ` +
        `('attempt to call a non-function object'). Add: export function nauthilus_call_filter(request: FilterRequest): FilterResult { ... }`,
    ),
  entryNotFunction: (node: ts.Node) =>
    error(
      1011,
      at(node),
      `'nauthilus_call_filter' must be a function: Nauthilus calls it with the request table and fails the request with 'attempt to call a non-function object' otherwise.`,
    ),
  entrySignature: (node: ts.Node, actual: string) =>
    error(
      1012,
      at(node),
      `'nauthilus_call_filter' has type '${actual}', which is not a FilterEntry '(request: FilterRequest) => FilterResult'. ` +
        `Nauthilus reads two return values (action, code): return accept()/reject() from 'nauthilus-sdk' or $multi(action, code); a plain 'return true' is one value and a tuple is one table.`,
    ),
  sdkHelperMisuse: (node: ts.Node, name: string) =>
    error(
      1020,
      at(node),
      `'${name}' from 'nauthilus-sdk' is compile-time only and valid only as 'return ${name}(...)' inside a function that returns FilterResult.`,
    ),
  continueInSwitch: (node: ts.Node) =>
    error(
      1030,
      at(node),
      `'continue' inside a 'switch' inside a loop only leaves the switch on Lua 5.1 (TypeScriptToLua emulates both with 'repeat … until true'): the rest of the loop body still runs. ` +
        `Use if/else instead of the switch, or move the body into a function and 'return'.`,
    ),
  optionalLength: (node: ts.Node) =>
    error(
      1031,
      at(node),
      `'?.length' on a value that is not typed as a string or an array (any, unknown, a union of both) compiles to a field lookup ('x.length', always nil): ` +
        `the build counts code units for strings and elements for arrays only when the type tells which. Give it one of the two types, or write 'x === undefined ? undefined : x.length'.`,
    ),
  remainderAssignment: (node: ts.Node) =>
    error(
      1032,
      at(node),
      `'%=' uses Lua's floored modulo (-7 % 3 is 2, JavaScript gives -1). Write 'x = x % y': the build compiles '%' to JavaScript's remainder.`,
    ),
  // 1033 and 1034 (assignments lost to gopher-lua issue 448) are retired: the build makes such
  // locals cells instead (boxCapturedLocals, build/lua-rewrites.ts).
  stringIteration: (node: ts.Node) =>
    error(
      1035,
      at(node),
      `Iterating a string ('for…of', spread, Array.from) goes byte by byte on production (TypeScriptToLua iterates the UTF-8 bytes): "é" comes out as two broken characters. ` +
        `Index it instead: for (let i = 0; i < s.length; i++) { const c = s.charAt(i); … } (the build makes length and charAt count UTF-16 code units).`,
    ),
  logicalAssignment: (node: ts.Node, operator: string) =>
    error(
      1036,
      at(node),
      `'${operator}' on a number or string tests Lua truthiness on production (0 and "" count as true). Write it out: x = x ${operator === "||=" ? "||" : "&&"} y (the build gives || and && JavaScript's meaning).`,
    ),
  stringInOptionalChain: (node: ts.Node, member: string) =>
    error(
      1037,
      at(node),
      `'${member}' on a string inside an optional chain ('?.'), not called (or called with a spread or other arguments than the build rewrites), keeps Lua's byte semantics, not JavaScript's. ` +
        `Call it (o?.s.${member}(…)), or split the chain: const s = o?.s; then use s.${member} where s is known to be defined.`,
    ),
  emptyAttributes: (node: ts.Node) =>
    error(
      1039,
      at(node),
      `An empty object literal given to a backend result's attributes() fails in production: Nauthilus v1.3.9 converts an empty Lua table to a list, not a map, and the request ends in a temporary failure (interface conversion). ` +
        `Give at least one attribute, or leave attributes() uncalled.`,
    ),
  privateName: (node: ts.Node, name: string) =>
    error(
      1040,
      at(node),
      `JavaScript private names ('${name}') are not supported by TypeScriptToLua. Use a TypeScript private member instead ('private ${name.slice(1)}', under a name the class does not use yet): TypeScript keeps it out of reach outside the class.`,
    ),
  lengthDestructuring: (node: ts.Node) =>
    error(
      1041,
      at(node),
      `Destructuring 'length' from a string or an array reads a table field on Lua (undefined; a string literal does not even compile). Write 'const length = value.length'.`,
    ),
  powerAssignment: (node: ts.Node) =>
    error(
      1042,
      at(node),
      `'**=' inside an expression or on an element keeps Lua's '^', where 1 ** NaN and 1 ** Infinity are 1 (JavaScript gives NaN). Write 'x = x ** y': the build compiles '**' with JavaScript's meaning.`,
    ),
  lua51Rejected: (file: ts.SourceFile | undefined, luaPath: string, message: string) =>
    error(
      1090,
      file ? { file, start: 0, length: 0 } : undefined,
      `The generated Lua is not valid Lua 5.1 (checked with PUC Lua 5.1): ${message} (in ${luaPath}). This is a build bug or an unsupported construct; please report it with the filter.`,
    ),
  notAFilter: (file: string) =>
    error(1095, undefined, `${file} is not a filter: the build compiles .ts files (a filter exports nauthilus_call_filter).`),
  fileNotFound: (file: string) =>
    error(1092, undefined, `File not found: ${file}. Pass .ts filter files, or no paths to build every filter of the project.`),
  notFilterProject: (file: string) =>
    error(
      1094,
      undefined,
      `${file} is not a filter project: it does not extend nauthilus-filters-sdk/preset/tsconfig.json (its tstl.luaTarget is not 5.1). ` +
        `Add "extends": "nauthilus-filters-sdk/preset/tsconfig.json", or pass the project's tsconfig.json with --project.`,
    ),
  projectNotFound: (file: string) =>
    error(1093, undefined, `Cannot find ${file}. Create a project with \`npx nauthilus-filters init\`, or pass --project PATH.`),
};

/** Formats a diagnostic like tsc: `file:line:col - error CODE: message`, paths relative to cwd. */
export function formatDiagnostic(d: ts.Diagnostic, cwd = process.cwd()): string {
  const category = ts.DiagnosticCategory[d.category].toLowerCase();
  const prefix = d.source === DIAGNOSTIC_SOURCE ? "NF" : d.source === "typescript-to-lua" ? "TSTL" : "TS";
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const file = relativePath(d.file.fileName, cwd);
    return `${file}:${line + 1}:${character + 1} - ${category} ${prefix}${d.code}: ${message}`;
  }
  return `${category} ${prefix}${d.code}: ${message}`;
}

export function relativePath(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join("/");
}
