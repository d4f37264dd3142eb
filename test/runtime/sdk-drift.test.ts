// The SDK and the runtime describe one API: what a filter can reach in the VM must be exactly what
// sdk/ declares (names read from the declarations with the TypeScript compiler, not listed here).
import path from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { luaPrints } from "../helpers/runtime";

const sdk = path.resolve(__dirname, "../../sdk");

function declared(file: string, pick: (sf: ts.SourceFile) => ts.NodeArray<ts.Node> | readonly ts.Node[]): string[] {
  const sf = ts.createSourceFile(file, ts.sys.readFile(path.join(sdk, file))!, ts.ScriptTarget.ESNext, true);
  return pick(sf)
    .map((n) => (n as ts.NamedDeclaration).name)
    .filter((n): n is ts.Identifier => n !== undefined && ts.isIdentifier(n))
    .map((n) => n.text)
    .filter((n) => !n.startsWith("__"))
    .sort();
}

async function luaKeys(expression: string): Promise<string[]> {
  const r = await luaPrints(`local ks = {} for k in pairs(${expression}) do ks[#ks + 1] = k end table.sort(ks) print(table.concat(ks, " "))`);
  expect(r.error).toBeNull();
  return r.printed[0].split(" ").filter(Boolean);
}

it("nauthilus_backend: the module's functions are the SDK's exported functions", async () => {
  const names = declared("nauthilus-backend.d.ts", (sf) => {
    const mod = sf.statements.find(ts.isModuleDeclaration)!;
    return (mod.body as ts.ModuleBlock).statements.filter(ts.isFunctionDeclaration);
  });
  expect(names.length).toBe(5);
  expect(await luaKeys(`(function() dynamic_loader("nauthilus_backend") return require("nauthilus_backend") end)()`)).toEqual(names);
});

it("nauthilus_builtin: the table's members are the SDK's", async () => {
  const names = declared("builtin.d.ts", (sf) => {
    const decl = sf.statements.find(ts.isVariableStatement)!.declarationList.declarations[0];
    return (decl.type as ts.TypeLiteralNode).members;
  });
  expect(await luaKeys("nauthilus_builtin")).toEqual(names);
});

it("nauthilus_backend_result: the methods and the type table are the SDK's", async () => {
  const methods = [...new Set(declared("backend-result.d.ts", (sf) => sf.statements.filter(ts.isInterfaceDeclaration).find((i) => i.name.text === "BackendResult")!.members))];
  expect(await luaKeys("nauthilus_backend_result.__index")).toEqual(methods);
  const typeTable = declared("backend-result.d.ts", (sf) => {
    const v = sf.statements.filter(ts.isVariableStatement).find((s) => s.declarationList.declarations[0].name.getText() === "nauthilus_backend_result")!;
    return (v.declarationList.declarations[0].type as ts.TypeLiteralNode).members;
  });
  // The type table also carries __index (it is the metatable, contract §4).
  expect((await luaKeys("nauthilus_backend_result")).filter((k) => !k.startsWith("__"))).toEqual(typeTable);
});
