// The TypeScript language-service plugin the preset configures ("plugins": [{ "name":
// "nauthilus-filters-sdk" }]): the editor reports the build's own rules (NF…) while typing, and
// does not offer the globals the build rejects. tsserver loads it by package name
// (editor-plugin.cjs at the package root).
import ts from "typescript";
import { DIAGNOSTIC_SOURCE } from "./diagnostics";
import { checkFilter, UNSUPPORTED_GLOBALS } from "./gopher-rules";

type Tsserver = typeof ts;

function init(modules: { typescript: Tsserver }) {
  const editorTs = modules.typescript;
  function create(info: ts.server.PluginCreateInfo): ts.LanguageService {
    const service = info.languageService;
    const proxy: ts.LanguageService = Object.create(null);
    for (const key of Object.keys(service) as Array<keyof ts.LanguageService>) {
      const member = service[key];
      (proxy as unknown as Record<string, unknown>)[key] = typeof member === "function" ? member.bind(service) : member;
    }
    // The rules walk syntax trees by SyntaxKind, whose numbers belong to one TypeScript version.
    const sameTypeScript = editorTs.version === ts.version;

    proxy.getSemanticDiagnostics = (fileName) => {
      const found = service.getSemanticDiagnostics(fileName);
      const program = service.getProgram();
      const file = program?.getSourceFile(fileName);
      if (!program || !file || file.isDeclarationFile) return found;
      if (!sameTypeScript) return [...found, versionMismatch(file, editorTs.version)];
      return [...found, ...checkFilter(program, file)];
    };

    proxy.getCompletionsAtPosition = (fileName, position, options, formatting) => {
      const completions = service.getCompletionsAtPosition(fileName, position, options, formatting);
      if (!completions) return completions;
      return { ...completions, entries: completions.entries.filter((e) => !UNSUPPORTED_GLOBALS.has(e.name) || e.kindModifiers?.includes("export")) };
    };
    return proxy;
  }
  return { create };
}

function versionMismatch(file: ts.SourceFile, editorVersion: string): ts.Diagnostic {
  return {
    category: ts.DiagnosticCategory.Warning,
    code: 1096,
    source: DIAGNOSTIC_SOURCE,
    file,
    start: 0,
    length: 0,
    messageText:
      `The editor runs TypeScript ${editorVersion}, the build ${ts.version}: the build's rules (NF…) are not shown while typing. ` +
      `Select the workspace's TypeScript ("typescript.tsdk": "node_modules/typescript/lib" in VS Code); \`npx nauthilus-filters build\` reports them.`,
  };
}

export default init;
