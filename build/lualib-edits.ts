// Text edits of TypeScriptToLua's inlined lualib (build/lualib-objects.ts, build/lualib-arrays.ts):
// each replaces a piece of one function's text, which it must find. A TypeScriptToLua upgrade
// that changed the function fails the build instead of silently keeping Lua's meaning.

/** [lualib function, what TypeScriptToLua writes in it, what replaces that]. */
export type LualibEdit = readonly [fn: string, from: string, to: string];

/** The code with each edit made, in order, where its function is inlined. */
export function applyLualibEdits(code: string, edits: readonly LualibEdit[]): string {
  let out = code;
  for (const [name, from, to] of edits) {
    let start = out.indexOf(`local function ${name}(`);
    // A function defined inside a `do` block (Map, Set, Array.from's iterators).
    if (start < 0) start = out.indexOf(`function ${name}(`);
    if (start < 0) continue;
    const at = out.indexOf(from, start);
    if (at < 0 || at > out.indexOf("\nend\n", start)) throw new Error(`unexpected lualib ${name}`);
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}
