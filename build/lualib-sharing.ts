// Each filter inlines TypeScriptToLua's lualib, so without this a Map made by one filter of a
// request is not `instanceof Map` in the next one, and its Symbol.iterator is another table
// (for…of over it fails). Nauthilus runs a request's filters on one Lua state: the first filter
// that defines a lualib class or Symbol stores it in the global __NF_lualib_<sdk version>, and
// later filters of the same request take it from there.

/** The lualib blocks whose identity matters across files (classes and the symbol registry). */
const SHARED_NAMES = new Set([
  "Symbol", "__TS__Symbol", "__TS__SymbolRegistryFor", "__TS__SymbolRegistryKeyFor", "Map", "Set", "WeakMap", "WeakSet",
  "Error", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError",
]);

/**
 * Rewrites the top-level `local A, B\ndo … end` lualib blocks that define shared names, in
 * TypeScriptToLua's printed output, so that they reuse an earlier filter's definitions.
 */
export function shareLualibDefinitions(code: string, sdkVersion: string): string {
  const registry = `__NF_lualib_${sdkVersion.replace(/\W/g, "_")}`;
  return code.replace(/^local ([A-Za-z_][\w, ]*)\ndo\n([\s\S]*?)\nend\n/gm, (block, list: string, body: string) => {
    const names = list.split(",").map((n) => n.trim());
    if (!names.some((n) => SHARED_NAMES.has(n))) return block;
    const reuse = names.map((n) => `        ${n} = ____shared.${n}`).join("\n");
    const store = names.map((n) => `        ____shared.${n} = ${n}`).join("\n");
    const indented = body.split("\n").map((l) => (l === "" ? l : `    ${l}`)).join("\n");
    return (
      `local ${list}\ndo\n` +
      `    local ____shared = rawget(_G, "${registry}")\n` +
      `    if ____shared == nil then\n        ____shared = {}\n        rawset(_G, "${registry}", ____shared)\n    end\n` +
      `    if ____shared.${names[0]} ~= nil then\n${reuse}\n    else\n${indented}\n${store}\n    end\nend\n`
    );
  });
}
