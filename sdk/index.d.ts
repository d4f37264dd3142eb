// Declarations for Nauthilus v1.3.9 Lua filters (gopher-lua, Lua 5.1).
// Every member documents what production does, citing ../shared/spec/nauthilus-v1.3-contract.md
// sections as "contract §N". Where the local runtime differs, the JSDoc says "Local runtime:".

/// <reference path="./request.d.ts" />
/// <reference path="./builtin.d.ts" />
/// <reference path="./backend-result.d.ts" />
/// <reference path="./nauthilus-backend.d.ts" />
/// <reference path="./filter.d.ts" />
