import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/peers/**", "test/package/**", "node_modules/**"],
    globalSetup: ["test/global-setup.ts"],
    // Compiling TypeScript and starting wasm VMs: the first test of a file pays for it.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
