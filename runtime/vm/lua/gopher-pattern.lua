-- gopher-lua's own pattern engine (v1.1.1 pm/pm.go), expressed as Lua 5.4 patterns. gopher
-- compiles a whole pattern before it matches, so a malformed one fails even where Lua's matcher
-- would never reach the fault ("p%a.s(s" used as a pattern); it knows fewer classes (`%f` and
-- `%g` are the letters f and g, a trailing `%` matches nothing, a range with a class for an end
-- matches nothing) and it collects every match of gmatch/gsub by trying each start position in
-- turn (an empty match right after a non-empty one counts, as in Lua 5.1). A pattern is read
-- once with gopher's grammar, errors worded and positioned as gopher's, and turned into a Lua
-- 5.4 pattern that matches what gopher's would; Lua's C matcher then does the matching.
-- docs/fidelity.md D25.

local string_byte, string_sub, string_char, string_find, string_format =
  string.byte, string.sub, string.char, string.find, string.format
local table_concat = table.concat

local pattern = {}

-- Matches no byte: what gopher's classes that can never match become.
local NEVER = "[^\0-\255]"
local GOPHER_CLASSES = {}
for c in ("acdlpsuwxzACDLPSUWXZ"):gmatch(".") do GOPHER_CLASSES[c] = true end

-- A byte as a literal in a Lua pattern (inside or outside a set).
local function literal(c)
  if string_find(c, "^%w$") then return c end
  return "%" .. c
end

-- gopher's scanner over the pattern: `pos` is 0-based like Go's, EOS is -1.
local EOS = -1

local function compile_error(message, pos)
  if pos == EOS then return message .. " at EOS" end
  if pos == nil then return message end
  return message .. " at " .. pos
end

-- A class after "%": gopher's own classes stay classes, anything else is the character itself.
local function escaped_class(c)
  if c == nil then return NEVER end
  if GOPHER_CLASSES[c] then return "%" .. c end
  return literal(c)
end

-- "[...]" at 1-based index i (just past the "["): the Lua set and the index after it.
local function parse_set(p, i)
  local len = #p
  local negated = false
  if string_sub(p, i, i) == "^" then negated, i = true, i + 1 end
  local items = {} -- each { kind = "char" | "class" | "never", text = ... }
  local is_range = false
  while true do
    local c = string_sub(p, i, i)
    if c == "" then
      error({ compile_error("unexpected EOS", len - 1) }, 0)
    elseif c == "]" and #items > 0 then
      i = i + 1
      break
    elseif c == "-" and #items > 0 then
      i = i + 1
      is_range = true
    else
      local item
      if c == "%" then
        local d = string_sub(p, i + 1, i + 1)
        -- "%" ends the pattern: gopher's scanner is past the end when it looks for "]".
        if d == "" then error({ compile_error("unexpected EOS", EOS) }, 0) end
        if GOPHER_CLASSES[d] then item = { kind = "class", text = "%" .. d }; i = i + 2
        else item = { kind = "escaped", text = d }; i = i + 2 end
      else
        item = { kind = "char", text = c }
        i = i + 1
      end
      items[#items + 1] = item
      if is_range then
        local first, last = items[#items - 1], items[#items]
        items[#items] = nil
        if first.kind == "char" and last.kind == "char" then
          items[#items] = { kind = "range", from = string_byte(first.text), to = string_byte(last.text) }
        else
          items[#items] = { kind = "never" } -- gopher's rangeClass only compares plain characters
        end
        is_range = false
      end
    end
  end
  if is_range then items[#items + 1] = { kind = "char", text = "-" } end
  local parts = {}
  for _, item in ipairs(items) do
    if item.kind == "char" then parts[#parts + 1] = literal(item.text)
    elseif item.kind == "escaped" then
      -- A single class's own letter: gopher's singleClass compares it as the character.
      parts[#parts + 1] = literal(item.text)
    elseif item.kind == "class" then parts[#parts + 1] = item.text
    elseif item.kind == "range" then
      for b = item.from, item.to do parts[#parts + 1] = literal(string_char(b)) end
    end
  end
  if #parts == 0 then return negated and "[\0-\255]" or NEVER, i end
  return "[" .. (negated and "^" or "") .. table_concat(parts) .. "]", i
end

-- A sequence up to ")" (inside a capture) or the end: the Lua pattern text and the index of the
-- ")" or past the end. Elements are kept to know whether a quantifier applies to the last one.
local function parse_sequence(p, i, toplevel, out)
  local len = #p
  local last_single = false -- the previous element is a single class (a quantifier applies)
  while i <= len do
    local c = string_sub(p, i, i)
    if c == "%" then
      local d = string_sub(p, i + 1, i + 1)
      if d == "0" then error({ compile_error("invalid capture index", i - 1) }, 0) end
      if d ~= "" and string_find(d, "^%d$") then
        out[#out + 1] = "%" .. d
        i, last_single = i + 2, false
      elseif d == "b" then
        local open, close = string_sub(p, i + 2, i + 2), string_sub(p, i + 3, i + 3)
        if open == "" or close == "" then out[#out + 1] = NEVER
        else out[#out + 1] = "%b" .. open .. close end
        i, last_single = i + 4, false
      else
        out[#out + 1] = escaped_class(d ~= "" and d or nil)
        i, last_single = i + 2, true
      end
    elseif c == "[" then
      local set
      set, i = parse_set(p, i + 1)
      out[#out + 1] = set
      last_single = true
    elseif c == "." then
      out[#out + 1] = "."
      i, last_single = i + 1, true
    elseif c == ")" then
      if toplevel then error({ compile_error("invalid ')'", i > 1 and i - 2 or 0) }, 0) end
      return i
    elseif c == "(" then
      if string_sub(p, i + 1, i + 1) == ")" then
        out[#out + 1] = "()"
        i = i + 2
      else
        out[#out + 1] = "("
        i = parse_sequence(p, i + 1, false, out)
        if string_sub(p, i, i) ~= ")" then error({ compile_error("unfinished capture", EOS) }, 0) end
        out[#out + 1] = ")"
        i = i + 1
      end
      last_single = false
    elseif c == "*" or c == "+" or c == "-" or c == "?" then
      -- After a single class it quantifies it; anywhere else it is the character itself, a
      -- single class that the next quantifier applies to.
      if last_single then
        out[#out + 1] = c
        i, last_single = i + 1, false
      else
        out[#out + 1] = "%" .. c
        i, last_single = i + 1, true
      end
    elseif c == "$" and toplevel and i == len then
      out[#out + 1] = "$"
      i, last_single = i + 1, false
    else
      out[#out + 1] = literal(c)
      i, last_single = i + 1, true
    end
  end
  return i
end

local cache, cached = {}, 0

-- The compiled pattern: { lua = <Lua 5.4 pattern>, head = <anchored at the start> }, or nil and
-- gopher's error text.
function pattern.compile(p)
  local entry = cache[p]
  if entry then return entry end
  local out, head, i = {}, false, 1
  if string_sub(p, 1, 1) == "^" then head, i = true, 2 end
  local ok, err = pcall(parse_sequence, p, i, true, out)
  if not ok then
    if type(err) == "table" then return nil, err[1] end
    error(err, 0)
  end
  local body = table_concat(out)
  entry = { lua = (head and "^" or "") .. body, anchored = "^" .. body, head = head }
  -- Patterns come from filter code, a bounded set; a filter that builds thousands of distinct
  -- ones must not grow the engine's memory without end.
  if cached >= 512 then cache, cached = {}, 0 end
  cache[p], cached = entry, cached + 1
  return entry
end

-- Every match gopher's pm.Find collects from the 0-based `offset`: a list of { from, to,
-- capture values... } as Lua's find gives them. pm.Find compares the count with `limit` after
-- every start position it tries, so a negative limit is no limit, and 0 stops after the first
-- position unless that one matched (then nothing stops it).
function pattern.matches(s, entry, offset, limit)
  local found, sp, len = {}, offset, #s
  if limit == 0 and sp <= len then
    -- Only the first position is tried (matching further on could raise where gopher stops).
    local m = { string_find(s, entry.anchored, sp + 1) }
    if m[1] == nil then return found end
  end
  while sp <= len do
    local m = { string_find(s, entry.lua, sp + 1) }
    if m[1] == nil then break end
    found[#found + 1] = m
    -- gopher retries at the next start position, or past a non-empty match.
    sp = m[1] -- (m[1] - 1) + 1
    if sp < m[2] then sp = m[2] end
    if #found == limit or entry.head then break end
  end
  return found
end

return pattern
