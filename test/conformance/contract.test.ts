// Every rule of the contract, run on the runtime twice: hand-written Lua and the same filter
// written in TypeScript and compiled by the SDK build (cases.ts).
import { describe, it } from "vitest";
import { compileTs, lineOf, runInProcess } from "../helpers/runtime";
import { cases, type Ctx } from "./cases";

for (const variant of ["lua", "ts"] as const) {
  describe(`contract (${variant === "lua" ? "hand-written Lua" : "compiled TypeScript"})`, () => {
    cases.forEach((c, n) => {
      it(c.id, async () => {
        const sources = c.filters.map(([lua, ts], i) => (variant === "lua" ? lua : compileTs(ts, `case${n}-${i}`)));
        const names = sources.map((_, i) => `${variant}/case${n}-${i}.lua`);
        const outcome = await runInProcess(
          {
            filters: sources.map((source, i) => ({ name: names[i], source })),
            servers: c.run?.servers ?? [],
            attributes: c.run?.attributes === undefined ? {} : c.run.attributes,
            request: c.run?.request ?? {},
            timeoutSeconds: c.run?.timeoutSeconds,
            packagePath: c.run?.packagePath,
            monitoring: c.run?.monitoring,
          },
          c.probes,
        );
        const ctx: Ctx = {
          variant,
          at: (i, marker) => `${names[i]}:${lineOf(sources[i], marker)}:`,
          chunk: (i) => names[i],
        };
        c.expect(outcome, ctx);
      });
    });
  });
}
