/**
 * The module `nauthilus_backend` of Nauthilus v1.3.9 (feature `backend_server_monitoring`). It
 * is built anew for every request when the filter `require`s it
 * ([LoaderModBackend](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L125-L139)).
 *
 * `import { get_backend_servers } from "nauthilus_backend"` compiles to
 * `dynamic_loader("nauthilus_backend")` followed by `require("nauthilus_backend")`.
 *
 * @module nauthilus_backend
 * @noResolution
 * @noSelfInFile
 */
declare module "nauthilus_backend" {
  /**
   * A live mail backend as the monitoring registry publishes it: one entry of
   * `backend_server_monitoring.backend_servers` in the configuration. In Lua it is a read-only
   * userdata of type `nauthilus_backend_server`: any other key reads as `nil`, assigning a field
   * raises `attempt to index a non-table object(userdata) with key '<key>'`, and `pairs()` over
   * it fails ([indexMethod](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L292-L317)).
   *
   * @example
   * const tlsServers = get_backend_servers().filter((s) => s.tls && s.protocol === "imap");
   */
  export interface BackendServer {
    /** The configured `ip` of the server (an IP literal or a host name, as configured). */
    readonly ip: string;
    /** The configured port. */
    readonly port: number;
    /** The configured `protocol`: free text (`imap`, `pop3`, `lmtp`, ...), not checked by Nauthilus. */
    readonly protocol: string;
    /** Whether the server expects a HAProxy PROXY protocol v2 header. */
    readonly haproxy_v2: boolean;
    /** Whether the server speaks TLS from the first byte (implicit TLS). */
    readonly tls: boolean;
  }

  /**
   * Returns the servers the monitoring registry holds as alive **for this request**: a snapshot
   * taken when the request's filters started, a new table on every call
   * ([getBackendServers](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L328-L363)). In Lua it is a 1-based
   * table; in TypeScript it is an ordinary array (`servers[0]` is the first, `servers.length`
   * the count).
   *
   * All protocols are in the list: filter by `protocol` yourself. The order is the configuration
   * order until membership first changes, then the order in which probes completed; sort or hash
   * if you need a stable choice. The monitoring probes every server every 10 s; one failed probe
   * drops a server, one success brings it back
   * ([loopBackendServersHealthCheck](https://github.com/croessner/nauthilus/blob/v1.3.9/server/main.go#L903-L943)). With the feature
   * `backend_server_monitoring` off the list is empty.
   *
   * @example
   * const imapServers = get_backend_servers().filter((s) => s.protocol === request.protocol);
   */
  export function get_backend_servers(): BackendServer[];

  /**
   * Chooses the backend that nginx connects the client to: the nginx endpoint answers
   * `Auth-Server: <ip>` and `Auth-Port: <port>`
   * ([selectBackendServer](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L374-L390),
   * [setNginxHeaders](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L604-L627)).
   *
   * **Last call wins**, across all filters of the request. The choice is used only when no filter
   * raised an error or rejected, and only if `ip` is non-empty and `port > 0`. `port` is truncated
   * to an integer (`143.7` → 143). nginx accepts only an IP literal in `Auth-Server`.
   *
   * @example
   * const [first] = get_backend_servers();
   * if (first !== undefined) select_backend_server(first.ip, first.port);
   */
  export function select_backend_server(ip: string, port: number): void;

  /**
   * Hands a backend result's attributes to Nauthilus. It keeps a **live reference**: a later
   * `result.attributes({...})` is seen, and a second call replaces the first
   * ([applyBackendResult](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L402-L414)).
   *
   * The attributes are added to the password backend's attributes **only where that name is
   * absent** ([FilterLua](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L1820-L1835)): to replace a value the
   * backend already has, remove the name first with `remove_from_backend_result`. The header
   * endpoint sends each as `X-Nauthilus-<Name>`
   * ([setHeaderHeaders](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L649-L686)); nginx never gets attribute headers.
   *
   * When Nauthilus holds **no attributes for the user**, production adds into a nil Go map once
   * the filters are done and the request fails with HTTP 500 (`assignment to entry in nil map`).
   * It keeps the password backend's attributes only when there is at least one
   * ([updateAuthentication](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L1036-L1062)),
   * so this is the case for an unknown user: apply a result only when `request.user_found`.
   * Local runtime: the run's `attributes` is `null` for this case, and the outcome is
   * `server_error` with that text.
   *
   * @example
   * const result = nauthilus_backend_result.new();
   * result.attributes({ hostip: server.ip });
   * apply_backend_result(result);
   */
  export function apply_backend_result(result: BackendResult): void;

  /**
   * Removes attribute names from the **password backend's** attributes
   * ([removeFromBackendResult](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/filter/filter.go#L432-L446)).
   * Removals accumulate over the request's filters and always happen before the filters'
   * attributes are added; they never remove an attribute a filter applied.
   *
   * @example
   * remove_from_backend_result(["Proxy-Host"]);
   */
  export function remove_from_backend_result(names: readonly string[]): void;

  /**
   * Probes a backend now: a TCP connect with a 5 s timeout, then the 16-byte PROXY v2 LOCAL
   * header if `haproxy_v2`, then a TLS handshake without certificate verification and without
   * SNI if `tls`; no mail-protocol bytes; then the connection is closed
   * ([CheckBackendConnection](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/connection.go#L55-L78),
   * [the probe](https://github.com/croessner/nauthilus/blob/v1.3.9/server/monitoring/connection.go#L64-L121)).
   *
   * Returns `undefined` (Lua `nil`) on success, otherwise Go's error text, e.g.
   * `dial tcp 127.0.0.1:1: connect: connection refused` or one ending in `i/o timeout`.
   *
   * **Opens a new connection on every call**, for every request that runs the filter: prefer the
   * monitoring registry (`get_backend_servers`) and probe only to verify a choice.
   *
   * Local runtime: the TLS handshake is bounded by the probe timeout too (production sets no
   * handshake deadline), and the error says so.
   *
   * @example
   * const error = check_backend_connection(server.ip, server.port, server.haproxy_v2, server.tls);
   * if (error === undefined) select_backend_server(server.ip, server.port);
   */
  export function check_backend_connection(
    ip: string,
    port: number,
    haproxy_v2: boolean,
    tls: boolean,
  ): string | undefined;
}
