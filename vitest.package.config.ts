import { defineConfig } from "vitest/config";

// `npm run test:package`: the package as operators get it (npm pack, installed into a fresh
// project from the npm registry's dependencies). Slow (an npm install); CI runs it.
export default defineConfig({
  test: {
    include: ["test/package/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
