// Nauthilus v1.3.9-style configuration: what is read, and every way it can be wrong, with the
// key and the file position in the message.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../runtime/nauthilus/config";

const GOOD = `server:
  address: 127.0.0.1:9080
  features:
    - backend_server_monitoring
backend_server_monitoring:
  backend_servers:
    - protocol: imap
      ip: 127.0.0.1
      port: 10143
      tls: false
      haproxy_v2: true
lua:
  config:
    package_path: /etc/nauthilus/lua/?.lua
  filters:
    - name: director
      script_path: dist/filters/director.lua
ldap:
  config: { lookup_pool_size: 4 }
`;

describe("config", () => {
  it("reads features, servers, filters and package_path; other sections are ignored like production", () => {
    expect(parseConfig(GOOD, "nauthilus.yml")).toEqual({
      file: "nauthilus.yml",
      features: ["backend_server_monitoring"],
      monitoring: true,
      servers: [{ protocol: "imap", ip: "127.0.0.1", port: 10143, tls: false, haproxy_v2: true }],
      filters: [{ name: "director", scriptPath: "dist/filters/director.lua" }],
      packagePath: "/etc/nauthilus/lua/?.lua",
    });
  });

  it("without the feature, monitoring is off", () => {
    expect(parseConfig("server:\n  features: []\n", "c.yml").monitoring).toBe(false);
  });

  it.each([
    ["an unknown server key (production: has invalid keys)", GOOD.replace("      haproxy_v2: true", "      haproxy_v2: true\n      test_username: x"), "nauthilus.yml:12:7: backend_server_monitoring.backend_servers[0] has invalid keys: test_username"],
    ["a missing field", GOOD.replace("      tls: false\n", ""), "nauthilus.yml:7:7: backend_server_monitoring.backend_servers[0] is missing \"tls\""],
    ["a port as a string", GOOD.replace("port: 10143", 'port: "10143"'), "nauthilus.yml:9:13: backend_server_monitoring.backend_servers[0].port must be an integer, got \"10143\""],
    ["a port out of range", GOOD.replace("port: 10143", "port: 70000"), "nauthilus.yml:9:13: backend_server_monitoring.backend_servers[0].port must be from 1 to 65535, got 70000"],
    ["tls as a string", GOOD.replace("tls: false", "tls: \"no\""), "nauthilus.yml:10:12: backend_server_monitoring.backend_servers[0].tls must be a boolean"],
    ["an unknown key in a filter", GOOD.replace("script_path: dist/filters/director.lua", "script_path: dist/filters/director.lua\n      when: always"), "nauthilus.yml:18:7: lua.filters[0] has invalid keys: when"],
    ["an unknown lua section", GOOD.replace("lua:\n", "lua:\n  filterz: []\n"), "nauthilus.yml:13:3: lua has invalid keys: filterz"],
    ["features that are not a list", GOOD.replace("  features:\n    - backend_server_monitoring", "  features: backend_server_monitoring"), "nauthilus.yml:3:13: server.features must be a list of feature names"],
    ["broken YAML", "server:\n  features: [a\n", "nauthilus.yml:"],
    ["a duplicate key", GOOD.replace("  address: 127.0.0.1:9080\n", "  features: []\n"), "nauthilus.yml:"],
  ])("rejects %s", (_name, text, message) => {
    expect(() => parseConfig(text, "nauthilus.yml")).toThrow(ConfigError);
    expect(() => parseConfig(text, "nauthilus.yml")).toThrow(message);
  });
});

// Production reads the file with go-yaml v3 (viper) before mapstructure, so anchors, aliases and
// YAML 1.1 merge keys work in every section, with go-yaml's merge order: explicit keys first, then
// the merged mappings in list order, the first one to set a key winning.
describe("config: anchors, aliases and << merge keys", () => {
  const IMAP = { protocol: "imap", ip: "127.0.0.1", port: 10143, tls: false, haproxy_v2: true };

  it("an alias repeats a whole server entry", () => {
    const text = `backend_server_monitoring:
  backend_servers:
    - &imap
      protocol: imap
      ip: 127.0.0.1
      port: 10143
      tls: false
      haproxy_v2: true
    - *imap
`;
    expect(parseConfig(text, "c.yml").servers).toEqual([IMAP, IMAP]);
  });

  it("a merge key takes a mapping's keys, and the entry's own keys override them", () => {
    // The defaults live in a top-level section this runtime ignores, as production does (File.Other).
    const text = `x-defaults: &defaults
  protocol: imap
  ip: 127.0.0.1
  port: 10143
  tls: false
  haproxy_v2: true
backend_server_monitoring:
  backend_servers:
    - <<: *defaults
    - <<: *defaults
      port: 10993
      tls: true
`;
    expect(parseConfig(text, "c.yml").servers).toEqual([IMAP, { ...IMAP, port: 10993, tls: true }]);
  });

  it("a merge list: earlier mappings win over later ones, explicit keys over all, nested merges first", () => {
    const text = `x:
  base: &base { protocol: pop3, ip: 10.0.0.1, port: 110, tls: false, haproxy_v2: false }
  imap: &imap { <<: *base, protocol: imap, port: 143 }
  tls: &tls { port: 993, tls: true }
backend_server_monitoring:
  backend_servers:
    - <<: [*imap, *tls]
    - <<: [*tls, *imap]
      ip: 10.0.0.2
    - <<: [*tls, { haproxy_v2: true }, *base]
`;
    expect(parseConfig(text, "c.yml").servers).toEqual([
      // Depth first, as go-yaml decodes: *imap's own keys, then the *base it merges (tls: false),
      // and only then *tls, which has nothing left to set.
      { protocol: "imap", ip: "10.0.0.1", port: 143, tls: false, haproxy_v2: false },
      { protocol: "imap", ip: "10.0.0.2", port: 993, tls: true, haproxy_v2: false },
      // an inline mapping in the list is merged like an aliased one.
      { protocol: "pop3", ip: "10.0.0.1", port: 993, tls: true, haproxy_v2: true },
    ]);
  });

  it("aliases and merges work in the other sections too", () => {
    const text = `x:
  features: &features [backend_server_monitoring]
  script: &script dist/filters/director.lua
  luaconf: &luaconf { package_path: /etc/nauthilus/lua/?.lua }
server:
  features: *features
lua:
  config:
    <<: *luaconf
  filters:
    - &director { name: director, script_path: *script }
    - <<: *director
      name: second
`;
    expect(parseConfig(text, "c.yml")).toMatchObject({
      features: ["backend_server_monitoring"],
      monitoring: true,
      packagePath: "/etc/nauthilus/lua/?.lua",
      filters: [
        { name: "director", scriptPath: "dist/filters/director.lua" },
        { name: "second", scriptPath: "dist/filters/director.lua" },
      ],
    });
  });

  it("a %YAML 1.1 document (where the yaml package resolves << itself) merges the same way", () => {
    const text = `%YAML 1.1
---
x: &defaults { protocol: imap, ip: 127.0.0.1, port: 10143, tls: false, haproxy_v2: true }
backend_server_monitoring:
  backend_servers:
    - { <<: *defaults, port: 10993 }
`;
    expect(parseConfig(text, "c.yml").servers).toEqual([{ ...IMAP, port: 10993 }]);
  });

  // Errors in a value that came through an alias are placed at the anchored node (where the text
  // to fix is); the key path names the use.
  const DEFAULTS = `x-defaults: &defaults
  protocol: imap
  ip: 127.0.0.1
  port: 10143
  tls: false
  haproxy_v2: true
backend_server_monitoring:
  backend_servers:
    - <<: *defaults
      port: 10993
    - <<: *defaults
`;
  it.each([
    ["a bad value inside the merged mapping", DEFAULTS.replace("  port: 10143", '  port: "10143"'), 'c.yml:4:9: backend_server_monitoring.backend_servers[1].port must be an integer, got "10143"'],
    ["an unknown key inside the merged mapping", DEFAULTS.replace("  tls: false", "  tls: false\n  test_username: x"), "c.yml:6:3: backend_server_monitoring.backend_servers[0] has invalid keys: test_username"],
    ["a key missing after the merge (at the entry)", DEFAULTS.replace("  tls: false\n", ""), 'c.yml:8:7: backend_server_monitoring.backend_servers[0] is missing "tls"'],
    ["a bad value in an aliased entry", "a: &s { protocol: imap, ip: 127.0.0.1, port: 10143, tls: no, haproxy_v2: true }\nbackend_server_monitoring:\n  backend_servers: [*s]\n", 'c.yml:1:58: backend_server_monitoring.backend_servers[0].tls must be a boolean, got "no"'],
    ["a merge of something that is not a mapping", DEFAULTS.replace("    - <<: *defaults\n", "    - <<: [*defaults, 5]\n"), "c.yml:9:23: backend_server_monitoring.backend_servers[0].<< must be a mapping or a list of mappings"],
    ["a merge of an aliased list, even of mappings (go-yaml: only a list written in place)", "a: &l [{}]\nserver: { <<: *l }\n", "c.yml:1:7: server.<< must be a mapping or a list of mappings"],
    ["two merge keys in one mapping (go-yaml: duplicate key)", "a: &a {}\nserver: { <<: *a, <<: *a }\n", "c.yml:2:19: not valid YAML: Map keys must be unique"],
    ["two merge keys under %YAML 1.1 too", "%YAML 1.1\n---\na: &a {}\nserver: { <<: *a, <<: *a }\n", "c.yml:4:19: server has more than one << merge key"],
    ["a quoted \"<<\" (go-yaml: an ordinary key)", 'a: &a {}\nlua: { "<<": *a }\n', 'c.yml:2:8: lua has invalid keys: <<'],
    ["an alias without an anchor, even in an ignored section", "other: *nowhere\n", "c.yml:1:8: not valid YAML: alias *nowhere has no anchor &nowhere before it"],
    ["an alias inside its own anchor", "lua: &l { config: { <<: *l } }\n", "c.yml:1:25: not valid YAML: alias *l is inside the node anchored &l"],
    ["a key repeated through an alias key", "k: &k package_path\nlua:\n  config: { package_path: a, *k : b }\n", 'c.yml:1:7: lua.config has the key "package_path" twice'],
  ])("rejects %s, at file:line:col", (_name, text, message) => {
    expect(() => parseConfig(text, "c.yml")).toThrow(ConfigError);
    expect(() => parseConfig(text, "c.yml")).toThrow(message);
  });

  it("says \"an integer\" and \"a string\"/\"a boolean\"", () => {
    const server = (port: string, ip: string, tls: string) =>
      `backend_server_monitoring:\n  backend_servers:\n    - { protocol: imap, ip: ${ip}, port: ${port}, tls: ${tls}, haproxy_v2: true }\n`;
    expect(() => parseConfig(server("[1]", "127.0.0.1", "false"), "c.yml")).toThrow(/\.port must be an integer$/);
    expect(() => parseConfig(server("1", "[1]", "false"), "c.yml")).toThrow(/\.ip must be a string$/);
    expect(() => parseConfig(server("1", "127.0.0.1", "[1]"), "c.yml")).toThrow(/\.tls must be a boolean$/);
  });
});
