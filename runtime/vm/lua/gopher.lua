-- The gopher-lua fidelity layer: runs once per engine, in the engine's real globals, before any
-- filter. Production runs filters on gopher-lua v1.1.1 (Lua 5.1, float64 numbers); this runtime
-- runs Lua 5.4. Each rule below says what production does; docs/fidelity.md lists what is not
-- matched. Returns a table `gopher` with the pieces the request environment is built from.

local type, tostring, tonumber, select, error, pairs, ipairs, next = type, tostring, tonumber, select, error, pairs, ipairs, next
local rawget, rawset, rawequal, setmetatable, getmetatable, pcall = rawget, rawset, rawequal, setmetatable, getmetatable, pcall
local string_format, string_rep, string_sub, string_match, string_find, string_byte = string.format, string.rep, string.sub, string.match, string.find, string.byte
local math_type, math_floor, math_abs, math_huge, math_fmod = math.type, math.floor, math.abs, math.huge, math.fmod
local table_concat, table_sort, table_insert, table_unpack = table.concat, table.sort, table.insert, table.unpack
local debug_setmetatable, debug_getinfo = debug.setmetatable, debug.getinfo

local gofmt, gopher_pattern = ...
-- Go's int64(x) of a float64 on amd64 (go-fmt.lua): CheckInt, OptInt and the entry's code use it.
local gopher = { pattern = gopher_pattern, go_int = gofmt.int64 }

---------------------------------------------------------------------------------------------
-- Numbers as production prints them (contract §8)
---------------------------------------------------------------------------------------------

-- Go's shortest float64 text (fmt's %v), from go-fmt.lua.
local go_float = gofmt.go_float
gopher.go_float = go_float

-- gopher's LNumber.String(): an integral value that fits int64 prints as an integer, anything
-- else as Go's %v of the float64 (`5`, not `5.0`; `0.3333333333333333`, not `0.33333333333333`).
local function number_string(x)
  if math_type(x) == "integer" then return string_format("%d", x) end
  if x == math_floor(x) and x >= -9223372036854775808 and x < 9223372036854775808 then
    return string_format("%d", x)
  end
  return go_float(x)
end
gopher.number_string = number_string

local raw_tostring = tostring
local function gopher_tostring(v)
  if type(v) == "number" then return number_string(v) end
  return raw_tostring(v)
end
gopher.tostring = gopher_tostring

-- The length of a table as table.getn/insert/remove/concat, unpack and (without __len) gopher's
-- OP_LEN see it: the length of gopher's array part, the largest positive
-- integer key below 2^26 that has a value, holes or not (GL/table.go Len, RawSetInt pads the
-- array with nils up to any such key). Lua 5.4's `#` gives any border instead. The keys past
-- Lua's border are found with `next` from it: the border is normally in the array part, from
-- where `next` goes through the rest of the table (docs/fidelity.md D27).
-- Lua's border and `next` do not find every larger key: when the border itself sits in the
-- hash part (keys set out of order, `r[8], r[6], r[2], r[1]`), keys hashed before it are skipped.
-- So every store of the filter's code past the border is noted (ARRAY_MAX[t], by record_key
-- below): the largest such key, found again by a full scan when its value was removed.
local MAX_ARRAY_INDEX = 67108864
local raw_len = rawlen
local ARRAY_MAX = setmetatable({}, { __mode = "k" })
local function length(t)
  local n = raw_len(t)
  local m = ARRAY_MAX[t]
  if m ~= nil and m > n then
    -- Its value removed (a pop): the next ones below first, a full scan past 64 empty slots.
    local steps = 0
    while m > n and rawget(t, m) == nil and steps < 64 do m = m - 1; steps = steps + 1 end
    if rawget(t, m) == nil and m > n then
      m = nil
      for k in next, t do
        if math_type(k) == "integer" and k >= 1 and k < MAX_ARRAY_INDEX and (m == nil or k > m) then m = k end
      end
    end
    ARRAY_MAX[t] = m
    if m ~= nil and m > n then n = m end
  end
  local k = next(t, n > 0 and n or nil)
  while k ~= nil do
    if math_type(k) == "integer" and k > n and k < MAX_ARRAY_INDEX then n = k end
    k = next(t, k)
  end
  return n
end
gopher.length = length

-- unpack (GL/baselib.go baseUnpack): the end defaults to gopher's length, and every value goes
-- onto gopher's registry, 5,120 slots per state shared by all frames, so a range larger than
-- what is left raises "registry overflow". What is left is estimated from the frames in use
-- (about two slots each, measured on gopher-lua v1.1.1: 5,108 values at the top of a chunk,
-- 4,918 a hundred calls deeper), within about ten values of production's boundary.
local REGISTRY_SIZE = 5120
local function gopher_unpack(...)
  local t, i, j = ...
  if type(t) ~= "table" then error(string_format("bad argument #1 to 'unpack' (table expected, got %s)", select("#", ...) == 0 and "no value" or type(t)), 2) end
  if i ~= nil and type(i) ~= "number" then error(string_format("bad argument #2 to 'unpack' (number expected, got %s)", type(i)), 2) end
  if j ~= nil and type(j) ~= "number" then error(string_format("bad argument #3 to 'unpack' (number expected, got %s)", type(j)), 2) end
  i = i == nil and 1 or gofmt.int64(i)
  j = j == nil and length(t) or gofmt.int64(j)
  if i > j then return end
  local count = j - i + 1
  if count > REGISTRY_SIZE / 2 then
    local frames = 0
    while frames < REGISTRY_SIZE and debug_getinfo(frames + 2, "l") do frames = frames + 1 end
    if count > REGISTRY_SIZE - 4 - 2 * frames then error("registry overflow", 2) end
  end
  return table_unpack(t, i, j)
end
gopher.unpack = gopher_unpack

-- table.concat converts numbers with the same rule as tostring.
local function gopher_concat(t, sep, i, j)
  sep = sep or ""
  i = i or 1
  j = j or length(t)
  local parts = {}
  for k = i, j do
    local v = t[k]
    local tv = type(v)
    if tv == "number" then
      parts[#parts + 1] = number_string(v)
    elseif tv == "string" then
      parts[#parts + 1] = v
    else
      error(string_format("invalid value (%s) at index %d in table for concat", tv, k), 2)
    end
  end
  return table_concat(parts, sep)
end
gopher.concat = gopher_concat

-- string.format is Go's fmt.Sprintf over gopher values (GL/stringlib.go:136-146): arguments
-- past the count of "%" minus the count of "%%" are dropped before Sprintf sees them, and each
-- value picks Go's formatting by its Format or String method (GL/value.go:100-141):
-- a number is an int64 for %d %i %b %c %o %x %X %U, a float64 for %e %f %g, its text for %s
-- %q, else an int64 when integral; a string goes through parseNumber for %d %i (its own text
-- when that succeeds, 0 when not), else is a Go string; a boolean, nil, table or function is
-- printed by its String() for the string verbs and by Go's reflection otherwise.
local GO_TYPES = { number = "lua.LNumber", string = "lua.LString", boolean = "lua.LBool", ["nil"] = "*lua.LNilType",
  table = "*lua.LTable", ["function"] = "*lua.LFunction", userdata = "*lua.LUserData", thread = "*lua.LState" }
local NUMBER_AS_INT64 = { b = true, c = true, d = true, o = true, x = true, X = true, U = true }
local NUMBER_AS_FLOAT64 = { e = true, E = true, f = true, F = true, g = true, G = true }
local STRING_VERBS = { v = true, s = true, x = true, X = true, q = true }

local function go_typename(v) return GO_TYPES[type(v)] end

local function print_arg(st, a, verb)
  local t = type(a)
  if verb == "p" or verb == "w" then
    if verb == "p" and t ~= "number" and t ~= "string" and t ~= "boolean" then
      -- fmtPointer: an address, which differs per process anyway.
      return gofmt.pad(st, string_match(raw_tostring(a), "0x%x+") or "0x0")
    end
    local kind = t == "number" and "float64" or t == "string" and "string" or "bool"
    return gofmt.bad_verb(st, verb, GO_TYPES[t], kind, a)
  end
  if t == "number" then
    local int = gofmt.int64(a)
    if verb == "q" or verb == "s" then return gofmt.format_value(st, "string", number_string(a), verb) end
    if NUMBER_AS_INT64[verb] then return gofmt.format_value(st, "int64", int, verb) end
    if NUMBER_AS_FLOAT64[verb] then return gofmt.format_value(st, "float64", a, verb) end
    if verb == "i" then return gofmt.format_value(st, "int64", int, "d") end
    if a == int then return gofmt.format_value(st, "int64", int, verb) end
    return gofmt.format_value(st, "float64", a, verb)
  end
  if t == "string" then
    if verb == "d" or verb == "i" then
      if gopher.parse_number(a) == nil then return gofmt.format_value(st, "int64", 0, "d") end
      return gofmt.format_value(st, "string", a, "s")
    end
    return gofmt.format_value(st, "string", a, verb)
  end
  if verb == "v" and st.sharpV then -- Go syntax: no String() method is asked
    if t == "boolean" then return gofmt.format_value(st, "bool", a, "v") end
    if t == "nil" then return "&lua.LNilType{}" end
  end
  if STRING_VERBS[verb] then
    -- LValue.String(): a table's or function's address, never a __tostring metamethod.
    local text = t == "nil" and "nil" or t == "boolean" and raw_tostring(a) or t .. ": " .. string_format("%p", a)
    return gofmt.format_value(st, "string", text, verb)
  end
  if t == "boolean" then
    if verb == "t" then return gofmt.format_value(st, "bool", a, "t") end
    return gofmt.bad_verb(st, verb, "lua.LBool", "bool", a)
  end
  -- Go prints the pointed-to struct ("&{}" for nil; a table's or function's Go fields, with
  -- addresses, which no local run can match: the String() text stands in for them).
  if t == "nil" then return "&{}" end
  return "&{" .. t .. ": " .. string_format("%p", a) .. "}"
end

local function gopher_format(format, ...)
  if type(format) == "number" then format = number_string(format) end
  if type(format) ~= "string" then
    error(string_format("bad argument #1 to 'format' (string expected, got %s)", format == nil and "no value" or type(format)), 2)
  end
  local n = select("#", ...)
  local _, percents = string.gsub(format, "%%", "")
  local _, pairs_ = string.gsub(format, "%%%%", "")
  local npat = percents - pairs_
  if npat < n then n = npat < 0 and 0 or npat end
  return gofmt.sprintf(format, { ... }, n, print_arg, go_typename)
end
gopher.format = gopher_format

-- tonumber as gopher has it (GL/baselib.go:404-433): blanks " \t\n" trimmed; a string with
-- a "." is a Go ParseFloat (base ignored, overflow -> nil); otherwise a Go ParseInt in the
-- given base (default 10, "0x" prefix -> 16), so "1e2" and "-0x10" are nil and "010" is 10.
local raw_tonumber = tonumber
local INT64_LIMIT = 9223372036854775808

local function go_parse_float(s)
  local lower = string.lower(s)
  local n
  if string_find(lower, "^[-+]?0x") then
    if not string_find(lower, "^[-+]?0x%x*%.?%x*p[-+]?%d+$") then return nil end
    n = raw_tonumber(s)
  elseif string_find(s, "^[-+]?%d*%.?%d*$") or string_find(s, "^[-+]?%d*%.?%d*[eE][-+]?%d+$") then
    if not string_find(s, "%d") then return nil end
    n = raw_tonumber(s)
  else
    return nil
  end
  if n == nil or n == math_huge or n == -math_huge then return nil end
  return n * 1.0 -- a float ("-0.0" stays -0)
end

local function go_parse_int(s, base)
  local sign, digits = string_match(s, "^([-+]?)(%w+)$")
  if not digits or base < 2 or base > 36 then return nil end
  -- Go's ParseInt: exact int64 arithmetic, an error past the int64 range (the magnitude may
  -- reach 2^63 only for a negative number); the result becomes a float64 as a whole.
  local magnitude, max = 0, math.maxinteger
  for i = 1, #digits do
    local d = raw_tonumber(string_sub(digits, i, i), 36)
    if d == nil or d >= base then return nil end
    if magnitude > (max - d) // base then
      -- Past 2^63 - 1: only -2^63 itself is an int64.
      -- magnitude * base + d == 2^63, i.e. (2^63 - 1 - d) = (magnitude - 1) * base + (base - 1)
      if sign == "-" and i == #digits and (max - d) % base == base - 1 and magnitude == (max - d) // base + 1 then
        return -9223372036854775808.0
      end
      return nil
    end
    magnitude = magnitude * base + d
  end
  if sign == "-" then return 0.0 - magnitude end -- "-0" is an integer 0 for Go: +0
  return magnitude + 0.0
end

local function gopher_tonumber(v, base)
  -- OptInt: a number, truncated (16.0 from a float literal is 16); anything else is an error.
  if base ~= nil then
    if type(base) ~= "number" then error(string_format("bad argument #2 to 'tonumber' (number expected, got %s)", type(base)), 2) end
    base = gofmt.int64(base)
  end
  if type(v) == "number" then return v end
  if type(v) ~= "string" then return nil end
  local s = string_match(v, "^[ \t\n]*(.-)[ \t\n]*$")
  if string_find(s, ".", 1, true) then return go_parse_float(s) end
  if base == nil then
    base = 10
    if string_find(string.lower(s), "^0x") then base, s = 16, string_sub(s, 3) end
  end
  return go_parse_int(s, base)
end
gopher.tonumber = gopher_tonumber

-- parseNumber (GL/utils.go:143-157): how gopher coerces a string in arithmetic and in ToInt:
-- Go ParseInt with base 0 (0x, 0o, 0b prefixes, a leading 0 is octal), then ParseFloat.
function gopher.parse_number(v)
  local s = string_match(v, "^[ \t\n]*(.-)[ \t\n]*$")
  -- Go's ParseInt with base 0 takes underscores between digits ("1_000").
  if string_find(s, "^[-+]?%w+_[%w_]*%w$") and not string_find(s, "__") then s = string.gsub(s, "_", "") end
  local sign, body = string_match(s, "^([-+]?)(.*)$")
  local lower = string.lower(body)
  local int
  if string_find(lower, "^0x%x+$") then int = go_parse_int(sign .. string_sub(body, 3), 16)
  elseif string_find(lower, "^0o[0-7]+$") then int = go_parse_int(sign .. string_sub(body, 3), 8)
  elseif string_find(lower, "^0b[01]+$") then int = go_parse_int(sign .. string_sub(body, 3), 2)
  elseif string_find(body, "^0[0-7]+$") then int = go_parse_int(sign .. string_sub(body, 2), 8)
  elseif string_find(body, "^%d+$") then int = go_parse_int(s, 10)
  end
  if int ~= nil then return int end
  local lower_s = string.lower(s)
  local word = string_match(lower_s, "^[-+]?(%a+)$")
  if word == "inf" or word == "infinity" then return string_sub(s, 1, 1) == "-" and -math_huge or math_huge end
  if word == "nan" then return 0 / 0 end
  -- Go's ParseFloat: decimal or hex with a "p" exponent (a plain "0x…" past int64 is an
  -- error, not a wrapped integer); overflow ("1e400") is an error too.
  return go_parse_float(s)
end

---------------------------------------------------------------------------------------------
-- pairs in gopher's order (GL/table.go Next): the array part first (the positive integer keys
-- below 2^26, ascending), then every other key in the order it was first given a value. A key
-- set to nil keeps its place and comes back there (gopher never removes it from its key list).
-- Lua 5.4 keeps no insertion order, so the runtime records it: the chunk rewrite reports every
-- store and every table constructor with keys (runtime/vm/chunk-rewrite.ts), rawset reports
-- too. Keys no record knows (tables made by runtime code) follow, sorted by type and value.
---------------------------------------------------------------------------------------------
local MAX_ARRAY_KEY = MAX_ARRAY_INDEX - 1
local function is_array_key(k)
  return type(k) == "number" and k >= 1 and k <= MAX_ARRAY_KEY and k == math_floor(k)
end
gopher.is_array_key = is_array_key

-- ORDER[t]: the keys of t in the order they were first set, o[i] = key and o[key] = i. A recorded
-- key is never an array key, so the positions 1..#o hold only the list.
local ORDER = setmetatable({}, { __mode = "k" })
-- One order per list of keys, shared by every table that starts with it (a request each,
-- set_key_order): the first key recorded for such a table gives it a copy of its own.
local SHARED_ORDERS = setmetatable({}, { __mode = "k" })
local SHARED = setmetatable({}, { __mode = "k" })
-- Read by the rewritten chunk, which skips the record of a key ORDER already holds.
gopher.orders, gopher.no_order = ORDER, setmetatable({}, { __newindex = function() error("read-only", 2) end })

-- After `t[k] = v`: remembers k when it is new to t and now has a value (an array key past the
-- border: for gopher's length).
local function record_key(t, k)
  if type(t) ~= "table" or k == nil or rawget(t, k) == nil then return end
  if is_array_key(k) then
    -- The largest array key set: for gopher's length (above). As an integer: the key Lua's table
    -- holds (`next` refuses 8.0 for 8).
    local m = ARRAY_MAX[t]
    if m == nil or k > m then ARRAY_MAX[t] = math.tointeger(k) end
    return
  end
  local o = ORDER[t]
  if o == nil then
    o = {}
    ORDER[t] = o
  elseif o[k] ~= nil then
    return
  elseif SHARED[o] then
    local own = {}
    for key, v in next, o do own[key] = v end
    o = own
    ORDER[t] = o
  end
  local n = #o + 1
  o[n] = k
  o[k] = n
end
gopher.record_key = record_key

-- A table constructor's keys (runtime/vm/chunk-rewrite.ts): the constant ones as they are, a
-- computed one as `constructor_key` (the function), standing for the value it noted while the
-- constructor ran. Those are the last ones noted: a constructor inside a value took its own.
local noted, noted_count = {}, 0
local function constructor_key(k)
  noted_count = noted_count + 1
  noted[noted_count] = k
  return k
end
gopher.constructor_key = constructor_key

function gopher.constructed(t, keys)
  local computed = 0
  for i = 1, #keys do if keys[i] == constructor_key then computed = computed + 1 end end
  local from = noted_count - computed
  local j = from
  for i = 1, #keys do
    local k = keys[i]
    if k == constructor_key then
      j = j + 1
      k = noted[j]
      noted[j] = nil
    end
    record_key(t, k)
  end
  noted_count = from
  return t
end

-- A new request starts with nothing noted (a constructor an error left unfinished noted keys).
function gopher.forget_noted()
  for i = 1, noted_count do noted[i] = nil end
  noted_count = 0
end

-- The keys of a table made by code that did not report them (the request table), in the order
-- production sets them.
function gopher.set_key_order(t, keys)
  local o = SHARED_ORDERS[keys]
  if o == nil then
    o = {}
    for i = 1, #keys do o[i] = keys[i]; o[keys[i]] = i end
    SHARED_ORDERS[keys], SHARED[o] = o, true
  end
  ORDER[t] = o
end

local TYPE_RANK = { number = 1, string = 2, boolean = 3 }
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return (TYPE_RANK[ta] or 9) < (TYPE_RANK[tb] or 9) end
  if ta == "number" or ta == "string" then return a < b end
  if ta == "boolean" then return (not a) and b end
  return raw_tostring(a) < raw_tostring(b)
end

-- The array part 1..n first, then the other keys sorted by type and value: a deterministic order
-- where production's depends on Go's map order (LTable.ForEach, used by LuaValueToGo).
function gopher.sorted_pairs(t)
  local keys = {}
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1; keys[n] = n end
  local rest = {}
  for k in next, t do
    if not (math_type(k) == "integer" and k >= 1 and k <= n) then rest[#rest + 1] = k end
  end
  table_sort(rest, key_less)
  for i = 1, #rest do keys[n + i] = rest[i] end
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k == nil then return nil end
    return k, rawget(t, k)
  end, t, nil
end

local function gopher_pairs(t)
  if type(t) ~= "table" then
    error(string_format("bad argument #1 to pairs (table expected, got %s)", type(t)), 2)
  end
  -- The array part is mostly a sequence from 1: only keys past it need sorting.
  local keys, n = {}, 0
  while rawget(t, n + 1) ~= nil do n = n + 1; keys[n] = n end
  local sparse, rest = nil, nil
  local o = ORDER[t]
  for k in next, t do
    if is_array_key(k) then
      if k > n then
        sparse = sparse or {}
        sparse[#sparse + 1] = k
      end
    elseif o == nil or o[k] == nil then
      rest = rest or {}
      rest[#rest + 1] = k
    end
  end
  if sparse ~= nil then
    table_sort(sparse)
    for i = 1, #sparse do keys[n + i] = sparse[i] end
  end
  if o ~= nil then
    for i = 1, #o do
      local k = o[i]
      if rawget(t, k) ~= nil then keys[#keys + 1] = k end
    end
  end
  if rest ~= nil then
    table_sort(rest, key_less)
    for i = 1, #rest do keys[#keys + 1] = rest[i] end
  end
  -- A key the loop removed before reaching it is skipped, as gopher's Next skips nil values.
  local i = 0
  return function()
    repeat
      i = i + 1
      local k = keys[i]
      if k == nil then return nil end
      local v = rawget(t, k)
      if v ~= nil then return k, v end
    until false
  end, t, nil
end
gopher.pairs = gopher_pairs

---------------------------------------------------------------------------------------------
-- gopher's wording for the VM errors filters hit most (contract §1): metatables on the basic
-- types make Lua 5.4 call us with the key, so the message and the <chunk>:<line> match.
---------------------------------------------------------------------------------------------
local function index_error(kind)
  return function(_, key)
    error(string_format("attempt to index a non-table object(%s) with key '%s'", kind, gopher_tostring(key)), 2)
  end
end
local function call_error()
  error("attempt to call a non-function object", 2)
end
gopher.call_error = call_error
-- gopher's OP_LEN on anything but a string or a table (GL/vm.go, OP_LEN).
local function len_error()
  error("__len undefined", 2)
end
gopher.len_error = len_error
local ARITH = { __add = "add", __sub = "sub", __mul = "mul", __div = "div", __mod = "mod", __pow = "pow", __unm = "unm" }
-- The arithmetic handlers on the shared metatables (below) stand in for gopher's VM. gopher
-- tries the first operand's metamethod, then the second's; Lua 5.4 calls the first operand's,
-- which is one of these for nil, booleans and strings: they hand over to the other operand's
-- own metamethod ("2" + obj, nil + obj), as gopher would have.
local STAND_INS = setmetatable({}, { __mode = "k" })
local function own_arith(v, event)
  local mt = debug.getmetatable(v)
  local handler = type(mt) == "table" and rawget(mt, event)
  if handler and not STAND_INS[handler] then return handler end
  return nil
end
local function arith_errors(mt)
  for event, op in pairs(ARITH) do
    local handler = function(a, b)
      if event == "__unm" then error("__unm undefined", 2) end
      local other = own_arith(b, event)
      if other then return other(a, b) end
      error(string_format("cannot perform %s operation between %s and %s", op, type(a), type(b)), 2)
    end
    STAND_INS[handler] = true
    mt[event] = handler
  end
  return mt
end

-- gopher's OP_CONCAT on a value that is neither string nor number, naming both operands. It
-- sits on the shared metatables, so the other operand's own __concat is tried first.
local function concat_error(a, b)
  for _, v in ipairs({ a, b }) do
    local mt = debug.getmetatable(v)
    local handler = type(mt) == "table" and rawget(mt, "__concat")
    if handler and handler ~= concat_error then return handler(a, b) end
  end
  error(string_format("cannot perform concat operation between %s and %s", type(a), type(b)), 2)
end

-- The metatables are built once; every request gets fresh copies installed, so a filter that
-- reaches one through debug.getmetatable cannot change what the next request sees.
local VM_ERROR_MASTERS = {
  [1] = { value = nil, mt = arith_errors({ __index = index_error("nil"), __newindex = index_error("nil"), __call = call_error, __len = len_error, __concat = concat_error }) },
  [2] = { value = false, mt = arith_errors({ __index = index_error("boolean"), __newindex = index_error("boolean"), __call = call_error, __len = len_error, __concat = concat_error }) },
  [3] = { value = 0, mt = { __index = index_error("number"), __newindex = index_error("number"), __call = call_error, __len = len_error } },
  [4] = { value = print, mt = { __index = index_error("function"), __newindex = index_error("function"), __len = len_error, __concat = concat_error } },
}
-- Arithmetic on strings converts them with gopher's parseNumber (Go's ParseInt base 0, then
-- ParseFloat: "010" is 8, "0x10" 16, "inf" +Inf), naming the operands that do not convert.
local function coerce(v)
  if type(v) == "number" then return v end
  if type(v) == "string" then return gopher.parse_number(v) end
  return nil
end
local function string_arith(op, f)
  local handler
  handler = function(a, b)
    local x, y = coerce(a), coerce(b)
    if x == nil or y == nil then
      if op == "unm" then error("__unm undefined", 2) end
      local other = own_arith(a, "__" .. op) or own_arith(b, "__" .. op)
      if other then return other(a, b) end
      error(string_format("cannot perform %s operation between %s and %s", op, x and "number" or type(a), y and "number" or type(b)), 2)
    end
    return f(x, y)
  end
  STAND_INS[handler] = true
  return handler
end
local STRING_EXTRA = {
  __call = call_error, __newindex = index_error("string"), __concat = concat_error,
  __add = string_arith("add", function(a, b) return a + b end), __sub = string_arith("sub", function(a, b) return a - b end),
  __mul = string_arith("mul", function(a, b) return a * b end), __div = string_arith("div", function(a, b) return a / b end),
  __mod = string_arith("mod", function(a, b) return a % b end), __pow = string_arith("pow", function(a, b) return a ^ b end),
  __unm = string_arith("unm", function(a) return -a end),
}
gopher.concat_error = concat_error

-- The arithmetic operators of filter code (runtime/vm/chunk-rewrite.ts: `a + b` becomes
-- `add(a, b)` unless gopher's compiler folds it into a constant), as gopher's opArith
-- (GL/vm.go): two numbers give a number stored through the allocator's LNumber2I, which hands
-- out its preloaded 0 for any zero, so a -0 result is +0 (`0 * -1`, `-0 + -0`); anything else is
-- objectArith: the first operand's metamethod, else the second's (a function only, one result),
-- else strings converted with gopher's parser (a -0 result keeps its sign here), else gopher's
-- error at the filter's line (object_arith is tail-called: level 2 is the filter's frame).
local function object_arith(event, name, f, a, b)
  local handler = own_arith(a, event) or own_arith(b, event)
  if type(handler) == "function" then return (handler(a, b)) end
  local x, y = coerce(a), coerce(b)
  if x ~= nil and y ~= nil then return f(x, y) end
  error(string_format("cannot perform %s operation between %s and %s", name, x and "number" or type(a), y and "number" or type(b)), 2)
end
-- One function per operator, from one text (a call per operation here would cost every filter's
-- arithmetic; the operator must be in the code itself).
local ARITH_TEXT = [[
local type, object_arith = ...
local function slow(a, b) return a OP b end
return function(a, b)
  if type(a) == "number" and type(b) == "number" then
    local r = a OP b
    if r == 0 then return 0.0 end
    return r
  end
  return object_arith("__NAME", "NAME", slow, a, b)
end]]
local function arith_function(op, name)
  local text = string.gsub(string.gsub(ARITH_TEXT, "OP", function() return op end), "NAME", name)
  return assert(load(text, "=[runtime arithmetic]"))(type, object_arith)
end
gopher.arithmetic = {
  add = arith_function("+", "add"), sub = arith_function("-", "sub"), mul = arith_function("*", "mul"),
  div = arith_function("/", "div"), mod = arith_function("%", "mod"), pow = arith_function("^", "pow"),
  -- OP_UNM: a number negated as it is (-0 stays), else a function __unm, else a string that
  -- gopher's parser reads, else "__unm undefined".
  unm = function(a)
    if type(a) == "number" then return -a end
    local handler = own_arith(a, "__unm")
    if type(handler) == "function" then return (handler(a)) end
    local x = type(a) == "string" and coerce(a) or nil
    if x ~= nil then return -x end
    error("__unm undefined", 2)
  end,
}

function gopher.install_vm_errors()
  for i = 1, #VM_ERROR_MASTERS do
    local master = VM_ERROR_MASTERS[i]
    local mt = {}
    for k, v in next, master.mt do mt[k] = v end
    debug_setmetatable(master.value, mt)
  end
  local string_mt = getmetatable("")
  for k, v in next, STRING_EXTRA do string_mt[k] = v end
end

---------------------------------------------------------------------------------------------
-- The 5.1 standard library as gopher-lua has it: 5.1 names present, 5.2+ names absent.
---------------------------------------------------------------------------------------------
local function copy(t)
  local c = {}
  for k, v in next, t do c[k] = v end
  return c
end
gopher.copy = copy

-- A copier for a table that never changes after load: one table constructor with every field,
-- sized at once (a copy per request is on every request's path; a `next` loop grows the table
-- step by step). Tables with other than string keys are copied with the loop.
local COPIERS = setmetatable({}, { __mode = "k" })
function gopher.fresh_copy(template)
  local copier = COPIERS[template]
  if copier == nil then
    local parts = {}
    for k in next, template do
      if type(k) ~= "string" then copier = copy; break end
      parts[#parts + 1] = string_format("[%q] = V[%q]", k, k)
    end
    if copier == nil then
      local source = "local V = ... return function() return { " .. table_concat(parts, ", ") .. " } end"
      copier = assert(load(source, "=[runtime copier]"))(template)
    end
    COPIERS[template] = copier
  end
  if copier == copy then return copy(template) end
  return copier()
end

local function frexp(x)
  if x == 0 or x ~= x or x == math_huge or x == -math_huge then return x, 0 end
  -- log2 of the largest float64 rounds up to 1024; 2^1024 is not a float64, so the top divides
  -- in two steps.
  local e = math.min(math_floor(math.log(math_abs(x), 2)) + 1, 1024)
  local m = e > 1000 and x / 2.0 ^ (e - 1) / 2 or x / 2.0 ^ e
  if math_abs(m) >= 1 then m = m / 2; e = e + 1 elseif math_abs(m) < 0.5 then m = m * 2; e = e - 1 end
  return m, e
end

---------------------------------------------------------------------------------------------
-- string.upper/lower as Go's strings.ToUpper/ToLower (GL/stringlib.go:347,427): per Unicode
-- code point, with simple (one-to-one) case mappings, so "ü" -> "Ü" and "ß" stays. Covered
-- here: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic (docs/fidelity.md).
---------------------------------------------------------------------------------------------
local UPPER, LOWER = {}, {}
local function pair(lower, upper) UPPER[lower] = upper; LOWER[upper] = lower end
for c = 0x61, 0x7A do pair(c, c - 32) end
for c = 0xE0, 0xFE do if c ~= 0xF7 then pair(c, c - 32) end end
pair(0xFF, 0x178)
pair(0xB5, 0x39C) -- micro sign (upper only: U+039C lowers to U+03BC)
LOWER[0x39C] = 0x3BC
for c = 0x100, 0x12E, 2 do pair(c + 1, c) end
LOWER[0x130] = 0x69 -- İ lowers to i
UPPER[0x131] = 0x49 -- ı uppers to I
for c = 0x132, 0x136, 2 do pair(c + 1, c) end
for c = 0x139, 0x147, 2 do pair(c + 1, c) end
for c = 0x14A, 0x176, 2 do pair(c + 1, c) end
for c = 0x179, 0x17D, 2 do pair(c + 1, c) end
UPPER[0x17F] = 0x53 -- long s
for c = 0x3B1, 0x3C9 do if c ~= 0x3C2 then pair(c, c - 32) end end
UPPER[0x3C2] = 0x3A3 -- final sigma
pair(0x3AC, 0x386); pair(0x3AD, 0x388); pair(0x3AE, 0x389); pair(0x3AF, 0x38A)
pair(0x3CC, 0x38C); pair(0x3CD, 0x38E); pair(0x3CE, 0x38F)
for c = 0x430, 0x44F do pair(c, c - 32) end
for c = 0x450, 0x45F do pair(c, c - 80) end

-- Go's strings.Map over code points: a byte that is not UTF-8 becomes U+FFFD (only strings
-- with a non-ASCII byte get here: Go's ASCII fast path leaves the rest alone).
local function utf8_map(s, map)
  if not string_find(s, "[\128-\255]") then return nil end
  local out, n, i, len = {}, 0, 1, #s
  while i <= len do
    local b = string_byte(s, i)
    local size = b < 0x80 and 1 or b >= 0xF0 and b < 0xF5 and 4 or b >= 0xE0 and 3 or b >= 0xC2 and b < 0xE0 and 2 or 0
    local cp = size > 0 and utf8.len(string_sub(s, i, i + size - 1)) == 1 and utf8.codepoint(s, i) or nil
    n = n + 1
    if cp == nil then
      out[n] = "\239\191\189"
      i = i + 1
    else
      out[n] = utf8.char(map[cp] or cp)
      i = i + size
    end
  end
  return table_concat(out)
end
LOWER[0x212A] = 0x6B -- Kelvin sign
LOWER[0x212B] = 0xE5 -- Angstrom sign

local raw_upper, raw_lower = string.upper, string.lower
local function check_text(s, name)
  if type(s) == "number" then return number_string(s) end
  if type(s) ~= "string" then error(string_format("bad argument #1 to '%s' (string expected, got %s)", name, type(s)), 3) end
  return s
end

function gopher.upper(s)
  s = check_text(s, "upper")
  return utf8_map(s, UPPER) or raw_upper(s)
end
function gopher.lower(s)
  s = check_text(s, "lower")
  return utf8_map(s, LOWER) or raw_lower(s)
end

---------------------------------------------------------------------------------------------
-- table.sort as gopher-lua does it: Go's sort.Sort (pattern-defeating quicksort since Go 1.19)
-- over the array, so ties come out in production's order (insertion sort up to 12 elements,
-- then pdqsort with Go's deterministic xorshift). Indices below are Go's (0-based).
---------------------------------------------------------------------------------------------
-- Go's insertionSort over the whole array, the only step Go takes below 13 elements. Kept apart
-- from go_sort so that the common small sort builds none of go_sort's closures.
local function small_sort(t, n, less_fn)
  for i = 1, n - 1 do
    local j = i
    while j > 0 do
      local x, y = t[j + 1], t[j]
      local r
      if less_fn then
        r = less_fn(x, y)
        r = r ~= nil and r ~= false
      else
        r = x < y
      end
      if not r then break end
      t[j + 1], t[j] = t[j], t[j + 1]
      j = j - 1
    end
  end
end

local function go_sort(t, less_fn)
  local n = #t
  if n <= 12 then return small_sort(t, n, less_fn) end
  local function less(i, j)
    if less_fn then
      local r = less_fn(t[i + 1], t[j + 1])
      return r ~= nil and r ~= false
    end
    return t[i + 1] < t[j + 1]
  end
  local function swap(i, j) t[i + 1], t[j + 1] = t[j + 1], t[i + 1] end

  local function insertion_sort(a, b)
    for i = a + 1, b - 1 do
      local j = i
      while j > a and less(j, j - 1) do swap(j, j - 1); j = j - 1 end
    end
  end
  local function sift_down(lo, hi, first)
    local root = lo
    while true do
      local child = 2 * root + 1
      if child >= hi then return end
      if child + 1 < hi and less(first + child, first + child + 1) then child = child + 1 end
      if not less(first + root, first + child) then return end
      swap(first + root, first + child)
      root = child
    end
  end
  local function heap_sort(a, b)
    local first, hi = a, b - a
    for i = (hi - 1) // 2, 0, -1 do sift_down(i, hi, first) end
    for i = hi - 1, 0, -1 do swap(first, first + i); sift_down(0, i, first) end
  end
  local function bits_len(x) local n = 0 while x > 0 do n = n + 1; x = x // 2 end return n end
  local function break_patterns(a, b)
    local length = b - a
    if length < 8 then return end
    local random = length -- xorshift seeded with the length (Go's sort.go)
    local modulus = 1 << bits_len(length)
    for idx = a + (length // 4) * 2 - 1, a + (length // 4) * 2 + 1 do
      random = random ~ (random << 13)
      random = random ~ (random >> 17)
      random = random ~ (random << 5)
      local other = random & (modulus - 1)
      if other >= length then other = other - length end
      swap(idx, a + other)
    end
  end
  local function order2(a, b, swaps)
    if less(b, a) then swaps[1] = swaps[1] + 1; return b, a end
    return a, b
  end
  local function median(a, b, c, swaps)
    a, b = order2(a, b, swaps)
    b, c = order2(b, c, swaps)
    a, b = order2(a, b, swaps)
    return b
  end
  local INCREASING, DECREASING, UNKNOWN = 1, 2, 0
  local function choose_pivot(a, b)
    local l = b - a
    local swaps = { 0 }
    local i, j, k = a + l // 4 * 1, a + l // 4 * 2, a + l // 4 * 3
    if l >= 8 then
      if l >= 50 then
        i = median(i - 1, i, i + 1, swaps)
        j = median(j - 1, j, j + 1, swaps)
        k = median(k - 1, k, k + 1, swaps)
      end
      j = median(i, j, k, swaps)
    end
    if swaps[1] == 0 then return j, INCREASING end
    if swaps[1] == 12 then return j, DECREASING end
    return j, UNKNOWN
  end
  local function reverse_range(a, b)
    local i, j = a, b - 1
    while i < j do swap(i, j); i = i + 1; j = j - 1 end
  end
  local function partial_insertion_sort(a, b)
    local i = a + 1
    for _ = 1, 5 do
      while i < b and not less(i, i - 1) do i = i + 1 end
      if i == b then return true end
      if b - a < 50 then return false end
      swap(i, i - 1)
      if i - a >= 2 then
        for j = i - 1, 1, -1 do
          if not less(j, j - 1) then break end
          swap(j, j - 1)
        end
      end
      if b - i >= 2 then
        for j = i + 1, b - 1 do
          if not less(j, j - 1) then break end
          swap(j, j - 1)
        end
      end
    end
    return false
  end
  local function partition_equal(a, b, pivot)
    swap(a, pivot)
    local i, j = a + 1, b - 1
    while true do
      while i <= j and not less(a, i) do i = i + 1 end
      while i <= j and less(a, j) do j = j - 1 end
      if i > j then break end
      swap(i, j); i = i + 1; j = j - 1
    end
    return i
  end
  local function partition(a, b, pivot)
    swap(a, pivot)
    local i, j = a + 1, b - 1
    while i <= j and less(i, a) do i = i + 1 end
    while i <= j and not less(j, a) do j = j - 1 end
    if i > j then swap(j, a); return j, true end
    swap(i, j); i = i + 1; j = j - 1
    while true do
      while i <= j and less(i, a) do i = i + 1 end
      while i <= j and not less(j, a) do j = j - 1 end
      if i > j then break end
      swap(i, j); i = i + 1; j = j - 1
    end
    swap(j, a)
    return j, false
  end
  local function pdqsort(a, b, limit)
    local was_balanced, was_partitioned = true, true
    while true do
      local length = b - a
      if length <= 12 then insertion_sort(a, b); return end
      if limit == 0 then heap_sort(a, b); return end
      if not was_balanced then break_patterns(a, b); limit = limit - 1 end
      local pivot, hint = choose_pivot(a, b)
      if hint == DECREASING then
        reverse_range(a, b)
        pivot = (b - 1) - (pivot - a)
        hint = INCREASING
      end
      local skip = false
      if was_balanced and was_partitioned and hint == INCREASING and partial_insertion_sort(a, b) then return end
      if a > 0 and not less(a - 1, pivot) then
        a = partition_equal(a, b, pivot)
        skip = true
      end
      if not skip then
        local mid, already = partition(a, b, pivot)
        was_partitioned = already
        local left_len, right_len = mid - a, b - mid
        local threshold = length // 8
        if left_len < right_len then
          was_balanced = left_len >= threshold
          pdqsort(a, mid, limit)
          a = mid + 1
        else
          was_balanced = right_len >= threshold
          pdqsort(mid + 1, b, limit)
          b = mid
        end
      end
    end
  end
  pdqsort(0, n, bits_len(n))
end
gopher.sort = go_sort

-- Library tables for one request: fresh copies, so a filter that changes `string.x` changes it for
-- its own request only (production gives every request a fresh state).
function gopher.libraries()
  local s = copy(string)
  s.pack, s.packsize, s.unpack = nil, nil, nil
  s.format = gopher_format
  s.upper = gopher.upper
  s.lower = gopher.lower
  s.gfind = string.gmatch

  local t = copy(table)
  t.unpack, t.pack, t.move = nil, nil, nil
  -- GL/tablelib.go with LTable's array part (table.go): the array's length is taken as #t.
  t.concat = function(...)
    local tbl, sep, i, j = ...
    if type(tbl) ~= "table" then error(string_format("bad argument #1 to 'concat' (table expected, got %s)", type(tbl)), 2) end
    local len = length(tbl)
    sep = sep == nil and "" or sep
    i = i == nil and 1 or i
    j = j == nil and len or j
    if select("#", ...) == 3 and (i > len or i < 1) then return "" end
    i = math.max(math.min(i, len), 1)
    j = math.min(j, len)
    if i > j then return "" end
    local ok, text = pcall(gopher_concat, tbl, sep, i, j)
    if ok then return text end
    error(text, 2)
  end
  t.insert = function(...)
    local tbl, pos, value = ...
    local n = select("#", ...)
    if type(tbl) ~= "table" then error(string_format("bad argument #1 to 'insert' (table expected, got %s)", type(tbl)), 2) end
    if n == 1 then error("wrong number of arguments", 2) end
    if n == 2 then
      if pos ~= nil then
        local at = length(tbl) + 1
        tbl[at] = pos
        record_key(tbl, at) -- runtime code: its stores are not reported by the chunk rewrite
      end
      return
    end
    if type(pos) ~= "number" then error(string_format("bad argument #2 to 'insert' (number expected, got %s)", type(pos)), 2) end
    pos = pos < 0 and -math_floor(-pos) or math_floor(pos)
    local len = length(tbl)
    if pos > len or pos <= 0 then rawset(tbl, pos, value); record_key(tbl, pos) return end
    for k = len, pos, -1 do tbl[k + 1] = tbl[k] end
    tbl[pos] = value
    record_key(tbl, len + 1)
  end
  t.remove = function(...)
    local tbl, pos = ...
    if type(tbl) ~= "table" then error(string_format("bad argument #1 to 'remove' (table expected, got %s)", type(tbl)), 2) end
    local len = length(tbl)
    if len == 0 then return nil end
    if select("#", ...) == 1 then pos = len end
    if type(pos) ~= "number" then error(string_format("bad argument #2 to 'remove' (number expected, got %s)", type(pos)), 2) end
    pos = pos < 0 and -math_floor(-pos) or math_floor(pos)
    if pos - 1 >= len then return nil end
    if pos == len or pos < 1 then
      local v = tbl[len]
      tbl[len] = nil
      return v
    end
    local v = tbl[pos]
    for k = pos, len - 1 do tbl[k] = tbl[k + 1] end
    tbl[len] = nil
    return v
  end
  -- GL/tablelib.go tableSort: a second argument must be a function (an explicit nil too); an
  -- error of the sort itself (comparing unlike values) carries the caller's position, as Go's would.
  t.sort = function(...)
    local tbl, comp = ...
    if type(tbl) ~= "table" then error(string_format("bad argument #1 to 'sort' (table expected, got %s)", type(tbl)), 2) end
    if select("#", ...) >= 2 and type(comp) ~= "function" then
      error(string_format("bad argument #2 to 'sort' (function expected, got %s)", type(comp)), 2)
    end
    local ok, e = pcall(go_sort, tbl, comp)
    if ok then return end
    if type(e) == "string" and string_find(e, "^%[runtime gopher%.lua%]:%d+: ") then
      error(string_match(e, "^%[runtime gopher%.lua%]:%d+: (.*)$"), 2)
    end
    error(e, 0)
  end
  -- GL/tablelib.go: getn is Len, maxn is MaxN (the array part's last value, __len ignored).
  t.getn = function(tbl)
    if type(tbl) ~= "table" then error(string_format("bad argument #1 to 'getn' (table expected, got %s)", type(tbl)), 2) end
    return length(tbl)
  end
  t.maxn = function(tbl)
    if type(tbl) ~= "table" then error(string_format("bad argument #1 to 'maxn' (table expected, got %s)", type(tbl)), 2) end
    local n = raw_len(tbl)
    for k in next, tbl do
      if math_type(k) == "integer" and k > n and k < MAX_ARRAY_INDEX then n = k end
    end
    return n
  end

  local m = copy(math)
  m.type, m.tointeger, m.ult, m.maxinteger, m.mininteger = nil, nil, nil, nil, nil
  m.pow = function(a, b) return a ^ b end
  -- gopher's numbers are float64: floor and ceil return floats, and keep a negative zero
  -- (Go's math.Ceil(-0.5) is -0); Lua 5.4 returns integers.
  local raw_floor, raw_ceil = math.floor, math.ceil
  -- CheckNumber (GL/auxlib.go): a number, or a string parseNumber reads; else an argument error
  -- at the filter's line.
  local function check_number(name, n, v)
    if type(v) == "number" then return v end
    if type(v) == "string" then
      local x = gopher.parse_number(v)
      if x ~= nil then return x end
    end
    error(string_format("bad argument #%d to '%s' (number expected, got %s)", n, name, type(v)), 3)
  end
  m.floor = function(x)
    x = check_number("floor", 1, x)
    local r = raw_floor(x) + 0.0
    if r == 0 and type(x) == "number" and 1 / x < 0 then return -0.0 end
    return r
  end
  m.ceil = function(x)
    x = check_number("ceil", 1, x)
    local r = raw_ceil(x) + 0.0
    if r == 0 and type(x) == "number" and (x < 0 or 1 / x < 0) then return -0.0 end
    return r
  end
  -- gopher's numbers are float64: fmod(7, 0) is NaN there, while Lua 5.4 raises for integers.
  -- `* 1.0` keeps the sign of -0 (Go's math.Mod returns -0 for it; `+ 0.0` would not).
  m.fmod = function(a, b) return math_fmod(a * 1.0, b * 1.0) end
  m.mod = m.fmod
  m.log10 = function(x) return math.log(x, 10) end
  m.atan2 = function(y, x) return math.atan(y, x) end
  -- In two factors where 2^e alone would overflow or underflow (Go's Ldexp scales exactly).
  m.ldexp = function(x, e)
    if e > 1023 or e < -1022 then
      local half = math_floor(e / 2)
      return x * 2.0 ^ half * 2.0 ^ (e - half)
    end
    return x * 2.0 ^ e
  end
  m.frexp = frexp
  m.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
  m.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
  m.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
  -- gopher-lua's math.huge is the largest float64, not infinity (lua-fidelity.md).
  m.huge = 1.7976931348623157e308
  -- GL/mathlib.go:132,148: no argument is an error, not -inf/inf.
  -- Each argument through CheckNumber: numeric strings count as their numbers.
  local function extreme(name, better)
    return function(...)
      local n = select("#", ...)
      if n == 0 then error("wrong number of arguments", 2) end
      local best = check_number(name, 1, (...))
      for i = 2, n do
        local v = check_number(name, i, (select(i, ...)))
        if better(v, best) then best = v end
      end
      return best
    end
  end
  m.max = extreme("max", function(a, b) return a > b end)
  m.min = extreme("min", function(a, b) return a < b end)
  -- GL/mathlib.go mathLog: Lua 5.1's log, one argument (a second one is ignored).
  local raw_log = math.log
  m.log = function(x) return raw_log(check_number("log", 1, x)) end

  local c = copy(coroutine)
  c.close, c.isyieldable = nil, nil

  local o = copy(os)
  -- os.exit would end the whole runtime process; production would end Nauthilus with it.
  o.exit = function() error("os.exit is not available in the local runtime (in production it stops Nauthilus)", 2) end

  return { string = s, table = t, math = m, coroutine = c, os = o, io = copy(io), debug = copy(debug) }
end

-- Base functions of a 5.1 state, minus the 5.2+ ones (rawlen, warn, utf8 library).
function gopher.base_functions()
  return {
    assert = assert, error = error, next = next, pcall = pcall, xpcall = xpcall,
    -- GL/baselib.go baseIpairs: CheckTable.
    ipairs = function(t)
      if type(t) ~= "table" then error(string_format("bad argument #1 to 'ipairs' (table expected, got %s)", type(t)), 2) end
      return ipairs(t)
    end,
    rawequal = rawequal, rawget = rawget, select = select,
    -- rawset, then the key recorded. Its errors are raised here at the caller's line, in gopher's
    -- words (Lua's would name this function's line, or none for a nil or NaN index).
    rawset = function(...)
      local t, k, v = ...
      if type(t) ~= "table" then
        error(string_format("bad argument #1 to 'rawset' (table expected, got %s)", select("#", ...) == 0 and "no value" or type(t)), 2)
      end
      if select("#", ...) < 3 then error("bad argument #3 to 'rawset' (value expected)", 2) end
      if k == nil then error("table index is nil", 2) end
      if k ~= k then error("table index is NaN", 2) end
      rawset(t, k, v)
      record_key(t, k)
      return t
    end,
    setmetatable = setmetatable, getmetatable = getmetatable, type = type, collectgarbage = collectgarbage,
    tostring = gopher_tostring, tonumber = gopher_tonumber, pairs = gopher_pairs,
    unpack = gopher_unpack,
    _VERSION = "Lua 5.1",
  }
end

return gopher
