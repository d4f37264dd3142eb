// A Nauthilus v1.3.9 configuration file, read as production reads the parts this runtime uses:
// server.features, backend_server_monitoring.backend_servers[], lua.filters[], lua.config.
// Production decodes with viper.UnmarshalExact, so unknown keys inside a known section fail
// (`… has invalid keys: test_username`); other top-level sections are accepted and ignored
// (File.Other, `mapstructure:",remain"`). Errors name the key and its file:line:col.
//
// viper reads the file with go-yaml v3 into a map before mapstructure sees it, so anchors (`&a`),
// aliases (`*a`) and YAML 1.1 merge keys (`<<: *a`, `<<: [*a, *b]`) work in every section there.
// The yaml package (read through yaml-document.ts) keeps `<<` as an ordinary key under its YAML 1.2 default and leaves aliases as
// nodes, so this file resolves both itself (`fields`, `deref`) instead of calling toJS(): toJS()
// would drop the node positions the error messages need.
import fs from "node:fs";
import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Node, type Pair, type YAMLMap } from "yaml";
import { readYaml } from "./yaml-document";
import type { ServerRecord } from "../types";

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
const MERGE_TAG = "tag:yaml.org,2002:merge";

/** One key of a mapping after merging: the key node as written, and its value with aliases resolved. */
interface Field {
  key: Node | null;
  value: Node | null;
}

// go-yaml's isMerge: a plain (unquoted) `<<`, untagged or tagged `!` or !!merge. `"<<"` and
// `!!str <<` are ordinary keys there, and so unknown keys here. Under `%YAML 1.1` the yaml package
// turns `<<` into a Symbol itself; that is the same key.
const isMergeKey = (key: unknown): boolean =>
  isScalar(key) &&
  key.type === "PLAIN" &&
  (key.tag === undefined || key.tag === "!" || key.tag === MERGE_TAG) &&
  (key.value === "<<" || (typeof key.value === "symbol" && key.value.description === "<<"));

// "an integer", "a boolean": the messages are built from the kind, so the article is too.
const withArticle = (word: string): string => `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;

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
  const { doc, at } = readYaml(text, file, (message) => new ConfigError(message), "not valid YAML: ");

  // Every alias is checked once over the whole document, as go-yaml does while parsing (it rejects
  // the file even when the alias sits in a section this runtime ignores): it must name an anchor
  // set before it, and must not sit inside the node it names (`&a [*a]`; go-yaml: "anchor 'a' value
  // contains itself"). The walk is in document order, so the latest `&a` seen is the one an alias
  // means (YAML lets an anchor be redefined). After this every alias resolves, and chains of merges
  // end: an alias can only name a node that was finished before it.
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  visit(doc, {
    Node: (_key, node, path) => {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target === undefined) throw new ConfigError(`${at(node)}: not valid YAML: alias *${node.source} has no anchor &${node.source} before it`);
        if (path.includes(target)) throw new ConfigError(`${at(node)}: not valid YAML: alias *${node.source} is inside the node anchored &${node.source}`);
        targets.set(node, target);
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
    },
  });
  // A value reached through an alias is read, and its errors are placed, at the anchored node:
  // `port: "x"` inside `&defaults` is reported at that line, where the text to fix is, not at each
  // `*defaults`/`<<: *defaults` that uses it. The key path in the message
  // (backend_servers[2].port) still names the use, so both ends are in the message.
  const deref = <T extends Node | null | undefined>(node: T): Node | Exclude<T, Alias> =>
    isAlias(node) ? (targets.get(node) as Node) : (node as Exclude<T, Alias>);

  const root = deref(doc.contents);
  if (root === null) throw new ConfigError(`${file}: the file is empty`);
  if (!isMap(root)) throw new ConfigError(`${at(root)}: the top level must be a mapping of sections`);

  const fail = (node: Node | null | undefined, key: string, message: string): never => {
    throw new ConfigError(`${at(node)}: ${key} ${message}`);
  };
  const keyName = (key: Node | null): string => {
    if (key === null) return "null";
    if (isScalar(key)) return String(key.value);
    return String(key); // a mapping or list as a key: its YAML text, which no allowed key matches
  };
  // The keys of a mapping as go-yaml v3 builds them (decode.go, mapping/merge): the explicit keys,
  // then each merged mapping's keys that are not there yet. So explicit keys override merged ones,
  // and an earlier mapping in `<<: [*a, *b]` wins over a later one; a merged mapping's own `<<` is
  // applied inside it first. Unknown keys that arrive by merging are still unknown keys, as they
  // are for mapstructure. Results are kept per mapping so a merge chain is walked once (go-yaml
  // guards the same "billion laughs" shape with its alias budget).
  const merged = new Map<YAMLMap, Map<string, Field>>();
  const fields = (map: YAMLMap, where: string): Map<string, Field> => {
    const done = merged.get(map);
    if (done !== undefined) return done;
    const out = new Map<string, Field>();
    let merge: Pair | undefined;
    for (const pair of map.items as Pair<Node | null, Node | null>[]) {
      if (isMergeKey(pair.key)) {
        // go-yaml's duplicate-key check sees two `<<` as the same key; the yaml package does not
        // under %YAML 1.1, where each `<<` becomes its own Symbol.
        if (merge !== undefined) fail(pair.key, where, "has more than one << merge key");
        merge = pair;
        continue;
      }
      const key = deref(pair.key);
      const name = keyName(key);
      // Literal duplicates were rejected by the parser (uniqueKeys, like go-yaml); this catches one
      // spelled through an alias key (`*k: …`), which go-yaml would let overwrite silently.
      if (out.has(name)) fail(key, where, `has the key "${name}" twice`);
      out.set(name, { key, value: deref(pair.value) });
    }
    if (merge !== undefined) {
      // Only a list written in place is a merge list: go-yaml wants an alias after `<<` to name a
      // mapping, so `<<: *list` fails even when the list holds mappings.
      const value = merge.value as Node | null;
      const sources = isSeq(value) ? (value.items as (Node | null)[]) : [value];
      for (const item of sources) {
        const source = deref(item);
        // go-yaml: "map merge requires map or sequence of maps as the value".
        if (!isMap(source)) return fail(source ?? (merge.key as Node), `${where === "" ? "" : `${where}.`}<<`, "must be a mapping or a list of mappings");
        for (const [name, field] of fields(source, where)) if (!out.has(name)) out.set(name, field);
      }
    }
    merged.set(map, out);
    return out;
  };
  const section = (map: YAMLMap, where: string, key: string): Node | undefined => fields(map, where).get(key)?.value ?? undefined;
  const has = (map: YAMLMap, where: string, key: string): boolean => fields(map, where).has(key);
  const entries = (seq: Node): Node[] => ((seq as { items: (Node | null)[] }).items.map(deref) as Node[]);
  const checkKeys = (map: YAMLMap, where: string, allowed: Iterable<string>) => {
    const allow = new Set(allowed);
    const bad = [...fields(map, where)].filter(([name]) => !allow.has(name));
    if (bad.length > 0) fail(bad[0][1].key, where, `has invalid keys: ${bad.map(([name]) => name).join(", ")}`);
  };
  const scalar = (node: Node | undefined, key: string, kind: "string" | "boolean" | "integer"): string | boolean | number => {
    if (!isScalar(node)) return fail(node, key, `must be ${withArticle(kind)}`);
    const v = node.value;
    if (kind === "integer" ? Number.isInteger(v) : typeof v === kind) return v as string | boolean | number;
    return fail(node, key, `must be ${withArticle(kind)}, got ${JSON.stringify(v)}`);
  };

  // server.features
  let features: string[] = [];
  const server = section(root, "", "server");
  if (server !== undefined && server !== null) {
    if (!isMap(server)) fail(server, "server", "must be a mapping");
    const list = section(server as YAMLMap, "server", "features");
    if (list !== undefined) {
      if (!isSeq(list)) fail(list, "server.features", "must be a list of feature names");
      features = entries(list).map((n, i) => scalar(n, `server.features[${i}]`, "string") as string);
    }
  }

  // backend_server_monitoring.backend_servers[]
  const servers: ServerRecord[] = [];
  const monitoringNode = section(root, "", "backend_server_monitoring");
  if (monitoringNode !== undefined && monitoringNode !== null) {
    if (!isMap(monitoringNode)) fail(monitoringNode, "backend_server_monitoring", "must be a mapping");
    checkKeys(monitoringNode as YAMLMap, "backend_server_monitoring", ["backend_servers"]);
    const list = section(monitoringNode as YAMLMap, "backend_server_monitoring", "backend_servers");
    if (list !== undefined && list !== null) {
      if (!isSeq(list)) fail(list, "backend_server_monitoring.backend_servers", "must be a list");
      entries(list).forEach((item, i) => {
        const where = `backend_server_monitoring.backend_servers[${i}]`;
        if (!isMap(item)) fail(item, where, "must be a mapping with protocol, ip, port, tls, haproxy_v2");
        const map = item as YAMLMap;
        checkKeys(map, where, SERVER_KEYS);
        for (const key of SERVER_KEYS) if (!has(map, where, key)) fail(item, where, `is missing "${key}"`);
        const port = scalar(section(map, where, "port"), `${where}.port`, "integer") as number;
        if (port < 1 || port > 65535) fail(section(map, where, "port"), `${where}.port`, `must be from 1 to 65535, got ${port}`);
        servers.push({
          protocol: scalar(section(map, where, "protocol"), `${where}.protocol`, "string") as string,
          ip: scalar(section(map, where, "ip"), `${where}.ip`, "string") as string,
          port,
          tls: scalar(section(map, where, "tls"), `${where}.tls`, "boolean") as boolean,
          haproxy_v2: scalar(section(map, where, "haproxy_v2"), `${where}.haproxy_v2`, "boolean") as boolean,
        });
      });
    }
  }

  // lua.filters[], lua.config.package_path
  const filters: FilterConfig[] = [];
  let packagePath = "";
  const lua = section(root, "", "lua");
  if (lua !== undefined && lua !== null) {
    if (!isMap(lua)) fail(lua, "lua", "must be a mapping");
    checkKeys(lua as YAMLMap, "lua", LUA_KEYS);
    const list = section(lua as YAMLMap, "lua", "filters");
    if (list !== undefined && list !== null) {
      if (!isSeq(list)) fail(list, "lua.filters", "must be a list");
      entries(list).forEach((item, i) => {
        const where = `lua.filters[${i}]`;
        if (!isMap(item)) fail(item, where, "must be a mapping with name and script_path");
        const map = item as YAMLMap;
        checkKeys(map, where, ["name", "script_path"]);
        for (const key of ["name", "script_path"]) if (!has(map, where, key)) fail(item, where, `is missing "${key}"`);
        filters.push({
          name: scalar(section(map, where, "name"), `${where}.name`, "string") as string,
          scriptPath: scalar(section(map, where, "script_path"), `${where}.script_path`, "string") as string,
        });
      });
    }
    const luaConfig = section(lua as YAMLMap, "lua", "config");
    if (luaConfig !== undefined && luaConfig !== null) {
      if (!isMap(luaConfig)) fail(luaConfig, "lua.config", "must be a mapping");
      checkKeys(luaConfig as YAMLMap, "lua.config", LUA_CONFIG_KEYS);
      const p = section(luaConfig as YAMLMap, "lua.config", "package_path");
      if (p !== undefined) packagePath = scalar(p, "lua.config.package_path", "string") as string;
    }
  }

  return { file, features, servers, filters, packagePath, monitoring: features.includes(FEATURE_BACKEND_SERVER_MONITORING) };
}
