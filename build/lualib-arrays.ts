// TypeScriptToLua's array functions count with `#` and iterate with ipairs. On gopher `#` is the
// largest index holding a value: JavaScript's length, unless the last elements are undefined
// (`push(undefined)`, a map callback returning undefined), which such arrays record
// (__NF_array_lengths, build/js-helpers.ts; build/array-lengths.ts for the filter's own code).
// ipairs stops at the first nil, where JavaScript visits a hole as undefined (a ring filled at
// hashed slots). Here every such count becomes __NF_alen, every ipairs __NF_ipairs, and the
// functions that make or change an array record its length. (TypeScriptToLua's splice also
// moved a `false` element as a hole.)
import { applyLualibEdits, type LualibEdit } from "./lualib-edits";

/** Before the function's last `return <value>`: the lines, at the function's indentation. */
const beforeReturn = (fn: string, value: string, ...lines: string[]): LualibEdit =>
  [fn, `    return ${value}\nend`, `${lines.map((l) => `    ${l}\n`).join("")}    return ${value}\nend`];

/** After a line that stores `value` into `table`: an undefined value marks the table (the line's
 * indentation is kept). */
const marking = (fn: string, line: string, value: string, table: string): LualibEdit => {
  const indent = /^ */.exec(line)![0];
  return [fn, line, `${line}${indent}if ${value} == nil then __NF_array_undefined[${table}] = true end\n`];
};

/** Whether slot i of self is an element: not a hole (an array with undefined elements is marked). */
const PRESENT = "(self[i] ~= nil or __NF_array_undefined[self])";

const EDITS: readonly LualibEdit[] = [
  // A pushed undefined counts: the arguments' count, not the length of the table of them.
  ["__TS__ArrayPush", "    for i = 1, #items do\n", '    for i = 1, select("#", ...) do\n'],
  marking("__TS__ArrayPush", "        self[len] = items[i]\n", "items[i]", "self"),
  beforeReturn("__TS__ArrayPush", "len", "__NF_alen_set(self, len)"),
  ["__TS__ArrayPushArray", "    for i = 1, #items do\n", "    for i = 1, __NF_alen(items) do\n"],
  marking("__TS__ArrayPushArray", "        self[len] = items[i]\n", "items[i]", "self"),
  beforeReturn("__TS__ArrayPushArray", "len", "__NF_alen_set(self, len)"),
  ["__TS__ArrayUnshift", "    local numItemsToInsert = #items\n", '    local numItemsToInsert = select("#", ...)\n    local length = #self + numItemsToInsert\n'],
  marking("__TS__ArrayUnshift", "        self[i] = items[i]\n", "items[i]", "self"),
  ["__TS__ArrayUnshift", "    return #self\nend", "    __NF_alen_set(self, length)\n    return length\nend"],
  ["__TS__ArraySplice", "            if self[from] then\n", "            if self[from] ~= nil then\n"],
  ["__TS__ArraySplice", "            if self[from] then\n", "            if self[from] ~= nil then\n"],
  marking("__TS__ArraySplice", "        self[j] = args[i]\n", "args[i]", "self"),
  beforeReturn("__TS__ArraySplice", "out", "__NF_alen_set(self, len - actualDeleteCount + itemCount)", "__NF_alen_set(out, actualDeleteCount)", "__NF_array_undefined[out] = __NF_array_undefined[self]"),
  ["__TS__ArrayFill", "    local relativeStart = start or 0\n", "    local length = #self\n    local relativeStart = start or 0\n"],
  beforeReturn("__TS__ArrayFill", "self", "__NF_alen_set(self, length)", "if value == nil and relativeStart < relativeEnd then __NF_array_undefined[self] = true end"),
  ["__TS__ArraySetLength", "    return length\nend", "    __NF_alen_set(self, length)\n    return length\nend"],
  ["__TS__ArrayReverse", "    local j = #self\n", "    local j = #self\n    local length = j\n"],
  beforeReturn("__TS__ArrayReverse", "self", "__NF_alen_set(self, length)"),
  // Copies that read every slot: a hole becomes undefined.
  ["__TS__ArrayToReversed", "    local copy = {__TS__Unpack(self)}\n", "    local copy = __NF_array_of(__TS__Unpack(self, 1, #self))\n"],
  ["__TS__ArrayToSorted", "    local copy = {__TS__Unpack(self)}\n", "    local copy = __NF_array_of(__TS__Unpack(self, 1, #self))\n"],
  // toSorted as sort (build/js-semantics.ts): stable, JavaScript's default order, undefined last.
  ["__TS__ArrayToSorted", "    __TS__ArraySort(copy, compareFn)\n", "    __NF_sort(copy, compareFn)\n"],
  ["__TS__ArrayToSpliced", "    local copy = {__TS__Unpack(self)}\n", "    local copy = __NF_array_of(__TS__Unpack(self, 1, #self))\n"],
  // JavaScript skips a hole in forEach, map, filter, some, every, reduce, indexOf, flat and
  // flatMap, and visits an undefined element: an array that may hold undefined elements (marked
  // by what stored them) has its nils visited, any other's are holes. A callback's result is a
  // condition with JavaScript's truthiness ("" and 0 are false).
  [
    "__TS__ArrayMap",
    "        result[i] = callbackfn(thisArg, self[i], i - 1, self)\n",
    `        if ${PRESENT} then
            local value = callbackfn(thisArg, self[i], i - 1, self)
            if value == nil then __NF_array_undefined[result] = true else result[i] = value end
        end
`,
  ],
  beforeReturn("__TS__ArrayMap", "result", "__NF_alen_set(result, #self)"),
  ["__TS__ArrayForEach", "        callbackFn(thisArg, self[i], i - 1, self)\n", `        if ${PRESENT} then callbackFn(thisArg, self[i], i - 1, self) end\n`],
  [
    "__TS__ArrayFilter",
    "        if callbackfn(thisArg, self[i], i - 1, self) then\n",
    `        if ${PRESENT} and __NF_truthy(callbackfn(thisArg, self[i], i - 1, self)) then\n`,
  ],
  marking("__TS__ArrayFilter", "            result[len] = self[i]\n", "self[i]", "result"),
  beforeReturn("__TS__ArrayFilter", "result", "__NF_alen_set(result, len)"),
  ["__TS__ArraySome", "        if callbackfn(thisArg, self[i], i - 1, self) then\n", `        if ${PRESENT} and __NF_truthy(callbackfn(thisArg, self[i], i - 1, self)) then\n`],
  ["__TS__ArrayEvery", "        if not callbackfn(thisArg, self[i], i - 1, self) then\n", `        if ${PRESENT} and not __NF_truthy(callbackfn(thisArg, self[i], i - 1, self)) then\n`],
  ["__TS__ArrayFind", "        if predicate(thisArg, elem, i - 1, self) then\n", "        if __NF_truthy(predicate(thisArg, elem, i - 1, self)) then\n"],
  ["__TS__ArrayFindIndex", "        if callbackFn(thisArg, self[i], i - 1, self) then\n", "        if __NF_truthy(callbackFn(thisArg, self[i], i - 1, self)) then\n"],
  // Without an initial value: the first element that is not a hole.
  [
    "__TS__ArrayReduce",
    "    elseif len > 0 then\n        accumulator = self[1]\n        k = 1\n",
    "    elseif len > 0 then\n        while k < len and self[k + 1] == nil and not __NF_array_undefined[self] do k = k + 1 end\n        if self[k + 1] == nil and not __NF_array_undefined[self] then error(\"Reduce of empty array with no initial value\", 0) end\n        accumulator = self[k + 1]\n        k = k + 1\n",
  ],
  ["__TS__ArrayReduce", "    for i = k + 1, len do\n        accumulator = callbackFn(", `    for i = k + 1, len do\n        if ${PRESENT} then accumulator = callbackFn(`],
  ["__TS__ArrayReduce", "        )\n    end\n    return accumulator\nend", "        ) end\n    end\n    return accumulator\nend"],
  [
    "__TS__ArrayReduceRight",
    "    elseif len > 0 then\n        accumulator = self[k + 1]\n        k = k - 1\n",
    "    elseif len > 0 then\n        while k > 0 and self[k + 1] == nil and not __NF_array_undefined[self] do k = k - 1 end\n        if self[k + 1] == nil and not __NF_array_undefined[self] then error(\"Reduce of empty array with no initial value\", 0) end\n        accumulator = self[k + 1]\n        k = k - 1\n",
  ],
  ["__TS__ArrayReduceRight", "    for i = k + 1, 1, -1 do\n        accumulator = callbackFn(", `    for i = k + 1, 1, -1 do\n        if ${PRESENT} then accumulator = callbackFn(`],
  ["__TS__ArrayReduceRight", "        )\n    end\n    return accumulator\nend", "        ) end\n    end\n    return accumulator\nend"],
  ["__TS__ArrayIndexOf", "        if self[i] == searchElement then\n", "        if self[i] == searchElement and (searchElement ~= nil or __NF_array_undefined[self]) then\n"],
  ["__TS__ArrayFlat", "        local value = self[i]\n        if depth > 0 and", "        local value = self[i]\n        if value == nil and not __NF_array_undefined[self] then\n        elseif depth > 0 and"],
  ["__TS__ArrayFlat", "            for j = 1, #toAdd do\n", "            for j = 1, __NF_alen(toAdd) do\n"],
  marking("__TS__ArrayFlat", "                result[len] = val\n", "val", "result"),
  marking("__TS__ArrayFlat", "            len = len + 1\n            result[len] = value\n", "value", "result"),
  beforeReturn("__TS__ArrayFlat", "result", "__NF_alen_set(result, len)"),
  [
    "__TS__ArrayFlatMap",
    "        local value = callback(thisArg, self[i], i - 1, self)\n        if __TS__ArrayIsArray(value) then",
    "        local present = self[i] ~= nil or __NF_array_undefined[self]\n        local value\n        if present then value = callback(thisArg, self[i], i - 1, self) end\n        if not present then\n        elseif __TS__ArrayIsArray(value) then",
  ],
  ["__TS__ArrayFlatMap", "            for j = 1, #value do\n", "            for j = 1, __NF_alen(value) do\n"],
  marking("__TS__ArrayFlatMap", "                result[len] = value[j]\n", "value[j]", "result"),
  marking("__TS__ArrayFlatMap", "            len = len + 1\n            result[len] = value\n", "value", "result"),
  beforeReturn("__TS__ArrayFlatMap", "result", "__NF_alen_set(result, len)"),
  // Copies: slice and concat keep holes and undefined elements as they are.
  beforeReturn("__TS__ArraySlice", "out", "__NF_alen_set(out, n - 1)", "__NF_array_undefined[out] = __NF_array_undefined[self]"),
  ["__TS__ArrayConcat", "    for i = 1, #items do\n", '    for i = 1, select("#", ...) do\n'],
  ["__TS__ArrayConcat", "            for j = 1, #item do\n", "            if __NF_array_undefined[item] then __NF_array_undefined[result] = true end\n            for j = 1, __NF_alen(item) do\n"],
  marking("__TS__ArrayConcat", "            len = len + 1\n            result[len] = item\n", "item", "result"),
  beforeReturn("__TS__ArrayConcat", "result", "__NF_alen_set(result, len)", "if __NF_array_undefined[self] then __NF_array_undefined[result] = true end"),
  ["__TS__ArrayFrom", "                result[#result + 1] = v\n", "                __NF_append(result, v)\n"],
  ["__TS__ArrayFrom", "                result[#result + 1] = ____mapFn_3(", "                __NF_append(result, ____mapFn_3("],
  ["__TS__ArrayFrom", "____i_0)\n", "____i_0))\n"],
  // An entry [key, undefined] is a pair too.
  ["__TS__ArrayEntries", "done = array[key + 1] == nil, value = {key, array[key + 1]}", "done = key >= __NF_alen(array), value = __NF_array_of(key, array[key + 1])"],
  ["__TS__ObjectEntries", "        result[len] = {key, obj[key]}\n", "        result[len] = __NF_array_of(key, obj[key])\n"],
  marking("__TS__ObjectValues", "        result[len] = obj[key]\n", "result[len]", "result"),
  beforeReturn("__TS__ObjectValues", "result", "__NF_alen_set(result, len)"),
  ["__TS__Spread", "            arr[len] = item\n        end\n", "            arr[len] = item\n        end\n        __NF_alen_set(arr, len)\n"],
  ["__TS__Spread", "    return __TS__Unpack(arr)\n", "    return __TS__Unpack(arr, 1, __NF_alen(arr))\n"],
  // `{ ...array }`: JavaScript's keys are the strings "0", "1", … (as every plain object's number
  // keys, build/js-semantics.ts asKey).
  ["__TS__ArrayToObject", "        object[i - 1] = self[i]\n", "        object[tostring(i - 1)] = self[i]\n"],
  // An array whose first slot is a hole or undefined is still an array (a recorded length or mark,
  // or a number key first: gopher's next goes through the array part first).
  ["__TS__ArrayIsArray", "(value[1] ~= nil or next(value) == nil)", "(value[1] ~= nil or next(value) == nil or type(next(value)) == \"number\" or __NF_array_lengths[value] ~= nil)"],
  // join of an array whose element type the build did not see as printable (unknown, any,
  // objects): JavaScript's text of each element (undefined as "", numbers as JavaScript prints
  // them), where the lualib wrote tostring's ("nil", 1e+21).
  ["__TS__ArrayJoin", "    local parts = {}\n    for i = 1, #self do\n        parts[i] = tostring(self[i])\n    end\n    return table.concat(parts, separator)\n", "    return __NF_join(self, separator)\n"],
  // __TS__Delete: deleting the last element keeps the length (a hole at the end).
  [
    "__TS__Delete",
    "    __NF_delete_key(target, key)\n    target[key] = nil\n",
    `    __NF_delete_key(target, key)
    local length = type(key) == "number" and __NF_alen(target) or nil
    target[key] = nil
    if length ~= nil then __NF_alen_set(target, length) end
`,
  ],
];

/**
 * The inlined lualib (after build/lualib-objects.ts) with JavaScript's array lengths and slots.
 * Throws when a function is present without the text it should have (a TypeScriptToLua upgrade):
 * the build must not silently keep Lua's lengths.
 */
export function patchLualibArrays(code: string): string {
  const out = applyLualibEdits(code, EDITS);
  // Every count of an array function's own array, and every ipairs (for…of over arrays, Set and
  // Map from an array, Object.fromEntries, yield*).
  const count = (fn: string) => fn.replace(/#self\b/g, "__NF_alen(self)");
  return out
    .replace(/^local function __TS__Array\w+\([\s\S]*?\nend\n/gm, count)
    .replace(/^    function __TS__Array\w+\([\s\S]*?\n    end\n/gm, count)
    .replace(/\bipairs\(/g, "__NF_ipairs(");
}
