// What a filter's `catch (e)` receives (docs/typescript-on-production.md "catch"): for an error of
// a host function, a Lua runtime error and a thrown Error, the value of `typeof e`, `String(e)`
// and `e.message`, on the runtime (production's wording, which is gopher's, not V8's).
import { describe, expect, it } from "vitest";
import { compileSource } from "../helpers/filter-source";
import { runInProcess } from "../helpers/runtime";

const SOURCE = `import { accept } from "nauthilus-sdk";
import * as backend from "nauthilus_backend";
function describeError(e: unknown): string {
  return [typeof e, String(e), String((e as Error).message)].join(" / ");
}
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const out: string[] = [];
  try {
    backend.select_backend_server("10.0.0.1", "imaps" as unknown as number);
  } catch (e) {
    out.push(describeError(e));
  }
  try {
    const missing = undefined as unknown as { field: string };
    out.push(missing.field);
  } catch (e) {
    out.push(describeError(e));
  }
  try {
    throw new Error("no route for this user");
  } catch (e) {
    out.push(describeError(e));
  }
  nauthilus_builtin.status_message_set(out.join("\\n"));
  return accept();
}
`;

describe("catch (e) in a filter", () => {
  it("a host error and a Lua error are strings with gopher's text; a thrown Error is an Error", async () => {
    const filter = compileSource(SOURCE, "catching");
    expect(filter.lua).toBeDefined();
    const o = await runInProcess({ filters: [{ name: "catching.lua", source: filter.lua! }], servers: [], attributes: {}, request: {} });
    expect(o.error).toBeNull();
    const [host, lua, thrown] = o.status_message!.split("\n");
    // Errors raised by Lua or by a host function are strings, worded as gopher words them, with
    // the Lua position of the compiled filter; they have no .message.
    expect(host).toMatch(/^string \/ catching\.lua:\d+: bad argument #2 to select_backend_server \(number expected, got string\) \/ undefined$/);
    expect(lua).toMatch(/^string \/ catching\.lua:\d+: attempt to index a non-table object\(nil\) with key 'field' \/ undefined$/);
    // A thrown Error stays an Error object.
    expect(thrown).toBe("object / Error: no route for this user / no route for this user");
  });
});
