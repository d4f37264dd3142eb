/**
 * The request a filter receives: the fields, where Nauthilus v1.3.9 takes each from, and when it
 * is empty.
 *
 * @module request
 */

/**
 * The `request` table Nauthilus v1.3.9 passes to `nauthilus_call_filter`
 * ([request.go](https://github.com/croessner/nauthilus/blob/v1.3.9/server/lualib/request.go#L181-L238),
 * filled by [FilterLua](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L1754-L1797)).
 * One table per request, shared by the request's filters. Filters run after the password check,
 * also when the login came from Nauthilus's in-memory cache.
 *
 * Every field is always present: Lua booleans, one Lua number (`brute_force_counter`) and strings.
 * A string the caller did not send is `""`, which is **true in Lua**; in TypeScript the build keeps
 * JavaScript's meaning (`if (request.client_ip)` is false for `""`). Ports are strings.
 *
 * Where a field comes from depends on the endpoint (`service`):
 * - `nginx`, `header`: request headers, named below by their default names; each name can be
 *   changed under `server.default_http_request_header` in the configuration (the key is given
 *   where it is not the field's name)
 *   ([defaults](https://github.com/croessner/nauthilus/blob/v1.3.9/server/config/file.go#L1759-L1799),
 *   [reading them](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L2001-L2045));
 * - `json`, `saslauthd`: the POST body, a JSON object (`Content-Type: application/json`,
 *   [fields](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L2116-L2143))
 *   or a form (`application/x-www-form-urlencoded`,
 *   [fields](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L2051-L2070));
 * - `basic`: the client, local and TLS headers as for `nginx`; user name and password from HTTP
 *   Basic authentication
 *   ([HandleAuthentication](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/rest.go#L118-L129)).
 *
 * Five fields are never filled for filters at v1.3.9: `repeating` (`false`),
 * `brute_force_counter` (`0`), `client_net`, `brute_force_bucket` and `feature` (`""`).
 *
 * Local runtime: a field the run's request does not set holds its zero value (`false`, `0`, `""`).
 *
 * @example
 * export function nauthilus_call_filter(request: FilterRequest): FilterResult {
 *   if (request.account === "" || request.protocol !== "imap") return accept();
 *   nauthilus_builtin.custom_log_add("client", `${request.client_ip}:${request.client_port}`);
 *   return accept();
 * }
 */
interface FilterRequest {
  /** `true` when Nauthilus logs at level `debug` (`server.log.level`). */
  readonly debug: boolean;
  /** Always `false` for filters: Nauthilus v1.3.9 does not fill it there. */
  readonly repeating: boolean;
  /**
   * `true` when a password backend found the user, also on a login served from the in-memory
   * cache. `false`: no password backend knows the user.
   */
  readonly user_found: boolean;
  /**
   * The password check's result (a cached successful login counts; with `no_auth` a found user
   * counts as authenticated). A filter never changes it: returning `FILTER_ACCEPT` lets the
   * password check decide, so an accept never turns a failed login into success
   * ([outcome](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L1800-L1845)).
   */
  readonly authenticated: boolean;
  /**
   * `true` for a request made with `?mode=no-auth`: a user lookup without a password check
   * ([setOperationMode](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L1960-L1986)).
   */
  readonly no_auth: boolean;
  /** Always `0` for filters: Nauthilus v1.3.9 does not fill it there. A Lua number (float64). */
  readonly brute_force_counter: number;
  /**
   * The endpoint that received the request, `/api/v1/auth/<service>`: `nginx`, `header`, `json`,
   * `basic` or `saslauthd`.
   */
  readonly service: string;
  /**
   * Nauthilus's id of this request (a 27-character KSUID, new for every request). Every response
   * carries it as `X-Nauthilus-Session`, and Nauthilus's log lines as `session`.
   */
  readonly session: string;
  /**
   * The client's IP address. Header `Client-IP`; JSON body `client_ip`; empty for a form body.
   * When the header is missing and `server.haproxy_v2` is on, the address of the HTTP peer, or the
   * first `X-Forwarded-For` address when that peer is a trusted proxy
   * ([WithClientInfo](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L2311-L2350)).
   */
  readonly client_ip: string;
  /**
   * The client's TCP port, as a string (e.g. `"52314"`); `""` when not sent. Header
   * `X-Client-Port`; JSON body `client_port`. `"N/A"` when `client_ip` came from `X-Forwarded-For`.
   * Test for `""` before `Number(request.client_port)`: `Number("")` is `0`, `Number("N/A")` `NaN`.
   */
  readonly client_port: string;
  /** Always `""` for filters: Nauthilus v1.3.9 does not fill it there. */
  readonly client_net: string;
  /**
   * The client's host name. With `server.dns.resolve_client_ip: true` the PTR name of
   * `client_ip` (without the trailing dot); otherwise, or when that finds none, the header named
   * by the key `client_host`, which has no default name (so `""` unless configured). JSON body:
   * `client_hostname`.
   */
  readonly client_hostname: string;
  /**
   * An id some mail clients send (IMAP), as the proxy forwards it. Header
   * `X-Client-ID`. Always `""` for a JSON or form body: v1.3.9 stores the JSON body's
   * `client_id` in `user_agent` instead.
   */
  readonly client_id: string;
  /**
   * Header `User-Agent` of the HTTP request to Nauthilus; JSON body: its `client_id`; form body:
   * `user_agent`.
   */
  readonly user_agent: string;
  /**
   * The address of the server the client connected to. Header `X-Local-IP`; JSON body `local_ip`;
   * always `"127.0.0.1"` for a form body.
   */
  readonly local_ip: string;
  /**
   * The port of the server the client connected to, as a string (e.g. `"993"`). Header
   * `X-Auth-Port` (key `local_port`); JSON body `local_port`; form body `port`.
   */
  readonly local_port: string;
  /**
   * The login name as the client sent it. Header `Auth-User` (key `username`); JSON or form body
   * `username`; `basic`: the HTTP Basic user name.
   */
  readonly username: string;
  /**
   * The account name: the first value of the password backend's attribute named by
   * `account_field`, if it is a string
   * ([GetAccount](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L461-L473)).
   * `""` when the user was not found.
   */
  readonly account: string;
  /** The name of the password backend's attribute that holds the account name (e.g. LDAP `uid`). */
  readonly account_field: string;
  /**
   * The first value of the backend attribute configured as the unique user id (used for
   * WebAuthn), if it is a string; `""` when none is configured or the user has none.
   */
  readonly unique_user_id: string;
  /**
   * The first value of the backend attribute configured as the display name, if it is a string;
   * `""` otherwise. With LDAP and no display-name attribute configured, the account attribute.
   */
  readonly display_name: string;
  /**
   * The password as the client sent it. Header `Auth-Pass` (key `password`; base64url-decoded
   * when `X-Auth-Password-Encoded: 1`); JSON or form body `password`; `basic`: the HTTP Basic
   * password. Never log it.
   */
  readonly password: string;
  /**
   * The protocol of the login, free text: nginx sends `imap`, `pop3` or `smtp`. Header
   * `Auth-Protocol`; JSON body: its `service` field; form body `protocol`; `basic`: `http`.
   * `"default"` when empty
   * ([WithDefaults](https://github.com/croessner/nauthilus/blob/v1.3.9/server/core/auth.go#L2274-L2296)).
   */
  readonly protocol: string;
  /** Always `""` for filters: Nauthilus v1.3.9 does not fill it there. */
  readonly brute_force_bucket: string;
  /** Always `""` for filters: Nauthilus v1.3.9 does not fill it there. */
  readonly feature: string;
  /**
   * The status message as it was when the filters started: usually `""` (a Lua feature may have
   * set one). A snapshot: `nauthilus_builtin.status_message_set` does not change this field.
   */
  readonly status_message: string;
  /** `"json"` when `server.log.json` is `true`, else `"default"`. */
  readonly log_format: string;
  /** The configured `server.log.level`: `none`, `error`, `warn`, `info` or `debug`. */
  readonly log_level: string;
  /**
   * Whether the client connection used TLS, as the proxy wrote it (HAProxy: `%[ssl_fc]`). Header
   * `X-SSL`; JSON body `ssl`; form body `tls`. Nauthilus's own TLS check counts any non-empty
   * value as TLS.
   */
  readonly ssl: string;
  /**
   * The TLS session id (HAProxy: `%[ssl_fc_session_id,hex]`). Header `X-SSL-Session-ID`; JSON
   * body `ssl_session_id`.
   */
  readonly ssl_session_id: string;
  /**
   * The client certificate's verification result (HAProxy: `%[ssl_c_verify]`). Header
   * `X-SSL-Client-Verify` (key `ssl_verify`); JSON body `ssl_client_verify`.
   */
  readonly ssl_client_verify: string;
  /**
   * The client certificate's subject DN (HAProxy: `%{+Q}[ssl_c_s_dn]`). Header `X-SSL-Client-DN`
   * (key `ssl_subject`); JSON body `ssl_client_dn`.
   */
  readonly ssl_client_dn: string;
  /** The client certificate's common name. Header `X-SSL-Client-CN`; JSON body `ssl_client_cn`. */
  readonly ssl_client_cn: string;
  /**
   * The client certificate's issuer DN (HAProxy: `%{+Q}[ssl_c_i_dn]`). Header `X-SSL-Issuer`;
   * JSON body `ssl_issuer`.
   */
  readonly ssl_issuer: string;
  /**
   * The start of the client certificate's validity (HAProxy: `%{+Q}[ssl_c_notbefore]`). Header
   * `X-SSL-Client-NotBefore`; JSON body `ssl_client_notbefore`.
   */
  readonly ssl_client_not_before: string;
  /**
   * The end of the client certificate's validity (HAProxy: `%{+Q}[ssl_c_notafter]`). Header
   * `X-SSL-Client-NotAfter`; JSON body `ssl_client_notafter`.
   */
  readonly ssl_client_not_after: string;
  /** The certificate's subject DN. Header `X-SSL-Subject-DN`; JSON body `ssl_subject_dn`. */
  readonly ssl_subject_dn: string;
  /** The certificate's issuer DN. Header `X-SSL-Issuer-DN`; JSON body `ssl_issuer_dn`. */
  readonly ssl_issuer_dn: string;
  /**
   * The client certificate's subject DN. Header `X-SSL-Client-Subject-DN`; JSON body
   * `ssl_client_subject_dn`.
   */
  readonly ssl_client_subject_dn: string;
  /**
   * The client certificate's issuer DN. Header `X-SSL-Client-Issuer-DN`. For a JSON body v1.3.9
   * copies the body's `ssl_issuer_dn` here, not `ssl_client_issuer_dn`.
   */
  readonly ssl_client_issuer_dn: string;
  /**
   * The TLS version of the client connection (HAProxy: `%[ssl_fc_protocol]`). Header
   * `X-SSL-Protocol`; JSON body `ssl_protocol`; form body `security`.
   */
  readonly ssl_protocol: string;
  /**
   * The TLS cipher of the client connection (HAProxy: `%[ssl_fc_cipher]`). Header
   * `X-SSL-Cipher`; JSON body `ssl_cipher`.
   */
  readonly ssl_cipher: string;
  /** The client certificate's serial number. Header `Auth-SSL-Serial`; JSON body `ssl_serial`. */
  readonly ssl_serial: string;
  /** The client certificate's fingerprint. Header `Auth-SSL-Fingerprint`; JSON body `ssl_fingerprint`. */
  readonly ssl_fingerprint: string;
}
