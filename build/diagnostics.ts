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
  // 1001 (bitwise operators) is retired: the build compiles them to arithmetic helpers (__NF_bit,
  // build/js-helpers.ts).
  asyncFunction: (node: ts.Node) =>
    error(
      1002,
      at(node),
      `'async'/'await' cannot keep its meaning in production: a filter is one synchronous call whose return values Nauthilus reads at once, and JavaScript runs the code after an 'await' (and promise callbacks) only after that call has returned. ` +
        `TypeScriptToLua's lualib runs them at once instead, in another order. Call host functions directly; they are synchronous.`,
    ),
  // 1003 (generators) is retired: TypeScriptToLua's coroutine generators run, with the lualib patched
  // where gopher-lua v1.1.1 or the lualib differ from JavaScript (build/lualib-generators.ts).
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
  // 1030 ('continue' inside a 'switch' inside a loop, which left only the switch) is retired: the
  // build passes the break on after the switch (the SwitchStatement visitor, build/js-semantics.ts).
  optionalLength: (node: ts.Node) =>
    error(
      1031,
      at(node),
      `'?.length' on a value that is not typed as a string, an array or a union of the two (any, unknown, an object type) compiles to a field lookup ('x.length', always nil for strings and arrays): ` +
        `on Lua an array and an object are both tables, and an empty one is either. Give it a string or array type, or write 'x === undefined ? undefined : x.length'.`,
    ),
  // 1032, 1036 and 1042 are guards: the build compiles %=, ||=, &&= and **= on every variable,
  // property and element target (compoundAssignment, build/js-semantics.ts); one it does not know
  // would keep Lua's operator.
  remainderAssignment: (node: ts.Node) =>
    error(
      1032,
      at(node),
      `'%=' uses Lua's floored modulo (-7 % 3 is 2, JavaScript gives -1). Write 'x = x % y': the build compiles '%' to JavaScript's remainder.`,
    ),
  // 1033 and 1034 (assignments lost to gopher-lua issue 448) are retired: the build makes such
  // locals cells instead (boxCapturedLocals, build/lua-rewrites.ts).
  // 1035 (iterating a string, which went byte by byte) is retired: for…of, spread, Array.from and
  // yield* go through __NF_code_points (build/js-semantics.ts).
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
  nullOrUndefined: (node: ts.Node, what: string) =>
    error(
      1043,
      at(node),
      `${what} In production null and undefined are the same value, Lua's nil (${PRODUCTION}). ` +
        `Use 'x == null' to test for either, or keep only one of null and undefined in the type (an optional field is undefined; the SDK never gives null).`,
    ),
  catchDestructuring: (node: ts.Node) =>
    error(
      1044,
      at(node),
      `A destructured catch binding is dropped by TypeScriptToLua: its names read globals (undefined) instead of the error's fields. Write 'catch (e)' and read 'e.message'.`,
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
