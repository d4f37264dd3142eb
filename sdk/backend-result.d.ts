/**
 * Backend results: the attributes a filter hands to Nauthilus, and their values.
 *
 * @module backend-result
 */

/**
 * A value of a filter attribute. Production converts it to Go: numbers become float64, nested
 * arrays become lists
 * ([LuaValueToGo](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/convert/convert.go#L160-L207)).
 * On the header endpoint a value is written as Go `%v`: `993` → `993`, `1000000` → `1e+06`,
 * `true` → `true`, `["a", "b"]` → `[a b]`; an empty string sends no header at all
 * ([handleAttributeValue](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L666-L686)).
 *
 * Avoid array values when more than one filter runs: once an array-valued attribute was applied,
 * the next filter's result comparison panics in production and the request ends in HTTP 500
 * ([CallFilterLua](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L587-L675)).
 */
type AttributeValue = string | number | boolean | AttributeValue[];

/**
 * The attribute map of a backend result: attribute name → value. The name becomes the header
 * `X-Nauthilus-<Canonical-Name>` (`hostip` → `X-Nauthilus-Hostip`, `proxy-host` →
 * `X-Nauthilus-Proxy-Host`, `display_name` → `X-Nauthilus-Display_name`).
 */
type BackendResultAttributes = { [name: string]: AttributeValue };

/**
 * A backend result userdata (`nauthilus_backend_result.new()`). In filters at v1.3.9 it has
 * exactly one method, `attributes`; `authenticated`, `user_found` and the other methods of the
 * type are absent (calling them fails with `attempt to call a non-function object`)
 * ([registered](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L630)).
 */
interface BackendResult {
  /**
   * Getter: returns a **new** table with the current attributes (`{}` if never set). Changing the
   * returned table changes nothing; set it again with the setter
   * ([attributes](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/backendresult.go#L248-L260)).
   *
   * @example
   * const current = result.attributes();
   */
  attributes(): BackendResultAttributes;
  /**
   * Setter: **replaces** the whole attribute map (it does not merge). Called on a result that was
   * already applied, the change is seen by `apply_backend_result` (it keeps a live reference).
   *
   * Production rejects a table whose keys are all array indices, **including `{}`**, with
   * `interface conversion: interface {} is []interface {}, not map[interface {}]interface {}`:
   * always pass at least one named attribute. `undefined` values are dropped.
   *
   * @example
   * const result = nauthilus_backend_result.new();
   * result.attributes({ hostip: server.ip });
   * apply_backend_result(result);
   */
  attributes(attributes: BackendResultAttributes): void;
  /**
   * A type-only brand, absent in Lua: only `nauthilus_backend_result.new()` makes a
   * BackendResult, so a plain table cannot reach `apply_backend_result`, which production rejects.
   *
   * @internal
   */
  readonly __nauthilusBackendResult: unique symbol;
}

/**
 * The global type table of backend results
 * ([RegisterBackendResultType](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/backendresult.go#L60-L94)).
 * `nauthilus_backend_result.new()` and `nauthilus_backend_result:new()` both make a new, empty
 * result. It is not a module: `require("nauthilus_backend_result")` fails.
 *
 * @example
 * const result = nauthilus_backend_result.new();
 * result.attributes({ hostip: "10.0.0.5" });
 */
declare const nauthilus_backend_result: {
  /** Makes a new backend result with no attributes. Arguments are ignored. */
  readonly new: (this: void) => BackendResult;
};
