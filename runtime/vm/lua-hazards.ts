// Hand-written Lua that production's VM runs wrongly, found with a real Lua parser (runtime/vm/lua-ast.ts)
// when a chunk is first loaded and reported in the outcome's diagnostics. Compiled TypeScript
// never contains these (the build rewrites or rejects them); this is for Lua written by hand.
// - D19: a multiple assignment whose right side reads a variable it also assigns (gopher-lua
//   v1.1.1 writes each value into a local as soon as it is computed; runtime/vm/chunk-rewrite.ts
//   reproduces that for locals, the diagnostic says so for every case).
// - D15 (reproduced, reported because it is rarely meant): gopher-lua issue 448: after pcall caught an error, a closure made earlier in the
//   same function no longer sees later assignments to the locals it captured.
import { gopherStrings } from "./chunk-rewrite";
import { childNodes, parseLua, type Node } from "./lua-ast";

const CALLS = new Set(["CallExpression", "StringCallExpression", "TableCallExpression"]);

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Names read anywhere inside `nodes` (identifiers, not the field names of `a.b`). */
function namesRead(nodes: Node[], out = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (n.type === "Identifier") out.add(String(n.name));
    const field = n.type === "MemberExpression" ? n.identifier : undefined;
    namesRead(childNodes(n).filter((c) => c !== field), out);
  }
  return out;
}

function isProtectedCall(n: Node): boolean {
  if (!CALLS.has(n.type)) return false;
  const base = n.base as Node;
  return base.type === "Identifier" && base.name === "pcall"; // xpcall does not close them (observed)
}

export function gopherHazards(source: string, chunkName: string): string[] {
  // Strings as gopher reads them first ("\d" is a valid escape there), as the chunk rewrite does.
  const text = gopherStrings(Buffer.from(source, "utf8").toString("latin1"));
  let ast: Node;
  try {
    ast = parseLua(text);
  } catch (e) {
    // Called for chunks gopher's front end accepts (runtime/vm/gopher-syntax-error.ts), so this is
    // a chunk at the edge of what the models cover (a register limit gopher has, a lexer quirk):
    // the VM runs it with Lua 5.4's grammar, and the outcome says so.
    const where = /^\[(\d+):\d+\] (.*)$/.exec((e as Error).message);
    return [`${chunkName}:${where ? where[1] : "?"}: the local runtime cannot read this chunk as Lua 5.1 (${where ? where[2] : (e as Error).message}) although gopher-lua's grammar accepts it; production may still refuse it (a register limit) or read it differently, so its results here say little about production (docs/fidelity.md D28)`];
  }
  const found: Array<[number, string]> = [];

  const visitFunction = (body: Node[]) => {
    // Per function: its locals captured by closures made in it (name → offset of the closure),
    // and whether a protected call has run before the current statement.
    const captured = new Map<string, number>();
    const locals = new Set<string>();
    let protectedCallAt = -1;
    const walk = (n: Node): void => {
      if (n.type === "FunctionDeclaration") {
        if (n.isLocal && (n.identifier as Node | null)?.type === "Identifier") locals.add(String((n.identifier as Node).name));
        for (const name of namesRead(n.body as Node[])) if (locals.has(name) && !captured.has(name)) captured.set(name, n.range![0]);
        visitFunction(n.body as Node[]);
        return;
      }
      if (n.type === "LocalStatement") {
        for (const value of n.init as Node[]) walk(value);
        for (const v of n.variables as Node[]) locals.add(String(v.name));
        return;
      }
      if (isProtectedCall(n)) protectedCallAt = n.range![0];
      if (n.type === "AssignmentStatement") {
        const vars = n.variables as Node[];
        const targets = vars.filter((v) => v.type === "Identifier").map((v) => String(v.name));
        if (vars.length >= 2) {
          const init = n.init as Node[];
          // One call on the right (`h, r = f(h)`, TypeScriptToLua's try/catch): its arguments are
          // all read before any value lands, so gopher gets it right (observed).
          const singleCall = init.length === 1 && ["CallExpression", "StringCallExpression", "TableCallExpression"].includes(init[0].type);
          const read = singleCall ? new Set<string>() : namesRead(init);
          const reads = targets.filter((t) => read.has(t));
          const twice = targets.filter((t, i) => targets.indexOf(t) !== i);
          if (reads.length > 0 || twice.length > 0) {
            found.push([n.range![0], `gopher-lua v1.1.1 mis-compiles this multiple assignment (its right side reads ${[...new Set([...reads, ...twice])].join(", ")}, which it also assigns): production gets wrong values (the runtime reproduces them for locals); assign through a temporary (docs/fidelity.md D19)`]);
          }
        }
        if (protectedCallAt >= 0) {
          for (const t of targets) {
            const closureAt = captured.get(t);
            if (closureAt !== undefined && closureAt < protectedCallAt) {
              found.push([n.range![0], `after pcall caught an error, gopher-lua v1.1.1 loses this assignment to ${t} for the closure made on line ${lineOf(text, closureAt)} (gopher-lua issue 448): production's closure keeps the old value, and so does the local runtime (docs/fidelity.md D15)`]);
            }
          }
        }
      }
      for (const child of childNodes(n)) walk(child);
    };
    for (const statement of body) walk(statement);
  };
  try {
    visitFunction(ast.body as Node[]);
  } catch {
    return []; // nested deeper than this walk's stack: no hazard is reported
  }
  return found.sort((a, b) => a[0] - b[0]).map(([at, message]) => `${chunkName}:${lineOf(text, at)}: ${message}`);
}
