// A YAML file read the way the runtime's error messages need it: the document with its nodes, and
// `file:line:col` of any node, so that a message points at the key that is wrong. Shared by the
// Nauthilus config (config.ts) and serve's users file (runtime/serve/users.ts).
import { LineCounter, parseDocument, type Document, type Node } from "yaml";

export interface YamlDocument {
  doc: Document.Parsed;
  /** `file:line:col` of a node (the file alone when the node has no position). */
  at(node: Node | null | undefined): string;
}

/** Parses `text`; a syntax error is thrown as `makeError("file:line:col: <prefix><message>")`. */
export function readYaml(text: string, file: string, makeError: (message: string) => Error, prefix = ""): YamlDocument {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0];
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const { line, col } = lines.linePos(doc.errors[0].pos[0]);
    throw makeError(`${file}:${line}:${col}: ${prefix}${doc.errors[0].message.split("\n")[0]}`);
  }
  return { doc, at };
}
