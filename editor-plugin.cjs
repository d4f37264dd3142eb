// The TypeScript language-service plugin (build/editor-plugin.ts), in the shape tsserver loads:
// the package's main export is the plugin factory. Built by npm ci / npm pack.
module.exports = require("./dist/tools/editor-plugin.cjs").default;
