// Hand-written Lua that runs correctly here but not on gopher-lua v1.1.1, found by a line scan
// when a chunk is first loaded and reported in the outcome's diagnostics. Compiled TypeScript
// never contains these (the build rewrites them); this is for Lua written by hand.

// `a, b = b, a`: gopher-lua mis-compiles a multiple assignment whose right side reads a variable
// assigned earlier in the same statement (docs/fidelity.md D19; checked by running gopher-lua).
const MULTIPLE_ASSIGNMENT = /^\s*((?:[A-Za-z_]\w*\s*,\s*)+[A-Za-z_]\w*)\s*=(?!=)\s*(.+)$/;

export function gopherHazards(source: string, chunkName: string): string[] {
  const found: string[] = [];
  source.split("\n").forEach((line, i) => {
    const code = line.replace(/--.*$/, "");
    const m = MULTIPLE_ASSIGNMENT.exec(code);
    if (!m || /^\s*local\b/.test(code)) return;
    const targets = m[1].split(",").map((t) => t.trim());
    const right = m[2];
    if (!right.includes(",")) return; // one expression (a call): values come back in order
    const reads = targets.filter((t) => new RegExp(`(^|[^\\w.:])${t}\\b`).test(right));
    if (reads.length === 0) return;
    found.push(
      `${chunkName}:${i + 1}: gopher-lua v1.1.1 mis-compiles this multiple assignment (its right side reads ${reads.join(", ")}, which it also assigns): production gets wrong values (the runtime reproduces them for locals); assign through a temporary (docs/fidelity.md D19)`,
    );
  });
  return found;
}
