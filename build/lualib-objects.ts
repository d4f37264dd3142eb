// TypeScriptToLua's Object.keys/values/entries, Object.assign (also object spread) and object rest
// iterate pairs(): Lua's order, where JavaScript lists integer keys ascending first. Each loop is
// replaced by one over __NF_keys (build/js-helpers.ts), JavaScript's order on gopher, which also
// lists keys holding undefined; the copies and delete keep those keys (build/undefined-keys.ts).

/** lualib function → the loop it has, as TypeScriptToLua writes it. */
const LOOPS: Record<string, string> = {
  __TS__ObjectKeys: "for key in pairs(obj) do",
  __TS__ObjectValues: "for key in pairs(obj) do",
  __TS__ObjectEntries: "for key in pairs(obj) do",
  __TS__ObjectAssign: "for key in pairs(source) do",
  __TS__ObjectRest: "for property in pairs(target) do",
};

/**
 * Copies of a property that may hold undefined (a key of the source's record, or a value the build
 * marked absent: `{ ...a, k: v }` with v undefined, js-semantics.ts): the copy is a key holding
 * undefined, as JavaScript's, which also overrides an earlier value. A delete leaves the record.
 * [lualib function, what TypeScriptToLua writes in it, what replaces that].
 */
const COPIES: ReadonlyArray<[string, string, string]> = [
  [
    "__TS__ObjectAssign",
    "            target[key] = source[key]\n",
    `            local value = source[key]
            if value == nil or value == __NF_absent then
                __NF_store_undefined(target, key)
            else
                target[key] = value
            end
`,
  ],
  [
    "__TS__ObjectRest",
    "            result[property] = target[property]\n",
    "            __NF_store(result, property, target[property])\n",
  ],
  // An iterable of entries, and an array of them.
  ["__TS__ObjectFromEntries", "            obj[value[1]] = value[2]\n", "            __NF_store(obj, value[1], value[2])\n"],
  ["__TS__ObjectFromEntries", "            obj[entry[1]] = entry[2]\n", "            __NF_store(obj, entry[1], entry[2])\n"],
  [
    "__TS__Delete",
    "    target[key] = nil\n",
    "    __NF_delete_key(target, key)\n    target[key] = nil\n",
  ],
];

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
  }
  for (const [name, copy, replacement] of COPIES) {
    const start = out.indexOf(`local function ${name}(`);
    if (start < 0) continue;
    const at = out.indexOf(copy, start);
    if (at < 0 || at > out.indexOf("\nend\n", start)) throw new Error(`unexpected lualib ${name}`);
    out = out.slice(0, at) + replacement + out.slice(at + copy.length);
    for (const helper of replacement.match(/__NF_\w+/g) ?? []) helpers.add(helper);
  }
  return { code: out, helpers: [...helpers] };
}
