// A filter chunk's syntax tree, one parser and one way of walking it for every reader
// (runtime/vm/chunk-rewrite.ts, runtime/vm/lua-hazards.ts). luaparse is a real Lua parser:
// strings, comments and long brackets are no guess. Its 5.2 grammar is Lua 5.1 with goto and
// labels, which gopher-lua has too.
import { parse, type Node } from "luaparse";

export type { Node };

/** The chunk's tree; the text holds one character per byte, so offsets are byte offsets. */
export function parseLua(text: string): Node {
  return parse(text, { luaVersion: "5.2", ranges: true, comments: false, scope: false, locations: false, encodingMode: "pseudo-latin1" });
}

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as Node).type === "string";
}

/** The nodes directly below `node`, in source order (luaparse keeps them in fields and lists). */
export function childNodes(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === "range") continue;
    const v = node[key];
    if (Array.isArray(v)) for (const item of v) if (isNode(item)) out.push(item);
    if (isNode(v)) out.push(v);
  }
  return out;
}
