/**
 * The globals Nauthilus v1.3.9 gives every filter besides the request: `nauthilus_builtin` and
 * `dynamic_loader`.
 *
 * @module builtin
 */

/**
 * The global table `nauthilus_builtin` of a filter state
 * ([setGlobals](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L455-L469)).
 *
 * @example
 * nauthilus_builtin.custom_log_add("director_choice", server.ip);
 * nauthilus_builtin.status_message_set("No mail server is available right now");
 */
declare const nauthilus_builtin: {
  /** `false`: the filter accepts; the password check then decides the login. */
  readonly FILTER_ACCEPT: false;
  /** `true`: the filter rejects the login; the chain stops and nothing of any filter is applied. */
  readonly FILTER_REJECT: true;
  /** `0`: the code a filter returns when it worked. Only logged. */
  readonly FILTER_RESULT_OK: 0;
  /** `1`: the code a filter returns when it failed. Only logged; it does not reject. */
  readonly FILTER_RESULT_FAIL: 1;
  /**
   * Sets the status message sent to the client on a failed login (nginx: `Auth-Status`).
   * Last call wins. It is used when a filter rejects or the password check fails, and ignored
   * when a filter raises an error (the request is then a temporary failure)
   * ([outcome](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L1800-L1845)).
   * It does not change `request.status_message`.
   *
   * @example
   * nauthilus_builtin.status_message_set("Your mailbox is being moved, try again in 5 minutes");
   * return reject();
   */
  status_message_set(this: void, message: string): void;
  /**
   * Adds a key/value pair to the request's log line. A value that is not a boolean, number or
   * string is logged as `"UNSUPPORTED"`; numbers are logged as Go `%v` of a float64 (`1e+06`).
   * The pairs are appended to the request's log line only when no filter raised an error
   * ([AddCustomLog](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/logging.go#L33-L53)).
   *
   * @example
   * nauthilus_builtin.custom_log_add("director_backend", `${server.ip}:${server.port}`);
   */
  custom_log_add(this: void, key: string, value: string | number | boolean): void;
};

/**
 * Preloads a Nauthilus module so that a later `require(name)` finds it
 * ([registerDynamicLoader](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L59-L108)).
 * An unknown name is a silent no-op in production; `require` of a module that was never
 * loaded fails with `module <name> not found:`. Calling it twice is harmless.
 *
 * You never write this call: `npm run build-filters` emits `dynamic_loader("<module>")` before
 * every `require` of a `nauthilus_*` module.
 *
 * Local runtime: only `nauthilus_backend` is implemented; `require` of any other Nauthilus module
 * fails with a message saying the local runtime does not provide it.
 *
 * @example
 * // What the build emits for `import { get_backend_servers } from "nauthilus_backend"`:
 * // dynamic_loader("nauthilus_backend")
 * // local ____nauthilus_backend = require("nauthilus_backend")
 */
declare function dynamic_loader(this: void, name: string): void;
