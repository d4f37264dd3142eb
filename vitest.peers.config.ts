// `npm run test:peers`: integration tests against real Dovecot and haproxy (Debian packages,
// loopback only). Needs root and the packages that .ci/run installs.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/peers/**/*.test.ts"],
    globalSetup: ["test/peers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
