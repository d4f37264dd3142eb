/**
 * The module `nauthilus_backend` of Nauthilus v1.3.9 (feature `backend_server_monitoring`),
 * contract §3. It is built anew for every request when the filter `require`s it.
 *
 * `import { get_backend_servers } from "nauthilus_backend"` compiles to
 * `dynamic_loader("nauthilus_backend")` followed by `require("nauthilus_backend")`.
 *
 * @noResolution
 * @noSelfInFile
 */
declare module "nauthilus_backend" {
  /**
   * A live mail backend as the monitoring registry publishes it (contract §3.1, §6). In Lua it is
   * a read-only userdata of type `nauthilus_backend_server`: any other key reads as `nil`,
   * assigning a field raises `attempt to index a non-table object(userdata) with key '<key>'`,
   * and `pairs()` over it fails.
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
   * taken when the request's filters started, a new table on every call (contract §3.1).
   *
   * All protocols are in the list: filter by `protocol` yourself. The order is the configuration
   * order until membership first changes, then the order in which probes completed; sort or hash
   * if you need a stable choice. With the feature `backend_server_monitoring` off the list is empty.
   *
   * @example
   * const imapServers = get_backend_servers().filter((s) => s.protocol === request.protocol);
   */
  export function get_backend_servers(): BackendServer[];

  /**
   * Chooses the backend that nginx connects the client to: the nginx endpoint answers
   * `Auth-Server: <ip>` and `Auth-Port: <port>` (contract §3.2, §7).
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
   * Hands a backend result's attributes to Nauthilus (contract §3.3, §7). It keeps a **live
   * reference**: a later `result.attributes({...})` is seen, and a second call replaces the first.
   *
   * The attributes are added to the password backend's attributes **only where that name is
   * absent**: to replace a value the backend already has, remove the name first with
   * `remove_from_backend_result`. The header endpoint sends each as `X-Nauthilus-<Name>`;
   * nginx never gets attribute headers.
   *
   * When the password backend gave **no attribute map at all** (not an empty one), production
   * adds into a nil Go map once the filters are done and the request fails with HTTP 500
   * (`assignment to entry in nil map`); the local runtime reports it as outcome `server_error`
   * with that text. Apply a result only where the password backend has attributes.
   *
   * @example
   * const result = nauthilus_backend_result.new();
   * result.attributes({ hostip: server.ip });
   * apply_backend_result(result);
   */
  export function apply_backend_result(result: BackendResult): void;

  /**
   * Removes attribute names from the **password backend's** attributes (contract §3.4, §7).
   * Removals accumulate over the request's filters and always happen before the filters'
   * attributes are added; they never remove an attribute a filter applied.
   *
   * @example
   * remove_from_backend_result(["Proxy-Host"]);
   */
  export function remove_from_backend_result(names: readonly string[]): void;

  /**
   * Probes a backend now (contract §3.5): a TCP connect with a 5 s timeout, then the 16-byte
   * PROXY v2 LOCAL header if `haproxy_v2`, then a TLS handshake without certificate verification
   * and without SNI if `tls`; no mail-protocol bytes; then the connection is closed.
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
