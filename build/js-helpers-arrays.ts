// JavaScript's array length and slots on gopher-lua: helpers of build/js-helpers.ts, used by the
// filter's code (build/array-lengths.ts) and the lualib (build/lualib-arrays.ts).

export const ARRAY_HELPERS = {
  // A weak table the filters of a request share (a global, as the lualib's shared classes,
  // build/lualib-sharing.ts): what one filter recorded about a table, the next one reads.
  __NF_request_table: {
    code: `local function __NF_request_table(name)
    local t = rawget(_G, name)
    if t == nil then
        t = setmetatable({}, {__mode = "k"})
        rawset(_G, name, t)
    end
    return t
end`,
  },
  // An array's length where it is not gopher's `#`: gopher's `#` is the largest index holding a
  // value, JavaScript's length also counts undefined elements at the end (`push(undefined)`, a
  // map callback returning undefined, `a.length = 5`, deleting the last element). Recorded only
  // then, by the operations that make such an array (build/array-lengths.ts,
  // build/lualib-arrays.ts); weak, so that a record goes with its array.
  // Shared by the filters of a request: an array made by one filter, or the lualib's Set class
  // that the first filter defined, reads the same records in the next.
  __NF_array_lengths: {
    code: `local __NF_array_lengths = __NF_request_table("__NF_array_lengths")`,
  },
  // Arrays that may hold undefined elements, as the operations that stored one mark them: their
  // nils are undefined elements, which forEach, map, filter, some, every, reduce, indexOf, flat and
  // Object.keys visit; any other array's nils are holes, which they skip (build/lualib-arrays.ts).
  // Shared as __NF_array_lengths.
  __NF_array_undefined: {
    code: `local __NF_array_undefined = __NF_request_table("__NF_array_undefined")`,
  },
  // JavaScript's length of an array: a value stored past the record makes `#` the larger.
  __NF_alen: {
    code: `local function __NF_alen(a)
    local n, recorded = #a, __NF_array_lengths[a]
    if recorded ~= nil and recorded > n then return recorded end
    return n
end`,
  },
  // The array's length is now n (its elements past n already removed).
  __NF_alen_set: {
    code: `local function __NF_alen_set(a, n)
    if n > #a then
        __NF_array_lengths[a] = n
    else
        __NF_array_lengths[a] = nil
    end
end`,
  },
  // for…of over an array, and the lualib's loops over arrays: every slot up to the length, a hole
  // as undefined (ipairs stops at the first nil). The length is read at each step, as JavaScript's
  // iterator does, so elements pushed during the loop are visited.
  __NF_ipairs: {
    code: `local function __NF_ipairs_step(a, i)
    i = i + 1
    local v = a[i]
    -- A value is within the length (gopher's \`#\` is the largest index holding one).
    if v ~= nil then return i, v end
    -- A recorded length answers without \`#\`, which walks back over nil slots on gopher.
    local recorded = __NF_array_lengths[a]
    if recorded ~= nil and i <= recorded then return i, nil end
    if i > #a then return nil end
    return i, nil
end
local function __NF_ipairs(a)
    return __NF_ipairs_step, a, 0
end`,
  },
  // a.push(v) of one value that may be undefined; Array.from's copy.
  __NF_append: {
    code: `local function __NF_append(a, v)
    local n, recorded = #a, __NF_array_lengths[a]
    if recorded ~= nil and recorded > n then n = recorded end
    n = n + 1
    if v == nil then
        -- No store: a nil stored past the end would stay in gopher's array part, and its \`#\`
        -- walks back over such slots.
        __NF_array_lengths[a] = n
        __NF_array_undefined[a] = true
    else
        a[n] = v
    end
    return n
end`,
  },
  // a[i] = v with v maybe undefined: the length becomes at least i + 1 (k is the Lua index).
  __NF_array_store: {
    code: `local function __NF_array_store(a, k, v)
    if v ~= nil then
        a[k] = v
        return
    end
    local n = __NF_alen(a)
    if a[k] ~= nil then a[k] = nil end
    if type(k) == "number" and k >= 1 and k % 1 == 0 and k > n then n = k end
    __NF_alen_set(a, n)
    __NF_array_undefined[a] = true
end`,
  },
  // a.pop() and a.shift() of an array whose elements may be undefined: table.remove works up to `#`.
  __NF_pop: {
    code: `local function __NF_pop(a)
    -- table.remove shrinks gopher's array part; a nil stored at the end would stay in it, and
    -- gopher's \`#\` walks back over such slots.
    local n = __NF_alen(a)
    if n == 0 then return nil end
    -- At n: without a position gopher's table.remove takes the last slot of its array part,
    -- which can be a nil left there by a splice or a delete.
    local v = table.remove(a, n)
    __NF_alen_set(a, n - 1)
    return v
end`,
  },
  __NF_shift: {
    code: `local function __NF_shift(a)
    local n = __NF_alen(a)
    if n == 0 then return nil end
    local v = table.remove(a, 1)
    __NF_alen_set(a, n - 1)
    return v
end`,
  },
  // `f(...a)`, `[x, ...a]`: every element up to the length (unpack stops at `#`).
  __NF_unpack: {
    code: `local function __NF_unpack(a)
    return unpack(a, 1, __NF_alen(a))
end`,
  },
  // `key in a` of an array: an index (a number or its text) below the length whose slot is not a
  // hole, or "length".
  __NF_in_array: {
    code: `local function __NF_in_array(key, a)
    if key == "length" then return true end
    local n = key
    if type(key) == "string" then
        if not string.find(key, "^%d+$") or (#key > 1 and string.sub(key, 1, 1) == "0") then return false end
        n = tonumber(key)
    end
    if type(n) ~= "number" or n < 0 or n % 1 ~= 0 or n >= __NF_alen(a) then return false end
    return a[n + 1] ~= nil or __NF_array_undefined[a] ~= nil
end`,
  },
  // `[a, v]` with v undefined: the literal's count of elements is its length; its nils are
  // undefined elements, or holes where the literal has only elisions (`[1, , 3]`).
  __NF_with_length: {
    code: `local function __NF_with_length(a, n, holes)
    __NF_alen_set(a, n)
    if holes then return a end
    for i = 1, n do
        if a[i] == nil then
            __NF_array_undefined[a] = true
            break
        end
    end
    return a
end`,
  },
  // `[...a]`: an array of the values, undefined ones at the end included.
  __NF_array_of: {
    code: `local function __NF_array_of(...)
    return __NF_with_length({...}, select("#", ...))
end`,
  },
} as const satisfies Record<string, { code: string }>;
