-- Go's fmt verbs, in Lua. Production's string.format is Go's fmt.Sprintf over gopher values
-- (gopher-lua v1.1.1 stringlib.go strFormat), and custom logs print numbers with Go's %v, so
-- the texts a filter sees are Go's: `%!d(MISSING)`, `%!(EXTRA lua.LNumber=6)`, `+Inf`, widths
-- counted in runes, zero padding of strings. This file knows Go's fmt (flags, widths, argument
-- indexes, the verbs of int64, float64, string and bool, the error forms); how a gopher value
-- chooses among them lives in gopher.lua (`print_arg`). Observed against gopher-lua v1.1.1
-- built with Go; docs/fidelity.md D26.

local string_format, string_rep, string_sub, string_byte, string_find, string_upper =
  string.format, string.rep, string.sub, string.byte, string.find, string.upper
local table_concat, math_huge, math_abs, math_tointeger, math_mininteger =
  table.concat, math.huge, math.abs, math.tointeger, math.mininteger
local utf8_char, utf8_len = utf8.char, utf8.len

local fmt = {}

---------------------------------------------------------------------------------------------
-- Runes: Go counts a byte that does not start valid UTF-8 as one rune.
---------------------------------------------------------------------------------------------

local function rune_count(s)
  local count, pos, len = 0, 1, #s
  while pos <= len do
    local n, bad = utf8_len(s, pos)
    if n then return count + n end
    count = count + utf8_len(s, pos, bad - 1) + 1
    pos = bad + 1
  end
  return count
end

-- The first `n` runes of `s` (Go's truncateString for a precision).
local function rune_prefix(s, n)
  local pos, len = 1, #s
  while n > 0 and pos <= len do
    local b = string_byte(s, pos)
    local size = b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC0 and 2 or 1
    if size > 1 and (pos + size - 1 > len or utf8_len(s, pos, pos + size - 1) ~= 1) then size = 1 end
    pos = pos + size
    n = n - 1
  end
  return string_sub(s, 1, pos - 1)
end

---------------------------------------------------------------------------------------------
-- Padding (fmt.pad / writePadding): width in runes, zeros when the 0 flag is set, spaces on
-- the right with the - flag.
---------------------------------------------------------------------------------------------

local function padding(st, n, zero)
  if n <= 0 then return "" end
  return string_rep(zero and "0" or " ", n)
end

local function pad(st, text)
  if not st.wid then return text end
  local n = st.wid - rune_count(text)
  if n <= 0 then return text end
  if st.minus then return text .. padding(st, n, false) end
  return padding(st, n, st.zero) .. text
end

-- Padding that ignores the 0 flag: integers took it as a precision already, and Go never pads
-- Inf or NaN with zeros.
local function pad_with_spaces(st, text)
  local zero = st.zero
  st.zero = false
  text = pad(st, text)
  st.zero = zero
  return text
end

---------------------------------------------------------------------------------------------
-- float64: strconv.FormatFloat(x, 'g', -1, 64), the shortest text that reads back as x.
---------------------------------------------------------------------------------------------

local function go_float(x)
  if x ~= x then return "NaN" end
  if x == math_huge then return "+Inf" end
  if x == -math_huge then return "-Inf" end
  if x == 0 then return (1 / x < 0) and "-0" or "0" end
  local s
  for p = 0, 16 do
    s = string_format("%." .. p .. "e", x)
    if tonumber(s) == x then break end
  end
  local sign, int, frac, exp = string.match(s, "^(-?)(%d)%.?(%d*)e([-+]%d+)$")
  local digits = string.gsub(int .. frac, "0+$", "")
  if digits == "" then digits = "0" end
  exp = tonumber(exp)
  if exp < -4 or exp >= 6 then
    local mantissa = string_sub(digits, 1, 1)
    if #digits > 1 then mantissa = mantissa .. "." .. string_sub(digits, 2) end
    local e = math_abs(exp)
    return sign .. mantissa .. "e" .. (exp < 0 and "-" or "+") .. (e < 10 and "0" .. e or tostring(e))
  elseif exp >= 0 then
    if #digits <= exp + 1 then return sign .. digits .. string_rep("0", exp + 1 - #digits) end
    return sign .. string_sub(digits, 1, exp + 1) .. "." .. string_sub(digits, exp + 2)
  else
    return sign .. "0." .. string_rep("0", -exp - 1) .. digits
  end
end
fmt.go_float = go_float

-- Go's int64(x) of a float64 on amd64: truncation; NaN and values out of range give the
-- smallest int64 (the CPU's "integer indefinite").
function fmt.int64(x)
  local i = math_tointeger(x) -- integers and integral floats in range: the usual argument
  if i then return i end
  if x ~= x or x >= 9223372036854775808 or x < -9223372036854775808 then return math_mininteger end
  return math_tointeger(x < 0 and -math.floor(-x) or math.floor(x))
end

---------------------------------------------------------------------------------------------
-- Quoting (strconv.Quote, QuoteToASCII, QuoteRune)
---------------------------------------------------------------------------------------------

local QUOTE_ESCAPES = { [7] = "\\a", [8] = "\\b", [12] = "\\f", [10] = "\\n", [13] = "\\r", [9] = "\\t", [11] = "\\v", [92] = "\\\\" }

local function quote_rune_text(cp, ascii, quote)
  if cp == quote then return "\\" .. string.char(quote) end
  if QUOTE_ESCAPES[cp] then return QUOTE_ESCAPES[cp] end
  if cp < 0x20 or cp == 0x7f then return string_format("\\x%02x", cp) end
  if cp < 0x80 then return string.char(cp) end
  if not ascii then return utf8_char(cp) end
  if cp < 0x10000 then return string_format("\\u%04x", cp) end
  return string_format("\\U%08x", cp)
end

local function quote(s, ascii)
  local out, pos, len = {}, 1, #s
  while pos <= len do
    local b = string_byte(s, pos)
    local size = b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC0 and 2 or 1
    if size > 1 and pos + size - 1 <= len and utf8_len(s, pos, pos + size - 1) == 1 then
      out[#out + 1] = quote_rune_text(utf8.codepoint(s, pos), ascii, 34)
      pos = pos + size
    elseif b >= 0x80 then
      out[#out + 1] = string_format("\\x%02x", b)
      pos = pos + 1
    else
      out[#out + 1] = quote_rune_text(b, ascii, 34)
      pos = pos + 1
    end
  end
  return '"' .. table_concat(out) .. '"'
end
fmt.quote = quote

-- A rune from an int64: past U+10FFFF, negative or a surrogate is U+FFFD.
local function to_rune(v)
  if v < 0 or v > 0x10FFFF or (v >= 0xD800 and v <= 0xDFFF) then return 0xFFFD end
  return v
end

---------------------------------------------------------------------------------------------
-- The verbs of each Go value kind. `st` is the directive: flags minus, plus, sharp, space,
-- zero, plusV, sharpV; wid and prec (nil when absent).
---------------------------------------------------------------------------------------------

local format_value -- (st, kind, value, verb) -> text; kinds "int64", "float64", "string", "bool"

local function bad_verb(st, verb, typename, kind, value)
  return "%!" .. verb .. "(" .. typename .. "=" .. format_value(st, kind, value, "v") .. ")"
end
fmt.bad_verb = bad_verb

-- Digits of |v| in a base, for any int64 (the smallest one included).
local function abs_digits(v, base, upper)
  if v == math_mininteger then
    local text = base == 10 and "9223372036854775808" or base == 16 and "8000000000000000"
      or base == 8 and "1000000000000000000000" or "1" .. string_rep("0", 63)
    return text
  end
  v = v < 0 and -v or v
  if base == 10 then return string_format("%d", v) end
  if base == 16 then return string_format(upper and "%X" or "%x", v) end
  if base == 8 then return string_format("%o", v) end
  if v == 0 then return "0" end
  local bits = {}
  while v > 0 do bits[#bits + 1] = v % 2; v = v // 2 end
  return string.reverse(table_concat(bits))
end

local INTEGER_BASES = { v = 10, d = 10, b = 2, o = 8, O = 8, x = 16, X = 16 }

local function format_integer(st, v, verb)
  local base = INTEGER_BASES[verb]
  if verb == "c" then return pad(st, utf8_char(to_rune(v))) end
  if verb == "q" then
    local cp = to_rune(v)
    return pad(st, "'" .. quote_rune_text(cp, st.plus, 39) .. "'")
  end
  if verb == "U" then
    local digits = string_format("%04X", v) -- as uint64: -1 is FFFFFFFFFFFFFFFF
    if st.prec and st.prec > #digits then digits = string_rep("0", st.prec - #digits) .. digits end
    local text = "U+" .. digits
    -- Go adds a printable rune (strconv.IsPrint; known here for ASCII and Latin-1 only).
    if st.sharp and ((v >= 0x20 and v <= 0x7E) or (v >= 0xA1 and v <= 0xFF and v ~= 0xAD)) then text = text .. " '" .. utf8_char(to_rune(v)) .. "'" end
    return pad(st, text)
  end
  if not base then return bad_verb(st, verb, "int64", "int64", v) end
  if st.prec == 0 and v == 0 then return padding(st, st.wid or 0, false) end
  local digits = abs_digits(v, base, verb == "X")
  local negative = v < 0
  local prec = st.prec
  if not prec and st.zero and st.wid then
    prec = st.wid
    if negative or st.plus or st.space then prec = prec - 1 end
  end
  if prec and prec > #digits then digits = string_rep("0", prec - #digits) .. digits end
  if st.sharp then
    if base == 2 then digits = "0b" .. digits
    elseif base == 8 and string_sub(digits, 1, 1) ~= "0" then digits = "0" .. digits
    elseif base == 16 then digits = (verb == "X" and "0X" or "0x") .. digits end
  end
  if verb == "O" then digits = "0o" .. digits end
  if negative then digits = "-" .. digits
  elseif st.plus then digits = "+" .. digits
  elseif st.space then digits = " " .. digits end
  return pad_with_spaces(st, digits)
end

local FLOAT_VERBS = { e = "e", E = "E", f = "f", F = "f", g = "g", G = "G", v = "g" }

local function format_float(st, x, verb)
  local conv = FLOAT_VERBS[verb]
  if not conv then return bad_verb(st, verb, "float64", "float64", x) end
  local num -- with a leading sign: "+1.5", "-2"
  if x ~= x then num = "+NaN"
  elseif x == math_huge then num = "+Inf"
  elseif x == -math_huge then num = "-Inf"
  else
    local prec = st.prec
    local body
    if conv == "g" or conv == "G" then
      if prec then
        body = string_format("%" .. (st.sharp and "#" or "") .. "." .. prec .. conv, math_abs(x))
      else
        body = go_float(math_abs(x))
        -- The # flag keeps at least 6 significant digits of the shortest text.
        if st.sharp and #string.gsub(string.match(body, "^[^e]*"), "^[0.]*", ""):gsub("%.", "") < 6 then
          body = string_format("%#g", math_abs(x))
        elseif st.sharp and not string_find(body, "[.e]") then
          body = body .. "."
        end
        if conv == "G" then body = string_upper(body) end
      end
    else
      body = string_format("%" .. (st.sharp and "#" or "") .. "." .. (prec or 6) .. conv, math_abs(x))
    end
    num = ((x < 0 or (x == 0 and 1 / x < 0)) and "-" or "+") .. body
  end
  if st.space and string_sub(num, 1, 1) == "+" and not st.plus then num = " " .. string_sub(num, 2) end
  local second = string_sub(num, 2, 2)
  if second == "I" or second == "N" then
    if second == "N" and not st.space and not st.plus then num = string_sub(num, 2) end
    return pad_with_spaces(st, num)
  end
  if st.plus or string_sub(num, 1, 1) ~= "+" then
    if st.zero and st.wid and st.wid > #num then
      return string_sub(num, 1, 1) .. padding(st, st.wid - #num, true) .. string_sub(num, 2)
    end
    return pad(st, num)
  end
  return pad(st, string_sub(num, 2))
end

local function format_string(st, s, verb)
  if verb == "v" and st.sharpV then return pad(st, quote(s, false)) end
  if verb == "s" or verb == "v" then
    if st.prec then s = rune_prefix(s, st.prec) end
    return pad(st, s)
  end
  if verb == "q" then
    if st.prec then s = rune_prefix(s, st.prec) end
    if st.sharp and not string_find(s, "[%z\1-\8\10-\31`\127]") and utf8_len(s) then return pad(st, "`" .. s .. "`") end
    return pad(st, quote(s, st.plus))
  end
  if verb == "x" or verb == "X" then
    local length = #s
    if st.prec and st.prec < length then length = st.prec end
    if length == 0 then return padding(st, st.wid or 0, st.zero) end
    local width = 2 * length
    if st.space then
      if st.sharp then width = width * 2 end
      width = width + length - 1
    elseif st.sharp then
      width = width + 2
    end
    local prefix = verb == "X" and "0X" or "0x"
    local out = {}
    if st.sharp then out[1] = prefix end
    for i = 1, length do
      if st.space and i > 1 then
        out[#out + 1] = " "
        if st.sharp then out[#out + 1] = prefix end
      end
      out[#out + 1] = string_format(verb == "X" and "%02X" or "%02x", string_byte(s, i))
    end
    local text = table_concat(out)
    if st.wid and st.wid > width then
      if st.minus then return text .. padding(st, st.wid - width, st.zero) end
      return padding(st, st.wid - width, st.zero) .. text
    end
    return text
  end
  return bad_verb(st, verb, "string", "string", s)
end

local function format_bool(st, b, verb)
  if verb == "t" or verb == "v" then return pad(st, b and "true" or "false") end
  return bad_verb(st, verb, "bool", "bool", b)
end

function format_value(st, kind, value, verb)
  if kind == "int64" then return format_integer(st, value, verb) end
  if kind == "float64" then return format_float(st, value, verb) end
  if kind == "string" then return format_string(st, value, verb) end
  return format_bool(st, value, verb)
end
fmt.format_value = format_value

---------------------------------------------------------------------------------------------
-- fmt.Sprintf's directive scanner (doPrintf): flags, [n] indexes, * widths, MISSING, EXTRA.
---------------------------------------------------------------------------------------------

-- Digits at `i` (Go's parsenum): the number, whether there was one, the next position.
local function parse_number(format, i, stop)
  local num, found = 0, false
  while i <= stop do
    local c = string_byte(format, i)
    if c < 48 or c > 57 then break end
    if num > 1e6 then return 0, false, stop + 1 end
    num, found, i = num * 10 + c - 48, true, i + 1
  end
  return num, found, i
end

-- An argument index "[n]" at `i`: the new 1-based argument, the next position, whether an
-- index was there; p.good is cleared for a bad one.
local function arg_index(p, format, i, len, argn, nargs)
  if i > len or string_byte(format, i) ~= 91 then return argn, i, false end
  p.reordered = true
  local close = string_find(format, "]", i + 1, true)
  if len - i + 1 < 3 or not close then p.good = false; return argn, i + 1, false end
  local n, found, after = parse_number(format, i + 1, close - 1)
  if not found or after ~= close then p.good = false; return argn, close + 1, false end
  if n >= 1 and n <= nargs then return n, close + 1, true end
  p.good = false
  return argn, close + 1, true
end

-- A "*" width or precision takes an argument, which must be a Go int: a gopher number never is,
-- so Go writes its complaint and goes on with the next argument.
local function star_argument(argn, nargs, out, complaint)
  out[#out + 1] = complaint
  if argn <= nargs then return argn + 1 end
  return argn
end

-- fmt.Sprintf(format, args[1..n]...), each argument printed by print_arg(st, arg, verb).
-- `typename(arg)` gives Go's type name of an argument (for EXTRA and %T).
function fmt.sprintf(format, args, nargs, print_arg, typename)
  local out, argn, i, len = {}, 1, 1, #format
  local p = { reordered = false, good = true }
  while i <= len do
    p.good = true
    local pct = string_find(format, "%", i, true)
    if not pct then out[#out + 1] = string_sub(format, i); break end
    if pct > i then out[#out + 1] = string_sub(format, i, pct - 1) end
    i = pct + 1
    local st = {}
    while i <= len do
      local c = string_byte(format, i)
      if c == 35 then st.sharp = true
      elseif c == 48 then st.zero = not st.minus
      elseif c == 43 then st.plus = true
      elseif c == 45 then st.minus, st.zero = true, false
      elseif c == 32 then st.space = true
      else break end
      i = i + 1
    end
    local after
    argn, i, after = arg_index(p, format, i, len, argn, nargs)
    if i <= len and string_byte(format, i) == 42 then
      i, argn, after = i + 1, star_argument(argn, nargs, out, "%!(BADWIDTH)"), false
    else
      local wid, found
      wid, found, i = parse_number(format, i, len)
      if found then st.wid = wid end
      if after and found then p.good = false end
    end
    if i + 1 <= len and string_byte(format, i) == 46 then
      i = i + 1
      if after then p.good = false end
      argn, i, after = arg_index(p, format, i, len, argn, nargs)
      if i <= len and string_byte(format, i) == 42 then
        i, argn, after = i + 1, star_argument(argn, nargs, out, "%!(BADPREC)"), false
      else
        local prec, found
        prec, found, i = parse_number(format, i, len)
        st.prec = found and prec or 0
      end
    end
    if not after then argn, i, after = arg_index(p, format, i, len, argn, nargs) end
    if i > len then out[#out + 1] = "%!(NOVERB)"; break end
    local b = string_byte(format, i)
    local size = 1
    if b >= 0x80 then
      size = b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC0 and 2 or 1
      if size > 1 and (i + size - 1 > len or utf8_len(format, i, i + size - 1) ~= 1) then size = 1 end
    end
    local verb = size == 1 and b >= 0x80 and "\239\191\189" or string_sub(format, i, i + size - 1)
    i = i + size
    if verb == "%" then
      out[#out + 1] = "%"
    elseif not p.good then
      out[#out + 1] = "%!" .. verb .. "(BADINDEX)"
    elseif argn > nargs then
      out[#out + 1] = "%!" .. verb .. "(MISSING)"
    else
      if verb == "v" then
        st.sharpV, st.sharp = st.sharp, false
        st.plusV, st.plus = st.plus, false
      end
      local arg = args[argn]
      if verb == "T" then
        out[#out + 1] = format_string(st, typename(arg), "s")
      else
        out[#out + 1] = print_arg(st, arg, verb)
      end
      argn = argn + 1
    end
  end
  if not p.reordered and argn <= nargs then
    local extra = {}
    for k = argn, nargs do
      extra[#extra + 1] = typename(args[k]) .. "=" .. print_arg({}, args[k], "v")
    end
    out[#out + 1] = "%!(EXTRA " .. table_concat(extra, ", ") .. ")"
  end
  return table_concat(out)
end

fmt.rune_count = rune_count
fmt.rune_prefix = rune_prefix
fmt.pad = pad
return fmt
