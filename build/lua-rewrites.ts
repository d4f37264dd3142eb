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

/** Functions that call the function given as an argument at once, and only then (its body runs
 * in place): pcall's and xpcall's first argument, the right operand of the build's `||`/`&&`. */
const CALLS_AT_ONCE: Readonly<Record<string, number>> = { pcall: 0, xpcall: 0, __NF_or: 1, __NF_and: 1 };

/** A local of the emitted Lua: a `local` statement's name, a parameter or a loop variable. */
interface Local {
  name: string;
  /** The function whose frame holds it (a function called at once runs in its caller's frame). */
  frame: number;
  /** Functions entered (`functions` below) where it is declared. */
  functionDepth: number;
  /** Loops of its frame around the declaration: each run of them has its own local. */
  loopDepth: number;
  /** Where closures capturing it are made (and, for one called at once, where it ends), where
   * its frame writes it. */
  captures: Capture[];
  writes: Event[];
  /** Written inside a closure (other than one called at once in its frame). */
  writtenByClosure: boolean;
  /** How to make it a cell, once it is known that it must be one. */
  box: () => void;
  references: Array<(replacement: tstl.Expression) => void>;
}

/** A point of a frame's execution, with the loops around it (all frames). */
interface Event {
  at: number;
  loops: Loop[];
}
interface Capture {
  made: Event;
  /** The end of a function called at once: it is not called again. */
  ends?: Event;
}
interface Loop {
  frame: number;
  start: number;
  end: number;
}

/**
 * gopher-lua issue 448, checked on gopher-lua v1.1.1: when pcall catches an error, every upvalue
 * open at that moment is closed, in every function on the call stack: a closure made before
 * keeps a cell of its own, and the function that declared the local goes on with its register.
 * From then on, what one writes the other does not see. TypeScriptToLua's try/catch is made of
 * such closures (the try block runs as `pcall(function() … end)`, the catch block is a local
 * function made before it), and so is any callback.
 *
 * A local is made a one-element table (`local x = {v}`, read and written as `x[1]`) when it can
 * be written after a closure that captures it was made and after a point where an error may have
 * been caught: a call or an index (a metamethod may run code) between the two, or a loop around
 * them that holds one, or a write inside a closure. Closures then share the table, which the VM
 * never copies. A file without pcall, xpcall or a lualib feature that uses them (no try/catch)
 * cannot catch an error, and is left unchanged.
 */
export function boxCapturedLocals(file: tstl.File): void {
  if (!mayCatch(file)) return;
  let clock = 0;
  let frames = 0;
  const locals: Local[] = [];
  // Per frame: where something that may catch an error runs.
  const catchPoints = new Map<number, Event[]>();
  const loops: Loop[] = [];
  // Functions entered: the frame they run in and where they were made in their parent's frame.
  const functions: Array<Capture & { atOnce: boolean }> = [];
  let frame = frames++;
  const scope: Map<string, Local>[] = [new Map()];

  const now = (): Event => ({ at: clock++, loops: [...loops] });
  const find = (name: string): Local | undefined => {
    for (let i = scope.length - 1; i >= 0; i--) {
      const local = scope[i].get(name);
      if (local) return local;
    }
    return undefined;
  };
  const declare = (name: string, box: () => void): Local => {
    const local: Local = {
      name,
      frame,
      functionDepth: functions.length,
      loopDepth: loops.filter((l) => l.frame === frame).length,
      captures: [],
      writes: [],
      writtenByClosure: false,
      box,
      references: [],
    };
    scope[scope.length - 1].set(name, local);
    locals.push(local);
    return local;
  };
  const catchPoint = () => {
    const list = catchPoints.get(frame) ?? [];
    list.push(now());
    catchPoints.set(frame, list);
  };
  const reference = (id: tstl.Identifier, replace: (r: tstl.Expression) => void, write: boolean): void => {
    const local = find(id.text);
    if (!local) return; // a global
    local.references.push(replace);
    const between = functions.slice(local.functionDepth);
    if (between.length > 0 && !local.captures.includes(between[0])) local.captures.push(between[0]);
    if (between.some((f) => !f.atOnce)) {
      if (write) local.writtenByClosure = true;
    } else if (write) {
      local.writes.push(now());
    }
  };
  const inScope = (body: () => void): void => {
    scope.push(new Map());
    body();
    scope.pop();
  };
  const loop = (body: () => void): void => {
    const l: Loop = { frame, start: clock++, end: -1 };
    loops.push(l);
    body();
    loops.pop();
    l.end = clock++;
  };

  const statements = (list: tstl.Statement[]): void => {
    for (let i = 0; i < list.length; i++) statement(list, i);
  };
  const block = (b: tstl.Block): void => inScope(() => statements(b.statements));

  const statement = (list: tstl.Statement[], index: number): void => {
    const s = list[index];
    if (tstl.isDoStatement(s)) return inScope(() => statements(s.statements));
    if (tstl.isVariableDeclarationStatement(s)) {
      const boxOne = (name: tstl.Identifier) => () => boxAfter(list, s, name);
      if (tstl.isFunctionDefinition(s)) {
        // Printed as `local function f`: f is in scope inside its own body.
        const [name] = s.left;
        declare(name.text, () => boxFunctionDefinition(list, s));
        expressions(s.right);
        return;
      }
      if (s.right) expressions(s.right);
      for (const name of s.left) {
        declare(name.text, s.left.length === 1 ? () => (s.right = [cell(s.right?.[0])]) : boxOne(name));
      }
      return;
    }
    if (tstl.isAssignmentStatement(s)) {
      expressions(s.right);
      s.left.forEach((target, i) => {
        if (tstl.isIdentifier(target)) reference(target, (r) => (s.left[i] = r as tstl.TableIndexExpression), true);
        else {
          expression(target.table, (r) => (target.table = r));
          expression(target.index, (r) => (target.index = r));
          catchPoint();
        }
      });
      return;
    }
    if (tstl.isIfStatement(s)) {
      expression(s.condition, (r) => (s.condition = r));
      block(s.ifBlock);
      if (s.elseBlock) {
        if (tstl.isBlock(s.elseBlock)) block(s.elseBlock);
        else statement([s.elseBlock], 0);
      }
      return;
    }
    if (tstl.isWhileStatement(s)) {
      return loop(() => {
        expression(s.condition, (r) => (s.condition = r));
        block(s.body);
      });
    }
    if (tstl.isRepeatStatement(s)) {
      // The condition sees the body's locals.
      return loop(() =>
        inScope(() => {
          statements(s.body.statements);
          expression(s.condition, (r) => (s.condition = r));
        }),
      );
    }
    if (tstl.isForStatement(s)) {
      expression(s.controlVariableInitializer, (r) => (s.controlVariableInitializer = r));
      expression(s.limitExpression, (r) => (s.limitExpression = r));
      if (s.stepExpression) expression(s.stepExpression, (r) => (s.stepExpression = r));
      return loop(() =>
        inScope(() => {
          declare(s.controlVariable.text, () => s.body.statements.unshift(shadowCell(s.controlVariable)));
          statements(s.body.statements);
        }),
      );
    }
    if (tstl.isForInStatement(s)) {
      expressions(s.expressions);
      return loop(() =>
        inScope(() => {
          catchPoint(); // the iterator function runs before each iteration
          for (const name of s.names) declare(name.text, () => s.body.statements.unshift(shadowCell(name)));
          statements(s.body.statements);
        }),
      );
    }
    if (tstl.isReturnStatement(s)) return expressions(s.expressions);
    if (tstl.isExpressionStatement(s)) return expression(s.expression, (r) => (s.expression = r));
    if (tstl.isBreakStatement(s) || tstl.isGotoStatement(s) || tstl.isLabelStatement(s)) return;
    throw new Error(`boxCapturedLocals: unexpected Lua statement kind ${tstl.SyntaxKind[s.kind]}`);
  };

  const expressions = (list: tstl.Expression[]): void => list.forEach((e, i) => expression(e, (r) => (list[i] = r)));

  const expression = (e: tstl.Expression, replace: (r: tstl.Expression) => void, atOnce = false): void => {
    if (tstl.isIdentifier(e)) return reference(e, replace, false);
    if (tstl.isFunctionExpression(e)) {
      const made: Capture & { atOnce: boolean } = { made: now(), atOnce };
      functions.push(made);
      const outerFrame = frame;
      if (!atOnce) frame = frames++;
      inScope(() => {
        for (const param of e.params ?? []) declare(param.text, () => e.body.statements.unshift(shadowCell(param)));
        statements(e.body.statements);
      });
      frame = outerFrame;
      functions.pop();
      if (atOnce) made.ends = now();
      return;
    }
    if (tstl.isCallExpression(e)) {
      expression(e.expression, (r) => (e.expression = r));
      const callee = tstl.isIdentifier(e.expression) && !find(e.expression.text) ? e.expression.text : undefined;
      const atOnceIndex = callee !== undefined && Object.hasOwn(CALLS_AT_ONCE, callee) ? CALLS_AT_ONCE[callee] : -1;
      e.params.forEach((p, i) => expression(p, (r) => (e.params[i] = r), i === atOnceIndex));
      return catchPoint();
    }
    if (tstl.isMethodCallExpression(e)) {
      expression(e.prefixExpression, (r) => (e.prefixExpression = r));
      expressions(e.params);
      return catchPoint();
    }
    if (tstl.isTableIndexExpression(e)) {
      expression(e.table, (r) => (e.table = r));
      expression(e.index, (r) => (e.index = r));
      return catchPoint();
    }
    if (tstl.isTableExpression(e)) {
      for (const field of e.fields) {
        if (field.key) expression(field.key, (r) => (field.key = r));
        expression(field.value, (r) => (field.value = r));
      }
      return;
    }
    if (tstl.isTableFieldExpression(e)) {
      if (e.key) expression(e.key, (r) => (e.key = r));
      return expression(e.value, (r) => (e.value = r));
    }
    if (tstl.isBinaryExpression(e)) {
      expression(e.left, (r) => (e.left = r));
      return expression(e.right, (r) => (e.right = r));
    }
    if (tstl.isUnaryExpression(e)) return expression(e.operand, (r) => (e.operand = r));
    if (tstl.isParenthesizedExpression(e)) {
      const p = e as tstl.ParenthesizedExpression;
      return expression(p.expression, (r) => (p.expression = r));
    }
    if (
      tstl.isStringLiteral(e) || tstl.isNumericLiteral(e) || tstl.isNilLiteral(e) || tstl.isBooleanLiteral(e) ||
      tstl.isDotsLiteral(e) || e.kind === tstl.SyntaxKind.ArgKeyword
    ) {
      return;
    }
    throw new Error(`boxCapturedLocals: unexpected Lua expression kind ${tstl.SyntaxKind[e.kind]}`);
  };

  statements(file.statements);

  const lost = locals.filter((local) => {
    if (local.captures.length === 0 || (local.writes.length === 0 && !local.writtenByClosure)) return false;
    // The loops of its frame that do not hold its declaration: inside them, an event may happen
    // again after any other of them.
    const span = (e: Event): [number, number] => {
      const outer = e.loops.filter((l) => l.frame === local.frame)[local.loopDepth];
      return outer ? [outer.start, outer.end] : [e.at, e.at];
    };
    // A closure made at C, an error caught at P after it (and its cell closed), a write at W
    // after P while the closure is still called (a function called at once only until it ends).
    const points = (catchPoints.get(local.frame) ?? []).map(span);
    const captures = local.captures.map((c) => ({ start: span(c.made)[0], end: c.ends ? span(c.ends)[1] : Infinity }));
    return (
      (local.writtenByClosure && points.some(([, pEnd]) => captures.some((c) => c.start < pEnd))) ||
      local.writes.map(span).some(([wStart, wEnd]) =>
        points.some(([pStart, pEnd]) => pStart < wEnd && captures.some((c) => c.start < pEnd && wStart < c.end)),
      )
    );
  });
  // Every reference first, then the declarations: a declaration's value may name another boxed
  // local (`local a = b`), whose reference must be rewritten where it stands before `{…}` wraps it.
  for (const local of lost) {
    for (const replace of local.references) replace(tstl.createTableIndexExpression(tstl.createIdentifier(local.name), tstl.createNumericLiteral(1)));
  }
  for (const local of lost) local.box();
}

/** `{v}`, the cell of a boxed local (`{}` for a local declared without a value). */
function cell(value: tstl.Expression | undefined): tstl.TableExpression {
  return tstl.createTableExpression(value ? [tstl.createTableFieldExpression(value)] : []);
}

/** `local x = {x}`: a parameter or loop variable becomes a cell under the same name. */
function shadowCell(name: tstl.Identifier): tstl.Statement {
  return tstl.createVariableDeclarationStatement(tstl.createIdentifier(name.text), cell(tstl.createIdentifier(name.text)));
}

/** `local a, b = …` with b boxed: `local b = {b}` right after. */
function boxAfter(list: tstl.Statement[], declaration: tstl.Statement, name: tstl.Identifier): void {
  list.splice(list.indexOf(declaration) + 1, 0, shadowCell(name));
}

/** `local function f` boxed: `local f = {}` and `f[1] = function … end` (f is in scope inside). */
function boxFunctionDefinition(list: tstl.Statement[], declaration: tstl.VariableDeclarationStatement): void {
  const [name] = declaration.left;
  const [fn] = declaration.right!;
  const assign = tstl.createAssignmentStatement(tstl.createTableIndexExpression(tstl.createIdentifier(name.text), tstl.createNumericLiteral(1)), fn);
  declaration.right = [cell(undefined)];
  list.splice(list.indexOf(declaration) + 1, 0, assign);
}

/** Whether anything in the file can catch an error: pcall or xpcall, by name or in a string, or a
 * lualib feature built on them. */
function mayCatch(file: tstl.File): boolean {
  for (const feature of file.luaLibFeatures) if (/Promise|Using|Async|Await/.test(String(feature))) return true;
  let found = false;
  const visit = (node: unknown): void => {
    if (found || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { kind?: unknown; text?: unknown; value?: unknown };
    if (typeof n.kind !== "number") return;
    if (tstl.isIdentifier(n as tstl.Node) && /^x?pcall$/.test(String(n.text))) found = true;
    if (tstl.isStringLiteral(n as tstl.Node) && String(n.value).includes("pcall")) found = true;
    for (const [key, value] of Object.entries(node)) if (key !== "tsOriginal" && key !== "parent") visit(value);
  };
  visit(file.statements);
  return found;
}

/**
 * TypeScriptToLua's try statement nested in another one, in a function returning several values
 * (LuaMultiReturn: every filter entry), hands a return on as `return true, unpack(____returnValue)`:
 * the outer try statement then takes the first value for its `____returnValue`, which it unpacks
 * in turn (`bad argument #1 to unpack`). The values travel as the table they already are.
 */
export function passNestedTryReturns(file: tstl.File): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== "object" || node === null || typeof (node as { kind?: unknown }).kind !== "number") return;
    const n = node as tstl.Node;
    if (tstl.isReturnStatement(n) && n.expressions.length === 2 && n.expressions[0].kind === tstl.SyntaxKind.TrueKeyword) {
      const [, second] = n.expressions;
      if (
        tstl.isCallExpression(second) && tstl.isIdentifier(second.expression) && second.expression.text === "unpack" &&
        second.params.length === 1 && tstl.isIdentifier(second.params[0]) && second.params[0].text === "____returnValue"
      ) {
        n.expressions[1] = second.params[0];
      }
    }
    for (const [key, value] of Object.entries(node)) if (key !== "tsOriginal" && key !== "parent") visit(value);
  };
  visit(file.statements);
}
