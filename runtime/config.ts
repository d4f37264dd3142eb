// A Nauthilus v1.3.9 configuration file, read as production reads the parts this runtime uses:
// server.features, backend_server_monitoring.backend_servers[], lua.filters[], lua.config.
// Production decodes with viper.UnmarshalExact, so unknown keys inside a known section fail
// (`… has invalid keys: test_username`); other top-level sections are accepted and ignored
// (File.Other, `mapstructure:",remain"`). Errors name the key and its file:line:col.
import fs from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from "yaml";
import type { ServerRecord } from "./types";

export const FEATURE_BACKEND_SERVER_MONITORING = "backend_server_monitoring";

export interface FilterConfig {
  name: string;
  scriptPath: string;
}

export interface Config {
  file: string;
  features: string[];
  servers: ServerRecord[];
  filters: FilterConfig[];
  /** lua.config.package_path ("" when unset, as in production). */
  packagePath: string;
  monitoring: boolean;
}

export class ConfigError extends Error {}

// server/config/file.go:53-65 and server/config/lua.go at v1.3.9.
const LUA_KEYS = new Set(["features", "filters", "actions", "config", "custom_hooks", "search"]);
const LUA_CONFIG_KEYS = new Set(["package_path", "backend_script_path", "init_script_path"]);
const SERVER_KEYS = ["protocol", "ip", "port", "tls", "haproxy_v2"] as const;

export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${(e as Error).message}`);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0];
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const { line, col } = lines.linePos(e.pos[0]);
    throw new ConfigError(`${file}:${line}:${col}: not valid YAML: ${e.message.split("\n")[0]}`);
  }
  const root = doc.contents;
  if (root === null) throw new ConfigError(`${file}: the file is empty`);
  if (!isMap(root)) throw new ConfigError(`${at(root)}: the top level must be a mapping of sections`);

  const fail = (node: Node | null | undefined, key: string, message: string): never => {
    throw new ConfigError(`${at(node)}: ${key} ${message}`);
  };
  const section = (map: YAMLMap, key: string): Node | undefined => (map.get(key, true) as Node | undefined) ?? undefined;
  const checkKeys = (map: YAMLMap, where: string, allowed: Iterable<string>) => {
    const allow = new Set(allowed);
    const bad = map.items.filter((p) => !allow.has(String(isScalar(p.key) ? p.key.value : p.key)));
    if (bad.length > 0) {
      fail(bad[0].key as Node, where, `has invalid keys: ${bad.map((p) => String(isScalar(p.key) ? p.key.value : p.key)).join(", ")}`);
    }
  };
  const scalar = (node: Node | undefined, key: string, kind: "string" | "boolean" | "integer"): string | boolean | number => {
    if (!isScalar(node)) return fail(node, key, `must be a ${kind}`);
    const v = node.value;
    if (kind === "integer" ? Number.isInteger(v) : typeof v === kind) return v as string | boolean | number;
    return fail(node, key, `must be a ${kind}, got ${JSON.stringify(v)}`);
  };

  // server.features
  let features: string[] = [];
  const server = section(root, "server");
  if (server !== undefined && server !== null) {
    if (!isMap(server)) fail(server, "server", "must be a mapping");
    const list = section(server as YAMLMap, "features");
    if (list !== undefined) {
      if (!isSeq(list)) fail(list, "server.features", "must be a list of feature names");
      features = (list as { items: Node[] }).items.map((n, i) => scalar(n, `server.features[${i}]`, "string") as string);
    }
  }

  // backend_server_monitoring.backend_servers[]
  const servers: ServerRecord[] = [];
  const monitoringNode = section(root, "backend_server_monitoring");
  if (monitoringNode !== undefined && monitoringNode !== null) {
    if (!isMap(monitoringNode)) fail(monitoringNode, "backend_server_monitoring", "must be a mapping");
    checkKeys(monitoringNode as YAMLMap, "backend_server_monitoring", ["backend_servers"]);
    const list = section(monitoringNode as YAMLMap, "backend_servers");
    if (list !== undefined && list !== null) {
      if (!isSeq(list)) fail(list, "backend_server_monitoring.backend_servers", "must be a list");
      (list as { items: Node[] }).items.forEach((item, i) => {
        const where = `backend_server_monitoring.backend_servers[${i}]`;
        if (!isMap(item)) fail(item, where, "must be a mapping with protocol, ip, port, tls, haproxy_v2");
        const map = item as YAMLMap;
        checkKeys(map, where, SERVER_KEYS);
        for (const key of SERVER_KEYS) if (!map.has(key)) fail(item, where, `is missing "${key}"`);
        const port = scalar(section(map, "port"), `${where}.port`, "integer") as number;
        if (port < 1 || port > 65535) fail(section(map, "port"), `${where}.port`, `must be from 1 to 65535, got ${port}`);
        servers.push({
          protocol: scalar(section(map, "protocol"), `${where}.protocol`, "string") as string,
          ip: scalar(section(map, "ip"), `${where}.ip`, "string") as string,
          port,
          tls: scalar(section(map, "tls"), `${where}.tls`, "boolean") as boolean,
          haproxy_v2: scalar(section(map, "haproxy_v2"), `${where}.haproxy_v2`, "boolean") as boolean,
        });
      });
    }
  }

  // lua.filters[], lua.config.package_path
  const filters: FilterConfig[] = [];
  let packagePath = "";
  const lua = section(root, "lua");
  if (lua !== undefined && lua !== null) {
    if (!isMap(lua)) fail(lua, "lua", "must be a mapping");
    checkKeys(lua as YAMLMap, "lua", LUA_KEYS);
    const list = section(lua as YAMLMap, "filters");
    if (list !== undefined && list !== null) {
      if (!isSeq(list)) fail(list, "lua.filters", "must be a list");
      (list as { items: Node[] }).items.forEach((item, i) => {
        const where = `lua.filters[${i}]`;
        if (!isMap(item)) fail(item, where, "must be a mapping with name and script_path");
        const map = item as YAMLMap;
        checkKeys(map, where, ["name", "script_path"]);
        for (const key of ["name", "script_path"]) if (!map.has(key)) fail(item, where, `is missing "${key}"`);
        filters.push({
          name: scalar(section(map, "name"), `${where}.name`, "string") as string,
          scriptPath: scalar(section(map, "script_path"), `${where}.script_path`, "string") as string,
        });
      });
    }
    const luaConfig = section(lua as YAMLMap, "config");
    if (luaConfig !== undefined && luaConfig !== null) {
      if (!isMap(luaConfig)) fail(luaConfig, "lua.config", "must be a mapping");
      checkKeys(luaConfig as YAMLMap, "lua.config", LUA_CONFIG_KEYS);
      const p = section(luaConfig as YAMLMap, "package_path");
      if (p !== undefined) packagePath = scalar(p, "lua.config.package_path", "string") as string;
    }
  }

  return { file, features, servers, filters, packagePath, monitoring: features.includes(FEATURE_BACKEND_SERVER_MONITORING) };
}
