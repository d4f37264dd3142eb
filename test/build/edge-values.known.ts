// The current differences of test/build/edge-values.test.ts: expression → what JavaScript, the
// runtime and PUC Lua 5.1 print (puc absent: not run there). Grouped by class, most likely to
// matter to a filter first. A row that appears or disappears fails the test: remove a row when a
// fix lands (EDGE_VALUES_DUMP=<file> writes the current table as JSON).
export const KNOWN: Record<string, { js: string; runtime: string; puc?: string }> = {
  // PUC 5.1 only: its C library's exp rounds the last digit otherwise (gopher-lua, whose Go exp
  // production runs, and the runtime give V8's).
  "Math.exp(1)": { js: "number 2.718281828459045", runtime: "number 2.718281828459045", puc: "number 2.7182818284590455" },
};
