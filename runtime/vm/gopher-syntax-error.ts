// Production's wording of compile errors (docs/fidelity.md D28). Nauthilus compiles filters and
// what loadstring/load get with gopher-lua v1.1.1, whose messages are not Lua 5.4's:
//   `<string> line:1(column:10) near 'goto':   syntax error\n`  (column: 1-based byte of the scanner,
//   i.e. the last byte of the token it read last),  `<string> at EOF:   syntax error\n`,
//   `compile error near line(2) <string>: no visible label 'nowhere' for <goto> at line 1`.
// gopherCompileError models gopher's front end, from its behaviour (observed on gopher-lua v1.1.1,
// test/runtime/gopher-syntax-error.test.ts): its scanner and quirks, an LALR(1) parser for its
// grammar driven like goyacc's (same states, default reductions and look-ahead reads, which decide
// the token an error is reported at and when "parse error" fires), and the compiler's checks.
// Not modelled (null where gopher fails): the generated code's register count ("register
// overflow(too many local variables)": a call with 200 arguments, a `..` chain of 201 operands, …),
// "too many constants", "too long to jump.".
// Sources and messages hold one character per byte (as in lua-ast.ts); a source with characters
// above U+00FF is taken as text and encoded as UTF-8 first.

// ---------------------------------------------------------------------------------------------
// Scanner

const EOF = -1;

class GopherError {
  constructor(readonly message: string) {}
}

/** A token: its grammar symbol, gopher's text for it, the line it starts on and its offsets. */
interface Tok {
  sym: string;
  str: string;
  line: number;
  start?: number;
  end?: number;
}

const KEYWORDS = new Set([
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local",
  "nil", "not", "or", "return", "repeat", "then", "true", "until", "while", "goto",
]);

const SINGLE = new Set(["+", "*", "/", "%", "^", "#", "(", ")", "{", "}", "]", ";", ","]);

function byteChar(c: number): string {
  return String.fromCharCode(c & 0xff);
}

function isDecimal(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDecimal(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isIdentChar(c: number, first: boolean): boolean {
  return c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (!first && isDecimal(c));
}

/** The code point `c` as Go's string(rune(c)) gives it: UTF-8 bytes, U+FFFD for a negative value. */
function runeBytes(c: number): string {
  return Buffer.from(String.fromCodePoint(c < 0 ? 0xfffd : c), "utf8").toString("latin1");
}

class Scanner {
  private i = 0;
  line = 1;
  column = 0;
  /** The text of the last token read (EOF does not count), which syntax errors are "near". */
  lastStr = "";

  constructor(private readonly src: string, private readonly chunkName: string) {}

  error(token: string, message: string): GopherError {
    if (this.line === EOF) return new GopherError(`${this.chunkName} at EOF:   ${message}\n`);
    return new GopherError(`${this.chunkName} line:${this.line}(column:${this.column}) near '${token}':   ${message}\n`);
  }

  private peek(): number {
    return this.i < this.src.length ? this.src.charCodeAt(this.i) : EOF;
  }

  private newline(c: number): void {
    this.line++;
    this.column = 0;
    const n = this.peek();
    if ((c === 10 && n === 13) || (c === 13 && n === 10)) this.i++;
  }

  private next(): number {
    if (this.i >= this.src.length) {
      this.line = EOF;
      this.column = 0;
      return EOF;
    }
    const c = this.src.charCodeAt(this.i++);
    if (c === 10 || c === 13) {
      this.newline(c);
      return 10;
    }
    this.column++;
    return c;
  }

  private skipBlanks(newlines: boolean): number {
    let c = this.next();
    while (c === 32 || c === 9 || (newlines && (c === 10 || c === 13))) c = this.next();
    return c;
  }

  private countSep(c: number): [number, number] {
    let n = 0;
    while (c === 61) {
      n++;
      c = this.next();
    }
    return [n, c];
  }

  /** A long bracket's body; `c` is the byte after the opening `[`. Fills buf.s as it goes. */
  private longString(c: number, buf: { s: string }): void {
    let open: number;
    [open, c] = this.countSep(c);
    if (c !== 91) throw this.error(runeBytes(c), "invalid multiline string");
    c = this.next();
    if (c === 10) c = this.next();
    for (;;) {
      if (c < 0) throw this.error(buf.s, "unterminated multiline string");
      if (c === 93) {
        let close: number;
        [close, c] = this.countSep(this.next());
        if (open === close && c === 93) return;
        buf.s += "]" + "=".repeat(close);
        continue;
      }
      buf.s += byteChar(c);
      c = this.next();
    }
  }

  private comment(c: number): void {
    if (this.peek() === 91) {
      c = this.next();
      const p = this.peek();
      if (p === 91 || p === 61) {
        const buf = { s: "" };
        try {
          this.longString(this.next(), buf);
        } catch (e) {
          if (e instanceof GopherError) throw this.error(buf.s, "invalid multiline comment");
          throw e;
        }
        return;
      }
    }
    while (c !== 10 && c >= 0) c = this.next();
  }

  private quoted(quote: number): string {
    let s = "";
    let c = this.next();
    while (c !== quote) {
      if (c === 10 || c < 0) throw this.error(s, "unterminated string");
      if (c === 92) {
        c = this.next();
        switch (c) {
          case 97: s += "\x07"; break;
          case 98: s += "\b"; break;
          case 102: s += "\f"; break;
          case 110: s += "\n"; break;
          case 114: s += "\r"; break;
          case 116: s += "\t"; break;
          case 118: s += "\v"; break;
          default:
            if (isDecimal(c)) {
              let digits = String.fromCharCode(c);
              for (let k = 0; k < 2 && isDecimal(this.peek()); k++) digits += String.fromCharCode(this.next());
              s += byteChar(parseInt(digits, 10));
            } else {
              s += byteChar(c); // \\ \" \' a newline, and any other byte, stand for themselves
            }
        }
      } else {
        s += byteChar(c);
      }
      c = this.next();
    }
    return s;
  }

  private number(c: number): string {
    let s = "";
    const digits = (first: number) => {
      s += byteChar(first);
      while (isDecimal(this.peek())) s += byteChar(this.next());
    };
    if (c === 48) {
      const p = this.peek();
      if (p === 120 || p === 88) {
        s = "0" + byteChar(this.next());
        let any = false;
        while (isHex(this.peek())) {
          s += byteChar(this.next());
          any = true;
        }
        if (!any) throw this.error(s, "illegal hexadecimal number");
        return s;
      }
      if (isDecimal(p)) c = this.next(); // one leading zero is dropped from the text
    }
    digits(c);
    if (this.peek() === 46) digits(this.next());
    const e = this.peek();
    if (e === 101 || e === 69) {
      s += byteChar(this.next());
      const sign = this.peek();
      if (sign === 45 || sign === 43) s += byteChar(this.next());
      digits(this.next()); // whatever byte follows is part of the number
    }
    return s;
  }

  /** The next token; a token whose symbol is "$end" is the end of the chunk. */
  scan(): Tok {
    for (;;) {
      let c = this.skipBlanks(false);
      if (c === 10) c = this.skipBlanks(true);
      const line = this.line;
      let sym: string;
      let str: string;
      if (isIdentChar(c, true)) {
        str = byteChar(c);
        while (isIdentChar(this.peek(), false)) str += byteChar(this.next());
        sym = KEYWORDS.has(str) ? str : "Name";
      } else if (isDecimal(c)) {
        sym = "Number";
        str = this.number(c);
      } else if (c === EOF) {
        return { sym: "$end", str: "", line };
      } else {
        const ch = String.fromCharCode(c);
        const p = this.peek();
        switch (ch) {
          case "-":
            if (p === 45) {
              this.comment(this.next());
              continue;
            }
            sym = str = "-";
            break;
          case '"':
          case "'": {
            const start = this.i - 1;
            str = this.quoted(c);
            this.lastStr = str;
            return { sym: "String", str, line, start, end: this.i };
          }
          case "[":
            if (p === 91 || p === 61) {
              const buf = { s: "" };
              this.longString(this.next(), buf);
              sym = "String";
              str = buf.s;
            } else {
              sym = str = "[";
            }
            break;
          case "=":
          case "<":
          case ">":
            if (p === 61) {
              this.next();
              sym = str = ch + "=";
            } else {
              sym = str = ch;
            }
            break;
          case "~":
            if (p !== 61) throw this.error("~", "Invalid '~' token");
            this.next();
            sym = str = "~=";
            break;
          case ":":
            if (p === 58) {
              this.next();
              sym = str = "::";
            } else {
              sym = str = ":";
            }
            break;
          case ".":
            if (isDecimal(p)) {
              sym = "Number";
              str = this.number(c);
            } else if (p === 46) {
              this.next();
              if (this.peek() === 46) {
                this.next();
                sym = str = "...";
              } else {
                sym = str = "..";
              }
            } else {
              sym = ".";
              str = ""; // gopher keeps no text for a single dot
            }
            break;
          default:
            if (!SINGLE.has(ch)) throw this.error(byteChar(c), "Invalid token");
            sym = str = ch;
        }
      }
      this.lastStr = str;
      return { sym, str, line };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax tree (only what the compiler's checks look at)

interface Expr {
  k: "lit" | "vararg" | "func" | "index" | "call" | "op" | "table";
  line: number;
  /** Sub-expressions in the order gopher compiles them (not used for "func"). */
  parts: Expr[];
  func?: FuncExpr;
}

interface FuncExpr {
  params: string[];
  vararg: boolean;
  body: Stmt[];
  line: number;
  lastLine: number;
}

type Stmt =
  | { k: "assign"; line: number; targets: Expr[]; values: Expr[] }
  | { k: "local"; line: number; lastLine?: number; names: string[]; values: Expr[] }
  | { k: "call"; line: number; call: Expr }
  | { k: "do"; line: number; lastLine: number; body: Stmt[] }
  | { k: "while"; line: number; lastLine: number; cond: Expr; body: Stmt[] }
  | { k: "repeat"; line: number; lastLine: number; cond: Expr; body: Stmt[] }
  | { k: "if"; line: number; lastLine?: number; cond: Expr; then: Stmt[]; else: Stmt[] }
  | { k: "numfor"; line: number; lastLine: number; name: string; exprs: Expr[]; body: Stmt[] }
  | { k: "genfor"; line: number; lastLine: number; names: string[]; exprs: Expr[]; body: Stmt[] }
  | { k: "funcdef"; line: number; lastLine: number; target: Expr; method: boolean; func: FuncExpr }
  | { k: "return"; line: number; values: Expr[] }
  | { k: "break"; line: number }
  | { k: "label"; line: number; name: string }
  | { k: "goto"; line: number; name: string };

function endLine(s: Stmt): number {
  const last = "lastLine" in s ? s.lastLine : undefined;
  return last ? last : s.line;
}

const lit = (t: Tok): Expr => ({ k: "lit", line: t.line, parts: [] });
const op = (line: number, ...parts: Expr[]): Expr => ({ k: "op", line, parts });
const funcExpr = (f: FuncExpr, line: number): Expr => ({ k: "func", line, parts: [], func: f });

// ---------------------------------------------------------------------------------------------
// Grammar: gopher-lua's, in its order (reduce/reduce conflicts go to the earlier rule). Its
// nonterminal `function` is called `closure` here, apart from the keyword.

type V = any;
type Action = (v: V[], sc: Scanner) => V;

interface Rule {
  lhs: string;
  rhs: string[];
  prec: number;
  action: Action;
}

// Precedence levels, lowest first; `right` marks right associativity.
const LEVELS: [string[], "left" | "right"][] = [
  [["or"], "left"],
  [["and"], "left"],
  [[">", "<", ">=", "<=", "==", "~="], "left"],
  [[".."], "right"],
  [["+", "-"], "left"],
  [["*", "/", "%"], "left"],
  [["UNARY"], "right"],
  [["^"], "right"],
];

// Terminals in goyacc's numbering order (a state's default reduction is, among the most frequent
// ones, the first met in this order).
const TERMINALS = [
  "$end", "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in",
  "local", "nil", "not", "or", "return", "repeat", "then", "true", "until", "while", "goto", "==",
  "~=", "<=", ">=", "..", "...", "::", "Name", "Number", "String", "{", "(", ">", "<", "+", "-",
  "*", "/", "%", "^", ";", "=", ",", ":", ".", "[", "]", "#", ")", "}",
];

const binop: Action = (v) => op(v[0].line, v[0], v[2]);
const unop: Action = (v) => op(v[1].line, v[1]);
const first: Action = (v) => v[0];
const push = (list: V[], ...items: V[]) => {
  for (const item of items) list.push(item);
  return list;
};
const ifStmt = (v: V[], elseBlock: Stmt[] | null, endTok: Tok): Stmt => {
  const top: Stmt & { k: "if" } = { k: "if", line: v[0].line, lastLine: endTok.line, cond: v[1], then: v[3], else: [] };
  let cur = top;
  for (const e of v[4] as (Stmt & { k: "if" })[]) {
    cur.else = [e];
    cur = e;
  }
  if (elseBlock) cur.else = elseBlock;
  return top;
};

const GRAMMAR: [string, string, Action, string?][] = [
  ["chunk", "chunk1", first],
  ["chunk", "chunk1 laststat", (v) => push(v[0], v[1])],
  ["chunk", "chunk1 laststat ;", (v) => push(v[0], v[1])],
  ["chunk1", "", () => []],
  ["chunk1", "chunk1 stat", (v) => push(v[0], v[1])],
  ["chunk1", "chunk1 ;", first],
  ["block", "chunk", first],
  ["stat", "varlist = exprlist", (v) => ({ k: "assign", line: v[0][0].line, targets: v[0], values: v[2] })],
  ["stat", "prefixexp", (v, sc) => {
    if (v[0].k !== "call") throw sc.error(sc.lastStr, "parse error");
    return { k: "call", line: v[0].line, call: v[0] };
  }],
  ["stat", "do block end", (v) => ({ k: "do", line: v[0].line, lastLine: v[2].line, body: v[1] })],
  ["stat", "while expr do block end", (v) => ({ k: "while", line: v[0].line, lastLine: v[4].line, cond: v[1], body: v[3] })],
  ["stat", "repeat block until expr", (v) => ({ k: "repeat", line: v[0].line, lastLine: v[3].line, cond: v[3], body: v[1] })],
  ["stat", "if expr then block elseifs end", (v) => ifStmt(v, null, v[5])],
  ["stat", "if expr then block elseifs else block end", (v) => ifStmt(v, v[6], v[7])],
  ["stat", "for Name = expr , expr do block end", (v) => ({ k: "numfor", line: v[0].line, lastLine: v[8].line, name: v[1].str, exprs: [v[3], v[5]], body: v[7] })],
  ["stat", "for Name = expr , expr , expr do block end", (v) => ({ k: "numfor", line: v[0].line, lastLine: v[10].line, name: v[1].str, exprs: [v[3], v[5], v[7]], body: v[9] })],
  ["stat", "for namelist in exprlist do block end", (v) => ({ k: "genfor", line: v[0].line, lastLine: v[6].line, names: v[1], exprs: v[3], body: v[5] })],
  ["stat", "function funcname funcbody", (v) => ({ k: "funcdef", line: v[0].line, lastLine: v[2].lastLine, target: v[1].target, method: v[1].method, func: v[2] })],
  ["stat", "local function Name funcbody", (v) => ({ k: "local", line: v[0].line, lastLine: v[3].lastLine, names: [v[2].str], values: [funcExpr(v[3], v[3].line)] })],
  ["stat", "local namelist = exprlist", (v) => ({ k: "local", line: v[0].line, names: v[1], values: v[3] })],
  ["stat", "local namelist", (v) => ({ k: "local", line: v[0].line, names: v[1], values: [] })],
  ["stat", ":: Name ::", (v) => ({ k: "label", line: v[0].line, name: v[1].str })],
  ["stat", "goto Name", (v) => ({ k: "goto", line: v[0].line, name: v[1].str })],
  ["elseifs", "", () => []],
  ["elseifs", "elseifs elseif expr then block", (v) => push(v[0], { k: "if", line: v[1].line, cond: v[2], then: v[4], else: [] })],
  ["laststat", "return", (v) => ({ k: "return", line: v[0].line, values: [] })],
  ["laststat", "return exprlist", (v) => ({ k: "return", line: v[0].line, values: v[1] })],
  ["laststat", "break", (v) => ({ k: "break", line: v[0].line })],
  ["funcname", "funcname1", (v) => ({ target: v[0], method: false })],
  ["funcname", "funcname1 : Name", (v) => ({ target: v[0], method: true })],
  ["funcname1", "Name", (v) => lit(v[0])],
  ["funcname1", "funcname1 . Name", (v) => ({ k: "index", line: v[2].line, parts: [v[0], lit(v[2])] })],
  ["varlist", "var", (v) => [v[0]]],
  ["varlist", "varlist , var", (v) => push(v[0], v[2])],
  ["var", "Name", (v) => lit(v[0])],
  ["var", "prefixexp [ expr ]", (v) => ({ k: "index", line: v[0].line, parts: [v[0], v[2]] })],
  ["var", "prefixexp . Name", (v) => ({ k: "index", line: v[0].line, parts: [v[0], lit(v[2])] })],
  ["namelist", "Name", (v) => [v[0].str]],
  ["namelist", "namelist , Name", (v) => push(v[0], v[2].str)],
  ["exprlist", "expr", (v) => [v[0]]],
  ["exprlist", "exprlist , expr", (v) => push(v[0], v[2])],
  ["expr", "nil", (v) => lit(v[0])],
  ["expr", "false", (v) => lit(v[0])],
  ["expr", "true", (v) => lit(v[0])],
  ["expr", "Number", (v) => lit(v[0])],
  ["expr", "...", (v) => ({ k: "vararg", line: v[0].line, parts: [] })],
  ["expr", "closure", first],
  ["expr", "prefixexp", first],
  ["expr", "string", first],
  ["expr", "tableconstructor", first],
  ["expr", "expr or expr", binop],
  ["expr", "expr and expr", binop],
  ["expr", "expr > expr", binop],
  ["expr", "expr < expr", binop],
  ["expr", "expr >= expr", binop],
  ["expr", "expr <= expr", binop],
  ["expr", "expr == expr", binop],
  ["expr", "expr ~= expr", binop],
  ["expr", "expr .. expr", binop],
  ["expr", "expr + expr", binop],
  ["expr", "expr - expr", binop],
  ["expr", "expr * expr", binop],
  ["expr", "expr / expr", binop],
  ["expr", "expr % expr", binop],
  ["expr", "expr ^ expr", binop],
  ["expr", "- expr", unop, "UNARY"],
  ["expr", "not expr", unop, "UNARY"],
  ["expr", "# expr", unop, "UNARY"],
  ["string", "String", (v) => lit(v[0])],
  ["prefixexp", "var", first],
  ["prefixexp", "afunctioncall", first],
  ["prefixexp", "functioncall", first],
  ["prefixexp", "( expr )", (v) => {
    v[1].line = v[0].line; // gopher moves the expression to the parenthesis' line
    return v[1];
  }],
  ["afunctioncall", "( functioncall )", (v) => v[1]],
  ["functioncall", "prefixexp args", (v) => ({ k: "call", line: v[0].line, parts: [v[0], ...v[1]] })],
  ["functioncall", "prefixexp : Name args", (v) => ({ k: "call", line: v[0].line, parts: [v[0], ...v[3]] })],
  ["args", "( )", () => []],
  ["args", "( exprlist )", (v) => v[1]],
  ["args", "tableconstructor", (v) => [v[0]]],
  ["args", "string", (v) => [v[0]]],
  ["closure", "function funcbody", (v) => funcExpr({ ...v[1], line: v[0].line }, v[0].line)],
  ["funcbody", "( parlist ) block end", (v) => ({ ...v[1], body: v[3], line: v[0].line, lastLine: v[4].line })],
  ["funcbody", "( ) block end", (v) => ({ params: [], vararg: false, body: v[2], line: v[0].line, lastLine: v[3].line })],
  ["parlist", "...", () => ({ params: [], vararg: true })],
  ["parlist", "namelist", (v) => ({ params: v[0], vararg: false })],
  ["parlist", "namelist , ...", (v) => ({ params: v[0], vararg: true })],
  ["tableconstructor", "{ }", (v) => ({ k: "table", line: v[0].line, parts: [] })],
  ["tableconstructor", "{ fieldlist }", (v) => ({ k: "table", line: v[0].line, parts: v[1] })],
  ["fieldlist", "field", first],
  ["fieldlist", "fieldlist fieldsep field", (v) => push(v[0], ...v[2])],
  ["fieldlist", "fieldlist fieldsep", first],
  ["field", "Name = expr", (v) => [lit(v[0]), v[2]]],
  ["field", "[ expr ] = expr", (v) => [v[1], v[4]]],
  ["field", "expr", (v) => [v[0]]],
  ["fieldsep", ",", first],
  ["fieldsep", ";", first],
];

// ---------------------------------------------------------------------------------------------
// LALR(1) tables, built once from the grammar the way yacc resolves them

interface Tables {
  rules: Rule[];
  /** Per state: terminal -> next state, where the state shifts it. */
  shifts: Map<string, number>[];
  /** Per state: nonterminal -> next state. */
  gotos: Map<string, number>[];
  /** Per state: terminal -> rule number (0 = accept) for the look-aheads that differ from the default. */
  explicit: Map<string, number>[];
  /** Per state: the default reduction (a rule number) or -1 for an error. */
  defaults: number[];
  /** Per state: whether the parser reads a look-ahead before acting (it has shifts or explicit entries). */
  reads: boolean[];
}

let tables: Tables | null = null;

function buildTables(): Tables {
  const level = new Map<string, { lvl: number; assoc: "left" | "right" }>();
  LEVELS.forEach(([syms, assoc], i) => syms.forEach((s) => level.set(s, { lvl: i + 1, assoc })));
  const termIndex = new Map(TERMINALS.map((t, i) => [t, i]));
  const isTerm = (s: string) => termIndex.has(s);

  const rules: Rule[] = [{ lhs: "$accept", rhs: ["chunk", "$end"], prec: 0, action: first }];
  for (const [lhs, rhs, action, precSym] of GRAMMAR) {
    const syms = rhs ? rhs.split(" ") : [];
    let prec = 0;
    for (const s of syms) if (isTerm(s)) prec = level.get(s)?.lvl ?? 0; // the last terminal's level
    if (precSym) prec = level.get(precSym)!.lvl;
    rules.push({ lhs, rhs: syms, prec, action });
  }
  const byLhs = new Map<string, number[]>();
  rules.forEach((r, i) => {
    if (!byLhs.has(r.lhs)) byLhs.set(r.lhs, []);
    byLhs.get(r.lhs)!.push(i);
  });

  // FIRST sets (as bit masks over TERMINALS) and nullability of nonterminals.
  const bit = (t: string) => 1n << BigInt(termIndex.get(t)!);
  const firstOf = new Map<string, bigint>();
  const nullable = new Set<string>();
  for (const nt of byLhs.keys()) firstOf.set(nt, 0n);
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules) {
      let f = firstOf.get(r.lhs)!;
      let allNull = true;
      for (const s of r.rhs) {
        if (isTerm(s)) {
          f |= bit(s);
          allNull = false;
          break;
        }
        f |= firstOf.get(s)!;
        if (!nullable.has(s)) {
          allNull = false;
          break;
        }
      }
      if (f !== firstOf.get(r.lhs)) {
        firstOf.set(r.lhs, f);
        changed = true;
      }
      if (allNull && !nullable.has(r.lhs)) {
        nullable.add(r.lhs);
        changed = true;
      }
    }
  }
  const firstOfSeq = (syms: string[]): [bigint, boolean] => {
    let f = 0n;
    for (const s of syms) {
      if (isTerm(s)) return [f | bit(s), false];
      f |= firstOf.get(s)!;
      if (!nullable.has(s)) return [f, false];
    }
    return [f, true];
  };

  // LR(0) states. An item is rule * 64 + dot.
  const itemRule = (it: number) => it >> 6;
  const itemDot = (it: number) => it & 63;
  const nextSym = (it: number): string | undefined => rules[itemRule(it)].rhs[itemDot(it)];
  const closure = (kernel: number[]): number[] => {
    const out = [...kernel];
    const seen = new Set(out);
    for (let i = 0; i < out.length; i++) {
      const s = nextSym(out[i]);
      if (s === undefined || isTerm(s)) continue;
      for (const r of byLhs.get(s)!) {
        const it = r * 64;
        if (!seen.has(it)) {
          seen.add(it);
          out.push(it);
        }
      }
    }
    return out;
  };
  const kernels: number[][] = [[0]];
  const closures: number[][] = [];
  const trans: Map<string, number>[] = [];
  const stateOf = new Map<string, number>([["0", 0]]);
  for (let s = 0; s < kernels.length; s++) {
    const items = closure(kernels[s]);
    closures.push(items);
    const moves = new Map<string, number[]>();
    for (const it of items) {
      const x = nextSym(it);
      if (x === undefined || x === "$end") continue;
      if (!moves.has(x)) moves.set(x, []);
      moves.get(x)!.push(it + 1);
    }
    const t = new Map<string, number>();
    for (const [x, kernel] of moves) {
      kernel.sort((a, b) => a - b);
      const key = kernel.join(",");
      let target = stateOf.get(key);
      if (target === undefined) {
        target = kernels.length;
        kernels.push(kernel);
        stateOf.set(key, target);
      }
      t.set(x, target);
    }
    trans.push(t);
  }

  // LALR(1) look-aheads of kernel items, propagated to a fixed point.
  const kernelLa: Map<number, bigint>[] = kernels.map((k) => new Map(k.map((it) => [it, 0n])));
  const closureLa: Map<number, bigint>[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (let s = 0; s < kernels.length; s++) {
      const la = new Map<number, bigint>();
      for (const it of closures[s]) la.set(it, kernelLa[s].get(it) ?? 0n);
      const work = [...kernels[s]];
      while (work.length) {
        const it = work.pop()!;
        const x = nextSym(it);
        if (x === undefined || isTerm(x)) continue;
        const [f, rest] = firstOfSeq(rules[itemRule(it)].rhs.slice(itemDot(it) + 1));
        const add = rest ? f | la.get(it)! : f;
        for (const r of byLhs.get(x)!) {
          const cit = r * 64;
          const old = la.get(cit)!;
          if ((old | add) !== old) {
            la.set(cit, old | add);
            work.push(cit);
          }
        }
      }
      closureLa[s] = la;
      for (const [it, l] of la) {
        const x = nextSym(it);
        if (x === undefined || x === "$end") continue;
        const target = kernelLa[trans[s].get(x)!];
        const old = target.get(it + 1)!;
        if ((old | l) !== old) {
          target.set(it + 1, old | l);
          changed = true;
        }
      }
    }
  }

  // Actions, with yacc's conflict resolution, then the default reduction of each state.
  const shifts: Map<string, number>[] = [];
  const gotos: Map<string, number>[] = [];
  const explicit: Map<string, number>[] = [];
  const defaults: number[] = [];
  const reads: boolean[] = [];
  for (let s = 0; s < kernels.length; s++) {
    // action per terminal: "s" shift, a rule number >= 1 reduce, 0 accept
    const act = new Map<string, "s" | number>();
    for (const x of trans[s].keys()) if (isTerm(x)) act.set(x, "s");
    for (const it of closures[s]) {
      if (nextSym(it) === "$end") act.set("$end", 0);
    }
    for (const it of closures[s]) {
      if (nextSym(it) !== undefined) continue;
      const r = itemRule(it);
      const la = closureLa[s].get(it)!;
      TERMINALS.forEach((t, i) => {
        if (!((la >> BigInt(i)) & 1n)) return;
        const cur = act.get(t);
        if (cur === undefined) act.set(t, r);
        else if (cur !== "s") {
          if (cur > r) act.set(t, r);
        } else {
          const tl = level.get(t);
          const rl = rules[r].prec;
          if (!tl || rl === 0) return; // unresolved: shift
          if (tl.lvl < rl || (tl.lvl === rl && tl.assoc === "left")) act.set(t, r);
        }
      });
    }
    let best = -1;
    let bestCount = 0;
    const counts = new Map<number, number>();
    for (const t of TERMINALS) {
      const a = act.get(t);
      if (typeof a === "number" && a > 0) counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    for (const t of TERMINALS) {
      const a = act.get(t);
      if (typeof a === "number" && a > 0 && counts.get(a)! > bestCount) {
        best = a;
        bestCount = counts.get(a)!;
      }
    }
    const ex = new Map<string, number>();
    const shift = new Map<string, number>();
    const goto = new Map<string, number>();
    for (const [x, to] of trans[s]) (isTerm(x) ? (act.get(x) === "s" ? shift : null) : goto)?.set(x, to);
    for (const [t, a] of act) if (a !== "s" && a !== best) ex.set(t, a);
    shifts.push(shift);
    gotos.push(goto);
    explicit.push(ex);
    defaults.push(best);
    reads.push(shift.size > 0 || ex.size > 0);
  }
  return { rules, shifts, gotos, explicit, defaults, reads };
}

// ---------------------------------------------------------------------------------------------
// Parser: goyacc's driver loop

function parse(sc: Scanner): Stmt[] {
  const t = (tables ??= buildTables());
  const states: number[] = [0];
  const values: V[] = [null];
  let la: Tok | null = null;
  for (;;) {
    const s = states[states.length - 1];
    let rule = t.defaults[s];
    if (t.reads[s]) {
      la ??= sc.scan();
      const to = t.shifts[s].get(la.sym);
      if (to !== undefined) {
        states.push(to);
        values.push(la);
        la = null;
        continue;
      }
      const ex = t.explicit[s].get(la.sym);
      if (ex === 0) return values[1];
      if (ex !== undefined) rule = ex;
    }
    if (rule < 0) throw sc.error(sc.lastStr, "syntax error");
    const r = t.rules[rule];
    const n = r.rhs.length;
    const args = values.slice(values.length - n);
    const value = r.action(args, sc);
    states.length -= n;
    values.length -= n;
    states.push(t.gotos[states[states.length - 1]].get(r.lhs)!);
    values.push(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Compiler checks: gopher's goto/label resolution, break, '...'

const MAX_REGISTERS = 200;

class CompileError {
  constructor(readonly line: number, readonly message: string) {}
}

interface Label {
  name: string;
  line: number;
  active: number;
}

interface Goto extends Label {
  resolved: boolean;
}

interface Block {
  names: string[];
  /** Locals of the enclosing blocks (they do not change while this one is open). */
  base: number;
  loop: boolean;
  parent: Block | null;
  labels: Map<string, Label>;
  firstGoto: number;
}

class FuncState {
  block: Block = { names: [], base: 0, loop: false, parent: null, labels: new Map(), firstGoto: 0 };
  gotos: Goto[] = [];
  constructor(readonly vararg: boolean, readonly lineDefined: number) {}

  /** A function has at most 200 registers for its active locals (hidden ones included). */
  local(...names: string[]): void {
    for (const name of names) {
      this.block.names.push(name);
      if (this.activeLocals() > MAX_REGISTERS) throw new CompileError(this.lineDefined, "too many local variables");
    }
  }

  activeLocals(from: Block | null = this.block): number {
    return from ? from.base + from.names.length : 0;
  }

  enter(loop: boolean): void {
    const parent = this.block;
    this.block = { names: [], base: this.activeLocals(parent), loop, parent, labels: new Map(), firstGoto: this.gotos.length };
  }

  leave(): void {
    const parent = this.block.parent!;
    const outer = this.activeLocals(parent);
    for (let i = this.block.firstGoto; i < this.gotos.length; i++) {
      const g = this.gotos[i];
      if (g.resolved) continue;
      if (g.active > outer) g.active = outer;
      const target = parent.labels.get(g.name);
      if (target) this.resolve(g, target);
    }
    this.block = parent;
  }

  resolve(from: Goto, to: Label): void {
    if (from.active < to.active) {
      const names = this.block.names;
      throw new CompileError(to.line + 1, `<goto ${to.name}> at line ${from.line} jumps into the scope of local '${names[names.length - 1]}'`);
    }
    from.resolved = true;
  }
}

// The checks run in gopher's compile order. Steps wait on a stack rather than in recursion, so
// deeply nested code (gopher's Go stack grows as needed) does not overflow JavaScript's.
type Step = () => void;

class Checker {
  private readonly steps: Step[] = [];

  run(main: FuncExpr): void {
    this.func(main, null, false);
    while (this.steps.length) this.steps.pop()!();
  }

  /** Runs `steps` next, in this order, before anything scheduled earlier. */
  private next(...steps: Step[]): void {
    for (let i = steps.length - 1; i >= 0; i--) this.steps.push(steps[i]);
  }

  private func(f: FuncExpr, parent: FuncState | null, method: boolean): void {
    const fs = new FuncState(f.vararg, f.line);
    if (f.params.length > MAX_REGISTERS) throw new CompileError(f.line, "register overflow");
    if (method) fs.local("self");
    fs.local(...f.params);
    if (f.vararg && parent) fs.local("arg");
    this.next(...this.chunk(fs, f.body, false), () => {
      for (const g of fs.gotos) {
        if (!g.resolved) throw new CompileError(f.lastLine, `no visible label '${g.name}' for <goto> at line ${g.line}`);
      }
    });
  }

  /** A label counts as the last statement when only labels follow it (not before `until`). */
  private chunk(fs: FuncState, body: Stmt[], untilFollows: boolean): Step[] {
    const steps: Step[] = [];
    let onlyLabelsAfter = true;
    for (let i = body.length - 1; i >= 0; i--) {
      const st = body[i];
      const last = onlyLabelsAfter && !untilFollows;
      steps.push(() => this.stmt(fs, st, last));
      onlyLabelsAfter &&= st.k === "label";
    }
    return steps.reverse();
  }

  private block(fs: FuncState, body: Stmt[], loop: boolean, untilFollows = false, ...after: Step[]): Step[] {
    return [() => fs.enter(loop), ...this.chunk(fs, body, untilFollows), ...after, () => fs.leave()];
  }

  private exprs(fs: FuncState, list: Expr[]): Step[] {
    return list.map((e) => () => this.expr(fs, e));
  }

  private expr(fs: FuncState, e: Expr): void {
    if (e.k === "func") return this.func(e.func!, fs, false);
    if (e.k === "vararg" && !fs.vararg) throw new CompileError(e.line, "cannot use '...' outside a vararg function");
    this.next(...this.exprs(fs, e.parts));
  }

  private stmt(fs: FuncState, st: Stmt, isLast: boolean): void {
    const local = (...names: string[]) => () => fs.local(...names);
    switch (st.k) {
      case "assign":
        return this.next(...this.exprs(fs, st.targets), ...this.exprs(fs, st.values));
      case "local":
        return this.next(...this.exprs(fs, st.values), local(...st.names));
      case "call":
        return this.expr(fs, st.call);
      case "do":
        return this.next(...this.block(fs, st.body, false));
      case "while":
        return this.next(() => this.expr(fs, st.cond), ...this.block(fs, st.body, true));
      case "repeat":
        return this.next(...this.block(fs, st.body, true, true, () => this.expr(fs, st.cond)));
      case "if":
        // an empty branch opens no block
        return this.next(
          () => this.expr(fs, st.cond),
          ...(st.then.length ? this.block(fs, st.then, false) : []),
          ...(st.else.length ? this.block(fs, st.else, false) : []),
        );
      case "numfor": {
        const hidden = ["(for index)", "(for limit)", "(for step)"];
        const setup = hidden.flatMap((name, i) => [local(name), ...(st.exprs[i] ? this.exprs(fs, [st.exprs[i]]) : [])]);
        const steps = this.block(fs, st.body, true);
        return this.next(steps[0], ...setup, local(st.name), ...steps.slice(1));
      }
      case "genfor": {
        const steps = this.block(fs, st.body, true);
        const setup = [local("(for generator)", "(for state)", "(for control)"), ...this.exprs(fs, st.exprs), local(...st.names)];
        return this.next(steps[0], ...setup, ...steps.slice(1));
      }
      case "funcdef":
        return this.next(() => this.expr(fs, st.target), () => this.func(st.func, fs, st.method));
      case "return":
        return this.next(...this.exprs(fs, st.values));
      case "break": {
        let b: Block | null = fs.block;
        while (b && !b.loop) b = b.parent;
        if (!b) throw new CompileError(st.line, "no loop to break");
        return;
      }
      case "label": {
        const label: Label = { name: st.name, line: st.line, active: fs.activeLocals() };
        const old = fs.block.labels.get(st.name);
        if (old) throw new CompileError(label.line + 1, `label '${st.name}' already defined on line ${old.line}`);
        fs.block.labels.set(st.name, label);
        if (isLast) label.active = fs.activeLocals(fs.block.parent);
        for (let i = fs.block.firstGoto; i < fs.gotos.length; i++) {
          const g = fs.gotos[i];
          if (!g.resolved && g.name === st.name) fs.resolve(g, label);
        }
        return;
      }
      case "goto": {
        const g: Goto = { name: st.name, line: st.line, active: fs.activeLocals(), resolved: false };
        fs.gotos.push(g);
        const target = fs.block.labels.get(st.name);
        if (target) fs.resolve(g, target);
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * gopher-lua v1.1.1's message for a chunk that does not compile (what loadstring returns as its
 * second value), or null when it compiles. `chunkName` as gopher prints it: `<string>` for
 * loadstring, `?` for load, the script's path for a file.
 */
export function gopherCompileError(source: string, chunkName: string): string | null {
  const bytes = /[^\x00-\xff]/.test(source) ? Buffer.from(source, "utf8").toString("latin1") : source;
  const sc = new Scanner(bytes, chunkName);
  let chunk: Stmt[];
  try {
    chunk = parse(sc);
  } catch (e) {
    if (e instanceof GopherError) return e.message;
    throw e;
  }
  const main: FuncExpr = {
    params: [],
    vararg: true,
    body: chunk,
    line: 0,
    lastLine: chunk.length ? endLine(chunk[chunk.length - 1]) + 1 : 0,
  };
  try {
    new Checker().run(main);
  } catch (e) {
    if (e instanceof CompileError) return `compile error near line(${e.line}) ${chunkName}: ${e.message}`;
    throw e;
  }
  return null;
}

/**
 * The quoted string literals of a chunk that compiles for gopher, with the bytes gopher reads in
 * each (its escapes: `\d` is d, `\x41` is x41, `\256` wraps to a byte; runtime/vm/chunk-rewrite.ts
 * writes them back in escapes Lua 5.4 reads the same). Empty when the chunk does not scan.
 */
export function gopherQuotedStrings(source: string): Array<{ start: number; end: number; value: string }> {
  const sc = new Scanner(source, "");
  const found: Array<{ start: number; end: number; value: string }> = [];
  try {
    for (let t = sc.scan(); t.sym !== "$end"; t = sc.scan()) {
      if (t.start !== undefined && t.end !== undefined) found.push({ start: t.start, end: t.end, value: t.str });
    }
  } catch (e) {
    if (e instanceof GopherError) return [];
    throw e;
  }
  return found;
}
