// The plugin's visitors are layers: js-semantics.ts's, then build/undefined-keys.ts and
// build/array-lengths.ts around some of them. A layer calls the visitor it wraps (`inner`), which
// ends in TypeScriptToLua's own transform.
import ts from "typescript";
import tstl from "typescript-to-lua";

export type Visitors = NonNullable<tstl.Plugin["visitors"]>;
export type Context = tstl.TransformationContext;
export type Visitor<N extends ts.Node, R> = (node: N, context: Context) => R;

/** The visitor of `kind` in `visitors`, or TypeScriptToLua's transform where there is none. */
export function innerVisitor<N extends ts.Node, R>(visitors: Visitors, kind: ts.SyntaxKind): Visitor<N, R> {
  const visitor = (visitors as Record<number, unknown>)[kind];
  if (typeof visitor === "function") return visitor as Visitor<N, R>;
  return ((node: N, context: Context) => {
    const lua = context.superTransformNode(node);
    return (ts.isStatement(node as ts.Node) ? lua : lua[0]) as R;
  }) as Visitor<N, R>;
}
