// The TypeScriptToLua plugin that `tstl -p` loads through the preset's luaPlugins
// (preset/tsconfig.json): the same build `nauthilus-filters build` runs. Built by npm ci / npm pack.
module.exports = require("./dist/tools/tstl-plugin.cjs");
