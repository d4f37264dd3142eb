// Declarations for Nauthilus v1.3.9 Lua filters (gopher-lua, Lua 5.1).
// Every member documents what production does, linking Nauthilus's source at the tag
// (https://github.com/croessner/nauthilus/tree/v1.3.9) so that each claim can be checked where it
// is made. Where the local runtime differs, the JSDoc says "Local runtime:".

/// <reference path="./request.d.ts" />
/// <reference path="./builtin.d.ts" />
/// <reference path="./backend-result.d.ts" />
/// <reference path="./nauthilus-backend.d.ts" />
/// <reference path="./filter.d.ts" />
