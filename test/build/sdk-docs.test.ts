// The SDK's JSDoc is the documentation installed users get (editor hover, the API reference), and
// they have neither this repository nor Nauthilus's source: every declared member must carry
// JSDoc, every pointer in it must be one such a user can follow, and every example must build.
// Declarations are read with the TypeScript compiler, so a new member is checked without a list.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compileSource, formatted } from "../helpers/filter-source";

const root = path.resolve(__dirname, "../..");
const sdk = path.join(root, "sdk");
const sdkFiles = fs.readdirSync(sdk).filter((f) => f.endsWith(".d.ts")).sort();
const sources = sdkFiles.map((f) => ts.createSourceFile(f, fs.readFileSync(path.join(sdk, f), "utf8"), ts.ScriptTarget.ESNext, true));

interface Declared {
  name: string;
  node: ts.Node;
}

function nameOf(node: ts.Node): string {
  const name = (node as ts.NamedDeclaration).name;
  return name === undefined ? "(unnamed)" : ts.isStringLiteral(name) ? `"${name.text}"` : name.getText();
}

/** Every member a user can reach: globals, module exports, interface and type-literal members. */
function declared(sf: ts.SourceFile): Declared[] {
  const out: Declared[] = [];
  const members = (owner: string, list: ts.NodeArray<ts.TypeElement>) => {
    const seen = new Map<string, number>();
    for (const m of list) {
      // An index signature is the shape of its type alias, documented there.
      if (ts.isIndexSignatureDeclaration(m)) continue;
      const name = `${owner}.${nameOf(m)}`;
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      // Each overload is its own hover text.
      out.push({ name: n > 1 ? `${name}#${n}` : name, node: m });
    }
  };
  const statements = (prefix: string, list: ts.NodeArray<ts.Statement>) => {
    for (const s of list) {
      if (ts.isInterfaceDeclaration(s)) {
        out.push({ name: prefix + s.name.text, node: s });
        members(prefix + s.name.text, s.members);
      } else if (ts.isTypeAliasDeclaration(s)) {
        out.push({ name: prefix + s.name.text, node: s });
        if (ts.isTypeLiteralNode(s.type)) members(prefix + s.name.text, s.type.members);
      } else if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) {
          out.push({ name: prefix + nameOf(d), node: d });
          if (d.type !== undefined && ts.isTypeLiteralNode(d.type)) members(prefix + nameOf(d), d.type.members);
        }
      } else if (ts.isFunctionDeclaration(s)) {
        out.push({ name: prefix + nameOf(s), node: s });
      } else if (ts.isModuleDeclaration(s)) {
        out.push({ name: prefix + nameOf(s), node: s });
        if (s.body !== undefined && ts.isModuleBlock(s.body)) statements(`${prefix}${nameOf(s)}.`, s.body.statements);
      } else {
        throw new Error(`${sf.fileName}: a ${ts.SyntaxKind[s.kind]} this test does not know how to check`);
      }
    }
  };
  statements("", sf.statements);
  return out;
}

/** The text a hover shows: the main text of the declaration's last JSDoc (tags excluded). */
function hoverText(node: ts.Node): string {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  return (ts.getTextOfJSDocComment(last?.comment) ?? "").trim();
}

const all = sources.flatMap((sf) => declared(sf).map((d) => ({ ...d, file: sf.fileName })));

describe("every declaration in sdk/ is documented", () => {
  it("finds the SDK's declarations (the walk is not empty)", () => {
    const names = all.map((d) => d.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "FilterRequest.client_ip",
        "FilterResult",
        "FilterEntry",
        '"nauthilus-sdk".accept',
        '"nauthilus_backend".get_backend_servers',
        '"nauthilus_backend".BackendServer.port',
        "nauthilus_builtin.custom_log_add",
        "nauthilus_backend_result.new",
        "BackendResult.attributes#2",
        "dynamic_loader",
      ]),
    );
    expect(names.filter((n) => n.startsWith("FilterRequest."))).toHaveLength(44);
    expect(names.filter((n) => n.startsWith('"nauthilus_backend".') && !n.includes("BackendServer"))).toHaveLength(5);
  });

  it.each(all.map((d) => [`${d.file}: ${d.name}`, d.node] as const))("%s", (_name, node) => {
    expect(hoverText(node)).not.toBe("");
  });
});

/** Every comment of a file, JSDoc and line comments alike: all of it ships with the package. */
function comments(sf: ts.SourceFile): Array<{ line: number; text: string }> {
  const scanner = ts.createScanner(ts.ScriptTarget.ESNext, false, ts.LanguageVariant.Standard, sf.text);
  const out: Array<{ line: number; text: string }> = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      out.push({ line: sf.getLineAndCharacterOfPosition(scanner.getTokenStart()).line + 1, text: scanner.getTokenText() });
    }
  }
  return out;
}

const URL = /https?:\/\/[^\s)>\]`]+/g;
// A Markdown link's label names what its URL points to: `[request.go](https://…)` is followable.
const LINK = /\[[^\]]*\]\(https?:\/\/[^)\s]+\)/g;
// What a user of the installed package cannot open: this project's own specification, the
// Nauthilus source as a path or a path:line cite, and files of this repository that are not shipped.
const unfollowable: Array<[string, RegExp]> = [
  ["a contract section", /contract\s*§|§\s*\d/],
  ["the shared specification", /\.\.\/shared|shared\/spec/],
  ["a Nauthilus source path", /\bserver\/[\w-]+\//],
  ["a Go file", /\b[\w./-]+\.go\b/],
  ["a path:line cite", /\b[A-Z]{1,2}:\d+/],
  ["a file of this repository", /(^|[\s`(])(\.\.\/|test\/|bench\/|build\/|runtime\/|filters-ts\/|\.ci\/)|\.test\.ts\b/],
];

describe("sdk/ points only where an installed user can follow", () => {
  const found = sources.flatMap((sf) => comments(sf).map((c) => ({ ...c, file: sf.fileName })));

  it("reads the comments", () => {
    expect(found.length).toBeGreaterThan(50);
  });

  it("no comment refers to the specification, Nauthilus's source without a URL, or repository files", () => {
    const problems: string[] = [];
    for (const c of found) {
      const withoutUrls = c.text.replace(LINK, "").replace(URL, "");
      for (const [what, pattern] of unfollowable) {
        const m = pattern.exec(withoutUrls);
        if (m) problems.push(`${c.file}:${c.line}: ${what}: ${m[0].trim()}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("links to Nauthilus's source are pinned to v1.3.9", () => {
    const unpinned = found
      .flatMap((c) => [...c.text.matchAll(URL)].map((m) => ({ file: c.file, line: c.line, url: m[0] })))
      .filter((u) => u.url.includes("github.com/croessner/nauthilus") && !/\/(blob|tree)\/v1\.3\.9(\/|$)/.test(u.url))
      .map((u) => `${u.file}:${u.line}: ${u.url}`);
    expect(unpinned).toEqual([]);
  });

  it("the package's docs it names exist", () => {
    const missing = found
      .flatMap((c) => [...c.text.matchAll(/\bdocs\/([\w.-]+\.md)\b/g)].map((m) => ({ file: c.file, line: c.line, doc: m[1] })))
      .filter((d) => !fs.existsSync(path.join(root, "docs", d.doc)))
      .map((d) => `${d.file}:${d.line}: docs/${d.doc}`);
    expect(missing).toEqual([]);
  });
});

// Examples are snippets: the body of an entry function (with `request`, a `server` and a
// `result` in scope) unless they export the entry themselves.
const IMPORTS = `import { accept, reject } from "nauthilus-sdk";
import { apply_backend_result, check_backend_connection, get_backend_servers, remove_from_backend_result, select_backend_server, type BackendServer } from "nauthilus_backend";
`;

interface Snippet {
  where: string;
  code: string;
}

function buildSnippets(snippets: Snippet[]): string[] {
  const problems: string[] = [];
  const bodies: Array<{ where: string; first: number; last: number }> = [];
  let source = `${IMPORTS}export function nauthilus_call_filter(request: FilterRequest): FilterResult {\n  return accept();\n}\n`;
  for (const s of snippets) {
    if (/export (function|const) nauthilus_call_filter/.test(s.code)) {
      const filter = compileSource(/^import /m.test(s.code) ? s.code : IMPORTS + s.code);
      problems.push(...formatted(filter).map((d) => `${s.where}: ${d}`));
      continue;
    }
    source += `function example${bodies.length}(request: FilterRequest): FilterResult {\n`;
    source += `  const server: BackendServer = get_backend_servers()[0]!;\n  const result = nauthilus_backend_result.new();\n  {\n`;
    // The source ends with a newline: its line count is the number of the next line.
    const first = source.split("\n").length;
    source += `${s.code}\n`;
    bodies.push({ where: s.where, first, last: source.split("\n").length - 1 });
    source += `  }\n  return accept();\n}\n`;
  }
  const filter = compileSource(source);
  for (const d of formatted(filter)) {
    const line = Number(/:(\d+):\d+ -/.exec(d)?.[1]);
    const body = bodies.find((b) => line >= b.first && line <= b.last);
    problems.push(`${body?.where ?? "(wrapper)"}: ${d}`);
  }
  return problems;
}

describe("examples build", () => {
  it("every @example in sdk/ builds", () => {
    const examples: Snippet[] = [];
    for (const sf of sources) {
      for (const d of declared(sf)) {
        for (const tag of ts.getJSDocTags(d.node)) {
          if (tag.tagName.text !== "example") continue;
          const code = ts.getTextOfJSDocComment(tag.comment) ?? "";
          // Comment-only examples show generated Lua, not TypeScript.
          if (code.split("\n").every((l) => l.trim() === "" || l.trim().startsWith("//"))) continue;
          examples.push({ where: `${sf.fileName}: ${d.name}`, code });
        }
      }
    }
    expect(examples.length).toBeGreaterThan(15);
    expect(buildSnippets(examples)).toEqual([]);
  });

  it("every TypeScript block of docs/authoring.md builds", () => {
    const guide = fs.readFileSync(path.join(root, "docs/authoring.md"), "utf8");
    const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ where: `docs/authoring.md block ${i + 1}`, code: m[1] }));
    expect(blocks.length).toBeGreaterThan(5);
    expect(buildSnippets(blocks)).toEqual([]);
  });
});

describe("docs/authoring.md", () => {
  it("lists every code the build rejects a filter's code with", () => {
    const diagnostics = fs.readFileSync(path.join(root, "build/diagnostics.ts"), "utf8");
    // NF1090 and above concern files and the project rather than a construct; the guide lists them too
    // but they come and go with the command line.
    const codes = [...diagnostics.matchAll(/error\(\s*(\d{4})\s*,/g)].map((m) => Number(m[1])).filter((c) => c < 1090);
    expect(codes.length).toBeGreaterThan(15);
    const guide = fs.readFileSync(path.join(root, "docs/authoring.md"), "utf8");
    expect(codes.filter((c) => !guide.includes(`NF${c}`))).toEqual([]);
  });

  it("points to the README for testing", () => {
    const guide = fs.readFileSync(path.join(root, "docs/authoring.md"), "utf8");
    expect(guide).toMatch(/## Testing\n\nSee the testing section of the README/);
  });
});
