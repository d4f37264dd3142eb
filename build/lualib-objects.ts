// TypeScriptToLua's Object.keys/values/entries, Object.assign (also object spread) and object rest
// iterate pairs(): Lua's order, where JavaScript lists integer keys ascending first. Each loop is
// replaced by one over __NF_keys (build/js-helpers.ts), JavaScript's order on gopher, which also
// lists keys holding undefined; the copies and delete keep those keys (build/undefined-keys.ts).
import { applyLualibEdits, type LualibEdit } from "./lualib-edits";

/** Each loop over pairs() becomes one over __NF_keys. */
const LOOPS: readonly LualibEdit[] = [
  ["__TS__ObjectKeys", "for key in pairs(obj) do", "for _, key in ipairs(__NF_keys(obj)) do"],
  ["__TS__ObjectValues", "for key in pairs(obj) do", "for _, key in ipairs(__NF_keys(obj)) do"],
  ["__TS__ObjectEntries", "for key in pairs(obj) do", "for _, key in ipairs(__NF_keys(obj)) do"],
  ["__TS__ObjectAssign", "for key in pairs(source) do", "for _, key in ipairs(__NF_keys(source)) do"],
  ["__TS__ObjectRest", "for property in pairs(target) do", "for _, property in ipairs(__NF_keys(target)) do"],
];

/**
 * Copies of a property that may hold undefined (a key of the source's record, or a value the build
 * marked absent: `{ ...a, k: v }` with v undefined, js-semantics.ts): the copy is a key holding
 * undefined, as JavaScript's, which also overrides an earlier value. A delete leaves the record.
 */
const COPIES: readonly LualibEdit[] = [
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

/** The inlined lualib with those loops in JavaScript's key order and those copies. */
export function patchLualibObjects(code: string): string {
  return applyLualibEdits(code, [...LOOPS, ...COPIES]);
}
