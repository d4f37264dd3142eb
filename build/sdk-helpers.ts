// The compile-time module "nauthilus-sdk" (sdk/filter.d.ts): accept() and reject().
import ts from "typescript";

export const SDK_HELPER_MODULE = "nauthilus-sdk";
export type SdkHelper = "accept" | "reject";

/** Which SDK helper an identifier refers to, following imports; undefined for anything else. */
export function resolveSdkHelper(checker: ts.TypeChecker, id: ts.Identifier): SdkHelper | undefined {
  if (id.text !== "accept" && id.text !== "reject") return undefined;
  let symbol = checker.getSymbolAtLocation(id);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const fromSdk = (symbol?.declarations ?? []).some((d) => {
    const mod = ts.findAncestor(d, ts.isModuleDeclaration);
    return mod !== undefined && ts.isStringLiteral(mod.name) && mod.name.text === SDK_HELPER_MODULE;
  });
  return fromSdk ? (symbol!.name as SdkHelper) : undefined;
}
