// TypeScriptToLua's generators are coroutines (its lualib's __TS__Generator, __TS__Iterator and
// __TS__DelegatedYield). Patched here where they are not JavaScript's, on gopher-lua or anywhere:
// - gopher-lua v1.1.1 fails when a coroutine is resumed with fewer values than its `yield`
//   returns: reading the missing value is a Go nil pointer dereference ("runtime error: invalid
//   memory address or nil pointer dereference", raised inside the coroutine; checked on gopher-lua
//   v1.1.1). `const x = yield 1` failed whenever next() had no argument, as in every for…of. A
//   JavaScript yield receives exactly one value: the lualib now resumes with exactly one.
// - `yield*` hands each value next() receives on to the generator or iterator it delegates to
//   (the lualib resumed it with nothing).
// - return(v) and throw(e), which the lualib's generators lack ("attempt to call a nil value"),
//   finish the generator: {value = v, done = true}, or e raised. TypeScriptToLua rejects try/catch
//   inside a generator on Lua 5.1, so no finally block can run in between.
// Each replacement checks the lualib text it replaces; a lualib that changed fails the build.

const GENERATOR_RESUME = "        local status, value = coroutine.resume(co, ...)\n";
const GENERATOR_OBJECT = "                next = generatorNext\n";
const GENERATOR_FUNCTION = "    function __TS__Generator(fn)\n";
const FINISH = `    local function generatorFinish(self)
        local finished = coroutine.create(function() end)
        coroutine.resume(finished)
        self.____coroutine = finished
    end
    local function generatorReturn(self, value)
        generatorFinish(self)
        return {value = value, done = true}
    end
    local function generatorThrow(self, err)
        generatorFinish(self)
        error(err, 0)
    end
`;

const ITERATOR_RESUME = "        local status, value = coroutine.resume(co)\n";

const DELEGATED_GENERATOR = `        local co = iterable.____coroutine
        while true do
            local status, value = coroutine.resume(co)
            if not status then
                error(value, 0)
            end
            if coroutine.status(co) == "dead" then
                return value
            else
                coroutine.yield(value)
            end
        end
`;
const DELEGATED_ITERATOR = `        local iterator = iterable[Symbol.iterator](iterable)
        while true do
            local result = iterator:next()
            if result.done then
                return result.value
            else
                coroutine.yield(result.value)
            end
        end
`;

function replaceOnce(block: string, from: string, to: string, name: string): string {
  const at = block.indexOf(from);
  if (at < 0 || block.indexOf(from, at + 1) >= 0) throw new Error(`unexpected lualib ${name} block`);
  return block.slice(0, at) + to + block.slice(at + from.length);
}

/** The printed lualib with the generator blocks patched (others unchanged). */
export function patchLualibGenerators(code: string): string {
  let out = code.replace(/^local __TS__Generator\ndo\n[\s\S]*?\nend\n/m, (block) => {
    let patched = replaceOnce(block, GENERATOR_RESUME, "        local status, value = coroutine.resume(co, (...))\n", "__TS__Generator");
    patched = replaceOnce(patched, GENERATOR_FUNCTION, FINISH + GENERATOR_FUNCTION, "__TS__Generator");
    return replaceOnce(
      patched,
      GENERATOR_OBJECT,
      '                next = generatorNext,\n                ["return"] = generatorReturn,\n                throw = generatorThrow\n',
      "__TS__Generator",
    );
  });
  out = out.replace(/^local __TS__Iterator\ndo\n[\s\S]*?\nend\n/m, (block) =>
    replaceOnce(block, ITERATOR_RESUME, "        local status, value = coroutine.resume(co, nil)\n", "__TS__Iterator"),
  );
  out = out.replace(/^local function __TS__DelegatedYield\(iterable\)\n[\s\S]*?\nend\n/m, (block) => {
    const generator = DELEGATED_GENERATOR.replace("        while true do\n", "        local sent = nil\n        while true do\n")
      .replace("coroutine.resume(co)", "coroutine.resume(co, sent)")
      .replace("                coroutine.yield(value)", "                sent = coroutine.yield(value)");
    const iterator = DELEGATED_ITERATOR.replace("        while true do\n", "        local sent = nil\n        while true do\n")
      .replace("iterator:next()", "iterator:next(sent)")
      .replace("                coroutine.yield(result.value)", "                sent = coroutine.yield(result.value)");
    return replaceOnce(replaceOnce(block, DELEGATED_GENERATOR, generator, "__TS__DelegatedYield"), DELEGATED_ITERATOR, iterator, "__TS__DelegatedYield");
  });
  return out;
}
