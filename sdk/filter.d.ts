/**
 * The entry point's type and what it returns.
 *
 * @module filter
 */

/**
 * What `nauthilus_call_filter` returns: two Lua values
 * ([executeScriptWithinContext](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L486-L533)).
 * 1. the action: only `nil`/`false` accept; **anything else rejects, including `0`**;
 * 2. a code, only logged (`FILTER_RESULT_OK` = 0, `FILTER_RESULT_FAIL` = 1).
 *
 * Write `return accept()` / `return reject()` (from `"nauthilus-sdk"`) or
 * `return $multi(nauthilus_builtin.FILTER_ACCEPT, nauthilus_builtin.FILTER_RESULT_OK)`.
 *
 * @example
 * return $multi(nauthilus_builtin.FILTER_REJECT, nauthilus_builtin.FILTER_RESULT_FAIL);
 */
type FilterResult = LuaMultiReturn<[action: boolean, code: number]>;

/**
 * The entry point every filter exports as `nauthilus_call_filter`. The build makes it the Lua
 * **global** that Nauthilus calls once per request, after the file's top-level code ran (which
 * also runs once per request, on a fresh Lua state shared by that request's filters).
 *
 * A Lua error, a missing entry or a timeout makes the request a temporary failure with nothing
 * applied; a reject makes it fail with nothing applied; an accept lets the password check decide
 * and applies removals, then attributes, then the selected backend
 * ([outcome](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L1800-L1845)).
 * The timeout is `NAUTHILUS_LUA_SCRIPT_TIMEOUT` seconds per filter, 120 by default
 * ([default](https://github.com/croessner/nauthilus/blob/v1.3.9/server/config/env.go#L83)).
 * What each means for nginx and Dovecot: this package's docs/authoring.md.
 *
 * @example
 * export const nauthilus_call_filter: FilterEntry = (request) => {
 *   if (request.no_auth) return accept();
 *   return reject();
 * };
 */
type FilterEntry = (this: void, request: FilterRequest) => FilterResult;

/**
 * Compile-time helpers for the entry point's two return values. They exist only in the SDK:
 * the build replaces `return accept(code)` by `return false, code` (and `reject` by `true`),
 * and rejects any other use of them.
 *
 * @module nauthilus-sdk
 * @noResolution
 * @noSelfInFile
 */
declare module "nauthilus-sdk" {
  /**
   * Accept: `return false, code` (`code` defaults to `FILTER_RESULT_OK` = 0). The password check
   * decides the login; this filter's removals, attributes and selection will be applied if no
   * filter errs or rejects. Only valid as `return accept(...)`.
   *
   * @example
   * return accept();
   */
  export function accept(code?: number): FilterResult;
  /**
   * Reject: `return true, code` (`code` defaults to `FILTER_RESULT_FAIL` = 1). The chain stops,
   * the login fails and nothing of any filter is applied. Only valid as `return reject(...)`.
   *
   * @example
   * if (request.account === "") return reject();
   */
  export function reject(code?: number): FilterResult;
}
