-- The string library's Go functions as gopher-lua v1.1.1 has them (GL/stringlib.go): integer
-- arguments through CheckInt (numbers only, truncated), numbers as gopher's text where a string
-- is expected, gopher's results at the edges, and its pattern engine (gopher-pattern.lua).
-- string.format is Go's fmt (go-fmt.lua, gopher.lua); upper/lower are in gopher.lua. Loaded once
-- per engine by runtime/vm/lua/nauthilus.lua with its shared pieces (R); returns the functions.

local R = ...
local gopher, check_string, check_int, arg_error, raise = R.gopher, R.check_string, R.check_int, R.arg_error, R.raise
local number_string = gopher.number_string
local string_format, table_concat, math_type, math_tointeger = string.format, table.concat, math.type, math.tointeger

local STRING = {}
-- GL/stringlib.go:85-88: dump exists and raises; Lua 5.4 bytecode must never reach a filter.
STRING.dump = function() raise(1, "GopherLua does not support the string.dump") end
-- gopher's string functions take integer arguments with CheckInt/OptInt: numbers only (a
-- numeric string is an error), truncated like Go's int() (Lua 5.4 refuses 2.7 and takes "2").
local raw_sub, raw_rep, raw_byte, raw_char = string.sub, string.rep, string.byte, string.char
local function opt_int(n, v, default)
  if v == nil then return default end
  local i = check_int(2, n, v) -- not a tail call: check_int counts this frame
  return i
end
STRING.sub = function(s, i, j)
  s = check_string(1, 1, s)
  return raw_sub(s, check_int(1, 2, i), opt_int(3, j, -1))
end
-- GL/stringlib.go strRep: the separator Lua 5.2 added is ignored.
STRING.rep = function(s, n)
  s = check_string(1, 1, s)
  n = check_int(1, 2, n)
  -- Go's strings.Repeat of "" is "" at once; Lua's string.rep would copy nothing n times (2^53
  -- times for ("").repeat(2 ** 53): a hang no deadline check can interrupt).
  if n <= 0 or s == "" then return "" end
  return raw_rep(s, n)
end
-- GL/stringlib.go strByte: with exactly two arguments one byte (none out of range, index 0
-- included); otherwise the range start..end, end defaulting to -1 (string.byte(s) is every byte).
STRING.byte = function(...)
  local s, i, j = ...
  if type(s) ~= "string" then s = check_string(1, 1, s) end
  local l = #s
  local start = i == nil and 0 or (math_type(i) and math_tointeger(i) or check_int(1, 2, i)) - 1
  if start < 0 then start = l + start + 1 end
  if select("#", ...) == 2 then
    if start < 0 or start >= l then return end
    return raw_byte(s, start + 1)
  end
  local stop = j == nil and -1 or (math_type(j) and math_tointeger(j) or check_int(1, 3, j))
  if stop < 0 then stop = l + stop + 1 end
  if start < 0 then start = 0 end
  if stop > l then stop = l end
  if stop < 0 or stop <= start or start >= l then return end
  return raw_byte(s, start + 1, stop)
end
-- gopher's CheckString takes a number as its gopher text (10, not Lua 5.4's "10.0"; numbers are
-- floats here).
local raw_len, raw_reverse = string.len, string.reverse
STRING.len = function(s)
  if type(s) == "string" then return raw_len(s) end
  return raw_len(check_string(1, 1, s))
end
STRING.reverse = function(s) return raw_reverse(check_string(1, 1, s)) end

-- find, match, gmatch and gsub as gopher's (GL/stringlib.go): gopher's pattern engine
-- (runtime/vm/lua/gopher-pattern.lua), its argument handling and its results.
local PATTERN = gopher.pattern
local raw_find, raw_match = string.find, string.match

-- strFind: an empty pattern is found at 1, 0 wherever init points; "plain" counts only as the
-- exact fourth argument; init as luaIndex2StringIndex makes it.
STRING.find = function(...)
  local s, p, init, plain = ...
  s = check_string(1, 1, s)
  p = check_string(1, 2, p)
  if p == "" then return 1, 0 end
  init = opt_int(3, init, 1)
  local len = #s
  if init ~= 0 then init = init - 1 end
  if init < 0 then init = len + init + 1 end
  if init < 0 then init = 0 end
  if select("#", ...) == 4 and plain then
    -- Go slices str[init:]: past the end that is a Go panic production's pcall reports.
    if init > len then error(string_format("runtime error: slice bounds out of range [%d:%d]", init, len), 0) end
    local from, to = raw_find(s, p, init + 1, true)
    if not from then return nil end
    return from, to
  end
  local entry, err = PATTERN.compile(p)
  if not entry then raise(1, err) end
  return raw_find(s, entry.lua, init + 1)
end

-- strMatch: no match returns no value at all (not nil).
local function some(first, ...)
  if first == nil then return end
  return first, ...
end
STRING.match = function(s, p, init)
  s = check_string(1, 1, s)
  p = check_string(1, 2, p)
  local offset = opt_int(3, init, 1)
  if offset < 0 then offset = #s + offset + 1 end
  offset = offset - 1
  if offset < 0 then offset = 0 end
  local entry, err = PATTERN.compile(p)
  if not entry then raise(1, err) end
  return some(raw_match(s, entry.lua, offset + 1))
end

-- strGmatch: every match is collected when gmatch is called.
STRING.gmatch = function(s, p)
  s = check_string(1, 1, s)
  p = check_string(1, 2, p)
  local entry, err = PATTERN.compile(p)
  if not entry then raise(1, err) end
  local found, k = PATTERN.matches(s, entry, 0, -1), 0
  return function()
    k = k + 1
    local m = found[k]
    if m == nil then return end
    if m[3] == nil then return raw_sub(s, m[1], m[2]) end
    return table.unpack(m, 3)
  end
end

-- A value gsub puts in place of a match (LVAsString): a number as gopher's text, a string as
-- itself, anything else "". nil and false keep the match.
local function replacement(v)
  if v == nil or v == false then return nil end
  local t = type(v)
  if t == "number" then return number_string(v) end
  if t == "string" then return v end
  return ""
end

-- A replacement string read as gopher's flagScanner reads it: "%%" is "%", "%<digit>" a
-- capture, "%" before anything else stays with that character, a final "%" stays.
local function replacement_parts(repl)
  local parts, i, len = {}, 1, #repl
  while i <= len do
    local at = raw_find(repl, "%", i, true)
    if not at then parts[#parts + 1] = raw_sub(repl, i); break end
    if at > i then parts[#parts + 1] = raw_sub(repl, i, at - 1) end
    local d = raw_sub(repl, at + 1, at + 1)
    if d == "%" then parts[#parts + 1] = "%"
    elseif d == "" then parts[#parts + 1] = "%"
    elseif raw_find(d, "^%d$") then parts[#parts + 1] = tonumber(d)
    else parts[#parts + 1] = "%" .. d end
    i = at + 2
  end
  return parts
end

-- capturedString: %0 is the match, %1 the match when there is no capture, beyond the captures
-- an error; a position capture prints as its number.
local function captured(s, m, d)
  if d == 0 or (d == 1 and m[3] == nil) then return raw_sub(s, m[1], m[2]) end
  local v = m[d + 2]
  if v == nil then raise(2, "invalid capture index") end
  if type(v) == "number" then return string_format("%d", v) end
  return v
end

STRING.gsub = function(s, p, repl, n)
  s = check_string(1, 1, s)
  p = check_string(1, 2, p)
  local t = type(repl)
  if t ~= "string" and t ~= "table" and t ~= "function" then
    arg_error(1, 3, "string or table or function expected, got " .. t)
  end
  local limit = opt_int(4, n, -1)
  local entry, err = PATTERN.compile(p)
  if not entry then raise(1, err) end
  local found = PATTERN.matches(s, entry, 0, limit)
  if #found == 0 then return s, 0 end
  local out, pos = {}, 1
  local parts = t == "string" and replacement_parts(repl)
  for k = 1, #found do
    local m = found[k]
    local text
    if parts then
      local pieces = {}
      for j = 1, #parts do
        local part = parts[j]
        pieces[j] = type(part) == "number" and captured(s, m, part) or part
      end
      text = table_concat(pieces)
    elseif t == "table" then
      local key = m[3]
      if key == nil then key = raw_sub(s, m[1], m[2]) end
      text = replacement(repl[key])
    elseif m[3] == nil then
      text = replacement((repl(raw_sub(s, m[1], m[2]))))
    else
      text = replacement((repl(table.unpack(m, 3))))
    end
    if text then
      out[#out + 1] = raw_sub(s, pos, m[1] - 1)
      out[#out + 1] = text
      pos = m[2] + 1
    end
  end
  out[#out + 1] = raw_sub(s, pos)
  return table_concat(out), #found
end

-- strChar: each value is converted to a Go byte, so it wraps around (256 -> 0, -1 -> 255).
STRING.char = function(...)
  local n = select("#", ...)
  if n == 0 then return "" end
  local bytes = { ... }
  for k = 1, n do bytes[k] = check_int(1, k, bytes[k]) % 256 end
  return raw_char(table.unpack(bytes, 1, n))
end

return STRING
