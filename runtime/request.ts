// The request table a filter receives (server/lualib/request.go:181-237): every field present,
// with Go's zero value where the request did not set it.
const BOOLEAN_FIELDS = ["debug", "repeating", "user_found", "authenticated", "no_auth"] as const;
const NUMBER_FIELDS = ["brute_force_counter"] as const;
const STRING_FIELDS = [
  "service", "session", "client_ip", "client_port", "client_net", "client_hostname", "client_id", "user_agent",
  "local_ip", "local_port", "username", "account", "account_field", "unique_user_id", "display_name", "password",
  "protocol", "brute_force_bucket", "feature", "status_message", "log_format", "log_level", "ssl",
  "ssl_session_id", "ssl_client_verify", "ssl_client_dn", "ssl_client_cn", "ssl_issuer", "ssl_client_not_before",
  "ssl_client_not_after", "ssl_subject_dn", "ssl_issuer_dn", "ssl_client_subject_dn", "ssl_client_issuer_dn",
  "ssl_protocol", "ssl_cipher", "ssl_serial", "ssl_fingerprint",
] as const;

// Compile-time proof that the three lists name exactly the SDK's FilterRequest fields.
type Listed = (typeof BOOLEAN_FIELDS)[number] | (typeof NUMBER_FIELDS)[number] | (typeof STRING_FIELDS)[number];
const _everyFieldListed: Record<keyof FilterRequest, true> = {} as Record<Listed, true>;
const _noExtraField: Record<Listed, true> = {} as Record<keyof FilterRequest, true>;
void _everyFieldListed;
void _noExtraField;

export const REQUEST_FIELDS: ReadonlyMap<string, "boolean" | "number" | "string"> = new Map([
  ...BOOLEAN_FIELDS.map((f) => [f, "boolean"] as const),
  ...NUMBER_FIELDS.map((f) => [f, "number"] as const),
  ...STRING_FIELDS.map((f) => [f, "string"] as const),
]);

/** Fills in the zero values; rejects unknown fields and wrong types with a message naming them. */
export function requestTable(partial: Partial<FilterRequest> | Record<string, unknown>): FilterRequest {
  const table: Record<string, boolean | number | string> = {};
  for (const [field, kind] of REQUEST_FIELDS) table[field] = kind === "boolean" ? false : kind === "number" ? 0 : "";
  for (const [field, value] of Object.entries(partial)) {
    const kind = REQUEST_FIELDS.get(field);
    if (kind === undefined) throw new RequestError(`unknown request field "${field}" (fields: see sdk/request.d.ts)`);
    if (typeof value !== kind) throw new RequestError(`request field "${field}" must be a ${kind}, got ${JSON.stringify(value)}`);
    table[field] = value as boolean | number | string;
  }
  return table as unknown as FilterRequest;
}

export class RequestError extends Error {}
