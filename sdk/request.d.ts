/**
 * The `request` table Nauthilus v1.3.9 passes to `nauthilus_call_filter` (contract §5,
 * `server/lualib/request.go:181-237`). One table per request, shared by every filter of the chain:
 * a field an earlier filter writes is seen by later filters.
 *
 * Every field is always present. Strings may be empty (`""` is **truthy** in Lua), ports are
 * strings, and the only number is `brute_force_counter`.
 *
 * @example
 * export function nauthilus_call_filter(request: FilterRequest): FilterResult {
 *   if (request.account === "" || request.protocol !== "imap") return accept();
 *   nauthilus_builtin.custom_log_add("client", `${request.client_ip}:${request.client_port}`);
 *   return accept();
 * }
 */
interface FilterRequest {
  /** `true` when Nauthilus runs with debug logging. */
  readonly debug: boolean;
  /** `true` when this request repeats a known brute-force attempt. */
  readonly repeating: boolean;
  /** `true` when the password backend found the user. */
  readonly user_found: boolean;
  /**
   * The password check's result. A filter never changes it: returning `FILTER_ACCEPT` lets the
   * password check decide, so an ACCEPT never turns a failed login into success (contract §5).
   */
  readonly authenticated: boolean;
  /** `true` for requests that carry no password (e.g. list-accounts or lookups). */
  readonly no_auth: boolean;
  /** The brute-force counter of the client (a float64 in production). */
  readonly brute_force_counter: number;
  /** The endpoint that received the request: `nginx`, `header`, `json`, `basic` or `saslauthd`. */
  readonly service: string;
  /** The session id; the header endpoint returns it as `X-Nauthilus-Session`. */
  readonly session: string;
  readonly client_ip: string;
  /** The client's port, as a string (e.g. `"52314"`). */
  readonly client_port: string;
  readonly client_net: string;
  readonly client_hostname: string;
  readonly client_id: string;
  readonly user_agent: string;
  readonly local_ip: string;
  /** The local port, as a string (e.g. `"993"`). */
  readonly local_port: string;
  /** The login name as the client sent it. */
  readonly username: string;
  /** The account name the password backend resolved (empty when the user was not found). */
  readonly account: string;
  /** The backend attribute that holds the account name. */
  readonly account_field: string;
  readonly unique_user_id: string;
  readonly display_name: string;
  /** The password as the client sent it. Never log it. */
  readonly password: string;
  /** The mail protocol of the login (`imap`, `pop3`, `smtp`, `submission`, ...), free text. */
  readonly protocol: string;
  readonly brute_force_bucket: string;
  readonly feature: string;
  readonly status_message: string;
  readonly log_format: string;
  readonly log_level: string;
  readonly ssl: string;
  readonly ssl_session_id: string;
  readonly ssl_client_verify: string;
  readonly ssl_client_dn: string;
  readonly ssl_client_cn: string;
  readonly ssl_issuer: string;
  readonly ssl_client_not_before: string;
  readonly ssl_client_not_after: string;
  readonly ssl_subject_dn: string;
  readonly ssl_issuer_dn: string;
  readonly ssl_client_subject_dn: string;
  readonly ssl_client_issuer_dn: string;
  readonly ssl_protocol: string;
  readonly ssl_cipher: string;
  readonly ssl_serial: string;
  readonly ssl_fingerprint: string;
}
