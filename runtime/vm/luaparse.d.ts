// The part of luaparse (0.3.1, no bundled types) that runtime/vm/chunk-rewrite.ts uses.
declare module "luaparse" {
  export interface Node {
    type: string;
    range?: [number, number];
    inParens?: boolean;
    [key: string]: unknown;
  }
  export interface Options {
    luaVersion?: "5.1" | "5.2" | "5.3" | "LuaJIT";
    ranges?: boolean;
    comments?: boolean;
    scope?: boolean;
    locations?: boolean;
    encodingMode?: "pseudo-latin1" | "x-user-defined" | "none";
  }
  export function parse(source: string, options?: Options): Node;
}
