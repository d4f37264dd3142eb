// HTTP header rules as production applies them (contract §7): Go's header-name canonicalisation
// (`http.Header.Set`), gin's "empty value deletes" (`gin.Context.Header`), Nauthilus's attribute
// headers (`setHeaderHeaders`, server/core/auth.go:649-686 at v1.3.9) and what Go's net/http
// does to every header when it writes a response (`http.Header.writeSubset`).
import { formatGoValue } from "./go-format";

const ATTRIBUTE_HEADER_PREFIX = "X-Nauthilus-";
// definitions.DistinguishedName: the only attribute whose values are joined with ";".
const DISTINGUISHED_NAME = "dn";

// RFC 7230 tchar, as Go's httpguts and textproto token tables define it (ASCII only).
const TOKEN_CHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

function isTokenChar(c: string): boolean {
  return TOKEN_CHAR.test(c);
}

/**
 * Go `http.CanonicalHeaderKey` (textproto.CanonicalMIMEHeaderKey): the first letter and every
 * letter after a `-` upper case, all other letters lower case (`proxy-host` → `Proxy-Host`,
 * `X-NAUTHILUS` → `X-Nauthilus`, `display_name` → `Display_name`). A name with any byte that is
 * not a token character (space, `:`, non-ASCII…) is returned unchanged.
 */
export function canonicalHeaderKey(name: string): string {
  for (const c of name) {
    if (!isTokenChar(c)) return name;
  }
  let upper = true;
  let out = "";
  for (const c of name) {
    const next: string = upper ? c.toUpperCase() : c.toLowerCase();
    out += next;
    upper = next === "-";
  }
  return out;
}

/**
 * The header an attribute is sent as on the header endpoint: `X-Nauthilus-<name>` with the
 * **whole** name canonicalised (`hostip` → `X-Nauthilus-Hostip`, `proxy-host` →
 * `X-Nauthilus-Proxy-Host`). A name that cannot be canonicalised (`foo bar`) stays as it is and
 * is later dropped by {@link renderHeaderLines}.
 */
export function attributeHeaderName(attribute: string): string {
  return canonicalHeaderKey(ATTRIBUTE_HEADER_PREFIX + attribute);
}

/** Go `httpguts.ValidHeaderFieldName`: non-empty and only token characters. */
export function isValidHeaderName(name: string): boolean {
  if (name === "") return false;
  for (const c of name) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

/**
 * What Go's net/http writes for a header value: each CR and each LF becomes a space (so a value
 * cannot start a new header line), then spaces and tabs at both ends are trimmed
 * (`headerNewlineToSpace`, `textproto.TrimString`).
 */
export function sanitizeHeaderValue(value: string): string {
  return value.replace(/[\r\n]/g, " ").replace(/^[ \t]+|[ \t]+$/g, "");
}

/**
 * Applies the final attribute map to a response's headers the way the header endpoint does
 * (contract §7), and returns the same map. `headers` holds canonical names (as Go's
 * `Header.Set` stores them), so an attribute can replace a header set before it: an attribute
 * named `session` replaces `X-Nauthilus-Session`, and an empty one deletes it, as in production.
 *
 * Per attribute: no values → nothing happens; one value → Go `%v` of it (a list prints as
 * `[a b]`); several values (only a password backend produces these) → each `%v`, joined with
 * `,`, or `;` for the attribute named exactly `dn`. An empty result deletes the header (gin),
 * anything else sets it.
 *
 * Decision: production walks a Go map, so when two names canonicalise to the same header
 * (`proxy-host`, `Proxy-Host`) the winner is random. Here attributes are applied in ascending
 * name order (UTF-16 code units), so the last such name wins, every time.
 */
export function applyAttributeHeaders(
  headers: Map<string, string>,
  attributes: Readonly<Record<string, readonly unknown[]>>,
): Map<string, string> {
  for (const name of Object.keys(attributes).sort()) {
    const values = attributes[name] ?? [];
    if (values.length === 0) continue;
    const value =
      values.length === 1
        ? formatGoValue(values[0])
        : values.map(formatGoValue).join(name === DISTINGUISHED_NAME ? ";" : ",");
    const header = attributeHeaderName(name);
    // gin.Context.Header: an empty value is a Del, not a header with no value. The test is on
    // the value before net/http sanitises it, so "\r\n" still sends a header (with value "").
    if (value === "") headers.delete(header);
    else headers.set(header, value);
  }
  return headers;
}

/**
 * The header lines Go's net/http writes for a header map (`Header.writeSubset`): sorted by
 * name, lines whose name is not a valid field name dropped silently, values sanitised with
 * {@link sanitizeHeaderValue}.
 */
export function renderHeaderLines(headers: ReadonlyMap<string, string>): Array<[string, string]> {
  // Valid names are ASCII, where UTF-16 order equals Go's byte order.
  return [...headers.entries()]
    .filter(([name]) => isValidHeaderName(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]): [string, string] => [name, sanitizeHeaderValue(value)]);
}

/**
 * The attribute header lines the header endpoint writes for the final attribute map
 * (contract §7): {@link applyAttributeHeaders} on an empty header map, then
 * {@link renderHeaderLines}. A value that is empty only after sanitising (`" "`, `"\r\n"`)
 * still yields a line with an empty value, as in production.
 */
export function renderAttributeHeaders(
  attributes: Readonly<Record<string, readonly unknown[]>>,
): Array<[string, string]> {
  return renderHeaderLines(applyAttributeHeaders(new Map(), attributes));
}
