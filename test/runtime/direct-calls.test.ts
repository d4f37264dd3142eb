// The engine's calls into Lua skip wasmoon's checked glue where all values are numbers
// (runtime/vm/direct-calls.ts). What that could break: values crossing the boundary and the
// memory cap's accounting (test/isolation/failures.test.ts covers the cap).
import { describe, expect, it } from "vitest";
import { directCallsActive } from "../../runtime/vm/direct-calls";
import { luaPrints, runInProcess } from "../helpers/runtime";

describe("direct calls into the wasm exports", () => {
  it("are in use once an engine exists (a wasmoon upgrade that hides the exports fails here)", async () => {
    await luaPrints("print(1)");
    expect(directCallsActive).toBe(true);
  });

  it("numbers, booleans and strings (short, long, with NUL and non-ASCII) still cross both ways", async () => {
    const long = "é\u0000x".repeat(2000);
    const outcome = await runInProcess({
      filters: [
        {
          name: "f.lua",
          source: `function nauthilus_call_filter(request)
  nauthilus_builtin.custom_log_add("n", request.brute_force_counter * 2)
  nauthilus_builtin.custom_log_add("b", tostring(request.authenticated))
  nauthilus_builtin.custom_log_add("len", #request.username)
  nauthilus_builtin.status_message_set(request.username .. "!")
  return nauthilus_builtin.FILTER_ACCEPT, nauthilus_builtin.FILTER_RESULT_OK
end`,
        },
      ],
      servers: [],
      attributes: {},
      request: { username: long, brute_force_counter: 2.5, authenticated: true },
    });
    expect(outcome.error).toBeNull();
    expect(outcome.status_message).toBe(`${long}!`);
    expect(outcome.logs).toEqual([["n", "5"], ["b", "true"], ["len", String(Buffer.byteLength(long))]]);
  });
});
