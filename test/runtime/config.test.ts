// Nauthilus v1.3.9-style configuration: what is read, and every way it can be wrong, with the
// key and the file position in the message.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../runtime/config";

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
    ["a port as a string", GOOD.replace("port: 10143", 'port: "10143"'), "nauthilus.yml:9:13: backend_server_monitoring.backend_servers[0].port must be a integer, got \"10143\""],
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
