// TypeScriptToLua's Object.keys/values/entries, Object.assign (also object spread) and object rest
// iterate pairs(): Lua's order, where JavaScript lists integer keys ascending first. Each loop is
// replaced by one over __NF_keys (build/js-helpers.ts), JavaScript's order on gopher.

/** lualib function → the loop it has, as TypeScriptToLua writes it. */
const LOOPS: Record<string, string> = {
  __TS__ObjectKeys: "for key in pairs(obj) do",
  __TS__ObjectValues: "for key in pairs(obj) do",
  __TS__ObjectEntries: "for key in pairs(obj) do",
  __TS__ObjectAssign: "for key in pairs(source) do",
  __TS__ObjectRest: "for property in pairs(target) do",
};

/** Object spread's copy of a property: a value the build marked absent (`{ ...a, k: v }` with v
 * undefined, js-semantics.ts) removes the key, as JavaScript's copy of undefined overrides a's. */
const ASSIGN_COPY = "            target[key] = source[key]\n";
const ASSIGN_COPY_ABSENT = `            local value = source[key]
            if value == __NF_absent then
                value = nil
            end
            target[key] = value
`;

/**
 * The inlined lualib with those loops in JavaScript's key order, and the helpers it now needs.
 * Throws when a function is present without its loop (a TypeScriptToLua upgrade): the build must
 * not silently keep Lua's order.
 */
export function patchLualibObjects(code: string): { code: string; helpers: string[] } {
  const helpers = new Set<string>();
  let out = code;
  for (const [name, loop] of Object.entries(LOOPS)) {
    const start = out.indexOf(`local function ${name}(`);
    if (start < 0) continue;
    const end = out.indexOf("\nend\n", start);
    const at = out.indexOf(loop, start);
    if (at < 0 || at > end) throw new Error(`unexpected lualib ${name}`);
    const [, variable, table] = /^for (\w+) in pairs\((\w+)\) do$/.exec(loop)!;
    out = `${out.slice(0, at)}for _, ${variable} in ipairs(__NF_keys(${table})) do${out.slice(at + loop.length)}`;
    helpers.add("__NF_keys");
    if (name === "__TS__ObjectAssign") {
      const copy = out.indexOf(ASSIGN_COPY, start);
      if (copy < 0 || copy > out.indexOf("\nend\n", start)) throw new Error("unexpected lualib __TS__ObjectAssign");
      out = out.slice(0, copy) + ASSIGN_COPY_ABSENT + out.slice(copy + ASSIGN_COPY.length);
      helpers.add("__NF_absent");
    }
  }
  return { code: out, helpers: [...helpers] };
}
