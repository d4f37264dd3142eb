// Header names and values as the header endpoint writes them (contract §7). Expected values are
// written by hand from Go's rules: textproto.CanonicalMIMEHeaderKey, httpguts.ValidHeaderFieldName,
// net/http Header.writeSubset (sorted, invalid names dropped, CR/LF → space, blanks trimmed),
// gin.Context.Header (empty value deletes) and Nauthilus's setHeaderHeaders.
import { describe, expect, it } from "vitest";
import {
  applyAttributeHeaders,
  attributeHeaderName,
  canonicalHeaderKey,
  isValidHeaderName,
  renderAttributeHeaders,
  renderHeaderLines,
  sanitizeHeaderValue,
} from "../../runtime/nauthilus/headers";

describe("canonicalHeaderKey is Go http.CanonicalHeaderKey (contract §7)", () => {
  const cases: Array<[string, string]> = [
    ["proxy-host", "Proxy-Host"],
    ["hostip", "Hostip"],
    ["display_name", "Display_name"],
    ["X-NAUTHILUS", "X-Nauthilus"],
    ["x-nauthilus-proxy-host", "X-Nauthilus-Proxy-Host"],
    ["ALL-CAPS", "All-Caps"],
    ["Already-Canonical", "Already-Canonical"],
    ["user.name", "User.name"],
    ["x_y-z", "X_y-Z"],
    ["a-1b", "A-1b"],
    ["--a", "--A"],
    ["", ""],
    ["foo bar", "foo bar"],
    ["foo:bar", "foo:bar"],
    ["h\u00f6st", "h\u00f6st"],
    ["tab\there", "tab\there"],
  ];
  it.each(cases)("%j → %j", (name, expected) => {
    expect(canonicalHeaderKey(name)).toBe(expected);
  });
});

describe("attributeHeaderName canonicalises the whole X-Nauthilus-<name> (contract §7)", () => {
  const cases: Array<[string, string]> = [
    ["proxy-host", "X-Nauthilus-Proxy-Host"],
    ["hostip", "X-Nauthilus-Hostip"],
    ["display_name", "X-Nauthilus-Display_name"],
    ["DN", "X-Nauthilus-Dn"],
    ["MAIL-Alias", "X-Nauthilus-Mail-Alias"],
    ["", "X-Nauthilus-"],
    ["foo bar", "X-Nauthilus-foo bar"],
    ["mail:x", "X-Nauthilus-mail:x"],
  ];
  it.each(cases)("%j → %j", (attribute, expected) => {
    expect(attributeHeaderName(attribute)).toBe(expected);
  });
});

describe("isValidHeaderName is Go httpguts.ValidHeaderFieldName (contract §7)", () => {
  const cases: Array<[string, boolean]> = [
    ["X-Nauthilus-Hostip", true],
    ["!#$%&'*+-.^_`|~09azAZ", true],
    ["", false],
    ["a b", false],
    ["a:b", false],
    ["a\tb", false],
    ['a"b', false],
    ["a(b)", false],
    ["a/b", false],
    ["a@b", false],
    ["h\u00f6st", false],
  ];
  it.each(cases)("%j → %s", (name, expected) => {
    expect(isValidHeaderName(name)).toBe(expected);
  });
});

describe("sanitizeHeaderValue is what Go net/http writes for a value (contract §7)", () => {
  const cases: Array<[string, string]> = [
    ["a\r\nX-Evil: 1", "a  X-Evil: 1"],
    ["a\nb", "a b"],
    ["a\rb", "a b"],
    ["  x \t", "x"],
    ["\tx\n", "x"],
    [" \r\n ", ""],
    ["", ""],
    ["a\u000bb", "a\u000bb"],
    ["\u00a0x", "\u00a0x"],
  ];
  it.each(cases)("%j → %j", (value, expected) => {
    expect(sanitizeHeaderValue(value)).toBe(expected);
  });
});

describe("renderAttributeHeaders writes the header endpoint's attribute headers (contract §7)", () => {
  const cases: Array<[string, Record<string, unknown[]>, Array<[string, string]>]> = [
    [
      "each attribute as X-Nauthilus-<Canonical>, sorted by header name",
      { "proxy-host": ["10.0.0.1"], hostip: ["10.0.0.2"], port: [993] },
      [
        ["X-Nauthilus-Hostip", "10.0.0.2"],
        ["X-Nauthilus-Port", "993"],
        ["X-Nauthilus-Proxy-Host", "10.0.0.1"],
      ],
    ],
    [
      "sorting is by header name after canonicalisation",
      { zeta: ["1"], Alpha: ["2"], "b-c": ["3"] },
      [
        ["X-Nauthilus-Alpha", "2"],
        ["X-Nauthilus-B-C", "3"],
        ["X-Nauthilus-Zeta", "1"],
      ],
    ],
    [
      "float64 values use %v, so 1e6 and above take the exponent form",
      { count: [1000000], ratio: [1234567.5], small: [0.5] },
      [
        ["X-Nauthilus-Count", "1e+06"],
        ["X-Nauthilus-Ratio", "1.2345675e+06"],
        ["X-Nauthilus-Small", "0.5"],
      ],
    ],
    ["a boolean", { tls: [true] }, [["X-Nauthilus-Tls", "true"]]],
    ["a filter-applied list is one value printed as [a b]", { groups: [["a", "b"]] }, [["X-Nauthilus-Groups", "[a b]"]]],
    [
      "a filter-applied map is one value printed as map[k:v]",
      { info: [{ b: 2, a: "x" }] },
      [["X-Nauthilus-Info", "map[a:x b:2]"]],
    ],
    ["a single empty string sends no header", { display_name: [""] }, []],
    ["an attribute with no values sends no header", { mail: [] }, []],
    ["real multi-values are joined with ','", { mail: ["a@x", "b@x"] }, [["X-Nauthilus-Mail", "a@x,b@x"]]],
    ["multi-values of 'dn' are joined with ';'", { dn: ["cn=a", "cn=b"] }, [["X-Nauthilus-Dn", "cn=a;cn=b"]]],
    ["only the exact name 'dn' uses ';'", { DN: ["cn=a", "cn=b"] }, [["X-Nauthilus-Dn", "cn=a,cn=b"]]],
    ["multi-values are each formatted with %v", { n: [1, 2.5, 1000000] }, [["X-Nauthilus-N", "1,2.5,1e+06"]]],
    ["joined empty multi-values are not empty and are sent", { mail: ["", ""] }, [["X-Nauthilus-Mail", ","]]],
    [
      "names that are not valid header names are dropped",
      { "foo bar": ["x"], "mail:x": ["y"], "h\u00f6st": ["w"], ok: ["z"] },
      [["X-Nauthilus-Ok", "z"]],
    ],
    [
      "CR and LF become spaces, so a value cannot add a header",
      { note: ["a\r\nX-Evil: 1"] },
      [["X-Nauthilus-Note", "a  X-Evil: 1"]],
    ],
    ["blanks around a value are trimmed", { pad: ["  v\t"] }, [["X-Nauthilus-Pad", "v"]]],
    [
      "a value that is blank only after sanitising still sends an empty header",
      { blank: [" "], crlf: ["\r\n"] },
      [
        ["X-Nauthilus-Blank", ""],
        ["X-Nauthilus-Crlf", ""],
      ],
    ],
    [
      "names that canonicalise alike: the last in name order wins (runtime decision)",
      { "Proxy-Host": ["a"], "proxy-host": ["b"] },
      [["X-Nauthilus-Proxy-Host", "b"]],
    ],
    [
      "names that canonicalise alike: a later empty value deletes the header (runtime decision)",
      { "Proxy-Host": ["a"], "proxy-host": [""] },
      [],
    ],
  ];
  it.each(cases)("%s", (_name, attributes, expected) => {
    expect(renderAttributeHeaders(attributes)).toEqual(expected);
  });
});

describe("attribute headers are applied on top of the response's other headers (contract §7)", () => {
  it("an attribute named 'session' replaces X-Nauthilus-Session, as Go's Header.Set does", () => {
    const headers = new Map([
      ["Auth-Status", "OK"],
      ["X-Nauthilus-Session", "guid"],
    ]);
    applyAttributeHeaders(headers, { session: ["mine"] });
    expect([...headers]).toEqual([
      ["Auth-Status", "OK"],
      ["X-Nauthilus-Session", "mine"],
    ]);
  });

  it("an attribute named 'session' with an empty value deletes X-Nauthilus-Session, as gin does", () => {
    const headers = new Map([
      ["Auth-Status", "OK"],
      ["X-Nauthilus-Session", "guid"],
    ]);
    applyAttributeHeaders(headers, { session: [""] });
    expect([...headers]).toEqual([["Auth-Status", "OK"]]);
  });

  it("renderHeaderLines sorts by byte order, drops invalid names and sanitises values", () => {
    const headers = new Map([
      ["a", "1"],
      ["Bad Name", "x"],
      ["Auth-User", " u\r\n"],
      ["Auth-Status", "OK"],
      ["B", "2"],
    ]);
    expect(renderHeaderLines(headers)).toEqual([
      ["Auth-Status", "OK"],
      ["Auth-User", "u"],
      ["B", "2"],
      ["a", "1"],
    ]);
  });
});
