// The language-service plugin the preset configures: driven here the way tsserver drives it (a
// LanguageService over a filter project, wrapped by the plugin's create), without any build.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import init from "../../build/editor-plugin";
import { loadProject } from "../../build/project";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nauthilus-editor-"));
const file = path.join(dir, "filter.ts");
const source = `import { accept } from "nauthilus-sdk";
export function nauthilus_call_filter(request: FilterRequest): FilterResult {
  const { length: mask } = request.account;
  nauthilus_builtin.custom_log_add("ip", request.client_ip);
  const x = 1;
  return accept(mask + x);
}
`;
fs.writeFileSync(file, source);

function languageService(): ts.LanguageService {
  const project = loadProject();
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => project.options,
    getScriptFileNames: () => [...project.declarations, file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => (fs.existsSync(name) ? ts.ScriptSnapshot.fromString(fs.readFileSync(name, "utf8")) : undefined),
    getCurrentDirectory: () => dir,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  const info = { languageService: service, project: {}, languageServiceHost: host, config: {} } as unknown as ts.server.PluginCreateInfo;
  return init({ typescript: ts }).create(info);
}

const service = languageService();
const at = (text: string, offset = 0) => source.indexOf(text) + offset;

describe("the editor plugin", () => {
  it("reports the build's NF diagnostics while typing, at the construct", () => {
    const found = service.getSemanticDiagnostics(file).filter((d) => d.source === "nauthilus-filters");
    expect(found.map((d) => d.code)).toEqual([1041]);
    expect(found[0].start).toBe(at("length: mask"));
  });

  it("shows production's meaning on hover (a request field's JSDoc)", () => {
    const info = service.getQuickInfoAtPosition(file, at("client_ip", 2));
    const text = ts.displayPartsToString(info?.documentation);
    expect(text).toMatch(/Client-IP/);
  });

  it("does not offer the globals the build rejects (JSON, Date, Promise), and still offers the rest", () => {
    const completions = service.getCompletionsAtPosition(file, at("1;", 0), {});
    const names = new Set(completions?.entries.map((e) => e.name));
    expect(names.has("Math")).toBe(true);
    expect(names.has("nauthilus_builtin")).toBe(true);
    for (const rejected of ["JSON", "Date", "Promise", "RegExp"]) expect(names.has(rejected), rejected).toBe(false);
  });
});
