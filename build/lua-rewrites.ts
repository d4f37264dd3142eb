// Rewrites of the finished Lua AST for gopher-lua's own bugs.
import tstl from "typescript-to-lua";

/**
 * gopher-lua v1.1.1 mis-compiles a multiple assignment whose right side reads a local that an
 * earlier target of the same statement writes (`a, b = b, a` gives `b, b`; checked by running
 * it). TypeScriptToLua emits exactly that for `[a, b] = [b, a]`. Every `x, y = e1, e2` becomes
 * `local t1, t2 = e1, e2; x = t1; y = t2` (declaring fresh locals is compiled correctly).
 */
export function splitMultipleAssignments(file: tstl.File): void {
  let counter = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== "object" || node === null || typeof (node as { kind?: unknown }).kind !== "number") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "tsOriginal" || key === "parent") continue;
      if (key === "statements" && Array.isArray(value)) {
        (node as { statements: tstl.Statement[] }).statements = value.flatMap((statement: tstl.Statement) => {
          visit(statement);
          if (!tstl.isAssignmentStatement(statement) || statement.left.length < 2 || statement.right.length < 2) return [statement];
          const temps = statement.left.map(() => tstl.createIdentifier(`____gopher_assign_${++counter}`));
          return [
            tstl.createVariableDeclarationStatement(temps, statement.right),
            ...statement.left.map((target, i) => tstl.createAssignmentStatement(target, tstl.cloneIdentifier(temps[i]))),
          ];
        });
        continue;
      }
      visit(value);
    }
  };
  visit(file);
}
