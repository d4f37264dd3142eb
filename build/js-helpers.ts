// Lua 5.1 helpers the build inlines (only the ones a filter uses) so that compiled TypeScript
// keeps its JavaScript meaning on gopher-lua. Each is plain Lua 5.1, valid on PUC 5.1, gopher and
// the runtime. docs/typescript-on-production.md lists the constructs that use them.

import { ARRAY_HELPERS } from "./js-helpers-arrays";
import { LOG_HELPERS } from "./js-helpers-logs";
import { UNDEFINED_KEY_HELPERS } from "./js-helpers-keys";

/** A helper definition's name: a key of HELPERS, or a function defined in one of their blocks. */
export type HelperName = keyof typeof HELPERS | `__NF_${string}`;

/** `a op b` with JavaScript's sign for a zero result: -0 where `negative` holds (the operands'
 * signs), else the operator's result (gopher's +0 for a zero). */
function zeroSigned(name: string, op: string, negative: string): string {
  return `local function __NF_${name}(a, b)
    if type(a) ~= "number" or type(b) ~= "number" then __NF_arith_check("${name}", a, b) end
    local r = a ${op} b
    if r == 0 and ${negative} then return -__NF_zero end
    return r
end`;
}

export const HELPERS = {
  // JavaScript truthiness: false, 0, NaN, "" and undefined/null are falsy; Lua only has nil/false.
  __NF_truthy: {
    code: `local function __NF_truthy(v)
    return v ~= nil and v ~= false and v ~= 0 and v ~= "" and v == v
end`,
  },
  // `a || b`, `a && b` with JavaScript values; the right side comes as a function (evaluated lazily).
  __NF_or: {
    code: `local function __NF_or(a, b)
    if __NF_truthy(a) then return a end
    return b()
end`,
  },
  __NF_and: {
    code: `local function __NF_and(a, b)
    if not __NF_truthy(a) then return a end
    return b()
end`,
  },
  // Number.prototype.toString(): shortest round-trip digits, exponent only from 1e21 or below 1e-6.
  // gopher's tostring would print 1234567.5 as 1.2345675e+06 and 1e-5 as 1e-05.
  __NF_number: {
    code: `local function __NF_number(x)
    if x ~= x then return "NaN" end
    if x == 1 / 0 then return "Infinity" end
    if x == -1 / 0 then return "-Infinity" end
    if x == 0 then return "0" end
    -- Integers below 1e14 print in full with tostring on gopher (int64 text) and on 5.1 (%.14g),
    -- as JavaScript prints them; the digit search below is for the rest.
    if x % 1 == 0 and x < 1e14 and x > -1e14 then return tostring(x) end
    local s
    -- Near the largest double a short candidate ("2e+308") overflows, which the coercion below
    -- raises on gopher: such a candidate (17 digits above the largest double's) is skipped.
    local big = x >= 1e308 or x <= -1e308
    for p = 1, 17 do
        s = string.format("%." .. p .. "g", x)
        -- Arithmetic coercion, not tonumber: gopher's tonumber rejects "1e-07" (no ".").
        if big then
            local m = string.gsub(string.match(s, "^-?([%d.]+)"), "%.", "")
            if m .. string.rep("0", 17 - #m) <= "17976931348623158" and s + 0 == x then break end
        elseif s + 0 == x then
            break
        end
    end
    local sign = ""
    if string.sub(s, 1, 1) == "-" then sign = "-"; s = string.sub(s, 2) end
    local mantissa, exponent = string.match(s, "^([^e]+)e([-+]%d+)$")
    local digits, exp
    if mantissa then
        exp = tonumber(exponent)
    else
        mantissa = s
        exp = 0
    end
    local int, frac = string.match(mantissa, "^(%d*)%.?(%d*)$")
    digits = int .. frac
    exp = exp + #int - 1
    local lead = string.match(digits, "^0*")
    digits = string.sub(digits, #lead + 1)
    exp = exp - #lead
    digits = string.gsub(digits, "0+$", "")
    if digits == "" then return "0" end
    local n = #digits
    if exp >= 21 or exp <= -7 then
        local m = string.sub(digits, 1, 1)
        if n > 1 then m = m .. "." .. string.sub(digits, 2) end
        if exp >= 0 then return sign .. m .. "e+" .. exp end
        return sign .. m .. "e-" .. -exp
    end
    if exp >= n - 1 then return sign .. digits .. string.rep("0", exp - n + 1) end
    if exp >= 0 then return sign .. string.sub(digits, 1, exp + 1) .. "." .. string.sub(digits, exp + 2) end
    return sign .. "0." .. string.rep("0", -exp - 1) .. digits
end`,
  },
  // String(v) of a value that may be null but never undefined: nil is null there.
  __NF_str_null: {
    code: `local function __NF_str_null(v)
    if v == nil then return "null" end
    return __NF_str(v)
end`,
  },
  // String(v) of JavaScript: what templates and string `+` produce, never nil, never a Lua format.
  __NF_str: {
    code: `local function __NF_str(v)
    local t = type(v)
    if t == "string" then return v end
    if t == "number" then return __NF_number(v) end
    if v == nil then return "undefined" end
    if t == "boolean" then return v and "true" or "false" end
    -- A plain object (a table without a metatable whose first key is a name): JavaScript's text.
    if t == "table" and getmetatable(v) == nil and v[1] == nil and type(next(v)) == "string" then return "[object Object]" end
    return tostring(v)
end`,
  },
  // Number.prototype.toFixed: the exact binary value rounded half up at the digit (JavaScript's
  // "the larger n" on a tie), not C's or Go's half-to-even: (0.125).toFixed(2) is "0.13". The
  // digit count is truncated (NaN is 0); outside 0..100 it throws JavaScript's RangeError (the
  // lualib class, passed in by the build when the count is not an integer literal in range).
  __NF_to_fixed: {
    code: `local function __NF_to_fixed(x, digits, range_error)
    digits = __NF_int(digits, 0)
    if digits < 0 or digits > 100 then error(range_error(nil, "toFixed() digits argument must be between 0 and 100"), 0) end
    if x ~= x then return "NaN" end
    if x >= 1e21 or x <= -1e21 then return __NF_number(x) end
    local negative = x < 0
    if negative then x = -x end
    -- -0 prints as 0 (string.format would give "-0.00").
    if x == 0 then x = 0 end
    local int, frac = string.match(string.format("%.99f", x), "^(%d+)%.(%d+)$")
    -- 99 is the most digits PUC 5.1's format writes: toFixed(100) gets a zero after them.
    frac = frac .. "00"
    local digits_text = int .. string.sub(frac, 1, digits)
    local next_digit = string.byte(frac, digits + 1) or 48
    if next_digit >= 53 then
        local chars, i = {}, #digits_text
        for k = 1, #digits_text do chars[k] = string.sub(digits_text, k, k) end
        while i >= 1 and chars[i] == "9" do chars[i] = "0"; i = i - 1 end
        if i >= 1 then chars[i] = string.char(string.byte(chars[i]) + 1) end
        digits_text = (i == 0 and "1" or "") .. table.concat(chars)
    end
    local int_len = #digits_text - digits
    local text = digits_text
    if digits > 0 then text = string.sub(digits_text, 1, int_len) .. "." .. string.sub(digits_text, int_len + 1) end
    if negative then text = "-" .. text end
    return text
end`,
  },
  // Number.prototype.toString(radix): V8's digits (DoubleToRadixCString: fraction digits up to
  // the double's precision, rounded to even), radix truncated, RangeError outside 2..36, radix 10
  // and non-finite values as String(x). The lualib stops fractions at a fixed 1e-16 and prints
  // Infinity with Lua's text (or raises).
  __NF_radix: {
    code: `local function __NF_radix(x, radix, range_error)
    local r = __NF_int(radix, 10)
    if r < 2 or r > 36 then error(range_error(nil, "toString() radix argument must be between 2 and 36"), 0) end
    if r == 10 or x ~= x or x == 1 / 0 or x == -1 / 0 then return __NF_number(x) end
    local chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    local negative = x < 0
    if negative then x = -x end
    local integer = math.floor(x)
    local fraction = x - integer
    -- Half the distance to the next double: digits beyond it are not part of x.
    local _, e = math.frexp(x)
    local delta = 0.5 * 2 ^ (e - 53)
    local tiny = 2 ^ -1074
    if delta < tiny then delta = tiny end
    local digits, n = {}, 0
    if fraction >= delta then
        repeat
            fraction = fraction * r
            delta = delta * r
            local digit = math.floor(fraction)
            n = n + 1
            digits[n] = digit
            fraction = fraction - digit
            if (fraction > 0.5 or (fraction == 0.5 and digit % 2 == 1)) and fraction + delta > 1 then
                -- Round up, carrying through the digits written (and into the integer part).
                while true do
                    if n == 0 then integer = integer + 1; break end
                    if digits[n] + 1 < r then digits[n] = digits[n] + 1; break end
                    digits[n] = nil
                    n = n - 1
                end
                break
            end
        until fraction < delta
    end
    local zeros = 0
    while integer / r >= 2 ^ 53 do
        integer = integer / r
        zeros = zeros + 1
    end
    local reversed, count = {}, 0
    repeat
        local rest = math.fmod(integer, r)
        local d = math.floor(rest)
        count = count + 1
        reversed[count] = string.sub(chars, d + 1, d + 1)
        integer = (integer - rest) / r
    until integer <= 0
    local int_digits = {}
    for i = 1, count do int_digits[i] = reversed[count + 1 - i] end
    local text = table.concat(int_digits) .. string.rep("0", zeros)
    if n > 0 then
        local frac = {}
        for i = 1, n do frac[i] = string.sub(chars, digits[i] + 1, digits[i] + 1) end
        text = text .. "." .. table.concat(frac)
    end
    if negative then text = "-" .. text end
    return text
end`,
  },
  // Array.prototype.join (__NF_join below): each element as String() gives it (numbers in
  // JavaScript's text), undefined and null as "". join of an array of strings: table.concat, or
  // __NF_join when a hole (a slot set past the end, a deleted element) would make concat raise.
  __NF_join_strings: {
    code: `local function __NF_join_strings(t, sep)
    if sep == nil then sep = "," end
    local n = __NF_alen(t)
    for i = 1, n do
        if t[i] == nil then return __NF_join(t, sep) end
    end
    return __NF_concat(t, sep, n)
end`,
  },
  // table.concat of parts 1..n in runs of 1 000: gopher's pushes every part and separator on its
  // stack, which overflows its registry (registry overflow) from about 2 550 parts.
  __NF_concat: {
    code: `local function __NF_concat(parts, sep, n)
    if n <= 1000 then return table.concat(parts, sep, 1, n) end
    local runs = {}
    for i = 1, n, 1000 do runs[#runs + 1] = table.concat(parts, sep, i, math.min(i + 999, n)) end
    return table.concat(runs, sep)
end`,
  },
  // A table without a metatable among the elements: a nested array joined by commas, as String()
  // of an array, or a plain object, "[object Object]" (an empty table reads as an array: Lua
  // cannot tell {} from []).
  __NF_join: {
    code: `local function __NF_join(t, sep)
    if sep == nil then sep = "," else sep = __NF_str(sep) end
    local parts = {}
    local n = __NF_alen(t)
    for i = 1, n do
        local v = t[i]
        if v == nil then
            parts[i] = ""
        elseif type(v) == "table" and getmetatable(v) == nil then
            local k = next(v)
            if v[1] ~= nil or k == nil or type(k) == "number" then
                parts[i] = __NF_join(v)
            else
                parts[i] = "[object Object]"
            end
        else
            parts[i] = __NF_str(v)
        end
    end
    return __NF_concat(parts, sep, n)
end`,
  },
  // String(array): the elements joined by commas; undefined stays "undefined".
  __NF_array_str: {
    code: `local function __NF_array_str(v)
    if v == nil then return "undefined" end
    return __NF_join(v)
end`,
  },
  // Loose equality (==, !=) between values of different kinds, as JavaScript's IsLooselyEqual:
  // a boolean counts as 0/1, a string against a number is Number(s), an object against a
  // primitive is its primitive value (an array: its elements joined by commas; a plain object:
  // "[object Object]"), undefined/null equal only each other. Lua's == says false for all of them.
  // __NF_primitive: ToPrimitive of a table. A table without a metatable is an array (its
  // elements joined) unless it has keys but no elements; a class instance prints through its
  // __tostring (an Error: "Error: m"), or as "[object Object]".
  __NF_loose_eq: {
    code: `local function __NF_primitive(v)
    local mt = getmetatable(v)
    if mt == nil then
        if #v > 0 or next(v) == nil then return __NF_join(v) end
        return "[object Object]"
    end
    if mt.__tostring ~= nil then return tostring(v) end
    return "[object Object]"
end
local function __NF_loose_eq(a, b)
    if a == b then return true end
    local ta, tb = type(a), type(b)
    if ta == tb or a == nil or b == nil then return false end
    if ta == "boolean" then return __NF_loose_eq(a and 1 or 0, b) end
    if tb == "boolean" then return __NF_loose_eq(a, b and 1 or 0) end
    if ta == "number" and tb == "string" then return a == __NF_to_number(b) end
    if ta == "string" and tb == "number" then return __NF_to_number(a) == b end
    if ta == "table" and (tb == "number" or tb == "string") then return __NF_loose_eq(__NF_primitive(a), b) end
    if tb == "table" and (ta == "number" or ta == "string") then return __NF_loose_eq(a, __NF_primitive(b)) end
    return false
end`,
  },
  // a ** b, Math.pow(a, b): JavaScript's NaN for a NaN exponent and for 1 ** ±Infinity (C's
  // pow, which every Lua uses, gives 1). The build calls it only where the base may be ±1 and the
  // exponent is not a literal.
  __NF_pow: {
    code: `local function __NF_pow(a, b)
    if b ~= b then return b end
    if (a == 1 or a == -1) and (b == 1 / 0 or b == -1 / 0) then return 0 / 0 end
    local r = a ^ b
    if r == 0 and __NF_negative(a) and b % 2 == 1 then return -__NF_zero end
    return r
end`,
  },
  ...LOG_HELPERS,
  // Arithmetic that can give -0: gopher stores every zero an operator yields as +0 (its
  // allocator's preloaded 0), JavaScript keeps IEEE's sign. The result is the operator's, with
  // the sign JavaScript gives a zero: -__NF_zero is negated at run time, which gopher keeps.
  __NF_negative: {
    code: `local function __NF_negative(x)
    return x < 0 or (x == 0 and 1 / x < 0)
end`,
  },
  // An operand that is not a number (nil from a missing field typed as a number) raises gopher's
  // error at the line of the arithmetic, not inside the helper; a string is converted as Lua does.
  // Level 4 on gopher-lua v1.1.1, whose levels count one more than PUC's (observed: error("x", 2)
  // names the function that calls error): this function, the helper, then the arithmetic's line.
  __NF_arith_check: {
    code: `local function __NF_arith_check(op, a, b)
    local ta, tb = type(a), type(b)
    if (ta == "number" or ta == "string") and (tb == "number" or tb == "string") then return end
    error("cannot perform " .. op .. " operation between " .. ta .. " and " .. tb, 4)
end`,
  },
  __NF_mul: { code: zeroSigned("mul", "*", "__NF_negative(a) ~= __NF_negative(b)") },
  __NF_div: { code: zeroSigned("div", "/", "__NF_negative(a) ~= __NF_negative(b)") },
  __NF_add: { code: zeroSigned("add", "+", "__NF_negative(a) and __NF_negative(b)") },
  __NF_sub: { code: zeroSigned("sub", "-", "__NF_negative(a) and not __NF_negative(b)") },
  // Number.isFinite (isFinite after Number()): the infinities are not finite; gopher's
  // math.huge is the largest finite float64, so TypeScriptToLua's test against it is wrong there.
  __NF_is_finite: {
    code: `local function __NF_is_finite(x)
    return type(x) == "number" and x == x and x ~= 1 / 0 and x ~= -1 / 0
end`,
  },
  // Math.max/Math.min with a spread before another argument: flags says, per argument, whether
  // it is a spread array ("s") or one value ("v"); otherwise as __NF_max/__NF_min.
  __NF_extreme: {
    code: `local function __NF_extreme(is_max, flags, ...)
    local best = is_max and -1 / 0 or 1 / 0
    for i = 1, #flags do
        local arg = select(i, ...)
        local list, n = { arg }, 1
        if string.sub(flags, i, i) == "s" then list, n = arg, #arg end
        for k = 1, n do
            local v = list[k]
            if v ~= v then return v end
            if is_max then
                if v > best or (v == 0 and best == 0 and 1 / best < 0) then best = v end
            elseif v < best or (v == 0 and best == 0 and 1 / v < 0) then
                best = v
            end
        end
    end
    return best
end`,
  },
  // Array.prototype.includes compares with SameValueZero: NaN is found (Lua's == never is).
  __NF_array_includes: {
    code: `local function __NF_array_includes(t, v, from)
    local len = __NF_alen(t)
    local k = 0
    if from ~= nil and from == from then k = from < 0 and -math.floor(-from) or math.floor(from) end
    if k < 0 then k = math.max(len + k, 0) end
    if v ~= v then
        for i = k + 1, len do
            local e = t[i]
            if e ~= e then return true end
        end
        return false
    end
    for i = k + 1, len do
        if t[i] == v then return true end
    end
    return false
end`,
  },
  // Array positions are read as JavaScript reads them (ToIntegerOrInfinity, __NF_int: NaN is 0,
  // fractions truncate toward zero, ±Infinity stays); the build wraps the positions of
  // slice/splice/toSpliced/at/indexOf in __NF_int unless they are integer literals or lengths.
  // Array.prototype.fill(value, start, end): positions truncated and clamped to the array (the
  // lualib grows the array past its end, and loops forever on an Infinity end).
  __NF_array_fill: {
    code: `local function __NF_array_fill(t, value, start, finish)
    local len = __NF_alen(t)
    local k = __NF_int(start, 0)
    if k < 0 then k = math.max(len + k, 0) else k = math.min(k, len) end
    local e = __NF_int(finish, len)
    if e < 0 then e = math.max(len + e, 0) else e = math.min(e, len) end
    for i = k + 1, e do t[i] = value end
    __NF_alen_set(t, len)
    if value == nil and e > k then __NF_array_undefined[t] = true end
    return t
end`,
  },
  // Array.prototype.with(index, value): a negative index counts from the end; outside the array
  // it throws JavaScript's RangeError (the lualib class, passed in: the helpers come before it).
  __NF_array_with: {
    code: `local function __NF_array_with(t, index, value, range_error)
    local len = __NF_alen(t)
    local i = __NF_int(index, 0)
    if i < 0 then i = len + i end
    if i < 0 or i >= len then error(range_error(nil, "Invalid index : " .. __NF_str(index)), 0) end
    local copy = {}
    for k = 1, len do copy[k] = t[k] end
    copy[i + 1] = value
    __NF_alen_set(copy, len)
    -- with() reads every slot: a hole of t is undefined in the copy.
    for k = 1, len do
        if copy[k] == nil then
            __NF_array_undefined[copy] = true
            break
        end
    end
    return copy
end`,
  },
  // Math.max/Math.min: no arguments give -Infinity/Infinity (gopher raises), NaN wins, 0 is
  // larger than -0.
  __NF_max: {
    code: `local function __NF_max(...)
    local n = select("#", ...)
    local best = -1 / 0
    for i = 1, n do
        local v = select(i, ...)
        if v ~= v then return v end
        if v > best or (v == 0 and best == 0 and 1 / best < 0) then best = v end
    end
    return best
end`,
  },
  __NF_min: {
    code: `local function __NF_min(...)
    local n = select("#", ...)
    local best = 1 / 0
    for i = 1, n do
        local v = select(i, ...)
        if v ~= v then return v end
        if v < best or (v == 0 and best == 0 and 1 / v < 0) then best = v end
    end
    return best
end`,
  },
  // Math.round: half up on the exact value (floor(x + 0.5) rounds 0.49999999999999994 to 1 and
  // odd integers above 2^52 up), and -0.5 <= x <= -0 gives -0.
  __NF_round: {
    code: `local function __NF_round(x)
    local f = math.floor(x)
    if x - f >= 0.5 then f = f + 1 end
    if f == 0 and x < 0 then return -__NF_zero end
    return f
end`,
  },
  // String order as JavaScript's: UTF-16 code units. Lua compares bytes, which for UTF-8 is code
  // point order; the two disagree only between a character above U+FFFF (lead byte F0-F4, a
  // surrogate pair D800-DFFF in UTF-16) and one in U+E000-U+FFFF (lead byte EE-EF): a string
  // without such bytes compares as bytes do. -1, 0 or 1.
  __NF_str_cmp: {
    // Which strings hold a byte of U+E000 and above is looked up once per string (a pattern scan
    // per comparison cost a sort of ten servers about a tenth of the director's time).
    code: `local __NF_high_bytes = {}
local function __NF_str_cmp(a, b)
    if a == b then return 0 end
    local ha = __NF_high_bytes[a]
    if ha == nil then
        ha = string.find(a, "[\\238-\\244]") ~= nil
        __NF_high_bytes[a] = ha
    end
    local hb = ha and __NF_high_bytes[b]
    if ha and hb == nil then
        hb = string.find(b, "[\\238-\\244]") ~= nil
        __NF_high_bytes[b] = hb
    end
    if hb then
        local i = 1
        while string.byte(a, i) == string.byte(b, i) do i = i + 1 end
        local x = string.byte(a, i)
        local y = string.byte(b, i)
        if x ~= nil and y ~= nil then
            if x >= 240 and y >= 238 and y < 240 then return -1 end
            if y >= 240 and x >= 238 and x < 240 then return 1 end
        end
    end
    if a < b then return -1 end
    return 1
end`,
  },
  // Array.prototype.sort: stable (a merge sort), comparator results as numbers, default order by
  // String(v) in UTF-16 code units; gopher's table.sort is Go's pdqsort, unstable above 12 elements.
  __NF_sort: {
    code: `local function __NF_sort(arr, compare, no_self)
    -- undefined elements go last, never passed to the comparator, as in JavaScript.
    local len, n, src = __NF_alen(arr), 0, {}
    for i = 1, len do
        if arr[i] ~= nil then
            n = n + 1
            src[n] = arr[i]
        end
    end
    local less
    if compare and no_self then
        less = function(a, b) return compare(a, b) < 0 end
    elseif compare then
        -- Inline callbacks (typed by the ES library) take TypeScriptToLua's context argument first.
        less = function(a, b) return compare(nil, a, b) < 0 end
    else
        less = function(a, b) return __NF_str_cmp(__NF_str(a), __NF_str(b)) < 0 end
    end
    local dst = {}
    local width = 1
    while width < n do
        local i = 1
        while i <= n do
            local mid = math.min(i + width, n + 1)
            local hi = math.min(i + 2 * width, n + 1)
            local a, b, k = i, mid, i
            while a < mid and b < hi do
                if less(src[b], src[a]) then dst[k] = src[b]; b = b + 1 else dst[k] = src[a]; a = a + 1 end
                k = k + 1
            end
            while a < mid do dst[k] = src[a]; a = a + 1; k = k + 1 end
            while b < hi do dst[k] = src[b]; b = b + 1; k = k + 1 end
            i = i + 2 * width
        end
        -- Never \`src, dst = dst, src\`: gopher-lua mis-compiles multiple assignments of locals.
        local swap = src
        src = dst
        dst = swap
        width = width * 2
    end
    for i = 1, len do arr[i] = src[i] end
    __NF_alen_set(arr, len)
    return arr
end`,
  },
  // String.prototype.trim/trimStart/trimEnd: JavaScript's white space, whole UTF-8 sequences
  // (TypeScriptToLua's lualib strips the bytes A0, EF, BB, BF one by one and can cut "à" in half).
  __NF_trim: {
    code: `local __NF_space = { "\\194\\160", "\\225\\154\\128", "\\226\\128\\168", "\\226\\128\\169", "\\226\\128\\175", "\\226\\129\\159", "\\227\\128\\128", "\\239\\187\\191" }
for c = 128, 138 do __NF_space[#__NF_space + 1] = "\\226\\128" .. string.char(c) end
local function __NF_space_at(s, i)
    local b = string.byte(s, i)
    if b == 32 or (b ~= nil and b >= 9 and b <= 13) then return 1 end
    for k = 1, #__NF_space do
        local w = __NF_space[k]
        if string.sub(s, i, i + #w - 1) == w then return #w end
    end
    return 0
end
local function __NF_space_before(s, j)
    local b = string.byte(s, j)
    if b == 32 or (b ~= nil and b >= 9 and b <= 13) then return 1 end
    for k = 1, #__NF_space do
        local w = __NF_space[k]
        if j - #w + 1 >= 1 and string.sub(s, j - #w + 1, j) == w then return #w end
    end
    return 0
end
local function __NF_trim(s, start, finish)
    local i, j = 1, #s
    if start then
        while i <= j do
            local n = __NF_space_at(s, i)
            if n == 0 then break end
            i = i + n
        end
    end
    if finish then
        while j >= i do
            local n = __NF_space_before(s, j)
            if n == 0 then break end
            j = j - n
        end
    end
    return string.sub(s, i, j)
end`,
  },
  // JavaScript strings are UTF-16 code units, Lua strings bytes. These helpers index non-ASCII
  // text by code units (ASCII text keeps the byte fast path): length, charCodeAt, charAt/s[i],
  // substring, slice, substr, indexOf. A lone surrogate half (an index inside an astral
  // character) becomes U+FFFD, since UTF-8 cannot hold it.
  __NF_units: {
    code: `local function __NF_units(s)
    if not string.find(s, "[\\128-\\255]") then return nil end
    local units, i, len = {}, 1, #s
    while i <= len do
        local b = string.byte(s, i)
        local size, cp = 1, b
        if b >= 240 and b < 248 then size = 4; cp = b - 240
        elseif b >= 224 and b < 240 then size = 3; cp = b - 224
        elseif b >= 192 and b < 224 then size = 2; cp = b - 192 end
        for k = 1, size - 1 do
            local c = string.byte(s, i + k)
            if c == nil or c < 128 or c >= 192 then size = 1; cp = 65533; break end
            cp = cp * 64 + (c - 128)
        end
        if size == 1 and b >= 128 then cp = 65533 end
        local ch = string.sub(s, i, i + size - 1)
        if cp >= 65536 then
            local v = cp - 65536
            units[#units + 1] = { ch = ch, code = 55296 + math.floor(v / 1024), half = 1 }
            units[#units + 1] = { ch = ch, code = 56320 + v % 1024, half = 2 }
        else
            units[#units + 1] = { ch = ch, code = cp, half = 0 }
        end
        i = i + size
    end
    return units
end
local function __NF_units_join(units, from, to)
    local out, k = {}, from
    while k < to do
        local u = units[k + 1]
        if u.half == 0 then out[#out + 1] = u.ch; k = k + 1
        elseif u.half == 1 and k + 1 < to then out[#out + 1] = u.ch; k = k + 2
        else out[#out + 1] = "\\239\\191\\189"; k = k + 1 end
    end
    return table.concat(out)
end
local function __NF_int(v, default)
    if v == nil then return default end
    if v ~= v then return 0 end
    if v == 1 / 0 or v == -1 / 0 then return v end
    -- + 0: -0 (and -0.5 truncated) is 0, as ToIntegerOrInfinity gives it.
    return (v < 0 and -math.floor(-v) or math.floor(v)) + 0
end
local function __NF_str_len(s)
    local units = __NF_units(s)
    return units and #units or #s
end
local function __NF_str_range(s, from, to)
    local units = __NF_units(s)
    if units == nil then return string.sub(s, from + 1, to) end
    return __NF_units_join(units, from, to)
end
local function __NF_substring(s, a, b)
    local len = __NF_str_len(s)
    a = math.min(math.max(__NF_int(a, 0), 0), len)
    b = math.min(math.max(__NF_int(b, len), 0), len)
    if a > b then
        local swap = a
        a = b
        b = swap
    end
    return __NF_str_range(s, a, b)
end
local function __NF_slice(s, a, b)
    local len = __NF_str_len(s)
    a = __NF_int(a, 0)
    b = __NF_int(b, len)
    if a < 0 then a = math.max(len + a, 0) else a = math.min(a, len) end
    if b < 0 then b = math.max(len + b, 0) else b = math.min(b, len) end
    if a >= b then return "" end
    return __NF_str_range(s, a, b)
end
local function __NF_substr(s, a, n)
    local len = __NF_str_len(s)
    a = __NF_int(a, 0)
    if a < 0 then a = math.max(len + a, 0) end
    n = math.min(math.max(__NF_int(n, len), 0), len - a)
    if n <= 0 then return "" end
    return __NF_str_range(s, a, a + n)
end
local function __NF_char_at(s, i)
    i = __NF_int(i, 0)
    if i < 0 or i >= __NF_str_len(s) then return "" end
    return __NF_str_range(s, i, i + 1)
end
local function __NF_str_index(s, i)
    if type(i) ~= "number" or i ~= i or i < 0 or i ~= math.floor(i) or i >= __NF_str_len(s) then return nil end
    return __NF_str_range(s, i, i + 1)
end
local function __NF_char_code_at(s, i)
    i = __NF_int(i, 0)
    local units = __NF_units(s)
    if units == nil then
        if i < 0 or i >= #s then return 0 / 0 end
        return string.byte(s, i + 1)
    end
    local u = units[i + 1]
    if i < 0 or u == nil then return 0 / 0 end
    return u.code
end
local function __NF_code_point_at(s, i)
    local code = __NF_char_code_at(s, i)
    local units = __NF_units(s)
    if units and code >= 55296 and code < 56320 then
        local u = units[__NF_int(i, 0) + 1]
        local nxt = units[__NF_int(i, 0) + 2]
        if u.half == 1 and nxt and nxt.half == 2 then
            return (code - 55296) * 1024 + (nxt.code - 56320) + 65536
        end
    end
    if code ~= code then return nil end
    return code
end
local function __NF_starts_with(s, x, pos)
    local rest = __NF_slice(s, math.max(__NF_int(pos, 0), 0))
    return string.sub(rest, 1, #x) == x
end
local function __NF_ends_with(s, x, finish)
    local head = __NF_substring(s, 0, finish)
    return #x <= #head and string.sub(head, #head - #x + 1) == x
end
local function __NF_split_units(s)
    local units = __NF_units(s)
    local out = {}
    if units == nil then
        for i = 1, #s do out[i] = string.sub(s, i, i) end
        return out
    end
    for k = 0, #units - 1 do out[k + 1] = __NF_units_join(units, k, k + 1) end
    return out
end
local function __NF_pad(s, target, fill, at_start, range_error)
    target = __NF_int(target, 0)
    if fill == nil then fill = " " end
    local len = __NF_str_len(s)
    local fill_len = __NF_str_len(fill)
    if target <= len or fill_len == 0 then return s end
    -- V8's longest string (2^29 - 24 code units): JavaScript throws where Lua would allocate.
    if target > 536870888 then error(range_error(nil, "Invalid string length"), 0) end
    local need = target - len
    local pad = string.rep(fill, math.floor(need / fill_len))
    local rest = need % fill_len
    if rest > 0 then pad = pad .. __NF_str_range(fill, 0, rest) end
    if at_start then return pad .. s end
    return s .. pad
end
local function __NF_repeat(s, count, range_error)
    local n = __NF_int(count, 0)
    if n < 0 or n == 1 / 0 then error(range_error(nil, "Invalid count value: " .. __NF_number(count)), 0) end
    if n == 0 or s == "" then return "" end
    -- V8's longest string (2^29 - 24 code units); bytes are at least as many as code units.
    if #s * n > 536870888 and __NF_str_len(s) * n > 536870888 then error(range_error(nil, "Invalid string length"), 0) end
    return string.rep(s, n)
end
local function __NF_index_of(s, needle, from)
    local units = __NF_units(s)
    local len = units and #units or #s
    from = math.min(math.max(__NF_int(from, 0), 0), len)
    if units == nil then
        local at = string.find(s, needle, from + 1, true)
        return at and at - 1 or -1
    end
    for k = from, len - #(__NF_units(needle) or needle) do
        if __NF_units_join(units, k, k + #(__NF_units(needle) or needle)) == needle then return k end
    end
    return -1
end
local function __NF_includes(s, x, pos)
    return __NF_index_of(s, x, pos) >= 0
end`,
  },
  // replace/replaceAll with a string replacement: JavaScript's $$, $&, $` and $' patterns (the
  // lualib inserts the replacement as it is), and replaceAll("", r) between UTF-16 code units,
  // not bytes.
  __NF_replace: {
    code: `local function __NF_expand(rep, match, before, after)
    local out, i, n = {}, 1, #rep
    while i <= n do
        local c = string.sub(rep, i, i)
        local d = string.sub(rep, i + 1, i + 1)
        if c ~= "$" or d == "" then out[#out + 1] = c; i = i + 1
        elseif d == "$" then out[#out + 1] = "$"; i = i + 2
        elseif d == "&" then out[#out + 1] = match; i = i + 2
        elseif d == "\`" then out[#out + 1] = before; i = i + 2
        elseif d == "'" then out[#out + 1] = after; i = i + 2
        else out[#out + 1] = "$"; i = i + 1 end
    end
    return table.concat(out)
end
local function __NF_replace(s, search, rep, all)
    local plain = not string.find(rep, "$", 1, true)
    local out = {}
    if search == "" then
        if not all then return (plain and rep or __NF_expand(rep, "", "", s)) .. s end
        local units = __NF_units(s)
        if units == nil then
            for k = 0, #s do
                out[#out + 1] = plain and rep or __NF_expand(rep, "", string.sub(s, 1, k), string.sub(s, k + 1))
                if k < #s then out[#out + 1] = string.sub(s, k + 1, k + 1) end
            end
            return table.concat(out)
        end
        -- Between UTF-16 code units. A surrogate half is written as its own 3-byte form until the
        -- end, where halves that meet again (nothing inserted between them, or an inserted
        -- prefix or suffix of s that ends or starts with one) become their character, the others U+FFFD.
        local texts = {}
        for k = 1, #units do
            local u = units[k]
            texts[k] = u.half == 0 and u.ch or __NF_utf8(u.code)
        end
        for k = 0, #units do
            out[#out + 1] = plain and rep or __NF_expand(rep, "", table.concat(texts, "", 1, k), table.concat(texts, "", k + 1))
            if k < #units then out[#out + 1] = texts[k + 1] end
        end
        local r = string.gsub(table.concat(out), "\\237([\\160-\\175])([\\128-\\191])\\237([\\176-\\191])([\\128-\\191])", function(a, b, c, d)
            local high = (string.byte(a) - 160) * 64 + string.byte(b) - 128
            local low = (string.byte(c) - 176) * 64 + string.byte(d) - 128
            return __NF_utf8(high * 1024 + low + 65536)
        end)
        return (string.gsub(r, "\\237[\\160-\\191][\\128-\\191]", "\\239\\191\\189"))
    end
    local pos = 1
    while true do
        local a, b = string.find(s, search, pos, true)
        if not a then break end
        out[#out + 1] = string.sub(s, pos, a - 1)
        out[#out + 1] = plain and rep or __NF_expand(rep, search, string.sub(s, 1, a - 1), string.sub(s, b + 1))
        pos = b + 1
        if not all then break end
    end
    out[#out + 1] = string.sub(s, pos)
    return table.concat(out)
end`,
  },
  // split(sep, limit): the limit as JavaScript's ToUint32 (-1 is 4294967295, "everything"; the
  // lualib returns nothing), and split("", n) by UTF-16 code units.
  __NF_split: {
    code: `local function __NF_split(s, sep, limit)
    local lim = 4294967295
    if limit ~= nil then
        if limit ~= limit or limit == 1 / 0 or limit == -1 / 0 then limit = 0 end
        lim = (limit < 0 and -math.floor(-limit) or math.floor(limit)) % 4294967296
    end
    local out = {}
    if lim == 0 then return out end
    if sep == nil then out[1] = s; return out end
    if sep == "" then
        local units = __NF_split_units(s)
        for i = 1, math.min(#units, lim) do out[i] = units[i] end
        return out
    end
    local pos = 1
    while #out < lim do
        local a, b = string.find(s, sep, pos, true)
        if not a then out[#out + 1] = string.sub(s, pos); break end
        out[#out + 1] = string.sub(s, pos, a - 1)
        pos = b + 1
    end
    return out
end`,
  },
  // String.fromCharCode: UTF-16 code units to UTF-8 (string.char would write the byte 233 for
  // "é", which is not UTF-8); a surrogate pair becomes one character, a lone half U+FFFD.
  __NF_from_char_code: {
    code: `local function __NF_utf8(cp)
    if cp < 128 then return string.char(cp) end
    if cp < 2048 then return string.char(192 + math.floor(cp / 64), 128 + cp % 64) end
    if cp < 65536 then return string.char(224 + math.floor(cp / 4096), 128 + math.floor(cp / 64) % 64, 128 + cp % 64) end
    return string.char(240 + math.floor(cp / 262144), 128 + math.floor(cp / 4096) % 64, 128 + math.floor(cp / 64) % 64, 128 + cp % 64)
end
local function __NF_from_char_code(...)
    local n = select("#", ...)
    local units = {}
    for i = 1, n do
        local u = select(i, ...)
        if type(u) ~= "number" or u ~= u or u == 1 / 0 or u == -1 / 0 then u = 0 end
        units[i] = (u < 0 and -math.floor(-u) or math.floor(u)) % 65536
    end
    local out, i = {}, 1
    while i <= n do
        local u = units[i]
        local v = units[i + 1]
        if u >= 55296 and u < 56320 and v ~= nil and v >= 56320 and v < 57344 then
            out[#out + 1] = __NF_utf8((u - 55296) * 1024 + (v - 56320) + 65536)
            i = i + 2
        else
            if u >= 55296 and u < 57344 then u = 65533 end
            out[#out + 1] = __NF_utf8(u)
            i = i + 1
        end
    end
    return table.concat(out)
end`,
  },
  // Iterating a string (for…of, spread, Array.from, yield*): its code points, each a whole UTF-8
  // character (TypeScriptToLua's lualib goes byte by byte). Anything else is returned as it is.
  __NF_code_points: {
    code: `local function __NF_code_points(v)
    if type(v) ~= "string" then return v end
    local units, out = __NF_units(v), {}
    if units == nil then
        for i = 1, #v do out[i] = string.sub(v, i, i) end
        return out
    end
    for k = 1, #units do
        local u = units[k]
        if u.half ~= 2 then out[#out + 1] = u.ch end
    end
    return out
end`,
  },
  // `v.length` where v is a string or an array, whichever (a union of both): code units of a
  // string, elements of an array.
  __NF_length: {
    code: `local function __NF_length(v)
    if type(v) == "string" then return __NF_str_len(v) end
    return __NF_alen(v)
end`,
  },
  // Bitwise operators (Lua 5.1 has none, gopher-lua no bit library): ToInt32/ToUint32 and the
  // 32 bits by arithmetic, exact on float64 (every step is an integer below 2^63 or a division by a
  // power of two). Results are int32 (>>> uint32), never -0.
  __NF_bit: {
    code: `local function __NF_int32(v)
    if type(v) ~= "number" then v = __NF_to_number(v) end
    if v ~= v or v == 1 / 0 or v == -1 / 0 then return 0 end
    v = (v < 0 and -math.floor(-v) or math.floor(v)) % 4294967296
    if v >= 2147483648 then return v - 4294967296 end
    return v + 0
end
local function __NF_bits(a, b, op)
    a = __NF_int32(a) % 4294967296
    b = __NF_int32(b) % 4294967296
    local r, bit = 0, 1
    for _ = 1, 32 do
        local x, y = a % 2, b % 2
        if (op == 1 and x + y == 2) or (op == 2 and x + y > 0) or (op == 3 and x + y == 1) then r = r + bit end
        a = (a - x) / 2
        b = (b - y) / 2
        bit = bit * 2
    end
    if r >= 2147483648 then return r - 4294967296 end
    return r
end
local function __NF_band(a, b) return __NF_bits(a, b, 1) end
local function __NF_bor(a, b) return __NF_bits(a, b, 2) end
local function __NF_bxor(a, b) return __NF_bits(a, b, 3) end
local function __NF_bnot(a) return -__NF_int32(a) - 1 end
local function __NF_shl(a, b)
    local r = __NF_int32(a) % 4294967296 * 2 ^ (__NF_int32(b) % 32) % 4294967296
    if r >= 2147483648 then return r - 4294967296 end
    return r + 0
end
local function __NF_shr(a, b)
    return math.floor(__NF_int32(a) / 2 ^ (__NF_int32(b) % 32)) + 0
end
local function __NF_ushr(a, b)
    return math.floor(__NF_int32(a) % 4294967296 / 2 ^ (__NF_int32(b) % 32)) + 0
end`,
  },
  // encodeURIComponent/encodeURI: each UTF-8 byte outside the unreserved set as %XX (Lua strings
  // are already UTF-8). Explicit ranges, not %w: gopher's %w also matches Latin-1 letter bytes.
  __NF_encode_uri: {
    code: `local function __NF_encode_uri(v, component)
    local keep = component and "[^A-Za-z0-9%-_%.!~%*'%(%)]" or "[^A-Za-z0-9%-_%.!~%*'%(%);/%?:@&=%+%$,#]"
    return (string.gsub(__NF_str(v), keep, function(c) return string.format("%%%02X", string.byte(c)) end))
end`,
  },
  // decodeURIComponent: %XX sequences back to bytes; a malformed escape or bytes that are not
  // UTF-8 raise "URIError: URI malformed" (a string on Lua, JavaScript's text). decodeURI
  // (reserved = true) keeps an escape of ; / ? : @ & = + $ , # as it is written.
  __NF_decode_uri_component: {
    code: `local function __NF_decode_uri_component(v, reserved)
    local s = __NF_str(v)
    if not string.find(s, "%", 1, true) then return s end
    local out, i, n = {}, 1, #s
    while i <= n do
        local c = string.sub(s, i, i)
        if c == "%" then
            local byte = tonumber(string.sub(s, i + 1, i + 2), 16)
            if byte == nil or not string.find(string.sub(s, i + 1, i + 2), "^%x%x$") then error("URIError: URI malformed", 0) end
            if reserved and byte < 128 and string.find(";/?:@&=+$,#", string.char(byte), 1, true) then
                out[#out + 1] = string.sub(s, i, i + 2)
            else
                out[#out + 1] = string.char(byte)
            end
            i = i + 3
        else
            out[#out + 1] = c
            i = i + 1
        end
    end
    local r = table.concat(out)
    local k = 1
    while k <= #r do
        local b = string.byte(r, k)
        local size = b < 128 and 1 or b >= 194 and b < 224 and 2 or b >= 224 and b < 240 and 3 or b >= 240 and b < 245 and 4 or 0
        if size == 0 then error("URIError: URI malformed", 0) end
        for j = k + 1, k + size - 1 do
            local cb = string.byte(r, j)
            if cb == nil or cb < 128 or cb >= 192 then error("URIError: URI malformed", 0) end
        end
        k = k + size
    end
    return r
end`,
  },
  // escape/unescape (Annex B): code units outside A-Z a-z 0-9 @*_+-./ as %XX below 256, %uXXXX
  // above; unescape reads both back (anything else stays as it is) and writes UTF-8, a surrogate
  // pair as one character, a lone half as U+FFFD.
  __NF_escape: {
    code: `local function __NF_escape(v)
    local s = __NF_str(v)
    local units = __NF_units(s)
    if units == nil then
        return (string.gsub(s, "[^A-Za-z0-9@%*_%+%-%./]", function(c) return string.format("%%%02X", string.byte(c)) end))
    end
    local out = {}
    for k = 1, #units do
        local code = units[k].code
        if code >= 256 then
            out[k] = string.format("%%u%04X", code)
        elseif code < 128 and string.find(string.char(code), "^[A-Za-z0-9@%*_%+%-%./]$") then
            out[k] = string.char(code)
        else
            out[k] = string.format("%%%02X", code)
        end
    end
    return table.concat(out)
end`,
  },
  __NF_unescape: {
    code: `local function __NF_unescape(v)
    local s = __NF_str(v)
    if not string.find(s, "%", 1, true) then return s end
    local list = __NF_units(s)
    if list == nil then
        list = {}
        for i = 1, #s do list[i] = { code = string.byte(s, i), ch = string.sub(s, i, i), half = 0 } end
    end
    local function hex(k, count)
        local value = 0
        for j = k, k + count - 1 do
            local u = list[j]
            if u == nil or u.code >= 128 or not string.find(string.char(u.code), "^%x$") then return nil end
            value = value * 16 + tonumber(string.char(u.code), 16)
        end
        return value
    end
    local parts, k = {}, 1
    while k <= #list do
        local u = list[k]
        local code = u.code == 37 and list[k + 1] ~= nil and list[k + 1].code == 117 and hex(k + 2, 4) or nil
        if code ~= nil then
            parts[#parts + 1] = code
            k = k + 6
        else
            code = u.code == 37 and hex(k + 1, 2) or nil
            if code ~= nil then
                parts[#parts + 1] = code
                k = k + 3
            else
                if u.half ~= 2 then parts[#parts + 1] = u.ch end
                k = k + 1
            end
        end
    end
    local out, i = {}, 1
    while i <= #parts do
        local p, q = parts[i], parts[i + 1]
        if type(p) == "string" then
            out[#out + 1] = p
            i = i + 1
        elseif p >= 55296 and p < 56320 and type(q) == "number" and q >= 56320 and q < 57344 then
            out[#out + 1] = __NF_utf8((p - 55296) * 1024 + (q - 56320) + 65536)
            i = i + 2
        else
            out[#out + 1] = __NF_utf8((p >= 55296 and p < 57344) and 65533 or p)
            i = i + 1
        end
    end
    return table.concat(out)
end`,
  },
  __NF_value_escape: {
    code: `local function __NF_value_escape(_, v)
    return __NF_escape(v)
end`,
  },
  __NF_value_unescape: {
    code: `local function __NF_value_unescape(_, v)
    return __NF_unescape(v)
end`,
  },
  // toUpperCase/toLowerCase: Go's simple case mapping (gopher's string.upper/lower) plus the
  // special casings JavaScript applies: "ß" -> "SS", ligatures, "İ" -> "i̇", final sigma.
  __NF_case: {
    code: `local __NF_upper_special = {
    ["\\195\\159"] = "SS", ["\\239\\172\\128"] = "FF", ["\\239\\172\\129"] = "FI", ["\\239\\172\\130"] = "FL",
    ["\\239\\172\\131"] = "FFI", ["\\239\\172\\132"] = "FFL", ["\\239\\172\\133"] = "ST", ["\\239\\172\\134"] = "ST",
    ["\\197\\137"] = "\\202\\188N", ["\\214\\135"] = "\\212\\181\\213\\146",
}
local function __NF_to_upper(s)
    if string.find(s, "[\\195\\197\\214\\239]") then
        s = string.gsub(s, "[\\195\\197\\214][\\128-\\191]", function(c) return __NF_upper_special[c] end)
        s = string.gsub(s, "\\239\\172[\\128-\\134]", function(c) return __NF_upper_special[c] end)
    end
    return string.upper(s)
end
local function __NF_letter_byte(c)
    return c ~= nil and (c >= 128 or (c >= 65 and c <= 90) or (c >= 97 and c <= 122))
end
local function __NF_to_lower(s)
    s = string.gsub(s, "\\196\\176", "i\\204\\135")
    if string.find(s, "\\206\\163", 1, true) then
        -- Final sigma: a capital sigma after a letter and not before one lowers to ς.
        local out, pos = {}, 1
        while true do
            local a, b = string.find(s, "\\206\\163", pos, true)
            if not a then out[#out + 1] = string.sub(s, pos); break end
            out[#out + 1] = string.sub(s, pos, a - 1)
            local final = a > 1 and __NF_letter_byte(string.byte(s, a - 1)) and not __NF_letter_byte(string.byte(s, b + 1))
            out[#out + 1] = final and "\\207\\130" or "\\207\\131"
            pos = b + 1
        end
        s = table.concat(out)
    end
    return string.lower(s)
end`,
  },
  // Number(s), +s, parseFloat(s): JavaScript's parsing. TypeScriptToLua uses tonumber, which on
  // gopher returns nil for "1e3" (no ".") and so gives NaN.
  __NF_to_number: {
    code: `local function __NF_decimal(text)
    local mantissa, exponent = string.match(text, "^([+-]?%d*%.?%d*)([eE][+-]?%d+)$")
    if mantissa == nil then mantissa, exponent = text, "" end
    if not string.find(mantissa, "%d") then return nil end
    if not string.find(mantissa, ".", 1, true) then mantissa = mantissa .. ".0" end
    if string.sub(mantissa, -1) == "." then mantissa = mantissa .. "0" end
    if string.find(mantissa, "^[+-]?%.") then mantissa = string.gsub(mantissa, "%.", "0.", 1) end
    local n = tonumber(mantissa .. exponent)
    -- gopher's tonumber gives nil when the value overflows float64; JavaScript gives Infinity.
    if n == nil then return string.sub(mantissa, 1, 1) == "-" and -(2 ^ 1024) or 2 ^ 1024 end
    return n
end
local function __NF_to_number(v)
    local t = type(v)
    if t == "number" then return v end
    if t == "boolean" then return v and 1 or 0 end
    -- An array is its elements joined by commas ([] is 0, ["5"] is 5), as ToPrimitive gives it.
    if t == "table" then return __NF_to_number(__NF_primitive(v)) end
    if t ~= "string" then return 0 / 0 end
    local s = string.match(v, "^%s*(.-)%s*$")
    if s == "" then return 0 end
    if s == "Infinity" or s == "+Infinity" then return 1 / 0 end
    if s == "-Infinity" then return -1 / 0 end
    local prefix, digits = string.match(s, "^0([xXoObB])(%w+)$")
    if prefix then
        local base = ({ x = 16, o = 8, b = 2 })[string.lower(prefix)]
        local n = 0
        for i = 1, #digits do
            local d = tonumber(string.sub(digits, i, i), 36)
            if d == nil or d >= base then return 0 / 0 end
            n = n * base + d
        end
        return n
    end
    if string.find(s, "^[+-]?%d*%.?%d*$") or string.find(s, "^[+-]?%d*%.?%d*[eE][+-]?%d+$") then
        local n = __NF_decimal(s)
        if n ~= nil then return n end
    end
    return 0 / 0
end
local function __NF_parse_float(v)
    local s = string.match(tostring(v), "^%s*(.*)$")
    if string.find(s, "^[+-]?Infinity") then return string.sub(s, 1, 1) == "-" and -1 / 0 or 1 / 0 end
    local text = string.match(s, "^[+-]?%d+%.?%d*[eE][+-]?%d+") or string.match(s, "^[+-]?%.%d+[eE][+-]?%d+")
        or string.match(s, "^[+-]?%d+%.?%d*") or string.match(s, "^[+-]?%.%d+")
    if text == nil then return 0 / 0 end
    return __NF_decimal(text) or 0 / 0
end`,
  },
  // parseInt(v, radix) as JavaScript parses: String(v), blanks, one sign, "0x" when the radix is
  // 0/16/absent, radix 0 is 10, the longest run of digits. TypeScriptToLua's lualib refuses "+7"
  // and radix 0 (NaN) and reads decimal digits through gopher's tonumber.
  __NF_parse_int: {
    code: `local function __NF_parse_int(v, radix)
    local s = string.match(__NF_str(v), "^%s*(.*)$")
    local sign = 1
    local first = string.sub(s, 1, 1)
    if first == "-" or first == "+" then
        if first == "-" then sign = -1 end
        s = string.sub(s, 2)
    end
    local r = radix == nil and 0 or __NF_to_number(radix)
    if r ~= r or r == 1 / 0 or r == -1 / 0 then r = 0 end
    r = r < 0 and -math.floor(-r) or math.floor(r)
    local strip = true
    if r ~= 0 then
        if r < 2 or r > 36 then return 0 / 0 end
        strip = r == 16
    else
        r = 10
    end
    if strip and string.find(s, "^0[xX]") then
        s = string.sub(s, 3)
        r = 16
    end
    local n, count = 0, 0
    for i = 1, #s do
        local d = tonumber(string.sub(s, i, i), 36)
        if d == nil or d >= r then break end
        n = n * r + d
        count = i
    end
    if count == 0 then return 0 / 0 end
    -- Decimal digits through the float parser: exact rounding where n * 10 + d would drift.
    if r == 10 and count > 15 then n = __NF_decimal(string.sub(s, 1, count)) end
    -- Negated, not multiplied: gopher makes a zero product +0 ("-0" is -0 in JavaScript).
    if sign < 0 then return -n end
    return n
end`,
  },
  // isNaN(v): Number(v) first, so "abc" is NaN ("1e3" is not: gopher's tonumber would say it is).
  __NF_is_nan: {
    code: `local function __NF_is_nan(v)
    v = __NF_to_number(v)
    return v ~= v
end`,
  },
  // Built-ins passed as values (arr.map(Number), arr.filter(Boolean)): functions with
  // TypeScriptToLua's context argument first, as the ES library types them. Without them the
  // names are Lua globals that do not exist.
  __NF_value_Number: {
    code: `local function __NF_value_Number(_, ...)
    if select("#", ...) == 0 then return 0 end
    return __NF_to_number((...))
end`,
  },
  __NF_value_String: {
    code: `local function __NF_value_String(_, ...)
    if select("#", ...) == 0 then return "" end
    return __NF_str((...))
end`,
  },
  __NF_value_Boolean: {
    code: `local function __NF_value_Boolean(_, v)
    return __NF_truthy(v)
end`,
  },
  __NF_value_parseInt: {
    code: `local function __NF_value_parseInt(_, v, radix)
    return __NF_parse_int(v, radix)
end`,
  },
  __NF_value_parseFloat: {
    code: `local function __NF_value_parseFloat(_, v)
    return __NF_parse_float(v)
end`,
  },
  __NF_value_isNaN: {
    code: `local function __NF_value_isNaN(_, v)
    return __NF_is_nan(v)
end`,
  },
  __NF_value_isFinite: {
    code: `local function __NF_value_isFinite(_, v)
    return __NF_is_finite(__NF_to_number(v))
end`,
  },
  __NF_value_encodeURIComponent: {
    code: `local function __NF_value_encodeURIComponent(_, v)
    return __NF_encode_uri(v, true)
end`,
  },
  __NF_value_encodeURI: {
    code: `local function __NF_value_encodeURI(_, v)
    return __NF_encode_uri(v, false)
end`,
  },
  __NF_value_decodeURIComponent: {
    code: `local function __NF_value_decodeURIComponent(_, v)
    return __NF_decode_uri_component(v, false)
end`,
  },
  __NF_value_decodeURI: {
    code: `local function __NF_value_decodeURI(_, v)
    return __NF_decode_uri_component(v, true)
end`,
  },
  __NF_value_Number_isNaN: {
    code: `local function __NF_value_Number_isNaN(_, v)
    return v ~= v
end`,
  },
  __NF_value_Number_isFinite: {
    code: `local function __NF_value_Number_isFinite(_, v)
    return __NF_is_finite(v)
end`,
  },
  // Number.isInteger: lualib's tests finiteness against math.huge, gopher's largest finite
  // number, so Infinity was an integer there.
  __NF_is_integer: {
    code: `local function __NF_is_integer(v)
    return __NF_is_finite(v) and v == math.floor(v)
end`,
  },
  __NF_value_Number_isInteger: {
    code: `local function __NF_value_Number_isInteger(_, v)
    return __NF_is_integer(v)
end`,
  },
  // A BackendServer (nauthilus_backend) as a plain table of its five fields, read by name: in
  // production it is a userdata that pairs() rejects, which spread, Object.keys/values/entries,
  // Object.assign and for…in iterate. nil stays nil.
  __NF_server_fields: {
    code: `local function __NF_server_fields(s)
    if s == nil then return nil end
    return {protocol = s.protocol, ip = s.ip, port = s.port, haproxy_v2 = s.haproxy_v2, tls = s.tls}
end`,
  },
  // A zero that is no constant of the function using it, for `-0` (build/js-semantics.ts): the
  // string is the constant here.
  __NF_zero: {
    code: `local __NF_zero = tonumber("0")`,
  },
  ...ARRAY_HELPERS,
  ...UNDEFINED_KEY_HELPERS,
  // An object's keys in JavaScript's order: integer keys ("0" to "4294967294", or such numbers)
  // ascending, then the others in pairs() order, which on gopher (and the runtime) is the order
  // they were first set, as JavaScript's for string keys; an object with keys holding undefined
  // lists its record instead. Object.keys/values/entries/assign, object rest and spread
  // (build/lualib-objects.ts) and for…in use it.
  __NF_keys: {
    code: `local function __NF_keys(obj)
    local order = __NF_undefined_keys[obj] ~= nil and __NF_own_record(obj).order or nil
    local step, state, key = pairs(obj)
    local keys, indices, index, at = {}, nil, nil, 0
    while true do
        if order ~= nil then
            repeat
                at = at + 1
                key = order[at]
            until key ~= false
        else
            key = step(state, key)
        end
        if key == nil then break end
        local n
        if type(key) == "number" then
            n = key
        elseif type(key) == "string" then
            -- Most keys are names: only one that starts with a digit is looked at further.
            local b = string.byte(key, 1)
            if b ~= nil and b >= 48 and b <= 57 and #key <= 10 and string.find(key, "^%d+$") and (b ~= 48 or key == "0") then
                n = tonumber(key)
            end
        end
        if n ~= nil and n >= 0 and n <= 4294967294 and n % 1 == 0 then
            if indices == nil then indices, index = {}, {} end
            indices[#indices + 1] = key
            index[key] = n
        else
            keys[#keys + 1] = key
        end
    end
    if indices == nil then return keys end
    table.sort(indices, function(a, b) return index[a] < index[b] end)
    for i = 1, #keys do indices[#indices + 1] = keys[i] end
    return indices
end`,
  },
  // Object.keys/entries of an array: its indices as JavaScript's strings "0", "1", …, holes left
  // out (the lualib's pairs() gave the Lua keys 1, 2, …). for…in over an array is TypeScriptToLua's
  // error TSTL100014.
  __NF_array_keys: {
    code: `local function __NF_array_keys(arr)
    local keys = {}
    for i = 1, __NF_alen(arr) do
        if arr[i] ~= nil or __NF_array_undefined[arr] then keys[#keys + 1] = tostring(i - 1) end
    end
    return keys
end`,
  },
  __NF_array_entries: {
    code: `local function __NF_array_entries(arr)
    local entries = {}
    for i, key in ipairs(__NF_array_keys(arr)) do entries[i] = __NF_array_of(key, arr[tonumber(key) + 1]) end
    return entries
end`,
  },
  // A value of an object literal that may be undefined: marked absent in the table, which
  // __NF_object (a literal) or the lualib's Object.assign (a literal after a spread,
  // build/lualib-objects.ts) turn into a key holding undefined (__NF_store_undefined).
  __NF_absent: {
    code: `local __NF_absent = {}`,
  },
  __NF_present: {
    code: `local function __NF_present(v)
    if v == nil then return __NF_absent end
    return v
end`,
  },
  // for…in: the keys in JavaScript's order, skipping one deleted before the loop reached it; over
  // undefined or null, no keys.
  __NF_for_in: {
    code: `local function __NF_for_in(obj)
    if obj == nil then return function() return nil end end
    local keys, i = __NF_keys(obj), 0
    return function()
        repeat
            i = i + 1
            local key = keys[i]
            if key == nil then return nil end
            if obj[key] ~= nil then return key end
            local rec = __NF_undefined_keys[obj]
            if rec ~= nil and rec.has[key] ~= nil then return key end
        until false
    end
end`,
  },
  // What catch (e) receives: what was thrown, except an error that Lua, a host function or a
  // helper of the build raised: a string with a position ("f.lua:12: attempt to index …"), a Go
  // panic's text, or a helper's "URIError: URI malformed". That becomes an Error (the lualib's
  // class, built without its stack walk) whose message is the text; the text itself is kept aside
  // for a rethrow to reach Nauthilus unchanged (__NF_entry). A string the filter threw has none
  // of these shapes and stays a string. error_class: the lualib's Error.
  __NF_raised: {
    code: `local __NF_raised = setmetatable({}, {__mode = "k"})`,
  },
  __NF_caught: {
    code: `local function __NF_caught(e, error_class)
    if type(e) ~= "string" then return e end
    local name, message = string.match(e, "^(%u%a*Error): (.*)$")
    if name == nil and not (string.find(e, "^[^%s:]+:%d+: ") or string.find(e, "^runtime error: ") or string.find(e, "^interface conversion: ")) then
        return e
    end
    local err = setmetatable({}, error_class.prototype)
    err.name = name or "Error"
    err.message = message or e
    err.stack = e
    __NF_raised[err] = e
    return err
end`,
  },
  // The exported entry, wrapped: an uncaught Error object reaches Nauthilus as "Error: message"
  // (gopher would log a table as "table: 0x…"); a caught Lua error as it was raised; other
  // errors pass through unchanged.
  __NF_entry: {
    code: `local function __NF_entry(entry)
    if type(entry) ~= "function" then return entry end
    return function(request)
        local ok, action, code = pcall(entry, request)
        if ok then return action, code end
        if type(action) == "table" then
            -- An error a catch made an Error reaches Nauthilus as Lua raised it.
            if __NF_raised[action] ~= nil then error(__NF_raised[action], 0) end
            if action.message ~= nil then
                error(tostring(action.name or "Error") .. ": " .. tostring(action.message), 0)
            end
        end
        error(action, 0)
    end
end`,
  },
} satisfies Record<string, { code: string }>;

/** The Lua text for `used` helpers and everything they need, in dependency order. */
/**
 * Every helper definition by name: a top-level `local function __NF_x` or `local __NF_x` (with the
 * statements after it that fill it), and the helpers its code names. Computed from the code, so a
 * file gets exactly the definitions it reaches, and nothing declares dependencies by hand.
 */
const UNITS: ReadonlyMap<string, { code: string; calls: string[] }> = (() => {
  const lines = new Map<string, string[]>();
  for (const { code } of Object.values(HELPERS)) {
    let current: string[] | undefined;
    for (const line of code.split("\n")) {
      const definition = /^local (?:function )?(__NF_\w+)\b/.exec(line);
      if (definition) lines.set(definition[1], (current = []));
      if (!current) throw new Error(`helper code must start with a local definition: ${line}`);
      current.push(line);
    }
  }
  const units = new Map<string, { code: string; calls: string[] }>();
  for (const [name, body] of lines) {
    const code = body.join("\n");
    const calls = [...new Set([...code.matchAll(/\b(__NF_\w+)\b/g)].map((m) => m[1]))].filter((n) => n !== name && lines.has(n));
    units.set(name, { code, calls });
  }
  return units;
})();

/** Whether a name is one of the helpers' definitions. */
export function isHelper(name: string): boolean {
  return UNITS.has(name);
}

/** The Lua of the helpers a file uses and of those they call, each once, callees first. */
export function helperSource(used: Iterable<string>): string {
  const ordered: string[] = [];
  const visit = (name: string) => {
    if (ordered.includes(name)) return;
    const unit = UNITS.get(name);
    if (!unit) throw new Error(`unknown helper ${name}`);
    for (const callee of unit.calls) visit(callee);
    ordered.push(name);
  };
  for (const name of [...used].sort()) visit(name);
  return ordered.map((n) => `${UNITS.get(n)!.code}\n`).join("");
}
