// gopher-lua keeps the caller's frame when a Go function is called in a tail call
// (`return nb.select_backend_server(x)`, OP_TAILCALL): its errors name the call site and carry
// the caller's line. Lua 5.4 drops the frame first, and the runtime's library and host
// functions play the part of Go functions. So each chunk is rewritten once, before it is
// compiled: a returned call becomes an argument of a pass-through function, which keeps the
// caller's frame. Only characters are inserted on the same lines, so every line number stays.
// Parsed with luaparse (a real Lua parser: strings, comments and long brackets are no guess).
import { parse, type Node } from "luaparse";

/** The local the rewrite adds on the chunk's first line (an ordinary filter function). */
export const FRAME_KEEPER = "__nf_keep_frame";
const PRELUDE = `local ${FRAME_KEEPER} = function(...) return ... end; `;

const CALLS = new Set(["CallExpression", "StringCallExpression", "TableCallExpression"]);

/** The chunk's bytes with every `return f(...)` made a non-tail call; unchanged if it does not
 * parse (the VM then reports the syntax error itself). The parser reads one character per byte
 * (a Lua source is bytes), so its offsets are byte offsets. */
export function keepCallFrames(source: string): Buffer {
  const bytes = Buffer.from(source, "utf8");
  const text = bytes.toString("latin1");
  let ast: Node;
  try {
    ast = parse(text, { luaVersion: "5.2", ranges: true, comments: false, scope: false, locations: false, encodingMode: "pseudo-latin1" });
  } catch {
    return bytes;
  }
  const calls: Array<[number, number]> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== "object" || typeof (node as Node).type !== "string") return;
    const n = node as Node;
    if (n.type === "ReturnStatement") {
      const args = n.arguments as Node[];
      const last = args.length === 1 ? args[0] : undefined;
      if (last && CALLS.has(last.type) && !last.inParens && last.range) calls.push(last.range);
    }
    for (const key of Object.keys(n)) if (key !== "range") visit(n[key]);
  };
  visit(ast);
  if (calls.length === 0) return bytes;
  // Insertions from the end backwards, so that the offsets still to apply stay valid (a
  // returned call can contain a function with a returned call of its own).
  const insertions = calls.flatMap(([start, end]): Array<[number, string]> => [[start, `${FRAME_KEEPER}(`], [end, ")"]]);
  let out = text;
  for (const [at, piece] of insertions.sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + piece + out.slice(at);
  // A first line that starts with "#" is skipped by the loader: the prelude goes on line 2.
  if (out.startsWith("#")) {
    const nl = out.indexOf("\n");
    out = nl < 0 ? out : `${out.slice(0, nl + 1)}${PRELUDE}${out.slice(nl + 1)}`;
  } else out = PRELUDE + out;
  return Buffer.from(out, "latin1");
}
