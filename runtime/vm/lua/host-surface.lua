-- The host's files and process, one model (docs/fidelity.md "Host surface"): production opens
-- gopher's real io and os libraries. Here a filter reads the host's real files (io.open, io.lines,
-- require: all through the host, never the VM's in-memory file system) and writes none, since a
-- written file would outlive the request; output to stdout/stderr is captured into the outcome
-- (production's goes to Nauthilus's log); os.getenv reads the runtime's real environment.
-- Loaded once per engine by runtime/vm/lua/nauthilus.lua with its shared pieces (R); R.current
-- is the request being served. Returns new_io (a request's io table) and the os overrides.

local R = ...
local gopher, host, to_host, from_host = R.gopher, R.host, R.to_host, R.from_host
local check_string, raise, without_finalizer = R.check_string, R.raise, R.without_finalizer
local string_format, string_gsub, table_concat = string.format, string.gsub, table.concat

local shallow_copy_table = gopher.fresh_copy

local WRITE_REFUSED = "the local runtime does not write files (a file would outlive the request; production writes it)"

-- A read-only file: its whole content, read at open time. Its metatable belongs to the request
-- (a filter can reach it with getmetatable), built by new_io.
local FILES = setmetatable({}, { __mode = "k" }) -- file -> { data, pos, closed }

local function file_tostring(f)
  local state = FILES[f]
  if state == nil or state.closed then return "file (closed)" end
  return "file (" .. string_format("%p", f) .. ")"
end

local function file_state(f, name)
  local state = FILES[f]
  if state == nil then error(string_format("bad argument #1 to %s (file expected)", name), 3) end
  if state.closed then error("attempt to use a closed file", 3) end
  return state
end

local function read_one(state, format)
  local data, pos = state.data, state.pos
  if type(format) == "number" then
    if pos > #data then return nil end
    local chunk = string.sub(data, pos, pos + format - 1)
    state.pos = pos + #chunk
    return chunk
  end
  format = string_gsub(tostring(format), "^%*", "")
  local kind = string.sub(format, 1, 1)
  if kind == "a" then
    state.pos = #data + 1
    return string.sub(data, pos)
  elseif kind == "l" or kind == "L" then
    if pos > #data then return nil end
    local nl = string.find(data, "\n", pos, true)
    local last = nl or #data
    state.pos = last + 1
    if kind == "L" or not nl then return string.sub(data, pos, last) end
    return string.sub(data, pos, last - 1)
  elseif kind == "n" then
    local s, e = string.find(data, "^%s*[-+]?[%w%.]+", pos)
    if not s then return nil end
    state.pos = e + 1
    return gopher.tonumber(string.sub(data, s, e))
  end
  error("bad argument #1 to read (invalid format)", 3)
end

local FILE_METHODS = {}

function FILE_METHODS.read(f, ...)
  local state = file_state(f, "read")
  local n = select("#", ...)
  if n == 0 then return read_one(state, "l") end
  local out = {}
  for i = 1, n do
    out[i] = read_one(state, (select(i, ...)))
    if out[i] == nil then return table.unpack(out, 1, i) end
  end
  return table.unpack(out, 1, n)
end

function FILE_METHODS.lines(f, ...)
  local state = file_state(f, "lines")
  local formats = table.pack(...)
  return function()
    if formats.n == 0 then return read_one(state, "l") end
    return read_one(state, formats[1])
  end
end

function FILE_METHODS.seek(f, whence, offset)
  local state = file_state(f, "seek")
  whence, offset = whence or "cur", offset or 0
  local base = whence == "set" and 0 or whence == "end" and #state.data or state.pos - 1
  state.pos = math.max(0, base + offset) + 1
  return state.pos - 1
end

function FILE_METHODS.close(f)
  file_state(f, "close").closed = true
  return true
end


function FILE_METHODS.flush(f) file_state(f, "flush"); return f end
function FILE_METHODS.setvbuf(f) file_state(f, "setvbuf"); return true end

-- Each request's io state (`R.current.io`): the file metatable and its methods (a filter can
-- reach them with getmetatable, so they are the request's own) and the default streams. The
-- io and os functions themselves are built once and shared: they hold no state of their own.
local set_file_metatable = without_finalizer(setmetatable)

local function new_file(data)
  local f = set_file_metatable({}, R.current.io.file_mt)
  FILES[f] = { data = data, pos = 1 }
  return f
end

-- write on a captured stream (stdout, stderr) sends the text into the outcome, like print.
function FILE_METHODS.write(f, ...)
  local state = file_state(f, "write")
  if not state.stream then return nil, "bad file descriptor", 1 end
  local parts = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    local t = type(v)
    if t == "number" then v = gopher.tostring(v)
    elseif t ~= "string" then error(string_format("bad argument #%d to write (string expected, got %s)", i, t), 2) end
    parts[i] = v
  end
  host.write_output(to_host(state.stream), to_host(table_concat(parts)))
  return true -- gopher's write returns true, not the file (GL/iolib.go:250)
end

-- Opens a host file for reading; nil and Go's message otherwise. Writing is refused.
local function open_file(path, mode)
  if not string.find(mode, "^r%+?b?$") and not string.find(mode, "^[wa]") then
    error(string_format("bad argument #2 to open (invalid mode '%s')", mode), 3)
  end
  if string.sub(mode, 1, 1) ~= "r" or string.find(mode, "+", 1, true) then
    return nil, path .. ": " .. WRITE_REFUSED, 13
  end
  local answer = host.read_file(to_host(path))
  if string.sub(answer, 1, 1) == "e" then return nil, from_host(string.sub(answer, 2)), 2 end
  return new_file(from_host(string.sub(answer, 2)))
end

local IO = {}
function IO.open(path, mode)
  path = check_string(1, 1, path)
  mode = mode == nil and "r" or check_string(1, 2, mode)
  local f, message, code = open_file(path, mode)
  return f, message, code
end
function IO.write(...) return R.current.io.output:write(...) end
function IO.read(...) return R.current.io.input:read(...) end
function IO.lines(path, ...)
  if path == nil then return R.current.io.input:lines(...) end
  local f, message = IO.open(path, "r")
  if not f then error(message, 2) end
  return f:lines(...)
end
function IO.close(f) return (f or R.current.io.output):close() end
function IO.input(file)
  local state = R.current.io
  if file == nil then return state.input end
  if type(file) == "string" then
    local f, message = IO.open(file, "r")
    if not f then error(message, 2) end
    file = f
  end
  state.input = file
  return file
end
function IO.output(file)
  local state = R.current.io
  if file == nil then return state.output end
  if type(file) == "string" then error(file .. ": " .. WRITE_REFUSED, 2) end
  state.output = file
  return file
end
function IO.type(f)
  local state = FILES[f]
  if state == nil then return nil end
  return state.closed and "closed file" or "file"
end
function IO.popen() error("io.popen: the local runtime starts no processes (production runs the command on the Nauthilus host)", 2) end
function IO.tmpfile() return nil, WRITE_REFUSED, 13 end
function IO.flush() return R.current.io.output end

-- The request's io table and state; `R.current.io` must be set before files are made.
local function new_io()
  local methods = shallow_copy_table(FILE_METHODS)
  R.current.io = { file_mt = { __index = methods, __name = "FILE*", __tostring = file_tostring } }
  local stdin, stdout, stderr = new_file(""), new_file(""), new_file("")
  FILES[stdout].stream, FILES[stderr].stream = "stdout", "stderr"
  R.current.io.input, R.current.io.output = stdin, stdout
  local io = shallow_copy_table(IO)
  io.stdin, io.stdout, io.stderr = stdin, stdout, stderr
  return io
end

local OS = {} -- overrides of gopher's os functions
function OS.getenv(name)
  local answer = host.getenv(to_host(check_string(1, 1, name)))
  if answer == nil then return nil end
  return from_host(answer)
end
-- gopher returns true or nil, message (GL/oslib.go:153-175).
function OS.remove(path) return nil, "remove " .. check_string(1, 1, path) .. ": " .. WRITE_REFUSED end
function OS.rename(path) return nil, "rename " .. check_string(1, 1, path) .. ": " .. WRITE_REFUSED end
function OS.setenv(name) check_string(1, 1, name); return nil, "setenv: the local runtime does not change its environment" end
function OS.tmpname() raise(1, "os.tmpname: " .. WRITE_REFUSED) end
function OS.execute(command)
  check_string(1, 1, command)
  raise(1, "os.execute: the local runtime starts no processes (production runs the command with /bin/sh on the Nauthilus host)")
end
-- GL/oslib.go osDate: the "*t" table's yday is always 0 ("TODO yday & dst").
local raw_date = os.date
function OS.date(format, ...)
  local d = raw_date(format, ...)
  if type(d) == "table" then d.yday = 0 end
  return d
end
-- gopher: "setlocale is not supported", always false (GL/oslib.go:177-181). The VM's C locale
-- is process-wide, so it must not change anyway.
function OS.setlocale() return false end

return { new_io = new_io, OS = OS }
